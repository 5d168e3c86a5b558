/* cxctl serve: play the S-CSCF side of HSS-initiated Cx requests (RTR,
 * PPR; TS 29.229 6.1.9-6.1.12): print each request and answer it with the
 * configured Result-Code (cxctl.h). */
#include "cxctl.h"

#include <errno.h>
#include <pthread.h>
#include <time.h>

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>

#include "ims/diameter.h"

/* seen: requests handled; sent: their answers on the wire. The wait ends
 * on sent, not seen: freeDiameter drops the answers still queued for a
 * peer it disconnects (the DPR of our shutdown overtakes them), and the
 * HSS would then count the request as failed (3002). */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	long seen, sent;
	const struct cxctl_serve_opts *o;
} g_srv = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, NULL };

/* Runs on a freeDiameter thread: print, answer with the configured code. */
static int on_request(void *ctx, struct msg *req, struct msg *ans, const char *name,
		      long code)
{
	(void)ctx;
	pthread_mutex_lock(&g_srv.lock);
	printf("request=%s\n", name);
	cxctl_print_avps(stdout, req, g_srv.o->user_data_out);
	printf("answered=%ld\n", code);
	fflush(stdout);
	g_srv.seen++;
	pthread_mutex_unlock(&g_srv.lock);
	return dia_set_result(ans, (uint32_t)code);
}

static int on_rtr(void *ctx, struct msg *req, struct msg *ans)
{
	return on_request(ctx, req, ans, "RTR", g_srv.o->answer_rtr);
}

static int on_ppr(void *ctx, struct msg *req, struct msg *ans)
{
	return on_request(ctx, req, ans, "PPR", g_srv.o->answer_ppr);
}

/* HOOK_MESSAGE_SENT (freeDiameter calls it once a message is written to
 * the peer's connection): count our RTR/PPR answers. */
static void on_sent(enum fd_hook_type type, struct msg *msg, struct peer_hdr *peer, void *other,
		    struct fd_hook_permsgdata *pmd, void *regdata)
{
	struct msg_hdr *h = NULL;

	(void)type, (void)peer, (void)other, (void)pmd, (void)regdata;
	if (!msg || fd_msg_hdr(msg, &h) != 0 || (h->msg_flags & CMD_FLAG_REQUEST) ||
	    h->msg_appl != CX_APP_ID || (h->msg_code != CX_CMD_RTR && h->msg_code != CX_CMD_PPR))
		return;
	pthread_mutex_lock(&g_srv.lock);
	g_srv.sent++;
	pthread_cond_broadcast(&g_srv.cond);
	pthread_mutex_unlock(&g_srv.lock);
}

int cxctl_serve_register(const struct cxctl_serve_opts *o)
{
	struct fd_hook_hdl *hdl = NULL;
	int ret;

	g_srv.o = o;
	if (fd_hook_register(HOOK_MASK(HOOK_MESSAGE_SENT), on_sent, NULL, NULL, &hdl) != 0)
		return -EIO;
	ret = dia_serve_direct(DIA_APP_CX, CX_CMD_RTR, on_rtr, NULL);
	if (ret == 0)
		ret = dia_serve_direct(DIA_APP_CX, CX_CMD_PPR, on_ppr, NULL);
	return ret;
}

int cxctl_serve_wait(const struct cxctl_serve_opts *o, long timeout_s)
{
	struct timespec until;
	int ret = 0;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += timeout_s;
	pthread_mutex_lock(&g_srv.lock);
	while (g_srv.sent < o->count && ret == 0)
		ret = pthread_cond_timedwait(&g_srv.cond, &g_srv.lock, &until);
	ret = g_srv.sent >= o->count ? 0 : -ETIMEDOUT;
	pthread_mutex_unlock(&g_srv.lock);
	return ret;
}
