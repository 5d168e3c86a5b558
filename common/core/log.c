/* log: see ims/log.h for the contract. */
#include "ims/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *const level_names[] = {
	"emerg", "alert", "crit", "err", "warn", "notice", "info", "debug", NULL
};

const struct cfg_field ims_log_schema[] = {
	{ .key = "level", .type = CFG_ENUM, .offset = offsetof(struct ims_log_config, level),
	  .def = "notice", .enum_names = level_names,
	  .help = "lowest level written: err, warn, notice, info or debug" },
	{ .key = "file", .type = CFG_STR, .offset = offsetof(struct ims_log_config, file),
	  .help = "append to this file instead of stderr (re-opened on SIGHUP)" },
	CFG_FIELD_END
};

/* The logger is process-wide by nature (stderr is); the state is the few
 * values below, written on the main thread before other threads start and
 * read atomically afterwards. */
static _Atomic int log_level = IMS_LOG_NOTICE;
static _Atomic int log_fd = STDERR_FILENO;
static _Atomic bool log_journal;
static char log_tag[32] = "ims";
static char *log_path;

static bool stderr_is_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	struct stat st;
	unsigned long long dev, ino;

	if (!js || sscanf(js, "%llu:%llu", &dev, &ino) != 2)
		return false;
	if (fstat(STDERR_FILENO, &st) < 0)
		return false;
	return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

int ims_log_level_parse(const char *name)
{
	if (!name)
		return -1;
	if (name[0] >= '0' && name[0] <= '7' && name[1] == '\0')
		return name[0] - '0';
	for (int i = 0; level_names[i]; i++)
		if (strcasecmp(name, level_names[i]) == 0)
			return i;
	if (strcasecmp(name, "error") == 0)
		return IMS_LOG_ERR;
	if (strcasecmp(name, "warning") == 0)
		return IMS_LOG_WARN;
	return -1;
}

static int open_log_file(const char *path)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);

	return fd < 0 ? -errno : fd;
}

int ims_log_init(const char *tag, const struct ims_log_config *cfg)
{
	snprintf(log_tag, sizeof log_tag, "%s", tag ? tag : "ims");
	if (cfg) {
		atomic_store(&log_level, cfg->level);
		if (cfg->file && cfg->file[0]) {
			int fd = open_log_file(cfg->file);

			if (fd < 0)
				return fd;
			free(log_path);
			log_path = strdup(cfg->file);
			if (!log_path) {
				close(fd);
				return -ENOMEM;
			}
			atomic_store(&log_fd, fd);
			atomic_store(&log_journal, false);
			return 0;
		}
	}
	atomic_store(&log_journal, stderr_is_journal());
	return 0;
}

int ims_log_reopen(void)
{
	int fd, old;

	if (!log_path)
		return 0;
	fd = open_log_file(log_path);
	if (fd < 0)
		return fd;
	old = atomic_exchange(&log_fd, fd);
	if (old != STDERR_FILENO)
		close(old);
	return 0;
}

void ims_log_set_level(enum ims_log_level level)
{
	atomic_store(&log_level, (int)level);
}

bool ims_log_enabled(enum ims_log_level level)
{
	return (int)level <= atomic_load(&log_level);
}

static const char *level_label(int level)
{
	static const char *const labels[] = {
		"EMERG", "ALERT", "CRIT", "ERROR", "WARN", "NOTICE", "INFO", "DEBUG"
	};
	return labels[level & 7];
}

void ims_vlog(enum ims_log_level level, const char *fmt, va_list ap)
{
	char line[2048];
	size_t n = 0;
	int r;

	if (!ims_log_enabled(level))
		return;
	if (atomic_load(&log_journal)) {
		r = snprintf(line, sizeof line, "<%d>", (int)level & 7);
	} else {
		struct timespec ts;
		struct tm tm;

		clock_gettime(CLOCK_REALTIME, &ts);
		gmtime_r(&ts.tv_sec, &tm);
		r = snprintf(line, sizeof line, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %-6s [%s] ",
			     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
			     tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000, level_label(level), log_tag);
	}
	if (r > 0)
		n = (size_t)r < sizeof line ? (size_t)r : sizeof line - 1;
	r = vsnprintf(line + n, sizeof line - n - 1, fmt, ap);
	if (r > 0)
		n += (size_t)r < sizeof line - n - 1 ? (size_t)r : sizeof line - n - 2;
	/* One event, one line: fold embedded newlines and drop trailing ones. */
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	for (size_t i = 0; i < n; i++)
		if (line[i] == '\n' || line[i] == '\r')
			line[i] = ' ';
	line[n++] = '\n';
	if (write(atomic_load(&log_fd), line, n) < 0) {
		/* Nowhere left to report it. */
	}
}

void ims_log(enum ims_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ims_vlog(level, fmt, ap);
	va_end(ap);
}
