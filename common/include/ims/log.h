/*
 * log: one line per event, levels with syslog meaning, journald-friendly.
 *
 * Output goes to stderr. When stderr is the journal (JOURNAL_STREAM names
 * stderr's device:inode) each line starts with the sd-daemon priority prefix
 * "<N>" and carries no timestamp (the journal adds one); otherwise a line is
 * "YYYY-mm-ddTHH:MM:SS.mmm LEVEL [tag] message".
 * The library logs of sofia-sip and freeDiameter are routed here by the
 * sip and diameter modules (see sip.h, diameter.h).
 *
 * Thread rules: ims_log*() may be called from any thread; each line is
 * written with one write(2). ims_log_init()/ims_log_reopen() are called by
 * the daemon module on the main thread.
 * Never log secrets (K, OPc, CK, IK, passwords, HA1).
 */
#ifndef IMS_LOG_H
#define IMS_LOG_H

#include <stdarg.h>
#include <stdbool.h>

#include "ims/config.h"

enum ims_log_level {
	IMS_LOG_ERR = 3,
	IMS_LOG_WARN = 4,
	IMS_LOG_NOTICE = 5,
	IMS_LOG_INFO = 6,
	IMS_LOG_DEBUG = 7,
};

/* Config section "log:" shared by every daemon (see ims_log_schema). */
struct ims_log_config {
	int level;        /* enum ims_log_level, given by name in YAML */
	char *file;       /* optional: append to this file instead of stderr */
};

/* Schema for the "log:" section; names: err, warn, notice, info, debug. */
extern const struct cfg_field ims_log_schema[];

/* tag names the daemon ("ims-scscf"). Returns 0 or -errno (file open). */
int ims_log_init(const char *tag, const struct ims_log_config *cfg);
/* Re-open the log file (SIGHUP, after logrotate); no-op on stderr. */
int ims_log_reopen(void);
void ims_log_set_level(enum ims_log_level level);
bool ims_log_enabled(enum ims_log_level level);
/* Parse "err".."debug" (also syslog numbers 3..7); -1 if unknown. */
int ims_log_level_parse(const char *name);

void ims_log(enum ims_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void ims_vlog(enum ims_log_level level, const char *fmt, va_list ap);

#define log_err(...)    ims_log(IMS_LOG_ERR, __VA_ARGS__)
#define log_warn(...)   ims_log(IMS_LOG_WARN, __VA_ARGS__)
#define log_notice(...) ims_log(IMS_LOG_NOTICE, __VA_ARGS__)
#define log_info(...)   ims_log(IMS_LOG_INFO, __VA_ARGS__)
#define log_debug(...)  do { if (ims_log_enabled(IMS_LOG_DEBUG)) ims_log(IMS_LOG_DEBUG, __VA_ARGS__); } while (0)

#endif
