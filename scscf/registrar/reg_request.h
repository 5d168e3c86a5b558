/*
 * reg_request: what the registrar needs from a REGISTER, read once
 * (TS 24.229 5.4.1.2, RFC 3261 10.3, RFC 3327):
 * the IMPU (To URI, canonical), the IMPI (Authorization username, or derived
 * from the IMPU), the credentials for our realm, the contact changes with
 * their expiry, Path, and the integrity-protected flag of the P-CSCF.
 *
 * Ownership: strings point into the msg_t or are allocated from its home;
 * valid while the message lives. Thread rules: the loop thread.
 */
#ifndef SCSCF_REG_REQUEST_H
#define SCSCF_REG_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sofia-sip/msg.h>
#include <sofia-sip/sip.h>

#include "ims/sip.h"

#include "reg_store.h"

#define REG_URI_MAX 256
#define REG_MAX_BINDINGS 32 /* Contact values in one REGISTER */

struct reg_policy {
	const char *realm;
	const char *const *domains;   /* served domains; n_domains 0 = realm only */
	size_t n_domains;
	int64_t default_expires, min_expires, max_expires;
};

struct reg_req {
	char impu[REG_URI_MAX];
	char impi[REG_URI_MAX];
	bool has_cr;                   /* credentials for our realm */
	bool has_response;             /* ... with a nonce and a response */
	struct sip_auth_credentials cr;
	bool integrity_protected;      /* "yes", "tls-yes", "ip-assoc-yes" */
	struct reg_binding b[REG_MAX_BINDINGS];
	size_t n_b;
	bool remove_all;               /* Contact: * with Expires: 0 */
	bool query;                    /* no Contact at all */
	bool deregister;               /* every binding has expires 0 */
	const char *path;              /* joined Path values, or NULL */
	const char *call_id;
	uint32_t cseq;
};

/* Canonical form of an IMPU: "sip:user@host[:port]" (no parameters) or
 * "tel:number". 0, -EINVAL (other schemes), -ENOSPC. */
int reg_uri_canon(const url_t *url, char *out, size_t cap);

/* Fill q from a REGISTER. Returns 0 or the SIP status to answer:
 * 400 (bad Contact/Expires), 404 (domain not served), 423 (expiry below
 * min; the caller adds Min-Expires), 403 (too many Contact values).
 * *phrase gets the reason phrase. */
int reg_request_parse(const struct reg_policy *pol, msg_t *msg, const sip_t *sip,
		      struct reg_req *q, const char **phrase);

#endif
