/* ims-pcscf: the P-CSCF daemon (the Gm edge facing UEs). */
#include <stddef.h>

#include "pcscf.h"

static const struct ims_daemon_spec pcscf_spec = {
	.name = "ims-pcscf",
	.summary = "IMS P-CSCF: the Gm edge facing UEs",
	.default_config = "/etc/ims/pcscf.yaml",
	.schema = pcscf_schema,
	.config_size = sizeof(struct pcscf_config),
	.log_offset = offsetof(struct pcscf_config, log),
	.start = pcscf_start,
	.stop = pcscf_stop,
};

int main(int argc, char **argv)
{
	return ims_daemon_main(&pcscf_spec, argc, argv);
}
