/*
 * ifc_header: SIP header names compared as the iFC SIPHeader SPT needs
 * (TS 29.228 B.2.2: Header names the header; SIP names are case-insensitive
 * and have compact forms, RFC 3261 7.3.1, 7.3.3 and later RFCs).
 */
#include "ifc_internal.h"

#include <ctype.h>
#include <string.h>

static const char *const compact[26] = {
	['a' - 'a'] = "accept-contact",      /* RFC 3841 */
	['b' - 'a'] = "referred-by",         /* RFC 3892 */
	['c' - 'a'] = "content-type",
	['d' - 'a'] = "request-disposition", /* RFC 3841 */
	['e' - 'a'] = "content-encoding",
	['f' - 'a'] = "from",
	['i' - 'a'] = "call-id",
	['j' - 'a'] = "reject-contact",      /* RFC 3841 */
	['k' - 'a'] = "supported",
	['l' - 'a'] = "content-length",
	['m' - 'a'] = "contact",
	['n' - 'a'] = "identity-info",       /* RFC 4474 */
	['o' - 'a'] = "event",               /* RFC 6665 */
	['r' - 'a'] = "refer-to",            /* RFC 3515 */
	['s' - 'a'] = "subject",
	['t' - 'a'] = "to",
	['u' - 'a'] = "allow-events",        /* RFC 6665 */
	['v' - 'a'] = "via",
	['x' - 'a'] = "session-expires",     /* RFC 4028 */
	['y' - 'a'] = "identity",            /* RFC 4474 */
};

const char *ifc_header_canon(const char *name, char *buf, size_t size)
{
	size_t len = strlen(name);
	int c0 = tolower((unsigned char)name[0]);

	if (len == 1 && c0 >= 'a' && c0 <= 'z' && compact[c0 - 'a']) {
		name = compact[c0 - 'a'];
		len = strlen(name);
	}
	if (len == 0 || len >= size)
		return NULL;
	for (size_t i = 0; i < len; i++)
		buf[i] = (char)tolower((unsigned char)name[i]);
	buf[len] = '\0';
	return buf;
}
