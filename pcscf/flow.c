/* flow: see flow.h for the contract. */
#include "flow.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <sofia-sip/msg_addr.h>
#include <sofia-sip/su.h>

static const char *proto_name(enum flow_proto p)
{
	return p == FLOW_TLS ? "tls" : p == FLOW_TCP ? "tcp" : "udp";
}

int flow_make(struct flow *out, enum flow_proto proto, const char *ip, uint16_t port)
{
	struct in6_addr a6;
	struct in_addr a4;

	if (!out || !ip || port == 0 || strlen(ip) >= sizeof out->ip)
		return -EINVAL;
	if (inet_pton(AF_INET, ip, &a4) != 1 && inet_pton(AF_INET6, ip, &a6) != 1)
		return -EINVAL;
	memset(out, 0, sizeof *out);
	out->proto = proto;
	snprintf(out->ip, sizeof out->ip, "%s", ip);
	out->port = port;
	return 0;
}

int flow_from_msg(msg_t *msg, struct flow *out)
{
	su_addrinfo_t *ai = msg ? msg_addrinfo(msg) : NULL;
	const struct sockaddr *sa;
	char ip[INET6_ADDRSTRLEN];
	uint16_t port;

	if (!ai || !ai->ai_addr)
		return -EINVAL;
	sa = (const struct sockaddr *)ai->ai_addr;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;

		inet_ntop(AF_INET, &s4->sin_addr, ip, sizeof ip);
		port = ntohs(s4->sin_port);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;

		inet_ntop(AF_INET6, &s6->sin6_addr, ip, sizeof ip);
		port = ntohs(s6->sin6_port);
	} else {
		return -EAFNOSUPPORT;
	}
	return flow_make(out, ai->ai_protocol == IPPROTO_TCP ? FLOW_TCP : FLOW_UDP, ip, port);
}

bool flow_equal(const struct flow *a, const struct flow *b)
{
	return a->proto == b->proto && a->port == b->port && strcmp(a->ip, b->ip) == 0;
}

static const char hexdig[] = "0123456789abcdef";

int flow_key_init(struct flow_key *key)
{
	return RAND_bytes(key->k, sizeof key->k) == 1 ? 0 : -EIO;
}

static int mac(const struct flow_key *key, const char *plain, size_t n,
	       unsigned char out[FLOW_MAC_LEN])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (!HMAC(EVP_sha256(), key->k, sizeof key->k, (const unsigned char *)plain, n, md,
		  &mdlen) || mdlen < FLOW_MAC_LEN)
		return -EIO;
	memcpy(out, md, FLOW_MAC_LEN);
	return 0;
}

static size_t put_hex(char *buf, const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		buf[2 * i] = hexdig[b[i] >> 4];
		buf[2 * i + 1] = hexdig[b[i] & 15];
	}
	return 2 * n;
}

/* Token = prefix + hex("proto/ip/port") + "." + hex(mac): no characters a
 * SIP user part would need escaped, decodable without state. */
int flow_token(const struct flow_key *key, const struct flow *f, char *buf, size_t len)
{
	unsigned char m[FLOW_MAC_LEN];
	char plain[80];
	size_t n, o = sizeof FLOW_TOKEN_PREFIX - 1;
	int w = snprintf(plain, sizeof plain, "%s/%s/%u", proto_name(f->proto), f->ip, f->port);

	if (w < 0 || (size_t)w >= sizeof plain)
		return -ENOSPC;
	n = (size_t)w;
	if (len < o + 2 * n + 1 + 2 * FLOW_MAC_LEN + 1)
		return -ENOSPC;
	if (mac(key, plain, n, m) < 0)
		return -EIO;
	memcpy(buf, FLOW_TOKEN_PREFIX, o);
	o += put_hex(buf + o, (const unsigned char *)plain, n);
	buf[o++] = '.';
	o += put_hex(buf + o, m, FLOW_MAC_LEN);
	buf[o] = '\0';
	return 0;
}

static int unhex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* n hex digits at s into out (n/2 bytes); -EINVAL on a bad digit. */
static int get_hex(const char *s, size_t n, unsigned char *out)
{
	for (size_t i = 0; i < n / 2; i++) {
		int hi = unhex(s[2 * i]), lo = unhex(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

/* "proto/ip/port" into a flow. */
static int parse_plain(const char *plain, struct flow *out)
{
	const char *s1 = strchr(plain, '/'), *s2 = s1 ? strrchr(plain, '/') : NULL;
	char proto[4], ip[48];
	unsigned long port;
	char *end;

	if (!s1 || s2 == s1 || (size_t)(s1 - plain) >= sizeof proto ||
	    (size_t)(s2 - s1 - 1) >= sizeof ip)
		return -EINVAL;
	memcpy(proto, plain, (size_t)(s1 - plain));
	proto[s1 - plain] = '\0';
	memcpy(ip, s1 + 1, (size_t)(s2 - s1 - 1));
	ip[s2 - s1 - 1] = '\0';
	errno = 0;
	port = strtoul(s2 + 1, &end, 10);
	if (errno || *end || end == s2 + 1 || port == 0 || port > 65535)
		return -EINVAL;
	if (strcmp(proto, "udp") && strcmp(proto, "tcp") && strcmp(proto, "tls"))
		return -EINVAL;
	return flow_make(out, strcmp(proto, "tls") == 0   ? FLOW_TLS
			      : strcmp(proto, "tcp") == 0 ? FLOW_TCP
							  : FLOW_UDP,
			 ip, (uint16_t)port);
}

int flow_from_token(const struct flow_key *key, const char *token, struct flow *out)
{
	size_t plen = sizeof FLOW_TOKEN_PREFIX - 1, n;
	unsigned char want[FLOW_MAC_LEN], got[FLOW_MAC_LEN];
	char plain[80];
	const char *dot;

	if (!token || strncmp(token, FLOW_TOKEN_PREFIX, plen) != 0)
		return -EINVAL;
	token += plen;
	dot = strchr(token, '.');
	if (!dot || strlen(dot + 1) != 2 * FLOW_MAC_LEN)
		return -EINVAL;
	n = (size_t)(dot - token);
	if (n == 0 || n % 2 || n / 2 >= sizeof plain)
		return -EINVAL;
	if (get_hex(token, n, (unsigned char *)plain) < 0 ||
	    get_hex(dot + 1, 2 * FLOW_MAC_LEN, got) < 0)
		return -EINVAL;
	plain[n / 2] = '\0';
	if (strlen(plain) != n / 2)     /* an embedded NUL */
		return -EINVAL;
	if (mac(key, plain, n / 2, want) < 0 || CRYPTO_memcmp(want, got, FLOW_MAC_LEN) != 0)
		return -EPERM;
	return parse_plain(plain, out);
}

int flow_uri(const struct flow *f, char *buf, size_t len)
{
	bool v6 = strchr(f->ip, ':') != NULL;
	int w = snprintf(buf, len, "sip:%s%s%s:%u;transport=%s", v6 ? "[" : "", f->ip,
			 v6 ? "]" : "", f->port, proto_name(f->proto));

	return w < 0 || (size_t)w >= len ? -ENOSPC : 0;
}

const char *flow_str(const struct flow *f, char *buf, size_t len)
{
	snprintf(buf, len, "%s:%s:%u", proto_name(f->proto), f->ip, f->port);
	return buf;
}
