/* daemon: see ims/daemon.h for the contract. */
#include "ims/daemon.h"

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <sofia-sip/su.h>
#include <sofia-sip/su_wait.h>
#include <libxml/parser.h>
#include <systemd/sd-daemon.h>

#include "ims/log.h"

struct ims_daemon {
	const struct ims_daemon_spec *spec;
	const char *config_path;
	void *cfg;
	void *ctx;
	su_root_t *root;
	su_timer_t *watchdog;
	int sigfd;
	su_wait_t sigwait;
	int sigwait_index;
};

su_root_t *ims_daemon_root(struct ims_daemon *d) { return d->root; }
void *ims_daemon_config(struct ims_daemon *d) { return d->cfg; }
void ims_daemon_set_context(struct ims_daemon *d, void *ctx) { d->ctx = ctx; }
void *ims_daemon_context(struct ims_daemon *d) { return d->ctx; }

void ims_daemon_status(struct ims_daemon *d, const char *fmt, ...)
{
	char status[256];
	va_list ap;

	(void)d;
	va_start(ap, fmt);
	vsnprintf(status, sizeof status, fmt, ap);
	va_end(ap);
	sd_notifyf(0, "STATUS=%s", status);
}

void ims_daemon_shutdown(struct ims_daemon *d)
{
	if (d->root)
		su_root_break(d->root);
}

static struct ims_log_config *log_section(const struct ims_daemon_spec *spec, void *cfg)
{
	return (struct ims_log_config *)((char *)cfg + spec->log_offset);
}

static void *config_load(const struct ims_daemon_spec *spec, const char *path)
{
	struct cfg_error err = { { 0 } };
	void *cfg = calloc(1, spec->config_size);

	if (!cfg) {
		fprintf(stderr, "%s: out of memory\n", spec->name);
		return NULL;
	}
	if (cfg_load_file(path, spec->schema, cfg, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		free(cfg);
		return NULL;
	}
	return cfg;
}

static void config_free(const struct ims_daemon_spec *spec, void *cfg)
{
	if (!cfg)
		return;
	cfg_free(spec->schema, cfg);
	free(cfg);
}

static void reload(struct ims_daemon *d)
{
	void *fresh;
	int rc;

	sd_notify(0, "RELOADING=1");
	rc = ims_log_reopen();
	if (rc < 0)
		log_err("SIGHUP: cannot re-open log file: %s", strerror(-rc));
	if (d->spec->reload) {
		fresh = config_load(d->spec, d->config_path);
		if (!fresh) {
			log_err("SIGHUP: %s is invalid, keeping the running configuration",
				d->config_path);
		} else if ((rc = d->spec->reload(d, fresh)) < 0) {
			log_err("SIGHUP: reload refused: %s", strerror(-rc));
			config_free(d->spec, fresh);
		} else if (rc > 0) {
			config_free(d->spec, fresh);
			log_notice("SIGHUP: reloadable settings applied from %s (others need a"
				   " restart)", d->config_path);
		} else {
			ims_log_set_level(log_section(d->spec, fresh)->level);
			config_free(d->spec, d->cfg);
			d->cfg = fresh;
			log_notice("configuration reloaded from %s", d->config_path);
		}
	}
	sd_notify(0, "READY=1");
}

static int on_signal(su_root_magic_t *magic, su_wait_t *w, su_wakeup_arg_t *arg)
{
	struct ims_daemon *d = arg;
	struct signalfd_siginfo si;

	(void)magic;
	(void)w;
	while (read(d->sigfd, &si, sizeof si) == (ssize_t)sizeof si) {
		if (si.ssi_signo == SIGHUP) {
			reload(d);
		} else {
			log_notice("signal %u received, stopping", si.ssi_signo);
			su_root_break(d->root);
		}
	}
	return 0;
}

static void on_watchdog(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	(void)magic;
	(void)t;
	(void)arg;
	sd_notify(0, "WATCHDOG=1");
}

static int signals_take(struct ims_daemon *d)
{
	sigset_t set;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	/* Blocked before any thread exists, so every thread inherits it and
	 * the signals only come out of the signalfd on the loop thread. */
	if (pthread_sigmask(SIG_BLOCK, &set, NULL) != 0)
		return -errno;
	d->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (d->sigfd < 0)
		return -errno;
	if (su_wait_create(&d->sigwait, d->sigfd, SU_WAIT_IN) < 0)
		return -EIO;
	d->sigwait_index = su_root_register(d->root, &d->sigwait, on_signal, d, 0);
	return d->sigwait_index < 0 ? -EIO : 0;
}

static int watchdog_start(struct ims_daemon *d)
{
	uint64_t usec = 0;

	if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0)
		return 0;
	d->watchdog = su_timer_create(su_root_task(d->root), 0);
	if (!d->watchdog)
		return -ENOMEM;
	return su_timer_set_interval(d->watchdog, on_watchdog, d,
				     (su_duration_t)(usec / 2000 ? usec / 2000 : 1)) < 0 ? -EIO : 0;
}

static void usage(const struct ims_daemon_spec *spec, FILE *out)
{
	fprintf(out,
		"Usage: %s [-c FILE] [--check-config] [--print-config] [--version]\n"
		"%s\n\n"
		"  -c, --config FILE   configuration file (default %s)\n"
		"      --check-config  validate the configuration and exit\n"
		"      --print-config  print the effective configuration and exit\n"
		"      --describe-config  list every configuration key and exit\n"
		"  -V, --version       print the version and exit\n"
		"  -h, --help          this text\n",
		spec->name, spec->summary, spec->default_config);
}

enum { OPT_CHECK = 1000, OPT_PRINT, OPT_DESCRIBE };

static int run(struct ims_daemon *d)
{
	int rc;

	d->root = su_root_create(NULL);
	if (!d->root) {
		log_err("cannot create the event loop");
		return 1;
	}
	rc = signals_take(d);
	if (rc < 0) {
		log_err("cannot take signals: %s", strerror(-rc));
		return 1;
	}
	rc = d->spec->start(d, d->cfg);
	if (rc < 0) {
		log_err("start failed: %s", strerror(-rc));
		if (d->spec->stop)
			d->spec->stop(d);
		return 1;
	}
	rc = watchdog_start(d);
	if (rc < 0)
		log_warn("watchdog not started: %s", strerror(-rc));
	log_notice("%s %s ready", d->spec->name, IMS_VERSION);
	sd_notifyf(0, "READY=1\nMAINPID=%lu", (unsigned long)getpid());
	su_root_run(d->root);
	sd_notify(0, "STOPPING=1");
	log_notice("%s stopping", d->spec->name);
	if (d->spec->stop)
		d->spec->stop(d);
	log_notice("%s stopped", d->spec->name);
	return 0;
}

int ims_daemon_main(const struct ims_daemon_spec *spec, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check-config", no_argument, NULL, OPT_CHECK },
		{ "print-config", no_argument, NULL, OPT_PRINT },
		{ "describe-config", no_argument, NULL, OPT_DESCRIBE },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct ims_daemon d = { .spec = spec, .config_path = spec->default_config, .sigfd = -1,
				.sigwait_index = -1 };
	int c, mode = 0, rc;

	while ((c = getopt_long(argc, argv, "c:Vh", opts, NULL)) != -1) {
		switch (c) {
		case 'c': d.config_path = optarg; break;
		case OPT_CHECK: case OPT_PRINT: case OPT_DESCRIBE: mode = c; break;
		case 'V': printf("%s %s\n", spec->name, IMS_VERSION); return 0;
		case 'h': usage(spec, stdout); return 0;
		default: usage(spec, stderr); return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", spec->name, argv[optind]);
		usage(spec, stderr);
		return 2;
	}
	if (mode == OPT_DESCRIBE) {
		cfg_describe(stdout, spec->schema);
		return 0;
	}
	d.cfg = config_load(spec, d.config_path);
	if (!d.cfg)
		return 1;
	if (mode == OPT_CHECK || mode == OPT_PRINT) {
		if (mode == OPT_CHECK)
			printf("%s: configuration OK\n", d.config_path);
		else
			cfg_print(stdout, spec->schema, d.cfg);
		config_free(spec, d.cfg);
		return 0;
	}
	rc = ims_log_init(spec->name, log_section(spec, d.cfg));
	if (rc < 0) {
		fprintf(stderr, "%s: cannot open log: %s\n", spec->name, strerror(-rc));
		config_free(spec, d.cfg);
		return 1;
	}
	/* Once, before any thread exists (libxml2 is used by HSS and S-CSCF). */
	xmlInitParser();
	su_init();
	rc = run(&d);
	if (d.watchdog)
		su_timer_destroy(d.watchdog);
	if (d.sigwait_index >= 0)
		su_root_deregister(d.root, d.sigwait_index);
	if (d.sigfd >= 0)
		close(d.sigfd);
	if (d.root)
		su_root_destroy(d.root);
	su_deinit();
	xmlCleanupParser();
	config_free(spec, d.cfg);
	return rc;
}
