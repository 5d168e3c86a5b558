/*
 * daemon: the start-up and shutdown every IMS daemon shares.
 *
 * ims_daemon_main() parses "-c FILE", "--check-config", "--print-config",
 * "--version", "--help"; loads the YAML config through the daemon's schema;
 * blocks SIGTERM/SIGINT/SIGHUP (so threads created later, e.g.
 * freeDiameter's, inherit the mask) and takes them through a signalfd on
 * the daemon's su_root; ignores SIGPIPE; calls spec->start on the loop
 * thread, then sends READY=1 (sd_notify; a no-op outside systemd), pings
 * the watchdog every WATCHDOG_USEC/2 when set, runs the loop until
 * SIGTERM/SIGINT, then sends STOPPING=1 and calls spec->stop.
 * SIGHUP re-opens the log and, when spec->reload is set, loads the config
 * file again and hands the new one to reload (the old one stays if the new
 * one is invalid).
 *
 * Exit status: 0 after a clean stop, 1 on a bad config or failed start,
 * 2 on bad usage.
 * Thread rules: everything here runs on the main thread, which owns the
 * su_root. Other threads reach the loop with su_msg_send (see diameter.h).
 */
#ifndef IMS_DAEMON_H
#define IMS_DAEMON_H

#include <stddef.h>
#include <sofia-sip/su_wait.h>

#include "ims/config.h"

struct ims_daemon;

struct ims_daemon_spec {
	const char *name;              /* "ims-scscf": binary, log tag     */
	const char *summary;           /* one line for --help              */
	const char *default_config;    /* used when -c is not given        */
	const struct cfg_field *schema;
	size_t config_size;            /* sizeof the daemon's config struct */
	/* Offset of the struct ims_log_config inside the config struct. */
	size_t log_offset;
	/* Bring the daemon up; cfg stays valid until stop returns. Return 0 or
	 * -errno (the daemon then exits 1 without READY). */
	int (*start)(struct ims_daemon *d, void *cfg);
	/* Optional: apply a new config on SIGHUP. Return 0 if taken (the
	 * daemon then owns new_cfg and frees the old one); 1 if only some
	 * settings were applied from it (the daemon frees new_cfg and keeps
	 * running on the old one); else -errno. */
	int (*reload)(struct ims_daemon *d, void *new_cfg);
	/* Release what start created; called once, on the loop thread, also
	 * after a failed start (so it must cope with a half-built state). */
	void (*stop)(struct ims_daemon *d);
};

int ims_daemon_main(const struct ims_daemon_spec *spec, int argc, char **argv);

su_root_t *ims_daemon_root(struct ims_daemon *d);
void *ims_daemon_config(struct ims_daemon *d);
/* Per-daemon state set by start (the daemon's own context). */
void ims_daemon_set_context(struct ims_daemon *d, void *ctx);
void *ims_daemon_context(struct ims_daemon *d);
/* STATUS= line for systemctl status; printf-like. */
void ims_daemon_status(struct ims_daemon *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Ask the loop to stop (as SIGTERM would). */
void ims_daemon_shutdown(struct ims_daemon *d);

#endif
