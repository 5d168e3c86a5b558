/*
 * dict_cx: the Cx/Dx dictionary as data (TS 29.229 V15.2.0 clause 6).
 *
 * Names, types and flags follow the spec AVP table (clause 6.3) and the
 * names of freeDiameter's dict_dcca_3gpp, so loading that extension too is
 * harmless. Command grammars: clause 6.1.1 - 6.1.12. Interpreted by dia_dict.c.
 */
#include "dia_internal.h"

#define V3 DIA_VENDOR_3GPP

static const struct dia_enum_def e_sat[] = { /* 6.3.15 */
	{ 0, "NO_ASSIGNMENT" }, { 1, "REGISTRATION" }, { 2, "RE_REGISTRATION" },
	{ 3, "UNREGISTERED_USER" }, { 4, "TIMEOUT_DEREGISTRATION" },
	{ 5, "USER_DEREGISTRATION" }, { 6, "TIMEOUT_DEREGISTRATION_STORE_SERVER_NAME" },
	{ 7, "USER_DEREGISTRATION_STORE_SERVER_NAME" }, { 8, "ADMINISTRATIVE_DEREGISTRATION" },
	{ 9, "AUTHENTICATION_FAILURE" }, { 10, "AUTHENTICATION_TIMEOUT" },
	{ 11, "DEREGISTRATION_TOO_MUCH_DATA" }, { 12, "AAA_USER_DATA_REQUEST" },
	{ 13, "PGW_UPDATE" }, { 14, "RESTORATION" }, { 0, NULL },
};
static const struct dia_enum_def e_reason[] = { /* 6.3.17 */
	{ 0, "PERMANENT_TERMINATION" }, { 1, "NEW_SERVER_ASSIGNED" },
	{ 2, "SERVER_CHANGE" }, { 3, "REMOVE_S-CSCF" }, { 0, NULL },
};
static const struct dia_enum_def e_uat[] = { /* 6.3.24 */
	{ 0, "REGISTRATION" }, { 1, "DE_REGISTRATION" },
	{ 2, "REGISTRATION_AND_CAPABILITIES" }, { 0, NULL },
};
static const struct dia_enum_def e_udaa[] = { /* 6.3.26 */
	{ 0, "USER_DATA_NOT_AVAILABLE" }, { 1, "USER_DATA_ALREADY_AVAILABLE" }, { 0, NULL },
};
static const struct dia_enum_def e_udrt[] = { /* obsolete 627 */
	{ 0, "COMPLETE_PROFILE" }, { 1, "REGISTERED_PROFILE" },
	{ 2, "UNREGISTERED_PROFILE" }, { 0, NULL },
};
static const struct dia_enum_def e_orig[] = { { 0, "ORIGINATING" }, { 0, NULL } };
static const struct dia_enum_def e_lri[] = {
	{ 0, "LOOSE_ROUTE_NOT_REQUIRED" }, { 1, "LOOSE_ROUTE_REQUIRED" }, { 0, NULL },
};
static const struct dia_enum_def e_mri[] = {
	{ 0, "NOT_MULTIPLE_REGISTRATION" }, { 1, "MULTIPLE_REGISTRATION" }, { 0, NULL },
};
static const struct dia_enum_def e_prio[] = {
	{ 0, "PRIORITY-0" }, { 1, "PRIORITY-1" }, { 2, "PRIORITY-2" },
	{ 3, "PRIORITY-3" }, { 4, "PRIORITY-4" }, { 0, NULL },
};
static const struct dia_enum_def e_psi[] = {
	{ 0, "NOT_PRIVILEDGED_SENDER" }, { 1, "PRIVILEDGED_SENDER" }, { 0, NULL },
};

static const struct dia_avp_def cx_avps[] = {
	{ 600, V3, "Visited-Network-Identifier", DT_OCTETS, DF_MV, NULL },
	{ 601, V3, "Public-Identity", DT_UTF8, DF_MV, NULL },
	{ 602, V3, "Server-Name", DT_UTF8, DF_MV, NULL },
	{ 603, V3, "Server-Capabilities", DT_GROUPED, DF_MV, NULL },
	{ 604, V3, "Mandatory-Capability", DT_U32, DF_MV, NULL },
	{ 605, V3, "Optional-Capability", DT_U32, DF_MV, NULL },
	{ 606, V3, "User-Data", DT_OCTETS, DF_MV, NULL },
	{ 607, V3, "SIP-Number-Auth-Items", DT_U32, DF_MV, NULL },
	{ 608, V3, "SIP-Authentication-Scheme", DT_UTF8, DF_MV, NULL },
	{ 609, V3, "SIP-Authenticate", DT_OCTETS, DF_MV, NULL },
	{ 610, V3, "SIP-Authorization", DT_OCTETS, DF_MV, NULL },
	{ 611, V3, "SIP-Authentication-Context", DT_OCTETS, DF_MV, NULL },
	{ 612, V3, "SIP-Auth-Data-Item", DT_GROUPED, DF_MV, NULL },
	{ 613, V3, "SIP-Item-Number", DT_U32, DF_MV, NULL },
	{ 614, V3, "Server-Assignment-Type", DT_ENUM, DF_MV, e_sat },
	{ 615, V3, "Deregistration-Reason", DT_GROUPED, DF_MV, NULL },
	{ 616, V3, "Reason-Code", DT_ENUM, DF_MV, e_reason },
	{ 617, V3, "Reason-Info", DT_UTF8, DF_MV, NULL },
	{ 618, V3, "Charging-Information", DT_GROUPED, DF_MV, NULL },
	{ 619, V3, "Primary-Event-Charging-Function-Name", DT_URI, DF_MV, NULL },
	{ 620, V3, "Secondary-Event-Charging-Function-Name", DT_URI, DF_MV, NULL },
	{ 621, V3, "Primary-Charging-Collection-Function-Name", DT_URI, DF_MV, NULL },
	{ 622, V3, "Secondary-Charging-Collection-Function-Name", DT_URI, DF_MV, NULL },
	{ 623, V3, "User-Authorization-Type", DT_ENUM, DF_MV, e_uat },
	{ 624, V3, "User-Data-Already-Available", DT_ENUM, DF_MV, e_udaa },
	{ 625, V3, "Confidentiality-Key", DT_OCTETS, DF_MV, NULL },
	{ 626, V3, "Integrity-Key", DT_OCTETS, DF_MV, NULL },
	{ 627, V3, "User-Data-Request-Type", DT_ENUM, DF_MV, e_udrt },
	{ 628, V3, "Supported-Features", DT_GROUPED, DF_V_MMAY, NULL },
	{ 629, V3, "Feature-List-ID", DT_U32, DF_V, NULL },
	{ 630, V3, "Feature-List", DT_U32, DF_V, NULL },
	{ 631, V3, "Supported-Applications", DT_GROUPED, DF_V, NULL },
	{ 632, V3, "Associated-Identities", DT_GROUPED, DF_V, NULL },
	{ 633, V3, "Originating-Request", DT_ENUM, DF_MV, e_orig },
	{ 634, V3, "Wildcarded-Public-Identity", DT_UTF8, DF_V, NULL },
	{ 635, V3, "SIP-Digest-Authenticate", DT_GROUPED, DF_V, NULL },
	{ 636, V3, "Wildcarded-IMPU", DT_UTF8, DF_V, NULL },
	{ 637, V3, "UAR-Flags", DT_U32, DF_V, NULL },
	{ 638, V3, "Loose-Route-Indication", DT_ENUM, DF_V, e_lri },
	{ 639, V3, "SCSCF-Restoration-Info", DT_GROUPED, DF_V, NULL },
	{ 640, V3, "Path", DT_OCTETS, DF_V, NULL },
	{ 641, V3, "Contact", DT_OCTETS, DF_V, NULL },
	{ 642, V3, "Subscription-Info", DT_GROUPED, DF_V, NULL },
	{ 643, V3, "Call-ID-SIP-Header", DT_OCTETS, DF_V, NULL },
	{ 644, V3, "From-SIP-Header", DT_OCTETS, DF_V, NULL },
	{ 645, V3, "To-SIP-Header", DT_OCTETS, DF_V, NULL },
	{ 646, V3, "Record-Route", DT_OCTETS, DF_V, NULL },
	{ 647, V3, "Associated-Registered-Identities", DT_GROUPED, DF_V, NULL },
	{ 648, V3, "Multiple-Registration-Indication", DT_ENUM, DF_V, e_mri },
	{ 649, V3, "Restoration-Info", DT_GROUPED, DF_V, NULL },
	{ 650, V3, "Session-Priority", DT_ENUM, DF_V, e_prio },
	{ 651, V3, "Identity-with-Emergency-Registration", DT_GROUPED, DF_V, NULL },
	{ 652, V3, "Priviledged-Sender-Indication", DT_ENUM, DF_V, e_psi },
	{ 653, V3, "LIA-Flags", DT_U32, DF_V, NULL },
	{ 654, V3, "Initial-CSeq-Sequence-Number", DT_U32, DF_V, NULL },
	{ 655, V3, "SAR-Flags", DT_U32, DF_V, NULL },
	{ 656, V3, "Allowed-WAF-WWSF-Identities", DT_GROUPED, DF_V, NULL },
	{ 657, V3, "WebRTC-Authentication-Function-Name", DT_UTF8, DF_V, NULL },
	{ 658, V3, "WebRTC-Web-Server-Function-Name", DT_UTF8, DF_V, NULL },
	{ 659, V3, "RTR-Flags", DT_U32, DF_V, NULL },
	{ 0, 0, NULL, 0, 0, NULL },
};

/* Grouped AVPs, clause 6.3 ("*[ AVP ]" extensions are always allowed). */
static const struct dia_rule_def g_server_capabilities[] = { /* 6.3.4 */
	OPTN(604), OPTN(605), OPTN(602), RULE_END,
};
static const struct dia_rule_def g_sip_auth_data_item[] = { /* 6.3.13 */
	OPT(613), OPT(608), OPT(609), OPT(610), OPT(611), OPT(625), OPT(626),
	OPT(635), OPT(DIA_AVP_FRAMED_IP_ADDRESS), OPT(DIA_AVP_FRAMED_IPV6_PREFIX),
	OPT(DIA_AVP_FRAMED_INTERFACE_ID), RULE_END,
};
static const struct dia_rule_def g_deregistration_reason[] = { /* 6.3.16 */
	REQ(616), OPT(617), RULE_END,
};
static const struct dia_rule_def g_charging_information[] = { /* 6.3.19 */
	OPT(619), OPT(620), OPT(621), OPT(622), RULE_END,
};
static const struct dia_rule_def g_supported_features[] = { /* 6.3.29 */
	REQ(DIA_AVP_VENDOR_ID), REQ(629), REQ(630), RULE_END,
};
static const struct dia_rule_def g_supported_applications[] = { /* 6.3.32 */
	OPTN(DIA_AVP_AUTH_APPLICATION_ID), OPTN(DIA_AVP_ACCT_APPLICATION_ID),
	OPTN(DIA_AVP_VENDOR_SPECIFIC_APPLICATION_ID), RULE_END,
};
static const struct dia_rule_def g_user_names[] = { /* 6.3.33, 6.3.50 */
	OPTN(DIA_AVP_USER_NAME), RULE_END,
};
static const struct dia_rule_def g_sip_digest_authenticate[] = { /* 6.3.36 */
	REQ(DIA_AVP_DIGEST_REALM), OPT(DIA_AVP_DIGEST_ALGORITHM),
	OPT(DIA_AVP_DIGEST_QOP), OPT(DIA_AVP_DIGEST_HA1), RULE_END,
};
static const struct dia_rule_def g_scscf_restoration_info[] = { /* 6.3.46 */
	REQ(DIA_AVP_USER_NAME), REQN(649), OPT(608), RULE_END,
};
static const struct dia_rule_def g_subscription_info[] = { /* 6.3.49 */
	REQ(643), REQ(644), REQ(645), REQ(646), REQ(641), RULE_END,
};
static const struct dia_rule_def g_restoration_info[] = { /* 6.3.52 */
	REQ(640), REQ(641), OPT(654), OPT(643), OPT(642), RULE_END,
};
static const struct dia_rule_def g_emergency_registration[] = { /* 6.3.57 */
	REQ(DIA_AVP_USER_NAME), REQ(601), RULE_END,
};
static const struct dia_rule_def g_allowed_waf_wwsf[] = { /* 6.3.64 */
	OPTN(657), OPTN(658), RULE_END,
};

static const struct dia_group_def cx_groups[] = {
	{ 603, V3, g_server_capabilities },
	{ 612, V3, g_sip_auth_data_item },
	{ 615, V3, g_deregistration_reason },
	{ 618, V3, g_charging_information },
	{ 628, V3, g_supported_features },
	{ 631, V3, g_supported_applications },
	{ 632, V3, g_user_names },
	{ 635, V3, g_sip_digest_authenticate },
	{ 639, V3, g_scscf_restoration_info },
	{ 642, V3, g_subscription_info },
	{ 647, V3, g_user_names },
	{ 649, V3, g_restoration_info },
	{ 651, V3, g_emergency_registration },
	{ 656, V3, g_allowed_waf_wwsf },
	{ 0, 0, NULL },
};

/* Command grammars, clause 6.1 (Destination-Host optional unless noted). */
static const struct dia_rule_def uar[] = { /* 6.1.1 */
	DIA_REQ_HEAD, OPT(DIA_AVP_DESTINATION_HOST), REQ(DIA_AVP_USER_NAME),
	REQ(601), REQ(600), OPT(623), OPT(637), RULE_END,
};
static const struct dia_rule_def uaa[] = { /* 6.1.2 */
	DIA_ANS_HEAD, OPT(602), OPT(603), RULE_END,
};
static const struct dia_rule_def sar[] = { /* 6.1.3 */
	DIA_REQ_HEAD, OPT(DIA_AVP_DESTINATION_HOST), OPT(DIA_AVP_USER_NAME),
	OPTN(601), OPT(634), REQ(602), REQ(614), REQ(624), OPT(639), OPT(648),
	OPT(650), OPT(655), RULE_END,
};
static const struct dia_rule_def saa[] = { /* 6.1.4 */
	DIA_ANS_HEAD, OPT(DIA_AVP_USER_NAME), OPT(606), OPT(618), OPT(632),
	OPT(638), OPTN(639), OPT(647), OPT(602), OPT(634), OPT(652), OPT(656),
	RULE_END,
};
static const struct dia_rule_def lir[] = { /* 6.1.5 */
	DIA_REQ_HEAD, OPT(DIA_AVP_DESTINATION_HOST), OPT(633), REQ(601),
	OPT(623), OPT(650), RULE_END,
};
static const struct dia_rule_def lia[] = { /* 6.1.6 */
	DIA_ANS_HEAD, OPT(602), OPT(603), OPT(634), OPT(653), RULE_END,
};
static const struct dia_rule_def mar[] = { /* 6.1.7 */
	DIA_REQ_HEAD, OPT(DIA_AVP_DESTINATION_HOST), REQ(DIA_AVP_USER_NAME),
	REQ(601), REQ(612), REQ(607), REQ(602), RULE_END,
};
static const struct dia_rule_def maa[] = { /* 6.1.8 */
	DIA_ANS_HEAD, OPT(DIA_AVP_USER_NAME), OPT(601), OPT(607), OPTN(612),
	RULE_END,
};
static const struct dia_rule_def rtr[] = { /* 6.1.9 */
	DIA_REQ_HEAD, REQ(DIA_AVP_DESTINATION_HOST), REQ(DIA_AVP_USER_NAME),
	OPT(632), OPTN(601), REQ(615), OPT(659), RULE_END,
};
static const struct dia_rule_def rta[] = { /* 6.1.10 */
	DIA_ANS_HEAD, OPT(632), OPT(651), RULE_END,
};
static const struct dia_rule_def ppr[] = { /* 6.1.11 */
	DIA_REQ_HEAD, REQ(DIA_AVP_DESTINATION_HOST), REQ(DIA_AVP_USER_NAME),
	OPT(606), OPT(618), OPT(612), OPT(656), RULE_END,
};
static const struct dia_rule_def ppa[] = { /* 6.1.12 */
	DIA_ANS_HEAD, RULE_END,
};

static const struct dia_cmd_def cx_cmds[] = {
	{ CX_CMD_UAR, DIA_APP_CX, "3GPP/User-Authorization-Request", "3GPP/User-Authorization-Answer", uar, uaa },
	{ CX_CMD_SAR, DIA_APP_CX, "3GPP/Server-Assignment-Request", "3GPP/Server-Assignment-Answer", sar, saa },
	{ CX_CMD_LIR, DIA_APP_CX, "3GPP/Location-Info-Request", "3GPP/Location-Info-Answer", lir, lia },
	{ CX_CMD_MAR, DIA_APP_CX, "3GPP/Multimedia-Auth-Request", "3GPP/Multimedia-Auth-Answer", mar, maa },
	{ CX_CMD_RTR, DIA_APP_CX, "3GPP/Registration-Termination-Request", "3GPP/Registration-Termination-Answer", rtr, rta },
	{ CX_CMD_PPR, DIA_APP_CX, "3GPP/Push-Profile-Request", "3GPP/Push-Profile-Answer", ppr, ppa },
	{ 0, 0, NULL, NULL, NULL, NULL },
};

const struct dia_table dia_table_cx = { cx_avps, cx_groups, cx_cmds };
