/* ident: see ident.h for the contract. */
#include "ident.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sofia-sip/sip_header.h>

#include "ims/sip.h"

static int put(size_t cap, int w)
{
	if (w < 0)
		return -EINVAL;
	return (size_t)w >= cap ? -ENAMETOOLONG : 0;
}

int ident_impu_of_url(const url_t *url, char *out, size_t cap)
{
	if (!url)
		return -ENOENT;
	if (url->url_type == url_tel) {
		if (!url->url_user || !url->url_user[0])
			return -ENOENT;
		return put(cap, snprintf(out, cap, "tel:%s", url->url_user));
	}
	if (url->url_type != url_sip && url->url_type != url_sips)
		return -EINVAL;
	if (!url->url_host || !url->url_host[0])
		return -ENOENT;
	if (url->url_user && url->url_user[0])
		return put(cap, snprintf(out, cap, "%s:%s@%s", url->url_type == url_sips ?
					      "sips" : "sip", url->url_user, url->url_host));
	return put(cap, snprintf(out, cap, "%s:%s", url->url_type == url_sips ? "sips" : "sip",
				      url->url_host));
}

int ident_impi_of_register(msg_t *msg, const sip_t *sip, char *out, size_t cap)
{
	const url_t *to;

	if (sip->sip_authorization) {
		struct sip_auth_credentials cr;

		if (sip_auth_credentials_parse(msg, sip->sip_authorization, &cr) == 0 &&
		    cr.username && cr.username[0])
			return put(cap, snprintf(out, cap, "%s", cr.username));
	}
	if (!sip->sip_to)
		return -ENOENT;
	to = sip->sip_to->a_url;
	if (!to->url_host || !to->url_host[0])
		return -ENOENT;
	if (to->url_user && to->url_user[0])
		return put(cap, snprintf(out, cap, "%s@%s", to->url_user, to->url_host));
	return put(cap, snprintf(out, cap, "%s", to->url_host));
}

bool ident_is_deregistration(const sip_t *sip)
{
	const sip_contact_t *m;
	bool header_zero = sip->sip_expires && sip->sip_expires->ex_delta == 0;

	if (!sip->sip_contact)
		return false;
	for (m = sip->sip_contact; m; m = m->m_next) {
		if (m->m_expires) {
			if (strtoul(m->m_expires, NULL, 10) != 0)
				return false;
		} else if (!header_zero) {
			return false;
		}
	}
	return true;
}

static int strip_visual(const char *in, char *out, size_t cap)
{
	size_t n = 0;

	for (; *in; in++) {
		if (*in == '-' || *in == '.' || *in == '(' || *in == ')')
			continue;
		if (n + 1 >= cap)
			return -ENAMETOOLONG;
		out[n++] = *in;
	}
	out[n] = '\0';
	return 0;
}

int ident_global_number(const url_t *url, char *out, size_t cap)
{
	if (!url || !url->url_user)
		return -ENOENT;
	if (url->url_type == url_tel)
		return strip_visual(url->url_user, out, cap);
	if ((url->url_type == url_sip || url->url_type == url_sips) && url->url_params &&
	    url->url_user[0] == '+') {
		char buf[128], val[16];

		if (url_param(url->url_params, "user", val, sizeof val) == 0 ||
		    strcasecmp(val, "phone") != 0)
			return -ENOENT;
		size_t n = strcspn(url->url_user, ";");
		if (n >= sizeof buf)
			return -ENAMETOOLONG;
		memcpy(buf, url->url_user, n);
		buf[n] = '\0';
		return strip_visual(buf, out, cap);
	}
	return -ENOENT;
}

const char *ident_tel_lookup(const struct icscf_config *cfg, const char *number)
{
	const struct icscf_tel_config *t = cfg->tel_numbers.items;
	char want[128], have[128];
	size_t i;

	if (strip_visual(number, want, sizeof want) < 0)
		return NULL;
	for (i = 0; i < cfg->tel_numbers.n; i++)
		if (strip_visual(t[i].number, have, sizeof have) == 0 && !strcmp(want, have))
			return t[i].uri;
	return NULL;
}
