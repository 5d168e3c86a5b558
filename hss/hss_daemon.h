/*
 * hss_daemon: start and stop of ims-hss (the ims_daemon_spec callbacks).
 *
 * start: database library, one store to check the schema version (refuses
 * to start naming the missing migration), Diameter node with Cx and Sh,
 * Cx handlers, the admin queue thread (HSS-initiated RTR/PPR, cx_admin.h).
 * stop: the admin thread (it sends requests), Diameter (no handler or
 * callback runs after it), the admin state, the per-thread stores, then the
 * database library.
 */
#ifndef HSS_DAEMON_H
#define HSS_DAEMON_H

#include "ims/daemon.h"

extern const struct ims_daemon_spec hss_daemon_spec;

#endif
