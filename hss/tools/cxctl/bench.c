/* cxctl bench: many UARs/MARs/SARs/LIRs with bounded concurrency, for
 * tests/bench/hss-mar.sh (cxctl.h). */
#include "cxctl.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>

#include "ims/diameter.h"

struct bench;

struct bench_req {
	struct bench *b;
	struct timespec t0;
};

/* The main thread sends the first `concurrency` requests; after that each
 * answer callback (a freeDiameter dispatch thread) sends the next one
 * itself, so the load keeps flowing without waking the main thread per
 * answer: it only waits for the end. Everything below lock. */
struct bench {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	long sent, inflight, done, ok;
	int err;                  /* first send error; no more sends after it */
	bool stop;                /* timed out: answer callbacks send no more */
	double *lat_ms;           /* one per answered request */
	FILE *dump;               /* --dump, or NULL */
	struct bench_req *reqs;
	/* what to send (read only once sending started) */
	uint32_t cmd;
	const struct cxctl_opts *o;
	const char *realm, *dest;
};

int cxctl_load_request(uint32_t cmd, const struct cxctl_opts *o, long i, const char *realm,
		       const char *dest, struct msg **out)
{
	struct cxctl_opts ro = *o;
	char impi[256], impu[256];
	int ret;

	cxctl_subst(impi, sizeof impi, o->impi, i % o->users);
	cxctl_subst(impu, sizeof impu, o->impu, i % o->users);
	ro.impi = o->impi ? impi : NULL;
	ro.impu = o->impu ? impu : NULL;
	*out = NULL;
	ret = dia_new_request(DIA_APP_CX, cmd, realm, dest, out);
	if (ret == 0)
		ret = cxctl_build(cmd, &ro, *out);
	return ret;
}

static int bench_send(struct bench *b, long i);

static double ms_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) * 1e3 + (double)(now.tv_nsec - t0->tv_nsec) / 1e6;
}

static void dump_hex(FILE *f, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02x", p[i]);
}

/* "RAND||AUTN XRES" of the first SIP-Auth-Data-Item (TS 29.229 6.3.13). */
static void dump_vector(FILE *f, struct msg *ans)
{
	struct avp *item = dia_find(ans, CX_AVP_SIP_AUTH_DATA_ITEM);
	const uint8_t *ra = NULL, *xres = NULL;
	size_t nra = 0, nxres = 0;

	if (!item || dia_find_octets(item, CX_AVP_SIP_AUTHENTICATE, &ra, &nra) != 0 ||
	    dia_find_octets(item, CX_AVP_SIP_AUTHORIZATION, &xres, &nxres) != 0)
		return;
	dump_hex(f, ra, nra);
	fputc(' ', f);
	dump_hex(f, xres, nxres);
	fputc('\n', f);
	fflush(f);
}

/* Keep o->concurrency requests in flight while some are left to send;
 * wake the main thread when nothing is in flight any more. Called and
 * returns with b->lock held (dropped around each send). */
static void refill_locked(struct bench *b)
{
	while (!b->stop && !b->err && b->sent < b->o->repeat &&
	       b->inflight < b->o->concurrency) {
		long i = b->sent++;
		int ret;

		b->inflight++;
		pthread_mutex_unlock(&b->lock);
		ret = bench_send(b, i);
		pthread_mutex_lock(&b->lock);
		if (ret != 0) {
			b->inflight--;
			b->err = ret;
		}
	}
	if (b->inflight == 0)
		pthread_cond_signal(&b->cond);
}

static void on_answer(void *data, struct msg **ans)
{
	struct bench_req *r = data;
	struct bench *b = r->b;
	double ms = ms_since(&r->t0);
	uint32_t code = 0;
	bool exp = false;
	/* Any 2xxx is a success (RFC 6733 7.1.2), also the 3GPP ones of UAR
	 * (2001 first, 2002 subsequent registration) and LIR (2003). */
	bool ok = dia_answer_result(*ans, &code, &exp) == 0 && code >= 2000 && code < 3000;

	pthread_mutex_lock(&b->lock);
	if (ok && b->dump)
		dump_vector(b->dump, *ans);
	fd_msg_free(*ans);
	*ans = NULL;
	b->lat_ms[b->done++] = ms;
	b->ok += ok;
	b->inflight--;
	refill_locked(b);
	pthread_mutex_unlock(&b->lock);
}

void cxctl_subst(char *out, size_t len, const char *pattern, long n)
{
	const char *p = pattern ? strstr(pattern, "%d") : NULL;

	if (!pattern)
		out[0] = '\0';
	else if (!p)
		snprintf(out, len, "%s", pattern);
	else
		snprintf(out, len, "%.*s%ld%s", (int)(p - pattern), pattern, n, p + 2);
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

void cxctl_bench_report(const char *name, double *lat_ms, long done, long ok, double secs,
			const struct cxctl_opts *o)
{
	if (done <= 0 || secs <= 0) {
		printf("hss %s: no answer\n", name);
		return;
	}
	qsort(lat_ms, (size_t)done, sizeof *lat_ms, cmp_double);
	printf("hss %s: %ld requests in %.2f s = %.0f/s, p50 %.2f ms, p99 %.2f ms, "
	       "ok %ld, errors %ld (concurrency %ld, %ld users)\n", name, done, secs,
	       (double)done / secs, lat_ms[done / 2],
	       lat_ms[(done * 99) / 100 < done ? (done * 99) / 100 : done - 1],
	       ok, done - ok, o->concurrency, o->users);
	fflush(stdout);
}

static int bench_send(struct bench *b, long i)
{
	struct msg *req = NULL;
	int ret = cxctl_load_request(b->cmd, b->o, i, b->realm, b->dest, &req);

	b->reqs[i].b = b;
	clock_gettime(CLOCK_MONOTONIC, &b->reqs[i].t0);
	if (ret == 0 && fd_msg_send(&req, on_answer, &b->reqs[i]) != 0)
		ret = -EIO;
	if (req)
		fd_msg_free(req);
	return ret;
}

int cxctl_bench(uint32_t cmd, const char *name, const struct cxctl_opts *o, const char *realm,
		const char *dest, long timeout_s)
{
	/* On the heap: after a timeout, answers may still come for it. */
	struct bench *b = calloc(1, sizeof *b);
	struct timespec t0, until;
	long sent = 0;
	double secs;
	int ret = -ENOMEM;

	if (!b)
		return ret;
	pthread_mutex_init(&b->lock, NULL);
	pthread_cond_init(&b->cond, NULL);
	if (o->dump && !(b->dump = fopen(o->dump, "w"))) {
		fprintf(stderr, "ims-cxctl: %s: %s\n", o->dump, strerror(errno));
		ret = -errno;
		goto out;
	}
	b->lat_ms = calloc((size_t)o->repeat, sizeof *b->lat_ms);
	b->reqs = calloc((size_t)o->repeat, sizeof *b->reqs);
	if (!b->lat_ms || !b->reqs)
		goto out;
	b->cmd = cmd;
	b->o = o;
	b->realm = realm;
	b->dest = dest;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += timeout_s;
	ret = 0;
	pthread_mutex_lock(&b->lock);
	refill_locked(b);
	while (ret == 0 && b->inflight > 0) {
		if (pthread_cond_timedwait(&b->cond, &b->lock, &until) == ETIMEDOUT)
			ret = -ETIMEDOUT;
	}
	if (ret == 0 && b->err)
		ret = b->err;
	b->stop = true;
	sent = b->sent;
	secs = ms_since(&t0) / 1e3;
	if (ret == 0) {
		cxctl_bench_report(name, b->lat_ms, b->done, b->ok, secs, o);
	} else {
		fprintf(stderr, "ims-cxctl: %s bench: %s after %ld sent, %ld answered\n", name,
			strerror(-ret), sent, b->done);
	}
	if (b->dump)
		fflush(b->dump);
	pthread_mutex_unlock(&b->lock);
	if (ret == 0 && b->ok != b->done)
		ret = -EPROTO;
	/* On timeout requests are still in flight: their contexts must stay. */
	if (ret == -ETIMEDOUT || ret == -EIO)
		return ret;
out:
	if (b->dump)
		fclose(b->dump);
	free(b->lat_ms);
	free(b->reqs);
	pthread_cond_destroy(&b->cond);
	pthread_mutex_destroy(&b->lock);
	free(b);
	return ret;
}
