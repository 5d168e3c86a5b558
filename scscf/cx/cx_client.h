/*
 * cx_client: the S-CSCF side of Cx (TS 29.228 6.1.2 / 6.3, TS 29.229 6.1.3,
 * 6.1.7): building MAR and SAR, reading MAA and SAA, and the one mapping of
 * a Cx outcome to a SIP status (cx_to_sip.c).
 *
 * Building needs dia_start() (dictionary); parsing works on any answer.
 * Ownership: *out messages belong to the caller (send them through
 * dia_bridge_send, which takes them). Pointers read from an answer stay
 * owned by it. Returns 0 or -errno (-ENOENT = AVP absent, -EBADMSG = AVP
 * malformed).
 */
#ifndef SCSCF_CX_CLIENT_H
#define SCSCF_CX_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ims/cx.h"
#include "ims/diameter.h"
#include "ims/digest.h"

struct cxc_dest {
	const char *realm;  /* Destination-Realm (the HSS's) */
	const char *host;   /* Destination-Host, NULL to route by realm */
};

/* MAR (TS 29.229 6.1.7): User-Name, Public-Identity, Server-Name,
 * SIP-Number-Auth-Items 1, SIP-Auth-Data-Item {scheme[, SIP-Authorization
 * = RAND||AUTS for a resync]}. */
struct cxc_mar {
	const char *impi, *impu, *server_name;
	const char *scheme;           /* CX_AUTH_SCHEME_AKAV1_MD5 or _SIP_DIGEST */
	const uint8_t *resync;        /* RAND||AUTS (30 octets) or NULL */
	size_t resync_len;
};
int cxc_mar_build(const struct cxc_dest *dst, const struct cxc_mar *m, struct msg **out);

/* The first SIP-Auth-Data-Item of an MAA. */
struct cxc_auth_item {
	bool aka;
	uint8_t rand[DIGEST_AKA_RAND_LEN], autn[DIGEST_AKA_AUTN_LEN];
	uint8_t xres[DIGEST_AKA_RES_MAX];
	size_t xres_len;
	uint8_t ck[16], ik[16];
	bool has_keys;
	char ha1[DIGEST_HEX_MAX];     /* SIP Digest: lowercase hex */
	char realm[256];              /* Digest-Realm, "" when absent */
};
int cxc_maa_parse(struct msg *maa, struct cxc_auth_item *item);

/* SAR (TS 29.229 6.1.3): User-Name (when impi), Public-Identity, Server-Name,
 * Server-Assignment-Type, User-Data-Already-Available. */
struct cxc_sar {
	const char *impi;             /* may be NULL */
	const char *impu;
	const char *server_name;
	enum cx_server_assignment_type type;
	bool data_available;
};
int cxc_sar_build(const struct cxc_dest *dst, const struct cxc_sar *s, struct msg **out);

/* The User-Data (IMSSubscription XML) of an SAA; -ENOENT when absent. */
int cxc_saa_user_data(struct msg *saa, const char **xml, size_t *len);

/* ---- cx_to_sip.c ---- */

/* The SIP outcome of a Cx exchange. status 0 means the Cx command
 * succeeded (2xxx); otherwise the final SIP response to send, with a
 * Retry-After in seconds when retry_after > 0. */
struct cx_sip_outcome {
	int status;
	const char *phrase;
	unsigned retry_after;
	uint32_t code;           /* the Diameter code seen (0: none) */
	bool experimental;
};

/* err: the bridge's error (0, -ETIMEDOUT, ...); ans: the answer or NULL.
 * The ONE place where Diameter results become SIP statuses
 * (TS 29.228 6.1.2, 6.2; TS 24.229 5.4.1.2.1). */
void cx_to_sip(int err, struct msg *ans, struct cx_sip_outcome *out);

#endif
