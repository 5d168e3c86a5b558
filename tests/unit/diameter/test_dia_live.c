/*
 * Live loopback: a forked child is the HSS-like server (dia_serve_direct
 * and a loop-served command), the parent is the client sending through the
 * su_root bridge. freeDiameter initialises once per process, hence fork.
 * Every wait is bounded; the child is stopped by PID.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sofia-sip/su.h>
#include <sofia-sip/su_wait.h>

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>

#include "ims/diameter.h"
#include "ims/log.h"

#define REALM "test.local"
#define SERVER_ID "hss.test.local"
#define CLIENT_ID "scscf.test.local"

static pid_t g_child = -1;
static su_root_t *g_root;
static struct dia_bridge *g_bridge;
static pthread_t g_loop_thread;

/* ---- server (child) ---- */

static volatile sig_atomic_t g_term;

static void on_term(int sig)
{
	(void)sig;
	g_term = 1;
}

/* The client is not in the server's configuration: accepted through
 * accept_unknown_peers, and kept like a configured peer (no inactivity
 * expiry, dia_core.c validate_peer). */
static bool client_peer_expires(void)
{
	struct peer_hdr *peer = NULL;

	if (fd_peer_getbyid((DiamId_t)CLIENT_ID, strlen(CLIENT_ID), 0, &peer) != 0 || !peer)
		return true;
	return peer->info.config.pic_flags.exp != PI_EXP_NONE;
}

static int uar_direct(void *ctx, struct msg *req, struct msg *ans)
{
	struct avp *caps = NULL;
	const uint8_t *p;
	size_t n;
	int ret;

	(void)ctx;
	if (dia_find_octets(req, CX_AVP_PUBLIC_IDENTITY, &p, &n) != 0)
		return dia_set_result(ans, DIA_MISSING_AVP);
	if (client_peer_expires())
		return dia_set_result(ans, DIA_UNABLE_TO_COMPLY);
	ret = dia_set_experimental(ans, DIA_EXP_FIRST_REGISTRATION);
	if (ret == 0)
		ret = dia_add_group(ans, CX_AVP_SERVER_CAPABILITIES, &caps);
	if (ret == 0)
		ret = dia_add_utf8(caps, CX_AVP_SERVER_NAME, "sip:scscf.test.local");
	return ret;
}

static int sar_direct_fails(void *ctx, struct msg *req, struct msg *ans)
{
	(void)ctx;
	(void)req;
	dia_add_utf8(ans, CX_AVP_SERVER_NAME, "half-built"); /* must be discarded */
	return -EIO;
}

static int lir_direct_slow(void *ctx, struct msg *req, struct msg *ans)
{
	struct timespec ts = { 1, 500 * 1000 * 1000 };

	(void)ctx;
	(void)req;
	nanosleep(&ts, NULL);
	return dia_set_result(ans, DIA_SUCCESS);
}

/* Runs on the child's loop thread through the bridge. */
static int mar_on_loop(void *ctx, struct msg **ans)
{
	(void)ctx;
	if (!pthread_equal(pthread_self(), g_loop_thread))
		return -EPERM; /* the client then sees 5012 */
	return dia_set_result(*ans, DIA_SUCCESS);
}

static void run_server(uint16_t port)
{
	struct dia_config cfg = {
		.identity = SERVER_ID, .realm = REALM, .listen = "127.0.0.1", .port = port,
		.app_threads = 4, .accept_unknown_peers = true,
		.watchdog_interval = 30000, .reconnect_interval = 30000,
	};
	int rc = 1;

	signal(SIGTERM, on_term);
	su_init();
	g_root = su_root_create(NULL);
	g_loop_thread = pthread_self();
	g_bridge = dia_bridge_create(g_root);
	if (dia_start(&cfg, DIA_APP_CX) != 0)
		goto out;
	if (dia_serve_direct(DIA_APP_CX, CX_CMD_UAR, uar_direct, NULL) ||
	    dia_serve_direct(DIA_APP_CX, CX_CMD_SAR, sar_direct_fails, NULL) ||
	    dia_serve_direct(DIA_APP_CX, CX_CMD_LIR, lir_direct_slow, NULL) ||
	    dia_bridge_serve(g_bridge, DIA_APP_CX, CX_CMD_MAR, mar_on_loop, NULL))
		goto out;
	for (int i = 0; i < 600 && !g_term; i++) /* at most 60 s */
		su_root_step(g_root, 100);
	rc = 0;
out:
	dia_bridge_destroy(g_bridge);
	dia_stop();
	su_root_destroy(g_root);
	su_deinit();
	_exit(rc);
}

/* ---- client (parent) ---- */

struct result {
	int calls;
	int err;
	bool on_loop;
	uint32_t code;
	bool experimental;
	bool has_server_name;
};

static void on_answer(void *ctx, struct msg *ans, int err)
{
	struct result *r = ctx;
	struct avp *caps;

	r->calls++;
	r->err = err;
	r->on_loop = pthread_equal(pthread_self(), g_loop_thread);
	if (ans) {
		dia_answer_result(ans, &r->code, &r->experimental);
		caps = dia_find(ans, CX_AVP_SERVER_CAPABILITIES);
		r->has_server_name = caps && dia_find(caps, CX_AVP_SERVER_NAME);
		fd_msg_free(ans);
	}
}

static void run_loop_ms(int ms, const struct result *until_called)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		if (until_called && until_called->calls > 0)
			return;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 >= ms)
			return;
		su_root_step(g_root, 20);
	}
}

static uint16_t free_port(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t sl = sizeof sin;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof sin) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sin, &sl) != 0) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	close(fd);
	return ntohs(sin.sin_port);
}

/* Bounded wait until the child listens, so the client's first connection
 * attempt succeeds (freeDiameter retries only every Tc otherwise). */
static int wait_listening(uint16_t port, int timeout_ms)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (int waited = 0; waited < timeout_ms; waited += 50) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		int ok = fd >= 0 && connect(fd, (struct sockaddr *)&sin, sizeof sin) == 0;
		if (fd >= 0)
			close(fd);
		if (ok)
			return 0;
		usleep(50 * 1000);
	}
	return -ETIMEDOUT;
}

static struct msg *new_cx(uint32_t cmd)
{
	struct msg *m = NULL;

	assert_int_equal(dia_new_request(DIA_APP_CX, cmd, REALM, SERVER_ID, &m), 0);
	return m;
}

static void test_uar_answer_runs_on_loop_thread_with_first_registration(void **state)
{
	struct result r = { 0 };
	struct msg *m = new_cx(CX_CMD_UAR);

	(void)state;
	assert_int_equal(dia_add_utf8(m, DIA_AVP_USER_NAME, "alice@test.local"), 0);
	assert_int_equal(dia_add_utf8(m, CX_AVP_PUBLIC_IDENTITY, "sip:alice@test.local"), 0);
	assert_int_equal(dia_add_octets(m, CX_AVP_VISITED_NETWORK_IDENTIFIER, (const uint8_t *)REALM, strlen(REALM)), 0);
	assert_int_equal(dia_bridge_send(g_bridge, &m, 3000, on_answer, &r), 0);
	assert_null(m);
	run_loop_ms(5000, &r);
	assert_int_equal(r.calls, 1);
	assert_true(r.on_loop);
	assert_int_equal(r.err, 0);
	assert_true(r.experimental);
	assert_int_equal(r.code, DIA_EXP_FIRST_REGISTRATION);
	assert_true(r.has_server_name);
}

static void test_failing_handler_is_answered_unable_to_comply(void **state)
{
	struct result r = { 0 };
	struct msg *m = new_cx(CX_CMD_SAR);

	(void)state;
	assert_int_equal(dia_add_utf8(m, DIA_AVP_USER_NAME, "alice@test.local"), 0);
	assert_int_equal(dia_add_utf8(m, CX_AVP_SERVER_NAME, "sip:scscf.test.local"), 0);
	assert_int_equal(dia_add_i32(m, CX_AVP_SERVER_ASSIGNMENT_TYPE, CX_SAT_REGISTRATION), 0);
	assert_int_equal(dia_add_i32(m, CX_AVP_USER_DATA_ALREADY_AVAILABLE, CX_USER_DATA_NOT_AVAILABLE), 0);
	assert_int_equal(dia_bridge_send(g_bridge, &m, 3000, on_answer, &r), 0);
	run_loop_ms(5000, &r);
	assert_int_equal(r.calls, 1);
	assert_int_equal(r.err, 0);
	assert_false(r.experimental);
	assert_int_equal(r.code, DIA_UNABLE_TO_COMPLY);
}

static void test_loop_served_request_is_answered_from_server_loop(void **state)
{
	struct result r = { 0 };
	struct msg *m = new_cx(CX_CMD_MAR);
	struct avp *item;

	(void)state;
	assert_int_equal(dia_add_utf8(m, DIA_AVP_USER_NAME, "alice@test.local"), 0);
	assert_int_equal(dia_add_utf8(m, CX_AVP_PUBLIC_IDENTITY, "sip:alice@test.local"), 0);
	assert_int_equal(dia_add_group(m, CX_AVP_SIP_AUTH_DATA_ITEM, &item), 0);
	assert_int_equal(dia_add_utf8(item, CX_AVP_SIP_AUTHENTICATION_SCHEME, CX_AUTH_SCHEME_AKAV1_MD5), 0);
	assert_int_equal(dia_add_u32(m, CX_AVP_SIP_NUMBER_AUTH_ITEMS, 1), 0);
	assert_int_equal(dia_add_utf8(m, CX_AVP_SERVER_NAME, "sip:scscf.test.local"), 0);
	assert_int_equal(dia_bridge_send(g_bridge, &m, 3000, on_answer, &r), 0);
	run_loop_ms(5000, &r);
	assert_int_equal(r.calls, 1);
	assert_false(r.experimental);
	assert_int_equal(r.code, DIA_SUCCESS); /* 5012 if it ran off the loop */
}

static struct msg *new_lir(void)
{
	struct msg *m = new_cx(CX_CMD_LIR);
	assert_int_equal(dia_add_utf8(m, CX_AVP_PUBLIC_IDENTITY, "sip:bob@test.local"), 0);
	return m;
}

static void test_slow_answer_times_out_then_late_answer_is_dropped(void **state)
{
	struct result r = { 0 };
	struct msg *m = new_lir();

	(void)state;
	assert_int_equal(dia_bridge_send(g_bridge, &m, 300, on_answer, &r), 0);
	run_loop_ms(3000, &r);
	assert_int_equal(r.calls, 1);
	assert_int_equal(r.err, -ETIMEDOUT);
	assert_true(r.on_loop);
	run_loop_ms(1600, NULL); /* the late answer arrives and must not call back */
	assert_int_equal(r.calls, 1);
}

static void test_destroyed_bridge_never_calls_back(void **state)
{
	struct dia_bridge *b = dia_bridge_create(g_root);
	struct result r = { 0 };
	struct msg *m = new_lir();

	(void)state;
	assert_non_null(b);
	assert_int_equal(dia_bridge_send(b, &m, 3000, on_answer, &r), 0);
	dia_bridge_destroy(b);
	run_loop_ms(2000, NULL); /* answer comes after ~1.5 s */
	assert_int_equal(r.calls, 0);
}

static void test_bridge_over_its_bound_refuses_at_once_with_ebusy(void **state)
{
	struct dia_bridge *b = dia_bridge_create(g_root);
	struct result r1 = { 0 }, r2 = { 0 }, r3 = { 0 };
	struct msg *m = new_lir();

	(void)state;
	assert_non_null(b);
	dia_bridge_set_limit(b, 1);
	assert_false(dia_bridge_busy(b, 100));
	assert_int_equal(dia_bridge_send(b, &m, 3000, on_answer, &r1), 0);
	assert_int_equal(dia_bridge_pending(b), 1);
	assert_true(dia_bridge_busy(b, 100));
	m = new_lir();
	assert_int_equal(dia_bridge_send(b, &m, 3000, on_answer, &r2), -EBUSY);
	assert_null(m); /* taken even when refused */
	run_loop_ms(5000, &r1); /* the slow LIR answer (~1.5 s) frees the slot */
	assert_int_equal(r1.calls, 1);
	assert_int_equal(dia_bridge_pending(b), 0);
	assert_false(dia_bridge_busy(b, 100));
	m = new_lir();
	assert_int_equal(dia_bridge_send(b, &m, 300, on_answer, &r3), 0);
	run_loop_ms(3000, &r3); /* a timeout frees its slot too */
	assert_int_equal(r3.err, -ETIMEDOUT);
	assert_int_equal(dia_bridge_pending(b), 0);
	assert_int_equal(r2.calls, 0);
	dia_bridge_destroy(b);
	run_loop_ms(1600, NULL); /* r3's late answer: no callback */
	assert_int_equal(r3.calls, 1);
}

static void test_bad_arguments_are_refused_and_request_freed(void **state)
{
	struct result r = { 0 };
	struct msg *m = new_lir();

	(void)state;
	assert_int_equal(dia_bridge_send(g_bridge, &m, 0, on_answer, &r), -EINVAL);
	assert_null(m); /* taken even on error */
	assert_int_equal(dia_new_request(DIA_APP_CX, 999, REALM, NULL, &m), -EINVAL);
	assert_int_equal(dia_peer_wait_open("nobody.test.local", 10), -ENOENT);
	assert_false(dia_peer_is_open("nobody.test.local"));
}

static int stop_child(void)
{
	int status = 0;

	if (g_child <= 0)
		return 0;
	kill(g_child, SIGTERM);
	for (int i = 0; i < 100; i++) { /* 10 s */
		if (waitpid(g_child, &status, WNOHANG) == g_child) {
			g_child = -1;
			return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		}
		usleep(100 * 1000);
	}
	kill(g_child, SIGKILL);
	waitpid(g_child, &status, 0);
	g_child = -1;
	return -1;
}

static int setup(void **state)
{
	uint16_t port = free_port();
	struct dia_peer_config peer = {
		.identity = SERVER_ID, .address = "127.0.0.1", .port = port, .realm = REALM,
	};
	static struct dia_peer_config peers[1];
	struct dia_config cfg = {
		.identity = CLIENT_ID, .realm = REALM, .listen = "127.0.0.1", .port = 0,
		.app_threads = 2, .watchdog_interval = 30000, .reconnect_interval = 1000,
		.peers = { peers, 1 },
	};

	(void)state;
	ims_log_set_level(getenv("DIA_TEST_DEBUG") ? IMS_LOG_DEBUG : IMS_LOG_WARN);
	if (port == 0)
		return -1;
	peers[0] = peer;
	fflush(NULL);
	g_child = fork();
	if (g_child < 0)
		return -1;
	if (g_child == 0)
		run_server(port);
	if (wait_listening(port, 10000) != 0) {
		print_error("server did not listen on port %u\n", port);
		return -1;
	}
	su_init();
	g_root = su_root_create(NULL);
	g_loop_thread = pthread_self();
	g_bridge = dia_bridge_create(g_root);
	if (!g_bridge || dia_start(&cfg, DIA_APP_CX) != 0) {
		print_error("client dia_start failed\n");
		return -1;
	}
	if (dia_peer_wait_open(SERVER_ID, 10000) != 0) {
		print_error("peer %s not open after 10 s\n", SERVER_ID);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	int rc;

	(void)state;
	dia_bridge_destroy(g_bridge);
	dia_stop();
	rc = stop_child();
	su_root_destroy(g_root);
	su_deinit();
	return rc == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uar_answer_runs_on_loop_thread_with_first_registration),
		cmocka_unit_test(test_failing_handler_is_answered_unable_to_comply),
		cmocka_unit_test(test_loop_served_request_is_answered_from_server_loop),
		cmocka_unit_test(test_slow_answer_times_out_then_late_answer_is_dropped),
		cmocka_unit_test(test_destroyed_bridge_never_calls_back),
		cmocka_unit_test(test_bridge_over_its_bound_refuses_at_once_with_ebusy),
		cmocka_unit_test(test_bad_arguments_are_refused_and_request_freed),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
