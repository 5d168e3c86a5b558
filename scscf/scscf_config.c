/* S-CSCF configuration schema (the one table: keys, types, defaults, help). */
#include <stddef.h>

#include "scscf.h"

const struct cfg_field scscf_schema[] = {
	{ .key = "log", .type = CFG_TABLE, .offset = offsetof(struct scscf_config, log),
	  .sub = ims_log_schema, .help = "logging" },
	{ .key = "sip", .type = CFG_TABLE, .offset = offsetof(struct scscf_config, sip),
	  .sub = sipagent_schema, .help = "SIP listener (default port 6060)" },
	{ .key = "diameter", .type = CFG_TABLE, .offset = offsetof(struct scscf_config, diameter), .sub = dia_schema, .help = "Cx client (Diameter)" },
	CFG_FIELD_END
};
