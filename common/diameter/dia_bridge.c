/*
 * dia_bridge: hands Diameter answers and requests from freeDiameter's
 * threads to the single-threaded sofia-sip loop (rules in diameter.h).
 *
 * freeDiameter callbacks only package a `struct post` and su_msg_send() it
 * to the root's task; delivery runs on the loop thread. The bridge is
 * reference counted (creator, each request in flight, each post, each
 * server registration) and `closed` (under `lock`) tells late callbacks to
 * clean up instead of touching the su_root. A su_msg deinitializer frees
 * what a post still holds when it is destroyed undelivered.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SU_MSG_ARG_T struct post
#include <sofia-sip/su_wait.h>

#include "dia_internal.h"
#include "ims/log.h"

struct dia_bridge {
	pthread_mutex_t lock;
	atomic_int refs;
	bool closed; /* under lock; set by destroy on the loop thread */
	su_root_t *root;
	atomic_uint pending;    /* client requests in flight */
	atomic_uint limit;      /* bound on pending, 0 = none */
	atomic_ulong refused;   /* -EBUSY in the current overload episode */
	atomic_bool overloaded; /* an episode is going on (logging only) */
};

struct pending { /* one client request in flight */
	struct dia_bridge *bridge;
	dia_answer_fn cb;
	void *ctx;
};

struct serve_reg { /* one fd_disp_register registration */
	struct serve_reg *next;
	struct dia_bridge *bridge; /* NULL for direct handlers */
	dia_serve_fn fn;
	dia_direct_fn direct;
	void *ctx;
	struct disp_hdl *hdl;
};

enum post_kind { POST_ANSWER, POST_REQUEST };

struct post {
	enum post_kind kind;
	struct dia_bridge *bridge;
	struct pending *pending; /* POST_ANSWER */
	struct serve_reg *reg;   /* POST_REQUEST */
	struct msg *m;           /* answer received, or answer being prepared */
	int err;
};

static pthread_mutex_t g_regs_lock = PTHREAD_MUTEX_INITIALIZER;
static struct serve_reg *g_regs;

static void bridge_ref(struct dia_bridge *b)
{
	atomic_fetch_add(&b->refs, 1);
}

static void bridge_unref(struct dia_bridge *b)
{
	if (b && atomic_fetch_sub(&b->refs, 1) == 1) {
		pthread_mutex_destroy(&b->lock);
		free(b);
	}
}

/* ---- answering 5012 when a handler fails ---- */

/* Replace a (possibly half-filled) answer by a bare 5012 answer to the same
 * request. Returns the new answer, or NULL if even that failed (logged). */
static struct msg *answer_unable(struct msg *ans)
{
	struct msg *req = dia_answer_request(ans);
	int ret = -EINVAL;

	if (req && fd_msg_answ_detach(ans) == 0) {
		fd_msg_free(ans);
		ans = req;
		ret = dia_new_answer(&ans);
		if (ret == 0)
			ret = dia_set_result(ans, DIA_UNABLE_TO_COMPLY);
	}
	if (ret != 0) {
		log_err("diameter: cannot build the 5012 answer: %s", strerror(-ret));
		fd_msg_free(ans);
		return NULL;
	}
	return ans;
}

/* Send ans as it is if it carries a result, else (or if failed) 5012. */
static void finish_answer(struct msg *ans, bool failed, const char *why)
{
	uint32_t code;
	bool exp;

	if (!failed && dia_answer_result(ans, &code, &exp) != 0) {
		log_err("diameter: %s: handler gave no result code, answering 5012", why);
		failed = true;
	}
	if (failed)
		ans = answer_unable(ans);
	if (ans && dia_send_answer(&ans) != 0)
		log_err("diameter: %s: sending the answer failed", why);
}

/* ---- posting to the loop thread ---- */

static void post_deliver(su_root_magic_t *magic, su_msg_r sumsg, struct post *p);

/* Runs when the su_msg is destroyed: after delivery (nothing left) or
 * undelivered (root destroyed): release what the post still holds. */
static void post_deinit(struct post *p)
{
	if (p->m) {
		if (p->kind == POST_REQUEST)
			finish_answer(p->m, true, "undelivered request");
		else
			fd_msg_free(p->m);
		p->m = NULL;
	}
	free(p->pending);
	p->pending = NULL;
	bridge_unref(p->bridge);
	p->bridge = NULL;
}

/* Called on freeDiameter threads. Takes the post's msg and pending; on
 * failure returns -errno with them untouched (caller cleans up). */
static int post_to_loop(struct dia_bridge *b, const struct post *src)
{
	su_msg_r sumsg = SU_MSG_R_INIT;
	int ret = 0;

	pthread_mutex_lock(&b->lock);
	if (b->closed) {
		ret = -ECANCELED;
		goto out;
	}
	if (su_msg_create(sumsg, su_root_task(b->root), su_task_null, post_deliver,
			  sizeof(struct post)) != 0) {
		ret = -ENOMEM;
		goto out;
	}
	*su_msg_data(sumsg) = *src;
	su_msg_data(sumsg)->bridge = b;
	bridge_ref(b);
	su_msg_deinitializer(sumsg, post_deinit);
	/* Once created with its deinitializer the post owns m and pending:
	 * even a failed send releases them (or, at worst, leaks them). */
	if (su_msg_send(sumsg) != 0)
		log_err("diameter: su_msg_send to the loop failed");
out:
	pthread_mutex_unlock(&b->lock);
	return ret;
}

static void post_deliver(su_root_magic_t *magic, su_msg_r sumsg, struct post *p)
{
	struct dia_bridge *b = p->bridge;
	struct msg *m = p->m;

	(void)magic;
	(void)sumsg;
	p->m = NULL; /* ownership leaves the post; deinit frees the rest */
	if (p->kind == POST_ANSWER) {
		if (b->closed)
			fd_msg_free(m);
		else
			p->pending->cb(p->pending->ctx, m, p->err);
		return;
	}
	if (b->closed) {
		finish_answer(m, true, "bridge closed");
		return;
	}
	if (p->reg->fn(p->reg->ctx, &m) != 0)
		finish_answer(m, true, "request handler failed");
	else if (m)
		finish_answer(m, false, "request handler");
}

/* ---- client side ---- */

static void deliver_to_pending(struct pending *pd, struct msg *m, int err)
{
	struct post p = { .kind = POST_ANSWER, .pending = pd, .m = m, .err = err };
	struct dia_bridge *b = pd->bridge;

	atomic_fetch_sub(&b->pending, 1);
	if (post_to_loop(b, &p) != 0) {
		/* Bridge gone (or no memory): nobody to tell. */
		if (m)
			fd_msg_free(m);
		free(pd);
	}
	bridge_unref(b); /* the in-flight reference; the post holds its own */
}

static void on_answer(void *data, struct msg **ans)
{
	struct msg *m = *ans;

	*ans = NULL;
	deliver_to_pending(data, m, 0);
}

static void on_expire(void *data, DiamId_t sentto, size_t senttolen, struct msg **req)
{
	(void)sentto;
	(void)senttolen;
	fd_msg_free(*req);
	*req = NULL;
	deliver_to_pending(data, NULL, -ETIMEDOUT);
}

struct dia_bridge *dia_bridge_create(su_root_t *root)
{
	struct dia_bridge *b;

	if (!root)
		return NULL;
	b = calloc(1, sizeof *b);
	if (!b)
		return NULL;
	pthread_mutex_init(&b->lock, NULL);
	atomic_init(&b->refs, 1);
	atomic_init(&b->pending, 0);
	atomic_init(&b->limit, 0);
	atomic_init(&b->refused, 0);
	atomic_init(&b->overloaded, false);
	b->root = root;
	return b;
}

void dia_bridge_destroy(struct dia_bridge *b)
{
	if (!b)
		return;
	pthread_mutex_lock(&b->lock);
	b->closed = true;
	b->root = NULL;
	pthread_mutex_unlock(&b->lock);
	bridge_unref(b);
}

void dia_bridge_set_limit(struct dia_bridge *b, unsigned max)
{
	if (b)
		atomic_store(&b->limit, max);
}

unsigned dia_bridge_pending(const struct dia_bridge *b)
{
	return b ? atomic_load(&b->pending) : 0;
}

bool dia_bridge_busy(const struct dia_bridge *b, unsigned percent)
{
	unsigned long max = b ? atomic_load(&b->limit) : 0;

	return max && (unsigned long)atomic_load(&b->pending) * 100 >= max * percent;
}

/* Take one slot of the bound, or -EBUSY. Logs the start and the end of an
 * overload episode, not each refusal. */
static int take_slot(struct dia_bridge *b)
{
	unsigned max = atomic_load(&b->limit);
	unsigned n = atomic_fetch_add(&b->pending, 1);

	if (max && n >= max) {
		atomic_fetch_sub(&b->pending, 1);
		atomic_fetch_add(&b->refused, 1);
		if (!atomic_exchange(&b->overloaded, true))
			log_warn("diameter: %u requests in flight, refusing new ones (overload)",
				 max);
		return -EBUSY;
	}
	if (atomic_load(&b->overloaded) && atomic_exchange(&b->overloaded, false))
		log_notice("diameter: overload over, %lu requests refused",
			   atomic_exchange(&b->refused, 0));
	return 0;
}

int dia_bridge_send(struct dia_bridge *b, struct msg **req, int timeout_ms,
		    dia_answer_fn cb, void *ctx)
{
	struct pending *pd = NULL;
	struct timespec ts;
	int ret = 0;

	if (!b || !req || !*req || !cb || timeout_ms <= 0) {
		ret = -EINVAL;
		goto out;
	}
	ret = take_slot(b);
	if (ret != 0)
		goto out;
	pd = calloc(1, sizeof *pd);
	if (!pd) {
		atomic_fetch_sub(&b->pending, 1);
		ret = -ENOMEM;
		goto out;
	}
	pd->bridge = b;
	pd->cb = cb;
	pd->ctx = ctx;
	clock_gettime(CLOCK_REALTIME, &ts); /* freeDiameter wants realtime */
	ts.tv_sec += timeout_ms / 1000;
	ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	bridge_ref(b);
	ret = dia_neg(fd_msg_send_timeout(req, on_answer, pd, on_expire, &ts));
	if (ret != 0) {
		atomic_fetch_sub(&b->pending, 1);
		bridge_unref(b);
		goto out;
	}
	pd = NULL;
out:
	free(pd);
	if (req && *req) {
		fd_msg_free(*req);
		*req = NULL;
	}
	return ret;
}

/* ---- server side ---- */

static int on_request(struct msg **msg, struct avp *avp, struct session *sess,
		      void *opaque, enum disp_action *act)
{
	struct serve_reg *reg = opaque;
	struct msg *ans = *msg;
	struct post p = { .kind = POST_REQUEST, .reg = reg };
	int ret;

	(void)avp;
	(void)sess;
	*act = DISP_ACT_CONT;
	ret = dia_new_answer(&ans);
	if (ret != 0 && ans == *msg) {
		log_err("diameter: cannot create an answer: %s", strerror(-ret));
		return -ret;
	}
	*msg = NULL; /* we answer */
	if (ret != 0) {
		finish_answer(ans, true, "request");
		return 0;
	}
	if (reg->direct) {
		ret = reg->direct(reg->ctx, dia_answer_request(ans), ans);
		finish_answer(ans, ret != 0, "request handler");
		return 0;
	}
	p.m = ans;
	if (post_to_loop(reg->bridge, &p) != 0)
		finish_answer(ans, true, "request (loop unavailable)");
	return 0;
}

static int serve_register(struct serve_reg *reg, unsigned app, uint32_t cmd_code)
{
	struct disp_when when = { .app = dia_app(app), .command = dia_cmd(cmd_code, true) };
	int ret;

	if (!when.app || !when.command)
		return -EINVAL;
	ret = dia_neg(fd_disp_register(on_request, DISP_HOW_CC, &when, reg, &reg->hdl));
	if (ret != 0)
		return ret;
	pthread_mutex_lock(&g_regs_lock);
	reg->next = g_regs;
	g_regs = reg;
	pthread_mutex_unlock(&g_regs_lock);
	return 0;
}

int dia_bridge_serve(struct dia_bridge *b, unsigned app, uint32_t cmd_code,
		     dia_serve_fn handler, void *ctx)
{
	struct serve_reg *reg;
	int ret;

	if (!b || !handler)
		return -EINVAL;
	reg = calloc(1, sizeof *reg);
	if (!reg)
		return -ENOMEM;
	reg->bridge = b;
	reg->fn = handler;
	reg->ctx = ctx;
	bridge_ref(b);
	ret = serve_register(reg, app, cmd_code);
	if (ret != 0) {
		bridge_unref(b);
		free(reg);
	}
	return ret;
}

int dia_serve_direct(unsigned app, uint32_t cmd_code, dia_direct_fn handler, void *ctx)
{
	struct serve_reg *reg;
	int ret;

	if (!handler)
		return -EINVAL;
	reg = calloc(1, sizeof *reg);
	if (!reg)
		return -ENOMEM;
	reg->direct = handler;
	reg->ctx = ctx;
	ret = serve_register(reg, app, cmd_code);
	if (ret != 0)
		free(reg);
	return ret;
}

/* After fd_core_shutdown, which already removed every dispatch handler
 * (fd_disp_unregister_all): no thread can use a registration any more. */
void dia_serve_release_all(void)
{
	pthread_mutex_lock(&g_regs_lock);
	while (g_regs) {
		struct serve_reg *reg = g_regs;
		g_regs = reg->next;
		bridge_unref(reg->bridge);
		free(reg);
	}
	pthread_mutex_unlock(&g_regs_lock);
}
