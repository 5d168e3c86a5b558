/* ims-icscf: placeholder main until the daemon skeleton lands. */
#include <stddef.h>

#include "ims/daemon.h"
#include "ims/log.h"

struct icscf_config {
	struct ims_log_config log;
};

static const struct cfg_field icscf_schema[] = {
	{ .key = "log", .type = CFG_TABLE, .offset = offsetof(struct icscf_config, log), .sub = ims_log_schema },
	CFG_FIELD_END
};

static int icscf_start(struct ims_daemon *d, void *cfg)
{
	(void)d;
	(void)cfg;
	return 0;
}

static const struct ims_daemon_spec icscf_spec = {
	.name = "ims-icscf",
	.summary = "IMS icscf",
	.default_config = "/etc/ims/icscf.yaml",
	.schema = icscf_schema,
	.config_size = sizeof(struct icscf_config),
	.log_offset = offsetof(struct icscf_config, log),
	.start = icscf_start,
};

int main(int argc, char **argv)
{
	return ims_daemon_main(&icscf_spec, argc, argv);
}
