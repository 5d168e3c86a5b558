/* ims-pcscf: placeholder main until the daemon skeleton lands. */
#include <stddef.h>

#include "ims/daemon.h"
#include "ims/log.h"

struct pcscf_config {
	struct ims_log_config log;
};

static const struct cfg_field pcscf_schema[] = {
	{ .key = "log", .type = CFG_TABLE, .offset = offsetof(struct pcscf_config, log), .sub = ims_log_schema },
	CFG_FIELD_END
};

static int pcscf_start(struct ims_daemon *d, void *cfg)
{
	(void)d;
	(void)cfg;
	return 0;
}

static const struct ims_daemon_spec pcscf_spec = {
	.name = "ims-pcscf",
	.summary = "IMS pcscf",
	.default_config = "/etc/ims/pcscf.yaml",
	.schema = pcscf_schema,
	.config_size = sizeof(struct pcscf_config),
	.log_offset = offsetof(struct pcscf_config, log),
	.start = pcscf_start,
};

int main(int argc, char **argv)
{
	return ims_daemon_main(&pcscf_spec, argc, argv);
}
