/* I-CSCF configuration schema (the one table: keys, types, defaults, help). */
#include <stddef.h>

#include "icscf.h"

const struct cfg_field icscf_schema[] = {
	{ .key = "log", .type = CFG_TABLE, .offset = offsetof(struct icscf_config, log),
	  .sub = ims_log_schema, .help = "logging" },
	{ .key = "sip", .type = CFG_TABLE, .offset = offsetof(struct icscf_config, sip),
	  .sub = sipagent_schema, .help = "SIP listener (default port 5060)" },
	{ .key = "diameter", .type = CFG_TABLE, .offset = offsetof(struct icscf_config, diameter), .sub = dia_schema, .help = "Cx client (Diameter)" },
	CFG_FIELD_END
};
