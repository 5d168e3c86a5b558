/*
 * flow: the transport address a UE's request really came from (RFC 5626
 * "flow": transport, source IP, source port), read from the received
 * message rather than from Via/Contact, so it is NAT friendly (TS 24.229
 * 5.2.2.1: the P-CSCF sends to the UE where its REGISTER came from).
 *
 * A flow is also written into our Path URI as a token
 * (sip:<token>@pcscf;lr), so a terminating request that comes back with
 * that Route tells which flow to use. The token carries an HMAC-SHA-256
 * (truncated to 80 bits) under a key made at start-up, so nobody can forge
 * a token naming another UE's address (a UE sees only its own, in the
 * Path of its 200 OK). Pure functions, no allocation.
 */
#ifndef PCSCF_FLOW_H
#define PCSCF_FLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sofia-sip/msg.h>

enum flow_proto { FLOW_UDP = 0, FLOW_TCP = 1, FLOW_TLS = 2 };

struct flow {
	enum flow_proto proto;
	char ip[48];   /* textual IPv4 or IPv6 (no brackets) */
	uint16_t port;
};

#define FLOW_TOKEN_PREFIX "flow-"
#define FLOW_TOKEN_MAX 192
#define FLOW_KEY_LEN 32
#define FLOW_MAC_LEN 10

struct flow_key {
	unsigned char k[FLOW_KEY_LEN];
};

/* A fresh random key (OpenSSL RAND_bytes). 0 or -EIO. */
int flow_key_init(struct flow_key *key);

/* The flow msg was received on (msg_addrinfo). 0, -EINVAL, -EAFNOSUPPORT. */
int flow_from_msg(msg_t *msg, struct flow *out);
/* Fill a flow from parts (tests, config). 0 or -EINVAL. */
int flow_make(struct flow *out, enum flow_proto proto, const char *ip, uint16_t port);
bool flow_equal(const struct flow *a, const struct flow *b);
/* "flow-<hex>.<hex mac>" token for a Path user part. 0 or -ENOSPC. */
int flow_token(const struct flow_key *key, const struct flow *f, char *buf, size_t len);
/* Token back to a flow; -EINVAL when it is malformed, -EPERM when its MAC
 * is not ours (forged, or made before a restart). */
int flow_from_token(const struct flow_key *key, const char *token, struct flow *out);
/* "sip:ip:port;transport=udp" to send to this flow. 0 or -ENOSPC. */
int flow_uri(const struct flow *f, char *buf, size_t len);
/* "udp:ip:port" for log lines. */
const char *flow_str(const struct flow *f, char *buf, size_t len);

#endif
