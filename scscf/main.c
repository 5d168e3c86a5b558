/* ims-scscf: placeholder main until the daemon skeleton lands. */
#include <stddef.h>

#include "ims/daemon.h"
#include "ims/log.h"

struct scscf_config {
	struct ims_log_config log;
};

static const struct cfg_field scscf_schema[] = {
	{ .key = "log", .type = CFG_TABLE, .offset = offsetof(struct scscf_config, log), .sub = ims_log_schema },
	CFG_FIELD_END
};

static int scscf_start(struct ims_daemon *d, void *cfg)
{
	(void)d;
	(void)cfg;
	return 0;
}

static const struct ims_daemon_spec scscf_spec = {
	.name = "ims-scscf",
	.summary = "IMS scscf",
	.default_config = "/etc/ims/scscf.yaml",
	.schema = scscf_schema,
	.config_size = sizeof(struct scscf_config),
	.log_offset = offsetof(struct scscf_config, log),
	.start = scscf_start,
};

int main(int argc, char **argv)
{
	return ims_daemon_main(&scscf_spec, argc, argv);
}
