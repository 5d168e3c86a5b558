/*
 * Ready-made value checks for CFG_STR fields (struct cfg_field.check).
 * Each returns 0 when the value is acceptable, else -EINVAL and a short
 * reason in why (the loader adds the position and key path).
 */
#include "cfg_internal.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <strings.h>

static int reject(char *why, size_t whylen, const char *reason)
{
	if (why && whylen)
		snprintf(why, whylen, "%s", reason);
	return -EINVAL;
}

static bool is_ip(const char *s)
{
	unsigned char buf[sizeof(struct in6_addr)];

	return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

int cfg_check_ip(const char *value, char *why, size_t whylen)
{
	if (value && is_ip(value))
		return 0;
	return reject(why, whylen, "not an IPv4 or IPv6 address");
}

/* RFC 1123 2.1 host name: dot-separated labels of letters, digits and
 * hyphens, 1..63 characters, no hyphen at either end, 253 characters in all
 * (one trailing dot allowed). The last label must not be all digits
 * (RFC 3696 2), so "10.0.0.300" is not taken for a name. */
static bool is_dns_name(const char *s, size_t len)
{
	size_t label = 0;
	bool digits_only = true;

	if (len && s[len - 1] == '.')
		len--;
	if (len == 0 || len > 253)
		return false;
	for (size_t i = 0; i <= len; i++) {
		char ch = i < len ? s[i] : '.';

		if (ch == '.') {
			if (label == 0 || label > 63 || s[i - 1] == '-')
				return false;
			if (i == len && digits_only)
				return false;
			label = 0;
			digits_only = true;
			continue;
		}
		if (!isalnum((unsigned char)ch) && ch != '-')
			return false;
		if (label == 0 && ch == '-')
			return false;
		if (!isdigit((unsigned char)ch))
			digits_only = false;
		label++;
	}
	return true;
}

/* An IP literal (IPv6 optionally in brackets) or a DNS name, len bytes. */
static bool is_host(const char *s, size_t len)
{
	char buf[256];

	if (len == 0 || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (buf[0] == '[' && buf[len - 1] == ']') {
		unsigned char a[sizeof(struct in6_addr)];

		buf[len - 1] = '\0';
		return inet_pton(AF_INET6, buf + 1, a) == 1;
	}
	return is_ip(buf) || is_dns_name(buf, len);
}

int cfg_check_host(const char *value, char *why, size_t whylen)
{
	if (value && is_host(value, strlen(value)))
		return 0;
	return reject(why, whylen, "not an IP address or host name");
}

/* RFC 3261 19.1.1: sip:[user[:password]@]host[:port][;params][?headers].
 * Checked: the scheme, no whitespace or control characters, a valid host,
 * a port of 1..65535 when present. Parameters are not checked. */
int cfg_check_sip_uri(const char *value, char *why, size_t whylen)
{
	const char *p, *host, *end;
	size_t skip;

	if (!value)
		return reject(why, whylen, "empty SIP URI");
	if (strncasecmp(value, "sip:", 4) == 0)
		skip = 4;
	else if (strncasecmp(value, "sips:", 5) == 0)
		skip = 5;
	else
		return reject(why, whylen, "a SIP URI starts with sip: or sips:");
	for (p = value; *p; p++)
		if (isspace((unsigned char)*p) || iscntrl((unsigned char)*p))
			return reject(why, whylen, "whitespace in SIP URI");
	host = value + skip;
	/* userinfo ends at '@', which cannot appear unescaped in params. */
	end = host + strcspn(host, ";?");
	for (p = host; p < end; p++)
		if (*p == '@')
			host = p + 1;
	if (*host == '[') {
		end = strchr(host, ']');
		end = end ? end + 1 : host + strlen(host);
	} else {
		end = host + strcspn(host, ":;?");
	}
	if (end == host)
		return reject(why, whylen, "SIP URI without a host");
	if (!is_host(host, (size_t)(end - host)))
		return reject(why, whylen, "SIP URI with an invalid host");
	if (*end == ':') {
		unsigned long port = 0;
		size_t nd = 0;

		for (p = end + 1; isdigit((unsigned char)*p) && nd < 6; p++, nd++)
			port = port * 10 + (unsigned long)(*p - '0');
		if (nd == 0 || port < 1 || port > 65535 || (*p && *p != ';' && *p != '?'))
			return reject(why, whylen, "SIP URI with an invalid port");
	} else if (*end && *end != ';' && *end != '?') {
		return reject(why, whylen, "SIP URI with an invalid host");
	}
	return 0;
}
