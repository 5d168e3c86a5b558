/* Digest Authorization / WWW-Authenticate parameters (RFC 3261 22.4,
 * RFC 2617 3.2, RFC 3310 3, TS 24.229 5.4.1.2 and 7.2A.1). */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include <sofia-sip/msg_header.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/su_string.h>

#include "sip_internal.h"

struct field {
	const char *name;
	size_t offset;
	int quoted;     /* how the builder writes it (RFC 2617 3.2.1, 3.2.2) */
};

#define CR(f, q) { #f, offsetof(struct sip_auth_credentials, f), q }
static const struct field cred_fields[] = {
	CR(username, 1), CR(realm, 1), CR(nonce, 1), CR(uri, 1), CR(response, 1),
	CR(algorithm, 0), CR(cnonce, 1), CR(opaque, 1), CR(qop, 0), CR(nc, 0),
	CR(auts, 1),
	{ "integrity-protected", offsetof(struct sip_auth_credentials, integrity_protected), 1 },
	{ NULL, 0, 0 },
};
#undef CR

#define CH(f, q) { #f, offsetof(struct sip_auth_challenge, f), q }
static const struct field chal_fields[] = {
	CH(realm, 1), CH(domain, 1), CH(nonce, 1), CH(opaque, 1), CH(stale, 0),
	CH(algorithm, 0), CH(qop, 1), CH(ik, 1), CH(ck, 1),
	{ NULL, 0, 0 },
};
#undef CH

static const char **slot(void *obj, const struct field *f)
{
	return (const char **)((char *)obj + f->offset);
}

/* Fill the struct fields named in `fields` from au_params; unknown
 * parameters are ignored (RFC 2617 3.2.2: MUST ignore unrecognised). */
static int parse_params(su_home_t *home, const msg_auth_t *au,
			const struct field *fields, void *obj)
{
	for (const msg_param_t *p = au->au_params; p && *p; p++) {
		const char *eq = strchr(*p, '=');
		size_t nlen = eq ? (size_t)(eq - *p) : strlen(*p);
		while (nlen && (*p)[nlen - 1] == ' ')
			nlen--;
		for (const struct field *f = fields; f->name; f++) {
			if (strlen(f->name) != nlen || strncasecmp(*p, f->name, nlen) != 0)
				continue;
			const char *v = eq ? eq + 1 : "";
			while (*v == ' ' || *v == '\t')
				v++;
			char *u = sipi_unquote(home, v);
			if (!u)
				return -ENOMEM;
			*slot(obj, f) = u;
			break;
		}
	}
	return 0;
}

int sip_auth_credentials_parse(msg_t *msg, const msg_auth_t *au,
			       struct sip_auth_credentials *out)
{
	int rc;

	if (!msg || !out)
		return -EINVAL;
	memset(out, 0, sizeof *out);
	if (!au)
		return -ENOENT;
	out->scheme = au->au_scheme;
	rc = parse_params(msg_home(msg), au, cred_fields, out);
	if (rc)
		return rc;
	/* RFC 2617 3.2.2: username, realm, nonce, uri and response are
	 * required; with qop, also cnonce and nc. */
	if (!out->username || !out->realm || !out->nonce || !out->uri || !out->response)
		return -EBADMSG;
	if (out->qop && (!out->cnonce || !out->nc))
		return -EBADMSG;
	return 0;
}

int sip_auth_challenge_parse(msg_t *msg, const msg_auth_t *au,
			     struct sip_auth_challenge *out)
{
	int rc;

	if (!msg || !out)
		return -EINVAL;
	memset(out, 0, sizeof *out);
	if (!au)
		return -ENOENT;
	out->scheme = au->au_scheme;
	rc = parse_params(msg_home(msg), au, chal_fields, out);
	if (rc)
		return rc;
	if (!out->realm || !out->nonce)
		return -EBADMSG;
	return 0;
}

const msg_auth_t *sip_auth_find_realm(const msg_auth_t *au, const char *realm)
{
	for (; au; au = au->au_next) {
		if (!au->au_scheme || strcasecmp(au->au_scheme, "Digest") != 0)
			continue;
		if (!realm)
			return au;
		const char *r = msg_params_find(au->au_params, "realm=");
		if (!r)
			continue;
		size_t len = strlen(r);
		if (len >= 2 && r[0] == '"' && r[len - 1] == '"') {
			r++;
			len -= 2;
		}
		if (len == strlen(realm) && strncasecmp(r, realm, len) == 0)
			return au;
	}
	return NULL;
}

/* "Digest a="x", b=y, ..." from the non-NULL fields. */
static char *format_auth(su_home_t *home, const char *scheme,
			 const struct field *fields, const void *obj)
{
	char *s = su_strdup(home, scheme ? scheme : "Digest");
	int first = 1;

	for (const struct field *f = fields; s && f->name; f++) {
		const char *v = *slot((void *)obj, f);
		if (!v)
			continue;
		if (strpbrk(v, "\"\\\r\n"))
			return NULL;
		s = su_sprintf(home, f->quoted ? "%s%s%s=\"%s\"" : "%s%s%s=%s",
			       s, first ? " " : ", ", f->name, v);
		first = 0;
	}
	return s;
}

int sip_auth_add_credentials(msg_t *msg, const struct sip_auth_credentials *cr,
			     bool proxy)
{
	char *v;

	if (!msg || !cr || !cr->username || !cr->realm || !cr->nonce || !cr->uri)
		return -EINVAL;
	v = format_auth(msg_home(msg), cr->scheme, cred_fields, cr);
	if (!v)
		return -EINVAL;
	return sip_add_make(msg, sip_object(msg),
			    proxy ? sip_proxy_authorization_class : sip_authorization_class,
			    v) < 0 ? -EBADMSG : 0;
}

int sip_auth_add_challenge(msg_t *msg, const struct sip_auth_challenge *ch, bool proxy)
{
	char *v;

	if (!msg || !ch || !ch->realm || !ch->nonce)
		return -EINVAL;
	v = format_auth(msg_home(msg), ch->scheme, chal_fields, ch);
	if (!v)
		return -EINVAL;
	return sip_add_make(msg, sip_object(msg),
			    proxy ? sip_proxy_authenticate_class : sip_www_authenticate_class,
			    v) < 0 ? -EBADMSG : 0;
}

/* Drop parameter `name` from an au_params array in place; 1 if removed. */
static int remove_param(msg_auth_t *au, const char *name)
{
	msg_param_t *pp = (msg_param_t *)au->au_params;
	size_t nlen = strlen(name);
	int removed = 0;

	for (size_t i = 0; pp && pp[i];) {
		if (strncasecmp(pp[i], name, nlen) == 0 &&
		    (pp[i][nlen] == '=' || pp[i][nlen] == '\0')) {
			for (size_t j = i; pp[j]; j++)
				pp[j] = pp[j + 1];
			removed = 1;
			continue;
		}
		i++;
	}
	return removed;
}

int sip_auth_strip_keys(msg_t *msg)
{
	sip_t *sip = sip_object(msg);
	int changed = 0;

	if (!sip)
		return -EINVAL;
	for (msg_auth_t *au = sip->sip_www_authenticate; au; au = au->au_next) {
		/* TS 24.229 5.2.2.1: the P-CSCF removes ck and ik before
		 * forwarding the 401 to the UE. */
		int removed = remove_param(au, "ck");
		removed |= remove_param(au, "ik");
		if (removed) {
			/* Forget the parsed text so the header is re-encoded. */
			msg_fragment_clear(au->au_common);
			changed++;
		}
	}
	return changed;
}
