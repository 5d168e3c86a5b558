/*
 * S-CSCF (registrar and session control): configuration and life cycle.
 * scscf_schema describes the YAML file; scscf_start/scscf_stop are the
 * daemon callbacks (see ims/daemon.h). Everything runs on the loop thread.
 */
#ifndef SCSCF_H
#define SCSCF_H

#include "ims/config.h"
#include "ims/diameter.h"
#include "ims/daemon.h"
#include "ims/log.h"
#include "ims/sipagent.h"

struct scscf_config {
	struct ims_log_config log;
	struct sipagent_config sip;
	struct dia_config diameter;
};

extern const struct cfg_field scscf_schema[];

int scscf_start(struct ims_daemon *d, void *cfg);
void scscf_stop(struct ims_daemon *d);

#endif
