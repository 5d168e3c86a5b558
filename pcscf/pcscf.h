/*
 * P-CSCF (the Gm edge facing UEs): configuration and life cycle.
 * pcscf_schema describes the YAML file; pcscf_start/pcscf_stop are the
 * daemon callbacks (see ims/daemon.h). Everything runs on the loop thread.
 */
#ifndef PCSCF_H
#define PCSCF_H

#include "ims/config.h"

#include "ims/daemon.h"
#include "ims/log.h"
#include "ims/sipagent.h"

struct pcscf_config {
	struct ims_log_config log;
	struct sipagent_config sip;

};

extern const struct cfg_field pcscf_schema[];

int pcscf_start(struct ims_daemon *d, void *cfg);
void pcscf_stop(struct ims_daemon *d);

#endif
