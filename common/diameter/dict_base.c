/*
 * dict_base: non-3GPP AVPs that appear inside Cx messages but are not in
 * freeDiameter's base dictionary (RFC 7155 Framed-*, RFC 4590 Digest-*,
 * ETSI Line-Identifier). Same names, types and flags as freeDiameter's
 * dict_nasreq / dict_sip so loading those later is harmless.
 * A peer may send them with the M bit: without a definition freeDiameter
 * would answer 5001 AVP_UNSUPPORTED on our behalf.
 */
#include "dia_internal.h"

static const struct dia_avp_def base_avps[] = {
	{ DIA_AVP_FRAMED_IP_ADDRESS, 0, "Framed-IP-Address", DT_OCTETS, DF_M, NULL },
	{ DIA_AVP_FRAMED_INTERFACE_ID, 0, "Framed-Interface-Id", DT_U64, DF_M, NULL },
	{ DIA_AVP_FRAMED_IPV6_PREFIX, 0, "Framed-IPv6-Prefix", DT_OCTETS, DF_M, NULL },
	{ DIA_AVP_DIGEST_REALM, 0, "Digest-Realm", DT_UTF8, DF_M, NULL },
	{ DIA_AVP_DIGEST_QOP, 0, "Digest-QoP", DT_UTF8, DF_M, NULL },
	{ DIA_AVP_DIGEST_ALGORITHM, 0, "Digest-Algorithm", DT_UTF8, DF_M, NULL },
	{ DIA_AVP_DIGEST_HA1, 0, "Digest-HA1", DT_UTF8, DF_M, NULL },
	/* ETSI ES 283 034: vendor-specific, M not required of receivers */
	{ DIA_ETSI_AVP_LINE_IDENTIFIER, DIA_VENDOR_ETSI, "Line-Identifier", DT_OCTETS, DF_V, NULL },
	{ 0, 0, NULL, 0, 0, NULL },
};

static const struct dia_group_def base_groups[] = { { 0, 0, NULL } };
static const struct dia_cmd_def base_cmds[] = { { 0, 0, NULL, NULL, NULL, NULL } };

const struct dia_table dia_table_base = { base_avps, base_groups, base_cmds };
