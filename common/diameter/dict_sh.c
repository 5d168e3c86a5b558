/*
 * dict_sh: the Sh dictionary as data (TS 29.329 V15.2.0 clause 6).
 *
 * 702 is named "User-Data-29.329" as in freeDiameter's dict_dcca_3gpp,
 * because "User-Data" is the Cx AVP 606. Interpreted by dia_dict.c.
 */
#include "dia_internal.h"

#define V3 DIA_VENDOR_3GPP

static const struct dia_enum_def e_dref[] = { /* 6.3.4 */
	{ 0, "RepositoryData" }, { 10, "IMSPublicIdentity" }, { 11, "IMSUserState" },
	{ 12, "S-CSCFName" }, { 13, "InitialFilterCriteria" }, { 14, "LocationInformation" },
	{ 15, "UserState" }, { 16, "ChargingInformation" }, { 17, "MSISDN" },
	{ 18, "PSIActivation" }, { 19, "DSAI" }, { 20, "Reserved" },
	{ 21, "ServiceLevelTraceInfo" }, { 22, "IPAddressSecureBindingInformation" },
	{ 23, "ServicePriorityLevel" }, { 24, "SMSRegistrationInfo" },
	{ 25, "UEReachabilityForIP" }, { 26, "TADSinformation" }, { 27, "STN-SR" },
	{ 28, "UE-SRVCC-Capability" }, { 29, "ExtendedPriority" }, { 30, "CSRN" },
	{ 31, "ReferenceLocationInformation" }, { 32, "IMSI" },
	{ 33, "IMSPrivateUserIdentity" }, { 34, "IMEISV" },
	{ 35, "UE-5G-SRVCC-Capability" }, { 0, NULL },
};
static const struct dia_enum_def e_subs[] = { { 0, "Subscribe" }, { 1, "Unsubscribe" }, { 0, NULL } };
static const struct dia_enum_def e_domain[] = { { 0, "CS-Domain" }, { 1, "PS-Domain" }, { 0, NULL } };
static const struct dia_enum_def e_curloc[] = {
	{ 0, "DoNotNeedInitiateActiveLocationRetrieval" },
	{ 1, "InitiateActiveLocationRetrieval" }, { 0, NULL },
};
static const struct dia_enum_def e_idset[] = {
	{ 0, "ALL_IDENTITIES" }, { 1, "REGISTERED_IDENTITIES" },
	{ 2, "IMPLICIT_IDENTITIES" }, { 3, "ALIAS_IDENTITIES" }, { 0, NULL },
};
static const struct dia_enum_def e_sdi[] = {
	{ 0, "USER_DATA_NOT_REQUESTED" }, { 1, "USER_DATA_REQUESTED" }, { 0, NULL },
};
static const struct dia_enum_def e_otn[] = { { 0, "ONE_TIME_NOTIFICATION_REQUESTED" }, { 0, NULL } };
static const struct dia_enum_def e_sni[] = { { 0, "ONLY_SERVING_NODES_REQUIRED" }, { 0, NULL } };
static const struct dia_enum_def e_prepaging[] = {
	{ 0, "PREPAGING_NOT_SUPPORTED" }, { 1, "PREPAGING_SUPPORTED" }, { 0, NULL },
};
static const struct dia_enum_def e_ltz[] = {
	{ 0, "ONLY_LOCAL_TIME_ZONE_REQUESTED" },
	{ 1, "LOCAL_TIME_ZONE_WITH_LOCATION_INFO_REQUESTED" }, { 0, NULL },
};

static const struct dia_avp_def sh_avps[] = {
	{ 700, V3, "User-Identity", DT_GROUPED, DF_MV, NULL },
	{ 701, V3, "MSISDN", DT_OCTETS, DF_MV, NULL },
	{ 702, V3, "User-Data-29.329", DT_OCTETS, DF_MV, NULL },
	{ 703, V3, "Data-Reference", DT_ENUM, DF_MV, e_dref },
	{ 704, V3, "Service-Indication", DT_OCTETS, DF_MV, NULL },
	{ 705, V3, "Subs-Req-Type", DT_ENUM, DF_MV, e_subs },
	{ 706, V3, "Requested-Domain", DT_ENUM, DF_MV, e_domain },
	{ 707, V3, "Current-Location", DT_ENUM, DF_MV, e_curloc },
	{ 708, V3, "Identity-Set", DT_ENUM, DF_V, e_idset },
	{ 709, V3, "Expiry-Time", DT_TIME, DF_V, NULL },
	{ 710, V3, "Send-Data-Indication", DT_ENUM, DF_V, e_sdi },
	{ 711, V3, "DSAI-Tag", DT_OCTETS, DF_MV, NULL },
	{ 712, V3, "One-Time-Notification", DT_ENUM, DF_V, e_otn },
	{ 713, V3, "Requested-Nodes", DT_U32, DF_V, NULL },
	{ 714, V3, "Serving-Node-Indication", DT_ENUM, DF_V, e_sni },
	{ 715, V3, "Repository-Data-ID", DT_GROUPED, DF_V, NULL },
	{ 716, V3, "Sequence-Number", DT_U32, DF_V, NULL },
	{ 717, V3, "Pre-paging-Supported", DT_ENUM, DF_V, e_prepaging },
	{ 718, V3, "Local-Time-Zone-Indication", DT_ENUM, DF_V, e_ltz },
	{ 719, V3, "UDR-Flags", DT_U32, DF_V, NULL },
	{ 720, V3, "Call-Reference-Info", DT_GROUPED, DF_V, NULL },
	{ 721, V3, "Call-Reference-Number", DT_OCTETS, DF_V, NULL },
	{ 722, V3, "AS-Number", DT_OCTETS, DF_V, NULL },
	{ 0, 0, NULL, 0, 0, NULL },
};

static const struct dia_rule_def g_user_identity[] = { /* 6.3.1 */
	OPT(CX_AVP_PUBLIC_IDENTITY), OPT(701), RULE_END,
};
static const struct dia_rule_def g_repository_data_id[] = { /* 6.3.24 */
	REQ(704), REQ(716), RULE_END,
};
static const struct dia_rule_def g_call_reference_info[] = { /* 6.3.29 */
	REQ(721), REQ(722), RULE_END,
};

static const struct dia_group_def sh_groups[] = {
	{ 700, V3, g_user_identity },
	{ 715, V3, g_repository_data_id },
	{ 720, V3, g_call_reference_info },
	{ 0, 0, NULL },
};

/* Command grammars, clause 6.1.1 - 6.1.8. */
static const struct dia_rule_def udr[] = {
	DIA_REQ_HEAD, OPT(DIA_AVP_DESTINATION_HOST), REQ(700), OPT(634), OPT(636),
	OPT(602), OPTN(704), REQN(703), OPTN(708), OPT(706), OPT(707), OPTN(711),
	OPT(650), OPT(DIA_AVP_USER_NAME), OPT(713), OPT(714), OPT(717), OPT(718),
	OPT(719), OPT(720), RULE_END,
};
static const struct dia_rule_def uda[] = {
	DIA_ANS_HEAD, OPT(634), OPT(636), OPT(702), RULE_END,
};
static const struct dia_rule_def pur[] = {
	DIA_REQ_HEAD, OPT(DIA_AVP_DESTINATION_HOST), REQ(700), OPT(634), OPT(636),
	OPT(DIA_AVP_USER_NAME), REQ(703), REQ(702), RULE_END,
};
static const struct dia_rule_def pua[] = {
	DIA_ANS_HEAD, OPT(634), OPT(636), OPT(715), OPT(703), RULE_END,
};
static const struct dia_rule_def snr[] = {
	DIA_REQ_HEAD, OPT(DIA_AVP_DESTINATION_HOST), REQ(700), OPT(634), OPT(636),
	OPTN(704), OPT(710), OPT(602), REQ(705), REQN(703), OPTN(708), OPT(709),
	OPTN(711), OPT(712), OPT(DIA_AVP_USER_NAME), RULE_END,
};
static const struct dia_rule_def sna[] = {
	DIA_ANS_HEAD, OPT(634), OPT(636), OPT(702), OPT(709), RULE_END,
};
static const struct dia_rule_def pnr[] = {
	DIA_REQ_HEAD, REQ(DIA_AVP_DESTINATION_HOST), REQ(700), OPT(634), OPT(636),
	OPT(DIA_AVP_USER_NAME), REQ(702), RULE_END,
};
static const struct dia_rule_def pna[] = {
	DIA_ANS_HEAD, RULE_END,
};

static const struct dia_cmd_def sh_cmds[] = {
	{ SH_CMD_UDR, DIA_APP_SH, "3GPP/User-Data-Request", "3GPP/User-Data-Answer", udr, uda },
	{ SH_CMD_PUR, DIA_APP_SH, "3GPP/Profile-Update-Request", "3GPP/Profile-Update-Answer", pur, pua },
	{ SH_CMD_SNR, DIA_APP_SH, "3GPP/Subscribe-Notifications-Request", "3GPP/Subscribe-Notifications-Answer", snr, sna },
	{ SH_CMD_PNR, DIA_APP_SH, "3GPP/Push-Notification-Request", "3GPP/Push-Notification-Answer", pnr, pna },
	{ 0, 0, NULL, NULL, NULL, NULL },
};

const struct dia_table dia_table_sh = { sh_avps, sh_groups, sh_cmds };
