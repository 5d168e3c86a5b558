/*
 * ims-launch: start a daemon in the background and return once it reports
 * READY=1 over the sd_notify protocol (no sleeping, no polling of ports).
 * Used by deploy/ims and the integration tests.
 *
 *   ims-launch [--timeout SEC] [--pidfile FILE] [--log FILE] -- CMD [ARGS...]
 *
 * Prints the daemon's PID on stdout and exits 0 when it is ready; exits 1
 * (after stopping it) when it exits, or is not ready in time.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int notify_socket(char *name, size_t len)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	/* Abstract name: nothing to clean up on disk. */
	snprintf(name, len, "@ims-launch-%ld-%lld", (long)getpid(), now_ms());
	memcpy(sa.sun_path + 1, name + 1, strlen(name) - 1);
	if (bind(fd, (struct sockaddr *)&sa,
		 (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(name))) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static pid_t spawn(char **argv, const char *sock, const char *log)
{
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	setsid();
	int in = open("/dev/null", O_RDONLY);
	int out = log ? open(log, O_WRONLY | O_CREAT | O_APPEND, 0640) : open("/dev/null", O_WRONLY);

	if (in >= 0)
		dup2(in, STDIN_FILENO);
	if (out >= 0) {
		dup2(out, STDOUT_FILENO);
		dup2(out, STDERR_FILENO);
	}
	setenv("NOTIFY_SOCKET", sock, 1);
	execvp(argv[0], argv);
	fprintf(stderr, "ims-launch: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

static int wait_ready(int fd, pid_t pid, long long deadline)
{
	char buf[4096];
	int status;

	while (now_ms() < deadline) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int r = poll(&p, 1, 100);

		if (r > 0) {
			ssize_t n = recv(fd, buf, sizeof buf - 1, 0);

			if (n > 0) {
				buf[n] = '\0';
				if (strncmp(buf, "READY=1", 7) == 0 || strstr(buf, "\nREADY=1"))
					return 0;
			}
		}
		if (waitpid(pid, &status, WNOHANG) == pid) {
			if (WIFEXITED(status))
				fprintf(stderr, "ims-launch: daemon exited with status %d before READY\n",
					WEXITSTATUS(status));
			else
				fprintf(stderr, "ims-launch: daemon killed by signal %d before READY\n",
					WTERMSIG(status));
			return -1;
		}
	}
	fprintf(stderr, "ims-launch: daemon not ready in time, stopping it\n");
	kill(pid, SIGTERM);
	return -1;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "pidfile", required_argument, NULL, 'p' },
		{ "log", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 }
	};
	const char *pidfile = NULL, *log = NULL;
	long timeout_s = 30;
	char sock[108];
	int c, fd;
	pid_t pid;

	while ((c = getopt_long(argc, argv, "+t:p:l:", opts, NULL)) != -1) {
		switch (c) {
		case 't': timeout_s = strtol(optarg, NULL, 10); break;
		case 'p': pidfile = optarg; break;
		case 'l': log = optarg; break;
		default: goto usage;
		}
	}
	if (optind >= argc || timeout_s <= 0)
		goto usage;
	fd = notify_socket(sock, sizeof sock);
	if (fd < 0) {
		perror("ims-launch: notify socket");
		return 1;
	}
	pid = spawn(argv + optind, sock, log);
	if (pid < 0) {
		perror("ims-launch: fork");
		return 1;
	}
	if (wait_ready(fd, pid, now_ms() + timeout_s * 1000LL) < 0)
		return 1;
	if (pidfile) {
		FILE *f = fopen(pidfile, "w");

		if (!f || fprintf(f, "%ld\n", (long)pid) < 0 || fclose(f) != 0) {
			perror("ims-launch: pidfile");
			return 1;
		}
	}
	printf("%ld\n", (long)pid);
	return 0;
usage:
	fprintf(stderr, "usage: ims-launch [--timeout SEC] [--pidfile FILE] [--log FILE] -- CMD [ARGS...]\n");
	return 2;
}
