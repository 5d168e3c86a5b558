/*
 * Internal helpers of the sip module: splitting IMS header values into
 * parameters and list items. All memory comes from the given su_home.
 */
#ifndef IMS_SIP_INTERNAL_H
#define IMS_SIP_INTERNAL_H

#include <stddef.h>

#include <sofia-sip/su_alloc.h>

#include "ims/sip.h"

/* Split s at `sep` outside quoted strings and <...>; items are trimmed of
 * LWS, empty items are dropped. Returns 0, -ENOMEM or -EBADMSG
 * (unterminated quote or <). */
int sipi_split(su_home_t *home, const char *s, char sep, char ***items, size_t *n);

/* Split "a=b; c; d="x"" into parameters (see struct sip_hdr_param).
 * Returns 0, -ENOMEM, -EBADMSG (empty name, bad quoting). */
int sipi_params(su_home_t *home, const char *s, struct sip_hdr_param **out, size_t *n);

/* Copy of s without surrounding quotes and with \-escapes resolved. */
char *sipi_unquote(su_home_t *home, const char *s);

/* All values of unknown header `name`, joined with ", " in order (RFC 3261
 * 7.3.1), or NULL when absent (-ENOENT) / out of memory (*err). */
char *sipi_unknown_join(su_home_t *home, const sip_t *sip, const char *name, int *err);

/* True when s is a non-empty RFC 3261 token. */
int sipi_is_token(const char *s);

/* Copy at most cap-1 bytes of a formatted reason into why (may be NULL). */
void sipi_why(char *why, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
