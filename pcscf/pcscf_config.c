/* P-CSCF configuration schema (the one table: keys, types, defaults, help). */
#include <stddef.h>

#include "pcscf.h"

const struct cfg_field pcscf_schema[] = {
	{ .key = "log", .type = CFG_TABLE, .offset = offsetof(struct pcscf_config, log),
	  .sub = ims_log_schema, .help = "logging" },
	{ .key = "sip", .type = CFG_TABLE, .offset = offsetof(struct pcscf_config, sip),
	  .sub = sipagent_schema, .help = "SIP listener (default port 4060)" },
	{ .key = "home_network", .type = CFG_STR,
	  .offset = offsetof(struct pcscf_config, home_network), .def = "open-ims.test",
	  .check = cfg_check_host, .help = "home network domain (orig-ioi of P-Charging-Vector)" },
	{ .key = "icscf", .type = CFG_STR, .offset = offsetof(struct pcscf_config, icscf),
	  .def = "sip:127.0.0.1:5060", .check = cfg_check_sip_uri,
	  .help = "next hop for REGISTER: the I-CSCF of the home network" },
	{ .key = "visited_network_id", .type = CFG_STR,
	  .offset = offsetof(struct pcscf_config, visited_network_id), .def = "open-ims.test",
	  .help = "P-Visited-Network-ID value put in REGISTER (TS 24.229 5.2.2.1)" },
	{ .key = "max_registrations", .type = CFG_INT,
	  .offset = offsetof(struct pcscf_config, max_registrations), .def = "10000",
	  .min = 1, .max = 1000000, .help = "registered UE flows kept at most" },
	{ .key = "reg_event", .type = CFG_BOOL, .offset = offsetof(struct pcscf_config, reg_event),
	  .def = "false",
	  .help = "after a registration, SUBSCRIBE to its reg event at the S-CSCF (TS 24.229 5.2.3); "
		  "needs an S-CSCF that serves the reg event package" },
	CFG_FIELD_END
};
