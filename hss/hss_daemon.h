/*
 * hss_daemon: start and stop of ims-hss (the ims_daemon_spec callbacks).
 *
 * start: database library, one store to check the schema version (refuses
 * to start naming the missing migration), Diameter node with Cx and Sh,
 * Cx handlers. stop: Diameter first (no handler runs after it), then the
 * per-thread stores, then the database library.
 */
#ifndef HSS_DAEMON_H
#define HSS_DAEMON_H

#include "ims/daemon.h"

extern const struct ims_daemon_spec hss_daemon_spec;

#endif
