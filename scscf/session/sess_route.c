/* sess_route: see sess_route.h for the contract. */
#include "sess_route.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <sofia-sip/sip_header.h>

/* "host", "host:port", "[v6]:port" or a SIP URI. */
int sess_self_add(struct sess_self *self, const char *s)
{
	const char *hp = s, *end, *colon, *port = "5060";
	size_t hl;

	if (!s || !*s)
		return -EINVAL;
	if (self->n >= SESS_SELF_MAX)
		return -ENOSPC;
	if (!strncasecmp(hp, "sips:", 5))
		hp += 5;
	else if (!strncasecmp(hp, "sip:", 4))
		hp += 4;
	if (strchr(hp, '@'))
		hp = strchr(hp, '@') + 1;
	end = hp + strcspn(hp, ";?>");
	if (*hp == '[') {
		const char *rb = memchr(hp, ']', (size_t)(end - hp));

		if (!rb)
			return -EINVAL;
		colon = rb + 1 < end && rb[1] == ':' ? rb + 1 : NULL;
	} else {
		colon = memchr(hp, ':', (size_t)(end - hp));
	}
	hl = (size_t)((colon ? colon : end) - hp);
	if (hl == 0 || hl >= sizeof self->v[0].host)
		return -EINVAL;
	memcpy(self->v[self->n].host, hp, hl);
	self->v[self->n].host[hl] = '\0';
	if (colon) {
		size_t pl = (size_t)(end - colon - 1);

		if (pl == 0 || pl >= sizeof self->v[0].port)
			return -EINVAL;
		memcpy(self->v[self->n].port, colon + 1, pl);
		self->v[self->n].port[pl] = '\0';
	} else {
		snprintf(self->v[self->n].port, sizeof self->v[0].port, "%s", port);
	}
	self->n++;
	return 0;
}

bool sess_url_is_us(const struct sess_self *self, const url_t *url)
{
	const char *port;
	size_t i;

	if (!url || !url->url_host || (url->url_type != url_sip && url->url_type != url_sips))
		return false;
	port = url->url_port && *url->url_port ? url->url_port : "5060";
	for (i = 0; i < self->n; i++)
		if (!strcasecmp(url->url_host, self->v[i].host) && !strcmp(port, self->v[i].port))
			return true;
	return false;
}

enum sess_kind sess_classify(const struct sess_self *self, const sip_t *sip, char *token,
			     size_t cap)
{
	const sip_route_t *rt = sip->sip_route;
	const char *user;

	if (cap)
		token[0] = '\0';
	if (sip->sip_to && sip->sip_to->a_tag)
		return SESS_IN_DIALOG;
	if (!rt || !sess_url_is_us(self, rt->r_url))
		return SESS_TERMINATING;
	user = rt->r_url->url_user;
	if (user && !strncmp(user, SESS_ODI_PREFIX, strlen(SESS_ODI_PREFIX))) {
		user += strlen(SESS_ODI_PREFIX);
		if (strlen(user) < cap)
			snprintf(token, cap, "%s", user);
		return SESS_FROM_AS;
	}
	/* TS 24.229 5.4.3.2: our Service-Route carries the user "orig"; the
	 * I-CSCF marks an originating request with the ;orig parameter. */
	if ((user && !strcmp(user, "orig")) ||
	    (rt->r_url->url_params && url_has_param(rt->r_url, "orig")))
		return SESS_ORIGINATING;
	return SESS_TERMINATING;
}

static int normalise(const char *in, char *out, size_t cap)
{
	size_t n = 0;

	if (*in != '+')
		return -ENOENT;
	for (; *in && *in != ';'; in++) {
		if (strchr("-.()", *in))
			continue;
		if (n > 0 && (*in < '0' || *in > '9'))
			return -ENOENT;
		if (n + 1 >= cap)
			return -ENOSPC;
		out[n++] = *in;
	}
	out[n] = '\0';
	return n > 1 ? 0 : -ENOENT;
}

int sess_number_of_url(const url_t *url, char *out, size_t cap)
{
	char user[64];

	if (!url || !url->url_user)
		return -ENOENT;
	if (url->url_type == url_tel)
		return normalise(url->url_user, out, cap);
	if (url->url_type != url_sip && url->url_type != url_sips)
		return -ENOENT;
	/* RFC 3261 19.1.6: sip:+number@host;user=phone is a telephone number. */
	if (!url->url_params || !url_param(url->url_params, "user", user, sizeof user) ||
	    strcasecmp(user, "phone"))
		return -ENOENT;
	return normalise(url->url_user, out, cap);
}

const char *sess_number_lookup(const struct cfg_list *numbers, const char *number)
{
	const struct scscf_number *v = numbers->items;
	char norm[64];
	size_t i;

	for (i = 0; i < numbers->n; i++) {
		if (normalise(v[i].number, norm, sizeof norm) < 0 || strcmp(norm, number))
			continue;
		return v[i].uris.n ? v[i].uris.v[0] : NULL;
	}
	return NULL;
}

bool sess_domain_is_ours(const struct cfg_strv *domains, const char *realm, const char *host)
{
	size_t i;

	if (!host)
		return false;
	if (!domains || !domains->n)
		return realm && !strcasecmp(realm, host);
	for (i = 0; i < domains->n; i++)
		if (!strcasecmp(domains->v[i], host))
			return true;
	return false;
}
