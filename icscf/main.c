/* ims-icscf: the I-CSCF daemon (entry of the home network). */
#include <stddef.h>

#include "icscf.h"

static const struct ims_daemon_spec icscf_spec = {
	.name = "ims-icscf",
	.summary = "IMS I-CSCF: entry of the home network",
	.default_config = "/etc/ims/icscf.yaml",
	.schema = icscf_schema,
	.config_size = sizeof(struct icscf_config),
	.log_offset = offsetof(struct icscf_config, log),
	.start = icscf_start,
	.reload = icscf_reload,
	.stop = icscf_stop,
};

int main(int argc, char **argv)
{
	return ims_daemon_main(&icscf_spec, argc, argv);
}
