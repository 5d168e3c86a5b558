/*
 * sh_permissions: may this AS read, update or subscribe to this
 * Data-Reference (TS 29.328 6.1.1.1, 6.1.2.1, 6.1.3.1: the HSS checks the
 * AS's permission list per Data-Reference)? The list is a bit mask per
 * operation in sh_as (store_sh.h). What the HSS supports at all is a table
 * here: TS 29.328 7.6 allows PUR only on RepositoryData (and its alias
 * form, Data-Reference 20), PSIActivation and DSAI; we keep no CS/PS data.
 */
#include "sh/sh_internal.h"

#include "ims/diameter.h"

#define BIT(n) (UINT64_C(1) << (n))

uint64_t sh_perm_supported(enum sh_op op)
{
	switch (op) {
	case SH_OP_UDR:
		/* 14 LocationInformation and 15 UserState are answered
		 * "not available" rather than refused. */
		return BIT(SH_DREF_REPOSITORY_DATA) | BIT(SH_DREF_IMS_PUBLIC_IDENTITY) |
		       BIT(SH_DREF_IMS_USER_STATE) | BIT(SH_DREF_SCSCF_NAME) |
		       BIT(SH_DREF_INITIAL_FILTER_CRITERIA) | BIT(SH_DREF_LOCATION_INFORMATION) |
		       BIT(SH_DREF_USER_STATE) | BIT(SH_DREF_CHARGING_INFORMATION) |
		       BIT(SH_DREF_MSISDN) | BIT(SH_DREF_PSI_ACTIVATION) | BIT(SH_DREF_DSAI) |
		       BIT(SH_DREF_ALIASES_REPOSITORY_DATA);
	case SH_OP_PUR:
		return BIT(SH_DREF_REPOSITORY_DATA) | BIT(SH_DREF_PSI_ACTIVATION) |
		       BIT(SH_DREF_DSAI) | BIT(SH_DREF_ALIASES_REPOSITORY_DATA);
	case SH_OP_SNR:
		return BIT(SH_DREF_REPOSITORY_DATA) | BIT(SH_DREF_IMS_USER_STATE) |
		       BIT(SH_DREF_SCSCF_NAME) | BIT(SH_DREF_INITIAL_FILTER_CRITERIA) |
		       BIT(SH_DREF_PSI_ACTIVATION) | BIT(SH_DREF_DSAI) |
		       BIT(SH_DREF_ALIASES_REPOSITORY_DATA);
	}
	return 0;
}

struct sh_result sh_perm_check(const struct store_sh_as *as, enum sh_op op, uint32_t dref)
{
	static const uint32_t refused[] = {
		[SH_OP_UDR] = SH_EXP_USER_DATA_CANNOT_BE_READ,
		[SH_OP_PUR] = SH_EXP_USER_DATA_CANNOT_BE_MODIFIED,
		[SH_OP_SNR] = SH_EXP_USER_DATA_CANNOT_BE_NOTIFIED,
	};
	uint64_t allowed;

	if (dref > SH_DREF_UE_5G_SRVCC_CAPABILITY || (dref >= 1 && dref <= 9))
		return SH_BASE(DIA_INVALID_AVP_VALUE);
	switch (op) {
	case SH_OP_UDR: allowed = as->udr_refs; break;
	case SH_OP_PUR: allowed = as->pur_refs; break;
	case SH_OP_SNR: allowed = as->snr_refs; break;
	default: return SH_BASE(DIA_UNABLE_TO_COMPLY);
	}
	if (!(sh_perm_supported(op) & BIT(dref)) || !(allowed & BIT(dref)))
		return SH_EXP(refused[op]);
	return SH_OK;
}
