/* Tokenising helpers for IMS header values (RFC 3261 25.1 grammar subset). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <sofia-sip/su_string.h>

#include "sip_internal.h"

static int is_lws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static char *dup_trimmed(su_home_t *home, const char *b, const char *e)
{
	while (b < e && is_lws(*b))
		b++;
	while (e > b && is_lws(e[-1]))
		e--;
	return su_strndup(home, b, (isize_t)(e - b));
}

int sipi_split(su_home_t *home, const char *s, char sep, char ***items, size_t *n)
{
	size_t cap = 4, cnt = 0;
	char **v = su_zalloc(home, cap * sizeof *v);
	const char *start = s, *p;
	int quoted = 0, angle = 0;

	if (!v)
		return -ENOMEM;
	for (p = s;; p++) {
		if (*p && quoted) {
			if (*p == '\\' && p[1])
				p++;
			else if (*p == '"')
				quoted = 0;
			continue;
		}
		if (*p == '"') {
			quoted = 1;
			continue;
		}
		if (*p == '<')
			angle = 1;
		else if (*p == '>')
			angle = 0;
		if (*p && (*p != sep || angle))
			continue;
		char *item = dup_trimmed(home, start, p);
		if (!item)
			return -ENOMEM;
		if (*item) {
			if (cnt + 1 >= cap) {
				char **nv = su_realloc(home, v, 2 * cap * sizeof *v);
				if (!nv)
					return -ENOMEM;
				v = nv;
				cap *= 2;
			}
			v[cnt++] = item;
			v[cnt] = NULL;
		}
		if (!*p)
			break;
		start = p + 1;
	}
	if (quoted || angle)
		return -EBADMSG;
	*items = v;
	*n = cnt;
	return 0;
}

char *sipi_unquote(su_home_t *home, const char *s)
{
	size_t len = strlen(s);
	char *out, *o;

	if (len < 2 || s[0] != '"' || s[len - 1] != '"')
		return su_strdup(home, s);
	out = su_alloc(home, len);
	if (!out)
		return NULL;
	o = out;
	for (size_t i = 1; i + 1 < len; i++) {
		if (s[i] == '\\' && i + 2 < len)
			i++;
		*o++ = s[i];
	}
	*o = '\0';
	return out;
}

int sipi_params(su_home_t *home, const char *s, struct sip_hdr_param **out, size_t *n)
{
	char **items = NULL;
	size_t cnt = 0;
	struct sip_hdr_param *pv;
	int rc = sipi_split(home, s, ';', &items, &cnt);

	if (rc)
		return rc;
	pv = su_zalloc(home, (cnt + 1) * sizeof *pv);
	if (!pv)
		return -ENOMEM;
	for (size_t i = 0; i < cnt; i++) {
		char *eq = strchr(items[i], '=');
		if (eq) {
			char *name_end = eq;
			while (name_end > items[i] && is_lws(name_end[-1]))
				name_end--;
			*name_end = '\0';
			const char *val = eq + 1;
			while (is_lws(*val))
				val++;
			pv[i].value = sipi_unquote(home, val);
			if (!pv[i].value)
				return -ENOMEM;
		}
		pv[i].name = items[i];
		/* a bare item may be a quoted-string (P-Visited-Network-ID) */
		if (!*pv[i].name || (eq && strchr(pv[i].name, '"')))
			return -EBADMSG;
	}
	*out = pv;
	*n = cnt;
	return 0;
}

const char *sip_hdr_param_find(const struct sip_hdr_param *params, size_t n,
			       const char *name)
{
	for (size_t i = 0; params && i < n; i++)
		if (strcasecmp(params[i].name, name) == 0)
			return params[i].value ? params[i].value : "";
	return NULL;
}

const char *sip_hdr_unknown_value(const sip_t *sip, const char *name)
{
	for (const sip_unknown_t *u = sip ? sip->sip_unknown : NULL; u; u = u->un_next)
		if (u->un_name && strcasecmp(u->un_name, name) == 0)
			return u->un_value ? u->un_value : "";
	return NULL;
}

char *sipi_unknown_join(su_home_t *home, const sip_t *sip, const char *name, int *err)
{
	char *acc = NULL;

	*err = -ENOENT;
	for (const sip_unknown_t *u = sip ? sip->sip_unknown : NULL; u; u = u->un_next) {
		if (!u->un_name || strcasecmp(u->un_name, name) != 0)
			continue;
		const char *v = u->un_value ? u->un_value : "";
		char *next = acc ? su_sprintf(home, "%s, %s", acc, v) : su_strdup(home, v);
		if (!next) {
			*err = -ENOMEM;
			return NULL;
		}
		acc = next;
	}
	if (acc)
		*err = 0;
	return acc;
}

int sipi_is_token(const char *s)
{
	/* RFC 3261 25.1: token = 1*(alphanum / "-" / "." / "!" / "%" / "*"
	 * / "_" / "+" / "`" / "'" / "~") */
	if (!s || !*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || strchr("-.!%*_+`'~", *s)))
			return 0;
	return 1;
}

void sipi_why(char *why, size_t cap, const char *fmt, ...)
{
	va_list ap;

	if (!why || !cap)
		return;
	va_start(ap, fmt);
	vsnprintf(why, cap, fmt, ap);
	va_end(ap);
}
