/*
 * ifc_sip: sofia sip_t → struct ifc_request (see ifc_sip.h).
 */
#include "ifc_sip.h"

#include <errno.h>
#include <string.h>

#include <sofia-sip/msg_header.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/url.h>

/* Start line, separator, body and parse errors are not headers. A value
 * that shared its line with the previous one ("Route: <a>, <b>") has raw
 * text of length 0: the line is one instance, seen once. */
static bool is_header(const msg_header_t *h)
{
	const msg_hclass_t *c = h->sh_class;

	if (h->sh_data && h->sh_len == 0)
		return false;
	return c && c != sip_request_class && c != sip_status_class &&
	       c != sip_separator_class && c != sip_payload_class &&
	       c != sip_error_class && (c == sip_unknown_class || (c->hc_name && *c->hc_name));
}

/* The value as received: text after the colon of the raw line, folding
 * and the final CRLF turned into spaces and trimmed (RFC 3261 7.3.1). */
static char *raw_value(su_home_t *home, const msg_header_t *h)
{
	const char *s = h->sh_data, *end = s + h->sh_len, *colon = memchr(s, ':', h->sh_len);
	char *v;
	size_t n;

	s = colon ? colon + 1 : end;
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n'))
		end--;
	n = (size_t)(end - s);
	if (!(v = su_alloc(home, (isize_t)n + 1)))
		return NULL;
	for (size_t i = 0; i < n; i++)
		v[i] = s[i] == '\r' || s[i] == '\n' ? ' ' : s[i];
	v[n] = '\0';
	return v;
}

/* A header added after parsing has no raw text: let sofia encode it. */
static char *encoded_value(su_home_t *home, const msg_header_t *h)
{
	char buf[1024], *v;
	issize_t n = msg_header_field_e(buf, sizeof buf, h, 0);

	if (n < 0)
		return NULL;
	if ((size_t)n < sizeof buf)
		return su_strdup(home, buf);
	if (!(v = su_alloc(home, (isize_t)n + 1)))
		return NULL;
	if (msg_header_field_e(v, (isize_t)n + 1, h, 0) != n)
		return NULL;
	v[n] = '\0';
	return v;
}

/* One header instance into e; strings in home. */
static int header_entry(su_home_t *home, const msg_header_t *h, struct ifc_header *e)
{
	if (h->sh_class == sip_unknown_class) {
		e->name = h->sh_unknown->un_name;
		e->value = h->sh_unknown->un_value ? h->sh_unknown->un_value : "";
		return e->name ? 0 : -EINVAL;
	}
	e->name = h->sh_class->hc_name;
	e->value = h->sh_data ? raw_value(home, h) : encoded_value(home, h);
	return e->value ? 0 : -ENOMEM;
}

static int fill_headers(struct ifc_sip_request *r, const sip_t *sip)
{
	struct ifc_header *hs;
	size_t n = 0;
	int ret;

	for (const msg_header_t *h = (const msg_header_t *)sip->sip_request; h; h = h->sh_succ)
		n += is_header(h);
	if (n > IFC_SIP_MAX_HEADERS)
		return -E2BIG;
	if (n == 0)
		return 0;
	if (!(hs = su_zalloc(r->home, (isize_t)(n * sizeof *hs))))
		return -ENOMEM;
	n = 0;
	for (const msg_header_t *h = (const msg_header_t *)sip->sip_request; h; h = h->sh_succ) {
		if (!is_header(h))
			continue;
		if ((ret = header_entry(r->home, h, &hs[n])) != 0)
			return ret;
		n++;
	}
	r->req.headers = hs;
	r->req.n_headers = n;
	return 0;
}

int ifc_sip_request_init(struct ifc_sip_request *r, const sip_t *sip,
			 enum ifc_reg_type reg_type)
{
	int ret;

	if (!r || !sip || !sip->sip_request)
		return -EINVAL;
	memset(r, 0, sizeof *r);
	if (su_home_init(r->home) != 0)
		return -ENOMEM;
	r->req.method = sip->sip_request->rq_method_name;
	r->req.reg_type = reg_type;
	ret = -ENOMEM;
	if (!(r->req.request_uri = url_as_string(r->home, sip->sip_request->rq_url)))
		goto out;
	if (sip->sip_content_type)
		r->req.content_type = sip->sip_content_type->c_type;
	if (sip->sip_payload) {
		r->req.body = sip->sip_payload->pl_data;
		r->req.body_len = sip->sip_payload->pl_len;
	}
	ret = fill_headers(r, sip);
out:
	if (ret != 0)
		su_home_deinit(r->home);
	return ret;
}

void ifc_sip_request_release(struct ifc_sip_request *r)
{
	if (r)
		su_home_deinit(r->home);
}
