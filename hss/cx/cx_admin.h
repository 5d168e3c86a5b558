/*
 * cx_admin: HSS-initiated Cx procedures — Registration-Termination (RTR,
 * TS 29.228 6.1.3; TS 29.229 6.1.9/6.1.10) and Push-Profile (PPR, 6.1.6;
 * TS 29.229 6.1.11/6.1.12) — carried out from the admin queue
 * (store_queue.h) that ims-hssctl fills.
 *
 * Threads: cx_admin_start() starts one thread with its own store; it polls
 * the queue every cx.admin_poll_interval, takes at most cx.admin_batch rows
 * and handles them one at a time: build the request, send it with
 * fd_msg_send_timeout and wait (bounded) for the answer, record the outcome
 * (done, failed, or pending again after a back-off; at most
 * cx.admin_max_attempts sends). freeDiameter's answer/expiry callbacks only
 * hand the answer to the waiting thread under the lock.
 * Life cycle: cx_admin_start() after dia_start(); cx_admin_halt() (joins the
 * thread) before dia_stop(); cx_admin_free() after dia_stop(), since a late
 * freeDiameter callback may still take the lock until then.
 */
#ifndef HSS_CX_ADMIN_H
#define HSS_CX_ADMIN_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hss_config.h"
#include "store/store_queue.h"

struct msg;

struct cx_admin {
	const struct hss_config *cfg;   /* borrowed */
	struct store_config db;         /* borrows cfg's strings */
	struct store *st;               /* the thread's; NULL until connected */
	pthread_t thread;
	bool running;
	pthread_mutex_t lock;           /* protects what follows */
	pthread_cond_t cond;
	bool stop;
	uint64_t seq;                   /* id of the request being waited for */
	bool answered;                  /* callback for seq arrived */
	struct msg *answer;             /* its answer; NULL = expired/undelivered */
};

int cx_admin_start(struct cx_admin *a, const struct hss_config *cfg);
void cx_admin_halt(struct cx_admin *a);
void cx_admin_free(struct cx_admin *a);

/* ---- shared by admin_*.c, rtr.c, ppr.c ---- */

enum cx_admin_verdict {
	CX_ADMIN_DONE,
	CX_ADMIN_RETRY,    /* transient: no answer, 3002/3004, database error */
	CX_ADMIN_FAILED,
};

struct cx_admin_outcome {
	enum cx_admin_verdict verdict;
	unsigned int code;                   /* answer's result code, 0 = none */
	char detail[STORE_QUEUE_TEXT_MAX];
};

/* Diameter host and realm of the S-CSCF named server_name (a SIP URI):
 * the cx.scscf_hosts entry, else the URI's host part and our realm.
 * *realm borrows the config. 0 or -EINVAL (no host in the URI). */
int cx_admin_scscf_host(const struct hss_config *cfg, const char *server_name,
			char *host, size_t hostlen, const char **realm);

/* Send *req (taken) and wait for its answer: 0 with *ans (caller frees),
 * -ETIMEDOUT (no answer in time), -ECANCELED (halting) or -errno. */
int cx_admin_send(struct cx_admin *a, struct msg **req, struct msg **ans);

/* Judge an answer (or a send error) into out; what names the procedure. */
void cx_admin_judge(struct msg *ans, int err, const char *what, struct cx_admin_outcome *out);

/* One queue row each; they fill out and log one line. */
void cx_rtr_run(struct cx_admin *a, const struct store_queue_item *it,
		struct cx_admin_outcome *out);
void cx_ppr_run(struct cx_admin *a, const struct store_queue_item *it,
		struct cx_admin_outcome *out);

#endif
