/* store_sh_perm: Sh permission masks <-> text (see store_sh.h). Names are
 * the Data-Reference names of TS 29.329 6.3.4. */
#include "store_sh.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const dref_names[] = {
	[0] = "RepositoryData",
	[10] = "IMSPublicIdentity",
	[11] = "IMSUserState",
	[12] = "S-CSCFName",
	[13] = "InitialFilterCriteria",
	[14] = "LocationInformation",
	[15] = "UserState",
	[16] = "ChargingInformation",
	[17] = "MSISDN",
	[18] = "PSIActivation",
	[19] = "DSAI",
	[20] = "AliasesRepositoryData",   /* TS 29.329 Rel-9 value 20 */
	[21] = "ServiceLevelTraceInfo",
	[22] = "IPAddressSecureBindingInformation",
	[23] = "ServicePriorityLevel",
	[24] = "SMSRegistrationInfo",
	[25] = "UEReachabilityForIP",
	[26] = "TADSinformation",
	[27] = "STN-SR",
	[28] = "UE-SRVCC-Capability",
	[29] = "ExtendedPriority",
	[30] = "CSRN",
	[31] = "ReferenceLocationInformation",
	[32] = "IMSI",
	[33] = "IMSPrivateUserIdentity",
	[34] = "IMEISV",
	[35] = "UE-5G-SRVCC-Capability",
};
#define N_DREF (sizeof(dref_names) / sizeof(dref_names[0]))

const char *store_sh_dref_name(int dref)
{
	if (dref < 0 || (size_t)dref >= N_DREF)
		return NULL;
	return dref_names[dref];
}

int store_sh_dref_parse(const char *name)
{
	for (size_t i = 0; i < N_DREF; i++) {
		if (dref_names[i] && strcasecmp(name, dref_names[i]) == 0)
			return (int)i;
	}
	return -EINVAL;
}

static uint64_t all_drefs(void)
{
	uint64_t m = 0;

	for (size_t i = 0; i < N_DREF; i++) {
		if (dref_names[i])
			m |= UINT64_C(1) << i;
	}
	return m;
}

/* One "op:Name" item. */
static int perm_item(const char *item, struct store_sh_as *as)
{
	const char *colon = strchr(item, ':');
	uint64_t *mask, bits;
	int dref;

	if (!colon || colon - item != 3)
		return -EINVAL;
	if (strncasecmp(item, "udr", 3) == 0)
		mask = &as->udr_refs;
	else if (strncasecmp(item, "pur", 3) == 0)
		mask = &as->pur_refs;
	else if (strncasecmp(item, "snr", 3) == 0)
		mask = &as->snr_refs;
	else
		return -EINVAL;
	if (strcmp(colon + 1, "*") == 0) {
		bits = all_drefs();
	} else {
		dref = store_sh_dref_parse(colon + 1);
		if (dref < 0)
			return -EINVAL;
		bits = UINT64_C(1) << dref;
	}
	*mask |= bits;
	return 0;
}

int store_sh_perms_parse(const char *list, struct store_sh_as *as, char *why, size_t whylen)
{
	char *copy = strdup(list), *save = NULL, *tok;
	int rc = 0;

	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (perm_item(tok, as) != 0) {
			snprintf(why, whylen, "'%s': want udr|pur|snr:DATA-REFERENCE "
				 "(e.g. udr:RepositoryData, snr:IMSUserState, udr:*)", tok);
			rc = -EINVAL;
			break;
		}
	}
	free(copy);
	return rc;
}

void store_sh_perms_format(const struct store_sh_as *as, char *buf, size_t len)
{
	const struct { const char *op; uint64_t mask; } ops[] = {
		{ "udr", as->udr_refs }, { "pur", as->pur_refs }, { "snr", as->snr_refs },
	};
	size_t used = 0;

	if (len == 0)
		return;
	buf[0] = '\0';
	for (size_t o = 0; o < 3; o++) {
		for (size_t i = 0; i < N_DREF; i++) {
			if (!dref_names[i] || !(ops[o].mask & (UINT64_C(1) << i)))
				continue;
			int n = snprintf(buf + used, len - used, "%s%s:%s", used ? "," : "",
					 ops[o].op, dref_names[i]);
			if (n < 0 || (size_t)n >= len - used)
				return;
			used += (size_t)n;
		}
	}
}
