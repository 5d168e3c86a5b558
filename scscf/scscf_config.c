/* S-CSCF configuration schema (the one table: keys, types, defaults, help). */
#include <stddef.h>

#include "scscf.h"

#define RC(f) offsetof(struct scscf_registrar_config, f)

static const struct cfg_field registrar_schema[] = {
	{ .key = "server_name", .type = CFG_STR, .offset = RC(server_name), .check = cfg_check_sip_uri,
	  .help = "our SIP URI sent as Server-Name in MAR/SAR (default sip:<sip advertise or address:port>)" },
	{ .key = "realm", .type = CFG_STR, .offset = RC(realm), .check = cfg_check_host,
	  .help = "digest realm of challenges, the home domain (default: diameter.realm)" },
	{ .key = "domains", .type = CFG_STR_LIST, .offset = RC(domains),
	  .help = "domains registered here; REGISTER for others gets 404 (default: the realm)" },
	{ .key = "hss_realm", .type = CFG_STR, .offset = RC(hss_realm), .check = cfg_check_host,
	  .help = "Destination-Realm of MAR/SAR (default: diameter.realm)" },
	{ .key = "hss_host", .type = CFG_STR, .offset = RC(hss_host), .check = cfg_check_host,
	  .help = "Destination-Host of MAR/SAR (default: route by realm)" },
	{ .key = "default_expires", .type = CFG_INT, .offset = RC(default_expires), .def = "3600",
	  .min = 1, .max = 31536000, .help = "binding lifetime when the REGISTER gives none, seconds" },
	{ .key = "min_expires", .type = CFG_INT, .offset = RC(min_expires), .def = "60",
	  .min = 1, .max = 31536000, .help = "shortest binding accepted (423 below), seconds" },
	{ .key = "max_expires", .type = CFG_INT, .offset = RC(max_expires), .def = "7200",
	  .min = 1, .max = 31536000, .help = "longest binding granted (longer is lowered), seconds" },
	{ .key = "max_contacts", .type = CFG_INT, .offset = RC(max_contacts), .def = "10",
	  .min = 1, .max = 1000, .help = "contacts per implicit registration set (403 beyond)" },
	{ .key = "challenge_timeout", .type = CFG_DURATION, .offset = RC(challenge_timeout),
	  .def = "30s", .min = 1000, .max = 3600000,
	  .help = "how long a 401 challenge waits for its answer" },
	{ .key = "max_challenges", .type = CFG_INT, .offset = RC(max_challenges), .def = "100000",
	  .min = 1, .max = 10000000, .help = "challenges pending at once (503 beyond)" },
	{ .key = "cx_timeout", .type = CFG_DURATION, .offset = RC(cx_timeout), .def = "5s",
	  .min = 100, .max = 60000, .help = "wait for an MAA/SAA before answering 504" },
	{ .key = "reauth_protected", .type = CFG_BOOL, .offset = RC(reauth_protected),
	  .def = "false",
	  .help = "challenge integrity-protected re-registrations too (TS 24.229 5.4.1.2.1)" },
	CFG_FIELD_END
};

const struct cfg_field scscf_schema[] = {
	{ .key = "log", .type = CFG_TABLE, .offset = offsetof(struct scscf_config, log),
	  .sub = ims_log_schema, .help = "logging" },
	{ .key = "sip", .type = CFG_TABLE, .offset = offsetof(struct scscf_config, sip),
	  .sub = sipagent_schema, .help = "SIP listener (default port 6060)" },
	{ .key = "diameter", .type = CFG_TABLE, .offset = offsetof(struct scscf_config, diameter),
	  .sub = dia_schema, .help = "Cx client (Diameter)" },
	{ .key = "registrar", .type = CFG_TABLE, .offset = offsetof(struct scscf_config, registrar),
	  .sub = registrar_schema, .help = "registrar (TS 24.229 5.4.1)" },
	CFG_FIELD_END
};
