/* IMS identity and network headers: P-Asserted/Preferred-Identity (RFC 3325),
 * P-Associated-URI, P-Visited-Network-ID, P-Access-Network-Info (RFC 7315),
 * Path (RFC 3327), Service-Route (RFC 3608), sec-agree (RFC 3329). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sofia-sip/msg_header.h>
#include <sofia-sip/msg_mclass.h>
#include <sofia-sip/msg_protos.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/su_string.h>

#include "sip_internal.h"

/* Parse "name: value" with the message's own class (a header the class
 * knows, e.g. P-Asserted-Identity, becomes typed; others stay unknown) and
 * link it before the empty line: appended to its kind, or first of it. */
static int add_line(msg_t *msg, const char *name, const char *value, int first)
{
	msg_pub_t *pub = (msg_pub_t *)sip_object(msg);
	msg_header_t *h, **hh;
	char *line;

	if (!msg || !pub || !name || !*name || !value || strpbrk(value, "\r\n") ||
	    strpbrk(name, ": \t\r\n"))
		return -EINVAL;
	line = su_sprintf(msg_home(msg), "%s: %s\r\n", name, value);
	if (!line)
		return -ENOMEM;
	h = msg_header_d(msg_home(msg), msg, line);
	if (!h || h->sh_class == msg_error_class || h->sh_class == sip_error_class)
		return -EBADMSG;
	if (!first)
		return msg_header_insert(msg, pub, h) < 0 ? -EBADMSG : 0;
	hh = msg_hclass_offset(msg_mclass(msg), pub, h->sh_class);
	if (!hh)
		return -EBADMSG;
	return msg_header_prepend(msg, pub, hh, h) < 0 ? -EBADMSG : 0;
}

int sip_hdr_add_raw(msg_t *msg, const char *name, const char *value)
{
	return add_line(msg, name, value, 0);
}

/* Typed identity list: native when the msg class has the header, else made
 * from the unknown header's text with the same sofia header class. */
static int identity(msg_t *msg, msg_hclass_t *hc, const msg_header_t **out)
{
	sip_t *sip = sip_object(msg);
	msg_header_t *h;
	char *value;
	int rc;

	if (!sip || !out)
		return -EINVAL;
	*out = NULL;
	h = msg_header_access((msg_pub_t *)sip, hc);
	if (h) {
		*out = h;
		return 0;
	}
	value = sipi_unknown_join(msg_home(msg), sip, hc->hc_name, &rc);
	if (!value)
		return rc;
	h = msg_header_make(msg_home(msg), hc, value);
	if (!h)
		return -EBADMSG;
	*out = h;
	return 0;
}

int sip_hdr_p_asserted_identity(msg_t *msg, sip_p_asserted_identity_t const **out)
{
	return identity(msg, sip_p_asserted_identity_class, (const msg_header_t **)out);
}

int sip_hdr_p_preferred_identity(msg_t *msg, sip_p_preferred_identity_t const **out)
{
	return identity(msg, sip_p_preferred_identity_class, (const msg_header_t **)out);
}

int sip_hdr_add_p_asserted_identity(msg_t *msg, const char *display, const char *uri)
{
	char *v;

	if (!msg || !uri || !*uri)
		return -EINVAL;
	v = display ? su_sprintf(msg_home(msg), "\"%s\" <%s>", display, uri)
		    : su_sprintf(msg_home(msg), "<%s>", uri);
	return v ? sip_hdr_add_raw(msg, "P-Asserted-Identity", v) : -ENOMEM;
}

int sip_hdr_p_associated_uri(msg_t *msg, sip_route_t const **out)
{
	msg_header_t *h;
	char *value;
	int rc;

	if (!msg || !out)
		return -EINVAL;
	*out = NULL;
	value = sipi_unknown_join(msg_home(msg), sip_object(msg), "P-Associated-URI", &rc);
	if (!value)
		return rc;
	/* RFC 7315 4.1: p-aso-uri-spec = name-addr *(SEMI ai-param), the
	 * same shape as a Route entry; sofia's Route parser keeps the order. */
	h = msg_header_make(msg_home(msg), sip_route_class, value);
	if (!h)
		return -EBADMSG;
	*out = (sip_route_t const *)h;
	return 0;
}

int sip_hdr_add_p_associated_uri(msg_t *msg, const char *const *uris, size_t n)
{
	su_home_t *home = msg_home(msg);
	char *s = su_strdup(home, "");

	if (!msg || !uris || n == 0)
		return -EINVAL;
	for (size_t i = 0; s && i < n; i++) {
		if (!uris[i] || !*uris[i])
			return -EINVAL;
		s = su_sprintf(home, "%s%s<%s>", s, i ? ", " : "", uris[i]);
	}
	return s ? sip_hdr_add_raw(msg, "P-Associated-URI", s) : -ENOMEM;
}

int sip_hdr_visited_network_ids(msg_t *msg, const char ***ids, size_t *n)
{
	su_home_t *home = msg_home(msg);
	char **items = NULL;
	size_t cnt = 0;
	char *value;
	int rc;

	if (!msg || !ids || !n)
		return -EINVAL;
	*ids = NULL;
	*n = 0;
	value = sipi_unknown_join(home, sip_object(msg), "P-Visited-Network-ID", &rc);
	if (!value)
		return rc;
	rc = sipi_split(home, value, ',', &items, &cnt);
	if (rc)
		return rc;
	for (size_t i = 0; i < cnt; i++) {
		struct sip_hdr_param *p = NULL;
		size_t np = 0;
		/* vnetwork-spec = (token / quoted-string) *(SEMI vnetwork-param) */
		rc = sipi_params(home, items[i], &p, &np);
		if (rc)
			return rc;
		if (np == 0 || p[0].value)
			return -EBADMSG;
		items[i] = sipi_unquote(home, p[0].name);
		if (!items[i])
			return -ENOMEM;
	}
	if (cnt == 0)
		return -EBADMSG;
	*ids = (const char **)items;
	*n = cnt;
	return 0;
}

int sip_hdr_add_visited_network_id(msg_t *msg, const char *id)
{
	char *v;

	if (!msg || !id || !*id || strchr(id, '"') || strchr(id, '\\'))
		return -EINVAL;
	v = sipi_is_token(id) ? su_strdup(msg_home(msg), id)
			      : su_sprintf(msg_home(msg), "\"%s\"", id);
	return v ? sip_hdr_add_raw(msg, "P-Visited-Network-ID", v) : -ENOMEM;
}

int sip_hdr_access_network_info(msg_t *msg, struct sip_access_network_info *out)
{
	su_home_t *home = msg_home(msg);
	char **items = NULL;
	size_t cnt = 0;
	char *value;
	int rc;

	if (!msg || !out)
		return -EINVAL;
	memset(out, 0, sizeof *out);
	value = sipi_unknown_join(home, sip_object(msg), "P-Access-Network-Info", &rc);
	if (!value)
		return rc;
	rc = sipi_split(home, value, ',', &items, &cnt);
	if (rc)
		return rc;
	if (cnt == 0)
		return -EBADMSG;
	/* access-net-spec = (access-type / access-class) *(SEMI access-info) */
	rc = sipi_params(home, items[0], &out->params, &out->n_params);
	if (rc)
		return rc;
	if (out->n_params == 0 || out->params[0].value)
		return -EBADMSG;
	out->access_type = out->params[0].name;
	out->params++;
	out->n_params--;
	return 0;
}

int sip_hdr_add_path(msg_t *msg, const char *uri)
{
	char *v;

	if (!msg || !uri || !*uri)
		return -EINVAL;
	v = su_sprintf(msg_home(msg), "<%s>", uri);
	/* RFC 3327 5: each proxy puts its Path value first. */
	return v ? add_line(msg, "Path", v, 1) : -ENOMEM;
}

int sip_hdr_add_service_route(msg_t *msg, const char *uri)
{
	char *v;

	if (!msg || !uri || !*uri)
		return -EINVAL;
	v = su_sprintf(msg_home(msg), "<%s>", uri);
	return v ? sip_hdr_add_raw(msg, "Service-Route", v) : -ENOMEM;
}

bool sip_hdr_has_option(const msg_list_t *list, const char *option)
{
	for (; list; list = list->k_next)
		for (int i = 0; list->k_items && list->k_items[i]; i++)
			if (strcasecmp(list->k_items[i], option) == 0)
				return true;
	return false;
}

bool sip_hdr_supports_path(const sip_t *sip)
{
	return sip && (sip_hdr_has_option(sip->sip_supported, "path") ||
		       sip_hdr_has_option(sip->sip_require, "path"));
}

bool sip_hdr_has_credentials(const sip_t *sip)
{
	const sip_authorization_t *au;

	for (au = sip ? sip->sip_authorization : NULL; au; au = au->au_next) {
		const char *v = msg_params_find(au->au_params, "response=");

		if (v && v[0] && strcmp(v, "\"\"") != 0)
			return true;
	}
	return false;
}

static int parse_u32(const char *s, uint32_t *v)
{
	char *end;
	unsigned long long x;

	if (!s || !*s)
		return 0;
	x = strtoull(s, &end, 10);
	if (*end || x > UINT32_MAX)
		return -EBADMSG;
	*v = (uint32_t)x;
	return 0;
}

int sip_hdr_sec_agree(const sip_security_client_t *sa, struct sip_sec_agree *out)
{
	const msg_param_t *pp;
	uint32_t port_c = 0, port_s = 0;
	int rc = 0;

	if (!sa || !out)
		return -EINVAL;
	memset(out, 0, sizeof *out);
	out->mechanism = sa->sa_mec;
	out->q = sa->sa_q;
	pp = sa->sa_params;
	/* TS 33.203 H.2: alg, ealg, spi-c, spi-s, port-c, port-s, prot, mod */
	out->alg = msg_params_find(pp, "alg=");
	out->ealg = msg_params_find(pp, "ealg=");
	out->prot = msg_params_find(pp, "prot=");
	out->mod = msg_params_find(pp, "mod=");
	if ((rc = parse_u32(msg_params_find(pp, "spi-c="), &out->spi_c)) ||
	    (rc = parse_u32(msg_params_find(pp, "spi-s="), &out->spi_s)) ||
	    (rc = parse_u32(msg_params_find(pp, "port-c="), &port_c)) ||
	    (rc = parse_u32(msg_params_find(pp, "port-s="), &port_s)))
		return rc;
	if (port_c > 65535 || port_s > 65535)
		return -EBADMSG;
	out->port_c = (uint16_t)port_c;
	out->port_s = (uint16_t)port_s;
	return 0;
}
