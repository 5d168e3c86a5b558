/* ims-hss: placeholder main until the daemon skeleton lands. */
#include <stddef.h>

#include "ims/daemon.h"
#include "ims/log.h"

struct hss_config {
	struct ims_log_config log;
};

static const struct cfg_field hss_schema[] = {
	{ .key = "log", .type = CFG_TABLE, .offset = offsetof(struct hss_config, log), .sub = ims_log_schema },
	CFG_FIELD_END
};

static int hss_start(struct ims_daemon *d, void *cfg)
{
	(void)d;
	(void)cfg;
	return 0;
}

static const struct ims_daemon_spec hss_spec = {
	.name = "ims-hss",
	.summary = "IMS hss",
	.default_config = "/etc/ims/hss.yaml",
	.schema = hss_schema,
	.config_size = sizeof(struct hss_config),
	.log_offset = offsetof(struct hss_config, log),
	.start = hss_start,
};

int main(int argc, char **argv)
{
	return ims_daemon_main(&hss_spec, argc, argv);
}
