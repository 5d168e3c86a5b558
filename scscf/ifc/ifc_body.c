/*
 * ifc_body: where the SDP of a request is, for SessionDescription SPTs
 * (TS 29.228 B.2.2): the whole body when it is application/sdp, or the
 * first application/sdp part of a multipart body (RFC 2046 5.1, e.g.
 * multipart/mixed SDP + ISUP from a SIP-I gateway, TS 29.163). One level of
 * multipart only; anything unexpected means "no SDP", never an error.
 */
#include "ifc_internal.h"

#include <string.h>
#include <strings.h>

#define BOUNDARY_MAX 70  /* RFC 2046 5.1.1 */

static const char *skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Is the media type of ct (parameters ignored) equal to type? */
static bool media_is(const char *ct, const char *type)
{
	size_t n = strlen(type);

	ct = skip_ws(ct);
	return strncasecmp(ct, type, n) == 0 && strchr(" \t;", ct[n]) != NULL;
}

/* The boundary parameter of a multipart Content-Type, into b. */
static bool boundary_of(const char *ct, char *b, size_t size)
{
	const char *p = ct;
	size_t n = 0;

	while ((p = strchr(p, ';')) != NULL) {
		p = skip_ws(p + 1);
		if (strncasecmp(p, "boundary", 8) != 0)
			continue;
		p = skip_ws(p + 8);
		if (*p++ != '=')
			continue;
		p = skip_ws(p);
		if (*p == '"') {
			for (p++; *p && *p != '"' && n + 1 < size; p++)
				b[n++] = *p;
		} else {
			for (; *p && !strchr(" \t;", *p) && n + 1 < size; p++)
				b[n++] = *p;
		}
		b[n] = '\0';
		return n > 0;
	}
	return false;
}

static const char *find(const char *s, const char *end, const char *needle, size_t n)
{
	for (; s < end && (size_t)(end - s) >= n; s++) {
		if (*s == needle[0] && memcmp(s, needle, n) == 0)
			return s;
	}
	return NULL;
}

/* One part [s, end): its headers up to the empty line, then its content.
 * Returns true and the content when the part is application/sdp. */
static bool sdp_part(const char *s, const char *end, const char **sdp, size_t *len)
{
	const char *hdr_end = find(s, end, "\r\n\r\n", 4);
	const char *body = hdr_end ? hdr_end + 4 : NULL;
	char ct[128];

	if (!hdr_end && (hdr_end = find(s, end, "\n\n", 2)))
		body = hdr_end + 2;
	if (!hdr_end)
		return false;
	for (const char *line = s; line < hdr_end;) {
		const char *eol = find(line, hdr_end, "\n", 1);
		size_t n = (size_t)((eol ? eol : hdr_end) - line);

		if (n && line[n - 1] == '\r')
			n--;

		if (n > 13 && strncasecmp(line, "Content-Type:", 13) == 0 && n - 13 < sizeof ct) {
			memcpy(ct, line + 13, n - 13);
			ct[n - 13] = '\0';
			if (media_is(ct, "application/sdp")) {
				*sdp = body;
				*len = (size_t)(end - body);
				return true;
			}
		}
		line = eol ? eol + 1 : hdr_end;
	}
	return false;
}

static bool multipart_sdp(const struct ifc_request *req, const char **sdp, size_t *len)
{
	char delim[BOUNDARY_MAX + 8] = "--";
	const char *end = req->body + req->body_len, *part, *next;
	size_t dn;

	if (!boundary_of(req->content_type, delim + 2, sizeof delim - 2))
		return false;
	dn = strlen(delim);
	part = find(req->body, end, delim, dn);
	while (part) {
		part += dn;
		if (end - part >= 2 && part[0] == '-' && part[1] == '-')
			return false; /* close-delimiter */
		next = find(part, end, delim, dn);
		/* the CRLF before the next delimiter belongs to it (RFC 2046 5.1.1) */
		if (sdp_part(part, next ? next : end, sdp, len)) {
			while (*len && (sdp[0][*len - 1] == '\n' || sdp[0][*len - 1] == '\r'))
				(*len)--;
			return true;
		}
		part = next;
	}
	return false;
}

bool ifc_body_sdp(const struct ifc_request *req, const char **sdp, size_t *len)
{
	if (!req->body || !req->body_len || !req->content_type)
		return false;
	if (media_is(req->content_type, "application/sdp")) {
		*sdp = req->body;
		*len = req->body_len;
		return true;
	}
	return media_is(req->content_type, "multipart/mixed") ||
	       media_is(req->content_type, "multipart/related") ||
	       media_is(req->content_type, "multipart/alternative") ?
		       multipart_sdp(req, sdp, len) : false;
}
