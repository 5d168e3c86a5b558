/*
 * dia_log: routes freeDiameter's log lines into log.h.
 *
 * freeDiameter hands every line (DEBUG included, whatever fd_g_debug_lvl
 * says) to the registered handler, from any of its threads. Levels:
 * ANNOYING/DEBUG -> debug (dropped unless our level is debug), NOTICE ->
 * notice, ERROR -> err, FATAL -> err, except the FATAL "Initiating
 * freeDiameter shutdown sequence" of a normal stop, which is notice.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "dia_internal.h"
#include "ims/log.h"

static atomic_bool g_routed;
static atomic_bool g_stopping;

void dia_log_set_stopping(bool stopping)
{
	atomic_store(&g_stopping, stopping);
}

static enum ims_log_level map_level(int fd_level, const char *line)
{
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
