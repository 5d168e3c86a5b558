/*
 * dia_log: routes freeDiameter's log lines into log.h.
 *
 * freeDiameter hands every line (DEBUG included, whatever fd_g_debug_lvl
 * says) to the registered handler, from any of its threads. Levels:
 * ANNOYING/DEBUG -> debug (dropped unless our level is debug), NOTICE ->
 * notice, ERROR -> err, FATAL -> err, except the FATAL "Initiating
 * freeDiameter shutdown sequence" of a normal stop, which is notice.
 * A peer's malformed message or an unroutable request is not our error:
 * freeDiameter's "Parsing error: ... for the following message" and
 * "Routing error: ..." lines become one warning, the message dump that
 * follows them (lines starting with a space, same thread) and the dump of
 * the error answer ("Returning following message...") go to debug,
 * the "Conflicting rule" explanation is a warning and the CHECK_FCT trace
 * "ERROR: in '(...)' : Bad message" is debug.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "dia_internal.h"
#include "ims/log.h"

static atomic_bool g_routed;
static atomic_bool g_stopping;
/* This thread is inside the dump of a message freeDiameter rejected. */
static __thread bool tl_in_dump;

void dia_log_set_stopping(bool stopping)
{
	atomic_store(&g_stopping, stopping);
}

static bool starts(const char *line, const char *prefix)
{
	return strncmp(line, prefix, strlen(prefix)) == 0;
}

/* Peer-caused errors: see the top of the file. 0 = not one of them. */
static enum ims_log_level peer_error_level(const char *line)
{
	if (tl_in_dump && line[0] == ' ')
		return IMS_LOG_DEBUG;
	tl_in_dump = false;
	if ((starts(line, "Parsing error: ") || starts(line, "Routing error: "))
	    && strstr(line, "for the following message")) {
		tl_in_dump = true;
		return IMS_LOG_WARN;
	}
	if (starts(line, "Returning following message after parsing error")) {
		tl_in_dump = true;   /* our 5005 answer: the warning said it all */
		return IMS_LOG_DEBUG;
	}
	if (starts(line, "Conflicting rule: "))
		return IMS_LOG_WARN;
	if (starts(line, "ERROR: in '(") && strstr(line, "Bad message"))
		return IMS_LOG_DEBUG;
	return 0;
}

static enum ims_log_level map_level(int fd_level, const char *line)
{
	enum ims_log_level peer;

	if (fd_level >= FD_LOG_ERROR && fd_level < FD_LOG_FATAL &&
	    (peer = peer_error_level(line)) != 0)
		return peer;
	if (fd_level <= FD_LOG_DEBUG)
		return IMS_LOG_DEBUG;
	if (fd_level < FD_LOG_NOTICE)
		return IMS_LOG_INFO;
	if (fd_level < FD_LOG_ERROR)
		return IMS_LOG_NOTICE;
	if (fd_level >= FD_LOG_FATAL &&
	    (atomic_load(&g_stopping) || strstr(line, "shutdown sequence")))
		return IMS_LOG_NOTICE;
	return IMS_LOG_ERR;
}

__attribute__((format(printf, 2, 0)))
static void fd_logger(int fd_level, const char *format, va_list args)
{
	char line[1024];
	enum ims_log_level level;
	size_t n;

	/* Cheap drop of debug before formatting. */
	if (fd_level <= FD_LOG_DEBUG && !ims_log_enabled(IMS_LOG_DEBUG))
		return;
	vsnprintf(line, sizeof line, format, args);
	n = strlen(line);
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	level = map_level(fd_level, line);
	if (ims_log_enabled(level))
		ims_log(level, "freeDiameter: %s", line);
}

int dia_log_route(void)
{
	int ret;

	if (atomic_exchange(&g_routed, true))
		return 0;
	ret = fd_log_handler_register(fd_logger);
	if (ret != 0)
		atomic_store(&g_routed, false);
	return dia_neg(ret);
}
