/*
 * charging: the IMS Charging Identifier the P-CSCF creates for each new
 * transaction/dialog it originates charging for (TS 24.229 5.2.2.1,
 * 5.2.6.3.x: "insert a P-Charging-Vector header field containing the
 * icid-value", RFC 7315 4.6; globally unique across time and space,
 * TS 32.260).
 *
 * icid = <8 hex: hash of node name><8 hex: start time><8 hex: pid and
 * random><16 hex: counter>: unique per node, per run and per call.
 * Thread rules: one generator per thread (loop thread in the daemon).
 */
#ifndef PCSCF_CHARGING_H
#define PCSCF_CHARGING_H

#include <stddef.h>
#include <stdint.h>

#include <sofia-sip/msg.h>

#define CHG_ICID_LEN 41 /* 40 hex + NUL */

struct chg_icid {
	char prefix[25];
	uint64_t counter;
};

/* node: our host:port; start: seconds since the epoch at start-up;
 * salt: anything that differs between runs (pid, random). */
void chg_icid_init(struct chg_icid *g, const char *node, uint64_t start, uint32_t salt);
/* Next icid into buf (>= CHG_ICID_LEN). 0 or -ENOSPC. */
int chg_icid_next(struct chg_icid *g, char *buf, size_t len);
/* Replace any P-Charging-Vector of msg by a fresh one: icid-value,
 * icid-generated-at (may be NULL) and orig-ioi (may be NULL). 0 or -errno. */
int chg_set_vector(msg_t *msg, struct chg_icid *g, const char *generated_at,
		   const char *orig_ioi);

#endif
