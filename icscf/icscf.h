/*
 * I-CSCF (entry of the home network): configuration and life cycle.
 * icscf_schema describes the YAML file; icscf_start/icscf_stop are the
 * daemon callbacks (see ims/daemon.h). Everything runs on the loop thread.
 */
#ifndef ICSCF_H
#define ICSCF_H

#include "ims/config.h"
#include "ims/diameter.h"
#include "ims/daemon.h"
#include "ims/log.h"
#include "ims/sipagent.h"

struct icscf_config {
	struct ims_log_config log;
	struct sipagent_config sip;
	struct dia_config diameter;
};

extern const struct cfg_field icscf_schema[];

int icscf_start(struct ims_daemon *d, void *cfg);
void icscf_stop(struct ims_daemon *d);

#endif
