/* reg_request: see reg_request.h for the contract. */
#include "reg_request.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sofia-sip/sip_header.h>
#include <sofia-sip/url.h>

int reg_uri_canon(const url_t *url, char *out, size_t cap)
{
	int n;

	if (!url)
		return -EINVAL;
	if (url->url_type == url_tel) {
		/* sofia keeps a tel: number in url_user (RFC 3966). */
		if (!url->url_user || !*url->url_user)
			return -EINVAL;
		n = snprintf(out, cap, "tel:%s", url->url_user);
		return n < 0 || (size_t)n >= cap ? -ENOSPC : 0;
	}
	if (!url->url_host)
		return -EINVAL;
	if (url->url_type == url_sip || url->url_type == url_sips) {
		const char *scheme = url->url_type == url_sips ? "sips" : "sip";

		n = snprintf(out, cap, "%s:%s%s%s%s%s", scheme, url->url_user ? url->url_user : "",
			     url->url_user ? "@" : "", url->url_host, url->url_port ? ":" : "",
			     url->url_port ? url->url_port : "");
	} else {
		return -EINVAL;
	}
	return n < 0 || (size_t)n >= cap ? -ENOSPC : 0;
}

/* TS 23.003 13.3 style: the IMPI the UE would use for an IMPU without
 * credentials is the IMPU without its scheme ("user@domain"). */
static int derive_impi(const url_t *url, const char *realm, char *out, size_t cap)
{
	int n;

	if (url->url_type == url_tel)
		n = snprintf(out, cap, "%s@%s", url->url_user, realm);
	else if (url->url_user)
		n = snprintf(out, cap, "%s@%s", url->url_user, url->url_host);
	else
		n = snprintf(out, cap, "%s", url->url_host);
	return n < 0 || (size_t)n >= cap ? -ENOSPC : 0;
}

static bool domain_served(const struct reg_policy *pol, const url_t *url)
{
	size_t i;

	if (url->url_type == url_tel)
		return true;
	if (pol->n_domains == 0)
		return strcasecmp(url->url_host, pol->realm) == 0;
	for (i = 0; i < pol->n_domains; i++)
		if (strcasecmp(url->url_host, pol->domains[i]) == 0)
			return true;
	return false;
}

static int parse_delta(const char *s, int64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end || errno)
		v = UINT32_MAX; /* RFC 3261 20.19: huge values mean "long" */
	*out = v > UINT32_MAX ? UINT32_MAX : (int64_t)v;
	return 0;
}

static const char *joined_path(msg_t *msg, const sip_t *sip)
{
	su_home_t *home = msg_home(msg);
	const sip_path_t *p;
	char *acc = NULL;

	for (p = sip->sip_path; p; p = p->r_next) {
		char *one = sip_header_as_string(home, (const sip_header_t *)p);

		if (!one)
			return NULL;
		acc = acc ? su_sprintf(home, "%s, %s", acc, one) : one;
		if (!acc)
			return NULL;
	}
	return acc;
}

static void read_credentials(const struct reg_policy *pol, msg_t *msg, const sip_t *sip,
			     struct reg_req *q)
{
	const msg_auth_t *au = sip_auth_find_realm(sip->sip_authorization, pol->realm);
	const char *ip;

	if (!au || sip_auth_credentials_parse(msg, au, &q->cr) < 0)
		return;
	q->has_cr = q->cr.username && *q->cr.username;
	q->has_response = q->has_cr && q->cr.nonce && *q->cr.nonce && q->cr.response &&
			  *q->cr.response;
	ip = q->cr.integrity_protected;
	q->integrity_protected = ip && (strcasecmp(ip, "yes") == 0 ||
					strcasecmp(ip, "tls-yes") == 0 ||
					strcasecmp(ip, "ip-assoc-yes") == 0);
}

/* RFC 3261 10.2.1.1: the Contact's expires parameter, else Expires, else
 * the registrar's default; then the registrar's bounds (10.3 step 7). */
static int binding_expiry(const struct reg_policy *pol, const sip_t *sip,
			  const sip_contact_t *m, int64_t *out)
{
	int64_t e = pol->default_expires;

	if (m->m_expires) {
		if (parse_delta(m->m_expires, &e) < 0)
			return 400;
	} else if (sip->sip_expires) {
		e = sip->sip_expires->ex_delta;
	}
	if (e != 0 && e < pol->min_expires)
		return 423;
	if (e > pol->max_expires)
		e = pol->max_expires;
	*out = e;
	return 0;
}

/* The address the UE sent from: its own (last) Via with the received and
 * rport the first hop added (RFC 3261 18.2.1, RFC 3581 4). */
static const char *ue_source(msg_t *msg, const sip_t *sip)
{
	const sip_via_t *v = sip->sip_via;
	const char *host, *port;

	if (!v)
		return NULL;
	while (v->v_next)
		v = v->v_next;
	host = v->v_received ? v->v_received : v->v_host;
	port = v->v_rport && *v->v_rport ? v->v_rport : v->v_port;
	if (!host)
		return NULL;
	return port ? su_sprintf(msg_home(msg), "%s:%s", host, port) : host;
}

/* q-value x1000 (RFC 3261 20.10: "0" to "1.000"); 1000 when unusable. */
static uint16_t parse_q(const char *s)
{
	double v;
	char *end;

	if (!s)
		return 1000;
	v = strtod(s, &end);
	if (end == s || v < 0 || v > 1)
		return 1000;
	return (uint16_t)(v * 1000 + 0.5);
}

/* +sip.instance and reg-id (RFC 5626 4.1): the instance is kept without
 * its quotes. */
static void read_outbound(msg_t *msg, const sip_contact_t *m, struct reg_binding *b)
{
	const char *inst = msg_params_find(m->m_params, "+sip.instance");
	const char *rid = msg_params_find(m->m_params, "reg-id");
	size_t n;

	if (inst && *inst) {
		n = strlen(inst);
		if (n >= 2 && inst[0] == '"' && inst[n - 1] == '"')
			inst = su_strndup(msg_home(msg), inst + 1, n - 2);
		b->instance = inst;
	}
	if (rid) {
		unsigned long v = strtoul(rid, NULL, 10);

		b->reg_id = v > UINT32_MAX ? 0 : (uint32_t)v;
	}
}

static int read_contacts(const struct reg_policy *pol, msg_t *msg, const sip_t *sip,
			 struct reg_req *q, const char **phrase)
{
	const char *source = ue_source(msg, sip);
	const sip_contact_t *m;
	int rc;

	q->query = sip->sip_contact == NULL;
	q->deregister = !q->query;
	for (m = sip->sip_contact; m; m = m->m_next) {
		if (m->m_url->url_type == url_any) {
			/* RFC 3261 10.3 step 6: "*" only alone and with Expires: 0. */
			if (sip->sip_contact->m_next || !sip->sip_expires ||
			    sip->sip_expires->ex_delta != 0) {
				*phrase = "Bad Request - Contact * needs Expires: 0";
				return 400;
			}
			q->remove_all = true;
			return 0;
		}
		if (q->n_b >= REG_MAX_BINDINGS) {
			*phrase = "Forbidden - Too Many Contacts";
			return 403;
		}
		rc = binding_expiry(pol, sip, m, &q->b[q->n_b].expires);
		if (rc) {
			*phrase = rc == 423 ? "Interval Too Brief" : "Bad Request - Bad Contact expires";
			return rc;
		}
		q->b[q->n_b].uri = url_as_string(msg_home(msg), m->m_url);
		if (!q->b[q->n_b].uri) {
			*phrase = "Server Internal Error";
			return 500;
		}
		q->b[q->n_b].path = q->path;
		q->b[q->n_b].call_id = q->call_id;
		q->b[q->n_b].cseq = q->cseq;
		q->b[q->n_b].received = source;
		q->b[q->n_b].q = parse_q(m->m_q);
		read_outbound(msg, m, &q->b[q->n_b]);
		if (q->b[q->n_b].expires != 0)
			q->deregister = false;
		q->n_b++;
	}
	return 0;
}

int reg_request_parse(const struct reg_policy *pol, msg_t *msg, const sip_t *sip,
		      struct reg_req *q, const char **phrase)
{
	const url_t *to;

	memset(q, 0, sizeof *q);
	*phrase = "Bad Request";
	if (!sip->sip_to || !sip->sip_call_id || !sip->sip_cseq)
		return 400;
	to = sip->sip_to->a_url;
	if (reg_uri_canon(to, q->impu, sizeof q->impu) < 0) {
		*phrase = "Bad Request - Unsupported To URI";
		return 400;
	}
	if (!domain_served(pol, to)) {
		*phrase = "Not Found - Domain Not Served";
		return 404;
	}
	q->call_id = sip->sip_call_id->i_id;
	q->cseq = sip->sip_cseq->cs_seq;
	if (sip->sip_path && !(q->path = joined_path(msg, sip))) {
		*phrase = "Server Internal Error";
		return 500;
	}
	read_credentials(pol, msg, sip, q);
	if (q->has_cr) {
		if (strlen(q->cr.username) >= sizeof q->impi) {
			*phrase = "Bad Request - Username Too Long";
			return 400;
		}
		strcpy(q->impi, q->cr.username);
	} else if (derive_impi(to, pol->realm, q->impi, sizeof q->impi) < 0) {
		return 400;
	}
	return read_contacts(pol, msg, sip, q, phrase);
}
