/*
 * Daemon skeleton test: each of the four daemons starts from a config,
 * reports READY over a fake NOTIFY_SOCKET, reloads on SIGHUP, and stops
 * cleanly on SIGTERM (STOPPING=1, exit status 0). Bad configs are refused
 * with file:line:column and exit status 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

/* The HSS needs a database: its life cycle is covered by tests/integration/hss. */
static const char *const daemons[] = { "scscf", "icscf", "pcscf" };

struct fixture {
	char dir[64];
	char sock[128];
	int fd;
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* A port pair unlikely to collide with other tests running in parallel. */
static int test_port(int index)
{
	return 20000 + (int)(getpid() % 2000) * 8 + index;
}

/* Copy configs/<nf>.yaml replacing @PORT@, @PORT2@ and @DIR@. */
static void write_config(const struct fixture *fx, const char *nf, char *path, size_t len)
{
	char src[512], line[1024];
	FILE *in, *out;

	snprintf(src, sizeof src, "%s/%s.yaml", IMS_TEST_CONFIGS, nf);
	snprintf(path, len, "%s/%s.yaml", fx->dir, nf);
	in = fopen(src, "r");
	assert_non_null(in);
	out = fopen(path, "w");
	assert_non_null(out);
	while (fgets(line, sizeof line, in)) {
		char buf[1200], *p = line, *at;

		buf[0] = '\0';
		while ((at = strchr(p, '@'))) {
			char num[16];

			strncat(buf, p, (size_t)(at - p));
			if (strncmp(at, "@PORT2@", 7) == 0) {
				snprintf(num, sizeof num, "%d", test_port(1));
				strcat(buf, num);
				p = at + 7;
			} else if (strncmp(at, "@PORT@", 6) == 0) {
				snprintf(num, sizeof num, "%d", test_port(0));
				strcat(buf, num);
				p = at + 6;
			} else if (strncmp(at, "@DIR@", 5) == 0) {
				strcat(buf, fx->dir);
				p = at + 5;
			} else {
				strcat(buf, "@");
				p = at + 1;
			}
		}
		strcat(buf, p);
		fputs(buf, out);
	}
	fclose(in);
	fclose(out);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	assert_non_null(fx);
	strcpy(fx->dir, "/tmp/ims-daemon-test-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->sock, sizeof fx->sock, "%s/notify", fx->dir);
	fx->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(fx->fd >= 0);
	strcpy(sa.sun_path, fx->sock);
	assert_int_equal(bind(fx->fd, (struct sockaddr *)&sa, sizeof sa), 0);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	char cmd[128];

	close(fx->fd);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", fx->dir);
	free(fx);
	return 0;
}

static pid_t spawn(const struct fixture *fx, const char *nf, const char *config,
		   const char *extra, const char *errlog)
{
	char bin[512];
	pid_t pid;

	snprintf(bin, sizeof bin, "%s/ims-%s", IMS_BIN_DIR, nf);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int err = open(errlog, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (err >= 0) {
			dup2(err, STDERR_FILENO);
			dup2(err, STDOUT_FILENO);
		}
		setenv("NOTIFY_SOCKET", fx->sock, 1);
		if (extra)
			execl(bin, bin, "-c", config, extra, (char *)NULL);
		else
			execl(bin, bin, "-c", config, (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* Wait for a notify datagram containing want; fail after timeout_ms. */
static void expect_notify(const struct fixture *fx, const char *want, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	char buf[1024];

	while (now_ms() < deadline) {
		struct pollfd p = { .fd = fx->fd, .events = POLLIN };

		if (poll(&p, 1, 100) > 0) {
			ssize_t n = recv(fx->fd, buf, sizeof buf - 1, 0);

			if (n > 0) {
				buf[n] = '\0';
				if (strstr(buf, want))
					return;
			}
		}
	}
	fail_msg("no '%s' notification within %d ms", want, timeout_ms);
}

static int wait_exit(pid_t pid, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	int status;

	while (now_ms() < deadline) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return status;
		usleep(20000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	fail_msg("pid %ld did not exit within %d ms", (long)pid, timeout_ms);
	return -1;
}

static void dump_file(const char *path)
{
	char line[512];
	FILE *f = fopen(path, "r");

	if (!f)
		return;
	while (fgets(line, sizeof line, f))
		fprintf(stderr, "  | %s", line);
	fclose(f);
}

static void test_daemon_starts_reports_ready_reloads_and_stops_cleanly(void **state)
{
	struct fixture *fx = *state;

	for (size_t i = 0; i < sizeof daemons / sizeof daemons[0]; i++) {
		char config[256], log[256];
		pid_t pid;
		int status;

		write_config(fx, daemons[i], config, sizeof config);
		snprintf(log, sizeof log, "%s/%s.log", fx->dir, daemons[i]);
		pid = spawn(fx, daemons[i], config, NULL, log);
		expect_notify(fx, "READY=1", 15000);
		kill(pid, SIGHUP);
		expect_notify(fx, "RELOADING=1", 5000);
		expect_notify(fx, "READY=1", 5000);
		kill(pid, SIGTERM);
		expect_notify(fx, "STOPPING=1", 5000);
		status = wait_exit(pid, 15000);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "ims-%s log:\n", daemons[i]);
			dump_file(log);
		}
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
}

static void test_daemon_check_config_accepts_valid_file(void **state)
{
	struct fixture *fx = *state;

	for (size_t i = 0; i < sizeof daemons / sizeof daemons[0]; i++) {
		char config[256], log[256];
		int status;

		write_config(fx, daemons[i], config, sizeof config);
		snprintf(log, sizeof log, "%s/%s-check.log", fx->dir, daemons[i]);
		status = wait_exit(spawn(fx, daemons[i], config, "--check-config", log), 10000);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			dump_file(log);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
}

static void test_daemon_refuses_bad_config_with_position(void **state)
{
	struct fixture *fx = *state;

	for (size_t i = 0; i < sizeof daemons / sizeof daemons[0]; i++) {
		char config[256], log[256], text[512] = "", expect[300];
		FILE *f;
		size_t n;
		int status;

		snprintf(config, sizeof config, "%s/bad-%s.yaml", fx->dir, daemons[i]);
		f = fopen(config, "w");
		assert_non_null(f);
		fputs("log:\n  level: info\n  colour: blue\n", f);
		fclose(f);
		snprintf(log, sizeof log, "%s/%s-bad.log", fx->dir, daemons[i]);
		status = wait_exit(spawn(fx, daemons[i], config, "--check-config", log), 10000);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 1);
		f = fopen(log, "r");
		assert_non_null(f);
		n = fread(text, 1, sizeof text - 1, f);
		text[n] = '\0';
		fclose(f);
		snprintf(expect, sizeof expect, "%s:3:3:", config);
		if (!strstr(text, expect))
			fail_msg("ims-%s: expected '%s' in: %s", daemons[i], expect, text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_daemon_check_config_accepts_valid_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_daemon_refuses_bad_config_with_position, setup, teardown),
		cmocka_unit_test_setup_teardown(test_daemon_starts_reports_ready_reloads_and_stops_cleanly, setup, teardown),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
