/* ims-scscf: the S-CSCF daemon (registrar and session control). */
#include <stddef.h>

#include "scscf.h"

static const struct ims_daemon_spec scscf_spec = {
	.name = "ims-scscf",
	.summary = "IMS S-CSCF: registrar and session control",
	.default_config = "/etc/ims/scscf.yaml",
	.schema = scscf_schema,
	.config_size = sizeof(struct scscf_config),
	.log_offset = offsetof(struct scscf_config, log),
	.start = scscf_start,
	.reload = scscf_reload,
	.stop = scscf_stop,
};

int main(int argc, char **argv)
{
	return ims_daemon_main(&scscf_spec, argc, argv);
}
