/* charging: see charging.h for the contract. */
#include "charging.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ims/sip.h"

#include "pcscf.h"

void chg_icid_init(struct chg_icid *g, const char *node, uint64_t start, uint32_t salt)
{
	uint32_t h = 2166136261u;

	for (const char *p = node ? node : ""; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	snprintf(g->prefix, sizeof g->prefix, "%08" PRIx32 "%08" PRIx32 "%08" PRIx32, h,
		 (uint32_t)start, salt);
	g->counter = 0;
}

int chg_icid_next(struct chg_icid *g, char *buf, size_t len)
{
	int w = snprintf(buf, len, "%s%016" PRIx64, g->prefix, ++g->counter);

	return w < 0 || (size_t)w >= len ? -ENOSPC : 0;
}

int chg_set_vector(msg_t *msg, struct chg_icid *g, const char *generated_at,
		   const char *orig_ioi)
{
	char icid[CHG_ICID_LEN];
	struct sip_charging_vector pcv = { .icid_value = icid,
					   .icid_generated_at = generated_at,
					   .orig_ioi = orig_ioi };
	int rc = chg_icid_next(g, icid, sizeof icid);

	if (rc < 0)
		return rc;
	pcscf_remove_header(msg, "P-Charging-Vector");
	return sip_hdr_add_charging_vector(msg, &pcv);
}
