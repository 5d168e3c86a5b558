/*
 * bench_reg_uac: a load generator of IMS UEs registering with
 * Digest-AKAv1-MD5 (TS 24.229 5.1.1.2, TS 33.203 6.1, RFC 3310) over UDP,
 * for tests/bench/reg-load.sh.
 *
 * Why not SIPp: SIPp 3.6.1 does not expand injection-file fields inside
 * [authentication ...] (github.com/SIPp/sipp/issues/640), so it cannot
 * register thousands of distinct IMPIs with their own K/OP; and it hashes
 * RES with strlen() (~3 % wrong answers). This UAC computes RES with
 * MILENAGE (TS 35.206, hss/auth/milenage.c), checks MAC-A, and answers.
 *
 *   bench_reg_uac HOST:PORT USERS RATE SECONDS [FIRST]
 * User i (FIRST..FIRST+USERS-1): IMPI/IMPU user%05d@open-ims.test, K the 16
 * characters "k%015d", OP "o%015d" (as chain_env.sh provisions). Each UE
 * has its own UDP socket (the P-CSCF keeps one entry per flow). New UEs
 * start at RATE per second; a 403 after the answer starts over with a fresh
 * REGISTER (at most 3 attempts); requests are retransmitted (T1 500 ms,
 * doubling, 4 s cap, 16 s per transaction). Stops after SECONDS.
 * Environment BENCH_UE_PORT=P: UE i binds local port P+i (call-load.sh).
 * Prints one summary line (ok, failed, retried, sustained rate, latency
 * percentiles from the first REGISTER to the 200) and the busiest second.
 */
#define _GNU_SOURCE /* strcasestr */
#include "ims/digest.h"
#include "milenage.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define REALM "open-ims.test"
#define T1_MS 500
#define T2_MS 4000
#define TX_TIMEOUT_MS 16000
#define MAX_ATTEMPTS 3

enum ue_state { UE_IDLE, UE_REG1, UE_REG2, UE_OK, UE_FAILED };

struct ue {
	int fd;
	enum ue_state st;
	unsigned cseq;
	int attempts;
	double t_start;         /* first REGISTER sent, ms */
	double t_sent;          /* current transaction's first send, ms */
	double t_next;          /* next retransmission, ms */
	int rtx_ms;
	char msg[1536];
	size_t msg_len;
};

static struct sockaddr_in target;
static struct ue *ues;
static unsigned first_user, local_port;
static double *lat;
static size_t n_lat;
static unsigned long n_retried, n_rtx, n_badmac, n_other, n_503, n_timeout;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void user_name(size_t i, char *buf, size_t cap)
{
	snprintf(buf, cap, "user%05u", (unsigned)(first_user + i));
}

static void send_msg(struct ue *u)
{
	if (sendto(u->fd, u->msg, u->msg_len, 0, (struct sockaddr *)&target, sizeof target) < 0)
		n_other++;
}

static void start_tx(struct ue *u, double now)
{
	u->t_sent = now;
	u->rtx_ms = T1_MS;
	u->t_next = now + T1_MS;
	send_msg(u);
}

/* REGISTER; auth NULL = the initial request with an empty Authorization
 * (TS 24.229 5.1.1.2.1 sends the IMPI in username). */
static void build_register(struct ue *u, size_t i, const char *auth)
{
	struct sockaddr_in me;
	socklen_t ml = sizeof me;
	char name[32];
	int n;

	user_name(i, name, sizeof name);
	getsockname(u->fd, (struct sockaddr *)&me, &ml);
	u->cseq++;
	n = snprintf(u->msg, sizeof u->msg,
		     "REGISTER sip:" REALM " SIP/2.0\r\n"
		     "Via: SIP/2.0/UDP 127.0.0.1:%u;branch=z9hG4bK-%d-%zu-%u;rport\r\n"
		     "Max-Forwards: 70\r\n"
		     "From: <sip:%s@" REALM ">;tag=%d-%zu\r\n"
		     "To: <sip:%s@" REALM ">\r\n"
		     "Call-ID: %zu-%d@127.0.0.1\r\n"
		     "CSeq: %u REGISTER\r\n"
		     "Contact: <sip:%s@127.0.0.1:%u>\r\n"
		     "Supported: path\r\n"
		     "%s\r\n"
		     "Expires: 600\r\n"
		     "Content-Length: 0\r\n\r\n",
		     ntohs(me.sin_port), (int)getpid(), i, u->cseq, name, (int)getpid(), i, name,
		     i, (int)getpid(), u->cseq, name, ntohs(me.sin_port), auth);
	u->msg_len = n > 0 && (size_t)n < sizeof u->msg ? (size_t)n : 0;
}

static void send_initial(struct ue *u, size_t i, double now)
{
	char name[32], auth[256];

	user_name(i, name, sizeof name);
	snprintf(auth, sizeof auth,
		 "Authorization: Digest username=\"%s@" REALM "\", realm=\"" REALM "\","
		 " nonce=\"\", uri=\"sip:" REALM "\", response=\"\"", name);
	build_register(u, i, auth);
	u->st = UE_REG1;
	start_tx(u, now);
}

/* Value of param `name` (quoted or token) in a challenge, into out. */
static int auth_param(const char *hdr, const char *name, char *out, size_t cap)
{
	size_t nl = strlen(name);
	const char *p = hdr;

	while ((p = strcasestr(p, name))) {
		const char *v = p + nl, *e;
		bool boundary = p == hdr || p[-1] == ' ' || p[-1] == ',' || p[-1] == '\t';

		p += nl;
		if (!boundary || *v != '=')
			continue;
		v++;
		if (*v == '"') {
			v++;
			e = strchr(v, '"');
		} else {
			e = v + strcspn(v, ", \r\n");
		}
		if (!e || (size_t)(e - v) >= cap)
			return -EINVAL;
		memcpy(out, v, (size_t)(e - v));
		out[e - v] = '\0';
		return 0;
	}
	return -ENOENT;
}

/* The header line `name:` of a response (case-insensitive), NUL-terminated
 * copy into out. */
static int header_line(const char *msg, const char *name, char *out, size_t cap)
{
	size_t nl = strlen(name);
	const char *p = msg;

	while ((p = strstr(p, "\r\n"))) {
		p += 2;
		if (strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
			const char *e = strstr(p, "\r\n");
			size_t len = e ? (size_t)(e - p) : strlen(p);
			if (len >= cap)
				return -ENOSPC;
			memcpy(out, p, len);
			out[len] = '\0';
			return 0;
		}
	}
	return -ENOENT;
}

/* RFC 3310 3.1: RAND||AUTN from the nonce; MILENAGE; MAC-A check; the
 * Authorization header with response = MD5 digest over RES. */
static int answer_challenge(struct ue *u, size_t i, const char *resp)
{
	char hdr[1024], nonce[DIGEST_AKA_NONCE_MAX], realm[128], qop[64], opaque[128];
	char name[32], k[17], op[17], ha1[DIGEST_HEX_MAX], rsp[DIGEST_HEX_MAX], auth[1024];
	uint8_t rnd[16], autn[16], opc[16], res[8], ak[6], sqn[6], mac[8];
	bool use_qop;
	int rc;

	if (header_line(resp, "WWW-Authenticate", hdr, sizeof hdr) ||
	    auth_param(hdr, "nonce", nonce, sizeof nonce) ||
	    auth_param(hdr, "realm", realm, sizeof realm))
		return -EINVAL;
	use_qop = auth_param(hdr, "qop", qop, sizeof qop) == 0 && strstr(qop, "auth");
	if (auth_param(hdr, "opaque", opaque, sizeof opaque))
		opaque[0] = '\0';
	if (digest_aka_nonce_parse(nonce, rnd, autn, NULL, 0, NULL))
		return -EINVAL;
	snprintf(k, sizeof k, "k%015u", first_user + (unsigned)i);
	snprintf(op, sizeof op, "o%015u", first_user + (unsigned)i);
	if (milenage_opc((uint8_t *)k, (uint8_t *)op, opc) ||
	    milenage_f2345((uint8_t *)k, opc, rnd, res, NULL, NULL, ak, NULL))
		return -EIO;
	for (int j = 0; j < 6; j++)
		sqn[j] = autn[j] ^ ak[j];
	if (milenage_f1((uint8_t *)k, opc, rnd, sqn, autn + 6, mac, NULL))
		return -EIO;
	if (memcmp(mac, autn + 8, 8) != 0) {
		n_badmac++;
		return -EACCES;
	}
	user_name(i, name, sizeof name);
	char user[64];
	snprintf(user, sizeof user, "%s@" REALM, name);
	struct digest_request rq = {
		.alg = DIGEST_MD5, .method = "REGISTER", .uri = "sip:" REALM, .nonce = nonce,
		.qop = use_qop ? "auth" : NULL, .nc = "00000001", .cnonce = "0a1b2c3d",
	};
	if ((rc = digest_aka_ha1(user, realm, res, sizeof res, ha1)) ||
	    (rc = digest_response(&rq, ha1, rsp)))
		return rc;
	snprintf(auth, sizeof auth,
		 "Authorization: Digest username=\"%s\", realm=\"%s\", nonce=\"%s\","
		 " uri=\"sip:" REALM "\", response=\"%s\", algorithm=AKAv1-MD5%s%s%s%s",
		 user, realm, nonce, rsp, use_qop ? ", qop=auth, nc=00000001, cnonce=\"0a1b2c3d\"" : "",
		 opaque[0] ? ", opaque=\"" : "", opaque, opaque[0] ? "\"" : "");
	build_register(u, i, auth);
	return 0;
}

static void finish(struct ue *u, enum ue_state st, double now)
{
	u->st = st;
	if (st == UE_OK)
		lat[n_lat++] = now - u->t_start;
	close(u->fd);
	u->fd = -1;
}

static void on_response(struct ue *u, size_t i, const char *buf, double now)
{
	char cseq[64];
	int code;

	if (sscanf(buf, "SIP/2.0 %d", &code) != 1 || header_line(buf, "CSeq", cseq, sizeof cseq))
		return;
	if ((unsigned)strtoul(cseq + 5, NULL, 10) != u->cseq || code < 200)
		return; /* stale retransmission or provisional */
	if (u->st == UE_REG1 && code == 401) {
		if (answer_challenge(u, i, buf) == 0) {
			u->st = UE_REG2;
			start_tx(u, now);
		} else {
			finish(u, UE_FAILED, now);
		}
	} else if (u->st == UE_REG2 && code == 200) {
		finish(u, UE_OK, now);
	} else if (u->st == UE_REG2 && (code == 403 || code == 401) && ++u->attempts < MAX_ATTEMPTS) {
		n_retried++;
		send_initial(u, i, now);
	} else {
		if (code == 503)
			n_503++; /* overload: refused early (counted in other failures) */
		n_other++;
		finish(u, UE_FAILED, now);
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double pct(double p)
{
	size_t k;

	if (!n_lat)
		return 0;
	k = (size_t)(p * (double)n_lat);
	return lat[k >= n_lat ? n_lat - 1 : k];
}

int main(int argc, char **argv)
{
	size_t users, started = 0, done = 0, i;
	double rate, secs, t0, t_end, t_last = 0, now;
	unsigned long per_sec[3600] = { 0 }, best = 0;
	int ep, rc = 1;
	char host[64];
	unsigned port;

	if (argc < 5 || sscanf(argv[1], "%63[^:]:%u", host, &port) != 2) {
		fprintf(stderr, "usage: %s HOST:PORT USERS RATE SECONDS [FIRST (1)]\n", argv[0]);
		return 2;
	}
	users = strtoul(argv[2], NULL, 10);
	rate = strtod(argv[3], NULL);
	secs = strtod(argv[4], NULL);
	first_user = argc > 5 ? (unsigned)strtoul(argv[5], NULL, 10) : 1;
	/* BENCH_UE_PORT: UE i binds port BENCH_UE_PORT + i (call-load.sh
	 * registers from the ports its SIPp UAC/UAS then use), else any port. */
	if (getenv("BENCH_UE_PORT"))
		local_port = (unsigned)strtoul(getenv("BENCH_UE_PORT"), NULL, 10);
	if (local_port && (local_port > 65535 || users > 65536 - local_port))
		return 2;
	if (!users || rate <= 0 || secs <= 0 || secs > 3600)
		return 2;
	target.sin_family = AF_INET;
	target.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &target.sin_addr) != 1)
		return 2;
	ues = calloc(users, sizeof *ues);
	lat = calloc(users, sizeof *lat);
	ep = epoll_create1(0);
	if (!ues || !lat || ep < 0)
		goto out;
	for (i = 0; i < users; i++)
		ues[i].fd = -1;
	t0 = now_ms();
	t_end = t0 + secs * 1e3;
	while (done < users && (now = now_ms()) < t_end) {
		struct epoll_event ev[256];
		size_t due = (size_t)((now - t0) * rate / 1e3) + 1;
		int n;

		for (; started < users && started < due; started++) {
			struct ue *u = &ues[started];
			struct sockaddr_in me = { .sin_family = AF_INET };
			struct epoll_event e = { .events = EPOLLIN, .data.u64 = started };

			me.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
			if (local_port)
				me.sin_port = htons((uint16_t)(local_port + started));
			u->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
			if (u->fd < 0 || bind(u->fd, (struct sockaddr *)&me, sizeof me) ||
			    epoll_ctl(ep, EPOLL_CTL_ADD, u->fd, &e)) {
				perror("bench_reg_uac: socket");
				if (u->fd >= 0)
					close(u->fd);
				u->fd = -1;
				u->st = UE_FAILED;
				done++;
				continue;
			}
			u->t_start = now;
			send_initial(u, started, now);
		}
		n = epoll_wait(ep, ev, 256, 1);
		now = now_ms();
		for (int j = 0; j < n; j++) {
			size_t k = (size_t)ev[j].data.u64;
			struct ue *u = &ues[k];
			char buf[4096];
			ssize_t len;

			while (u->fd >= 0 && (len = recv(u->fd, buf, sizeof buf - 1, 0)) > 0) {
				buf[len] = '\0';
				on_response(u, k, buf, now);
				if (u->st == UE_OK || u->st == UE_FAILED) {
					done++;
					if (u->st == UE_OK) {
						size_t s = (size_t)((now - t0) / 1e3);
						if (s < 3600 && ++per_sec[s] > best)
							best = per_sec[s];
						t_last = now;
					}
				}
			}
		}
		/* Retransmissions and transaction timeouts (a scan every 50 ms). */
		static double t_scan;
		if (now - t_scan >= 50) {
			t_scan = now;
			for (i = 0; i < started; i++) {
				struct ue *u = &ues[i];
				if (u->st != UE_REG1 && u->st != UE_REG2)
					continue;
				if (now - u->t_sent > TX_TIMEOUT_MS) {
					n_timeout++;
					finish(u, UE_FAILED, now);
					done++;
				} else if (now >= u->t_next) {
					n_rtx++;
					send_msg(u);
					u->rtx_ms = u->rtx_ms * 2 > T2_MS ? T2_MS : u->rtx_ms * 2;
					u->t_next = now + u->rtx_ms;
				}
			}
		}
	}
	qsort(lat, n_lat, sizeof *lat, cmp_double);
	{
		double span = (t_last > t0 ? t_last - t0 : 1) / 1e3;
		printf("AKA registrations: %zu ok, %zu failed (0 sipp-quirk: RES hashed with its"
		       " length), %.0f/s sustained, p50 %.1f ms / p95 %.1f ms / p99 %.1f ms"
		       " response time\n",
		       n_lat, users - n_lat, (double)n_lat / span, pct(0.50), pct(0.95), pct(0.99));
		printf("offered %zu at %.0f/s; %zu never started (time limit); retried after"
		       " 401/403: %lu; retransmissions: %lu; bad MAC-A: %lu; other failures: %lu;"
		       " busiest second: %lu ok; last 200 at %.2f s\n",
		       users, rate, users - started, n_retried, n_rtx, n_badmac, n_other, best, span);
		printf("of the failures: 503 (overload, refused early): %lu; transaction"
		       " timeouts: %lu\n", n_503, n_timeout);
	}
	rc = n_lat == users ? 0 : 1;
out:
	for (i = 0; ues && i < users; i++)
		if (ues[i].fd >= 0)
			close(ues[i].fd);
	if (ep >= 0)
		close(ep);
	free(ues);
	free(lat);
	return rc;
}
