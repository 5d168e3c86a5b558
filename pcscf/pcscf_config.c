/* P-CSCF configuration schema (the one table: keys, types, defaults, help). */
#include <stddef.h>

#include "pcscf.h"

const struct cfg_field pcscf_schema[] = {
	{ .key = "log", .type = CFG_TABLE, .offset = offsetof(struct pcscf_config, log),
	  .sub = ims_log_schema, .help = "logging" },
	{ .key = "sip", .type = CFG_TABLE, .offset = offsetof(struct pcscf_config, sip),
	  .sub = sipagent_schema, .help = "SIP listener (default port 4060)" },

	CFG_FIELD_END
};
