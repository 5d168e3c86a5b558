/* cxctl raw load mode (cxctl.h): one TCP connection of our own to the HSS,
 * without freeDiameter's peer, routing and dispatch threads. The messages
 * are still built, encoded and parsed by freeDiameter's message library
 * (same dictionary, same requests as the other load mode); only the
 * transport is ours: CER/CEA (RFC 6733 5.3), then requests pipelined from
 * one thread and written in batches, answers read in batches and matched by
 * Hop-by-Hop Identifier, a DWR answered with a DWA (5.5), a DPR/DPA at the
 * end (5.4). So the client's CPU per request stays small next to what it
 * measures on the same machine. */
#include "cxctl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>

#include "ims/diameter.h"

#define RAW_MSG_MAX (1u << 20)   /* larger is a broken peer */
#define RAW_CC_CER 257
#define RAW_CC_DWR 280
#define RAW_CC_DPR 282

struct raw {
	int fd;
	struct timespec deadline;
	uint8_t *in;                 /* bytes received, not yet a whole message */
	size_t in_len, in_cap;
	uint8_t *out;                /* encoded messages waiting to be written */
	size_t out_len, out_cap;
	/* load */
	const struct cxctl_opts *o;
	uint32_t cmd;
	const char *realm, *dest;
	long sent, done, ok, inflight;
	struct timespec *t0;         /* per request, by index = Hop-by-Hop - 1 */
	double *lat_ms;
	bool *answered;
	/* link-local answers expected (CEA, DPA) */
	uint32_t ll_code;
	bool ll_seen;
	uint32_t ll_result;
};

/* freeDiameter returns a positive errno; we return -errno. */
static int neg(int e)
{
	return e > 0 ? -e : e;
}

static double ms_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) * 1e3 + (double)(b->tv_nsec - a->tv_nsec) / 1e6;
}

static int ms_left(const struct raw *r)
{
	struct timespec now;
	double ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = ms_between(&now, &r->deadline);
	return ms <= 0 ? 0 : ms > 1000 ? 1000 : (int)ms;
}

static int raw_connect(const char *addr, long port, int *fd)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int one = 1;

	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1)
		return -EINVAL;
	*fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (*fd < 0)
		return -errno;
	if (connect(*fd, (struct sockaddr *)&sin, sizeof sin) != 0 ||
	    setsockopt(*fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0) {
		int ret = -errno;
		close(*fd);
		*fd = -1;
		return ret;
	}
	return 0;
}

static int grow(uint8_t **buf, size_t *cap, size_t need)
{
	size_t cap2 = *cap ? *cap : 65536;
	uint8_t *p;

	if (need <= *cap)
		return 0;
	while (cap2 < need)
		cap2 *= 2;
	p = realloc(*buf, cap2);
	if (!p)
		return -ENOMEM;
	*buf = p;
	*cap = cap2;
	return 0;
}

/* Encode m with Hop-by-Hop hbh and append it to the output; m is freed. */
static int queue_msg(struct raw *r, struct msg *m, uint32_t hbh)
{
	struct msg_hdr *hdr = NULL;
	uint8_t *buf = NULL;
	size_t len = 0;
	int ret = neg(fd_msg_hdr(m, &hdr));

	if (ret == 0) {
		hdr->msg_hbhid = hbh;
		ret = neg(fd_msg_bufferize(m, &buf, &len));
	}
	if (ret == 0)
		ret = grow(&r->out, &r->out_cap, r->out_len + len);
	if (ret == 0) {
		memcpy(r->out + r->out_len, buf, len);
		r->out_len += len;
	}
	free(buf);
	fd_msg_free(m);
	return ret;
}

static int flush_out(struct raw *r)
{
	size_t off = 0;

	while (off < r->out_len) {
		ssize_t n = send(r->fd, r->out + off, r->out_len - off, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EPIPE;
		off += (size_t)n;
	}
	r->out_len = 0;
	return 0;
}

/* A base protocol message (CER, DWA, DPR) with Origin-Host/Realm. */
static int new_base(uint32_t code, bool request, struct msg **m)
{
	struct dict_object *cmd = NULL;
	int ret = neg(fd_dict_search(fd_g_config->cnf_dict, DICT_COMMAND,
					 request ? CMD_BY_CODE_R : CMD_BY_CODE_A, &code, &cmd,
					 ENOENT));

	*m = NULL;
	if (ret == 0)
		ret = neg(fd_msg_new(cmd, MSGFL_ALLOC_ETEID, m));
	if (ret == 0)
		ret = neg(fd_msg_add_origin(*m, 0));
	return ret;
}

/* RFC 6733 5.3.1 CER: we support Cx (TS 29.229 6.1: Vendor-Specific-
 * Application-Id with 3GPP and 16777216). */
static int queue_cer(struct raw *r)
{
	struct sockaddr_in lo = { .sin_family = AF_INET };
	struct avp *vsai = NULL;
	struct msg *m = NULL;
	int ret = new_base(RAW_CC_CER, true, &m);

	lo.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (ret == 0)
		ret = dia_add_address(m, DIA_AVP_HOST_IP_ADDRESS, (struct sockaddr *)&lo);
	if (ret == 0)
		ret = dia_add_u32(m, DIA_AVP_VENDOR_ID, 0);
	if (ret == 0)
		ret = dia_add_utf8(m, DIA_AVP_PRODUCT_NAME, "ims-cxctl");
	if (ret == 0)
		ret = dia_add_group(m, DIA_AVP_VENDOR_SPECIFIC_APPLICATION_ID, &vsai);
	if (ret == 0)
		ret = dia_add_u32(vsai, DIA_AVP_VENDOR_ID, DIA_VENDOR_3GPP);
	if (ret == 0)
		ret = dia_add_u32(vsai, DIA_AVP_AUTH_APPLICATION_ID, dia_app_id(DIA_APP_CX));
	if (ret != 0) {
		fd_msg_free(m);
		return ret;
	}
	return queue_msg(r, m, 0);
}

static int queue_dpr(struct raw *r)
{
	struct msg *m = NULL;
	int ret = new_base(RAW_CC_DPR, true, &m);

	if (ret == 0) /* RFC 6733 5.4.3: DO_NOT_WANT_TO_TALK_TO_YOU */
		ret = dia_add_i32(m, DIA_AVP_DISCONNECT_CAUSE, 2);
	if (ret != 0) {
		fd_msg_free(m);
		return ret;
	}
	return queue_msg(r, m, 0);
}

/* Answer a DWR (RFC 6733 5.5.2) with 2001. Takes req. */
static int queue_dwa(struct raw *r, struct msg *req)
{
	struct msg_hdr *hdr = NULL;
	struct msg *m = req;
	uint32_t hbh = 0;
	int ret = neg(fd_msg_hdr(req, &hdr));

	if (ret == 0) {
		hbh = hdr->msg_hbhid;
		ret = neg(fd_msg_new_answer_from_req(fd_g_config->cnf_dict, &m, 0));
	}
	if (ret == 0)
		ret = dia_set_result(m, DIA_SUCCESS);
	if (ret == 0)
		ret = neg(fd_msg_add_origin(m, 0));
	if (ret != 0) {
		fd_msg_free(m);
		return ret;
	}
	return queue_msg(r, m, hbh);
}

static void on_cx_answer(struct raw *r, struct msg *m, uint32_t hbh)
{
	struct timespec now;
	uint32_t code = 0;
	bool exp = false;
	long i = (long)hbh - 1;

	if (i < 0 || i >= r->sent || r->answered[i])
		return; /* not one of ours: ignored */
	clock_gettime(CLOCK_MONOTONIC, &now);
	r->answered[i] = true;
	r->lat_ms[r->done++] = ms_between(&r->t0[i], &now);
	r->inflight--;
	/* Any 2xxx is a success (RFC 6733 7.1.2), as in the other load mode. */
	if (dia_answer_result(m, &code, &exp) == 0 && code >= 2000 && code < 3000)
		r->ok++;
}

/* One whole message from the peer. */
static int on_message(struct raw *r, const uint8_t *p, size_t len)
{
	uint8_t *copy = malloc(len);
	struct msg_hdr *hdr = NULL;
	struct msg *m = NULL;
	int ret;

	if (!copy)
		return -ENOMEM;
	memcpy(copy, p, len);
	ret = neg(fd_msg_parse_buffer(&copy, len, &m));
	if (ret != 0) {
		free(copy);
		return -EPROTO;
	}
	if (fd_msg_parse_dict(m, fd_g_config->cnf_dict, NULL) != 0 || fd_msg_hdr(m, &hdr) != 0) {
		fd_msg_free(m);
		return -EPROTO;
	}
	if (hdr->msg_flags & CMD_FLAG_REQUEST) {
		if (hdr->msg_code == RAW_CC_DWR)
			return queue_dwa(r, m);
		fd_msg_free(m); /* nothing else is expected from the HSS here */
		return 0;
	}
	if (r->ll_code && hdr->msg_code == r->ll_code) {
		bool exp = false;
		r->ll_seen = true;
		if (dia_answer_result(m, &r->ll_result, &exp) != 0)
			r->ll_result = 0;
	} else if (hdr->msg_code == r->cmd) {
		on_cx_answer(r, m, hdr->msg_hbhid);
	}
	fd_msg_free(m);
	return 0;
}

/* Wait (bounded by the deadline) for data, read what is there and handle
 * every whole message in it. */
static int read_some(struct raw *r)
{
	struct pollfd pfd = { .fd = r->fd, .events = POLLIN };
	size_t off = 0;
	ssize_t n;
	int ret;

	if (poll(&pfd, 1, ms_left(r)) == 0)
		return ms_left(r) == 0 ? -ETIMEDOUT : 0;
	if ((ret = grow(&r->in, &r->in_cap, r->in_len + 65536)) != 0)
		return ret;
	n = recv(r->fd, r->in + r->in_len, r->in_cap - r->in_len, 0);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	if (n == 0)
		return -ECONNRESET;
	r->in_len += (size_t)n;
	while (r->in_len - off >= 4) {
		const uint8_t *p = r->in + off;
		size_t len = ((size_t)p[1] << 16) | ((size_t)p[2] << 8) | p[3];

		if (p[0] != 1 || len < 20 || len > RAW_MSG_MAX)
			return -EPROTO;
		if (r->in_len - off < len)
			break;
		if ((ret = on_message(r, p, len)) != 0)
			return ret;
		off += len;
	}
	memmove(r->in, r->in + off, r->in_len - off);
	r->in_len -= off;
	return 0;
}

/* Send a link-local request already queued, wait for its answer. */
static int link_local(struct raw *r, uint32_t code)
{
	int ret;

	r->ll_code = code;
	r->ll_seen = false;
	ret = flush_out(r);
	while (ret == 0 && !r->ll_seen)
		ret = read_some(r);
	r->ll_code = 0;
	if (ret == 0 && r->ll_result != DIA_SUCCESS)
		ret = -ECONNREFUSED;
	return ret;
}

static int queue_request(struct raw *r, long i)
{
	struct msg *m = NULL;
	int ret = cxctl_load_request(r->cmd, r->o, i, r->realm, r->dest, &m);

	if (ret != 0) {
		fd_msg_free(m);
		return ret;
	}
	clock_gettime(CLOCK_MONOTONIC, &r->t0[i]);
	return queue_msg(r, m, (uint32_t)(i + 1));
}

static int run_load(struct raw *r)
{
	int ret = 0;

	while (ret == 0 && r->done < r->o->repeat) {
		while (ret == 0 && r->sent < r->o->repeat && r->inflight < r->o->concurrency) {
			ret = queue_request(r, r->sent);
			if (ret == 0) {
				r->sent++;
				r->inflight++;
			}
		}
		if (ret == 0)
			ret = flush_out(r);
		if (ret == 0)
			ret = read_some(r);
	}
	return ret;
}

int cxctl_bench_raw(uint32_t cmd, const char *name, const struct cxctl_opts *o,
		    const char *realm, const char *dest, const char *addr, long port,
		    long timeout_s)
{
	struct raw r = { .fd = -1, .o = o, .cmd = cmd, .realm = realm, .dest = dest };
	struct timespec t0, t1;
	int ret;

	if (o->repeat <= 0 || o->repeat >= UINT32_MAX)
		return -EINVAL;
	r.t0 = calloc((size_t)o->repeat, sizeof *r.t0);
	r.lat_ms = calloc((size_t)o->repeat, sizeof *r.lat_ms);
	r.answered = calloc((size_t)o->repeat, sizeof *r.answered);
	ret = r.t0 && r.lat_ms && r.answered ? 0 : -ENOMEM;
	clock_gettime(CLOCK_MONOTONIC, &r.deadline);
	r.deadline.tv_sec += timeout_s;
	if (ret == 0)
		ret = raw_connect(addr, port, &r.fd);
	if (ret == 0)
		ret = queue_cer(&r);
	if (ret == 0)
		ret = link_local(&r, RAW_CC_CER);
	if (ret != 0) {
		fprintf(stderr, "ims-cxctl: raw connection to %s:%ld: %s\n", addr, port,
			strerror(-ret));
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = run_load(&r);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (ret == 0)
		cxctl_bench_report(name, r.lat_ms, r.done, r.ok, ms_between(&t0, &t1) / 1e3, o);
	else
		fprintf(stderr, "ims-cxctl: %s raw bench: %s after %ld sent, %ld answered\n", name,
			strerror(-ret), r.sent, r.done);
	/* Leave cleanly (bounded by the same deadline); a failure here does
	 * not change the figures. */
	if (ret == 0 && queue_dpr(&r) == 0)
		(void)link_local(&r, RAW_CC_DPR);
	if (ret == 0 && r.ok != r.done)
		ret = -EPROTO;
out:
	if (r.fd >= 0)
		close(r.fd);
	free(r.in);
	free(r.out);
	free(r.t0);
	free(r.lat_ms);
	free(r.answered);
	return ret;
}
