/*
 * store_queue: the queue of HSS-initiated Cx procedures (table
 * admin_request, migration 0003): ims-hssctl adds requests (RTR, TS 29.228
 * 6.1.3; PPR, 6.1.6) from any host with database access, ims-hss claims
 * them in batches, sends them and records the outcome.
 *
 * Several HSS instances may poll one database: a claim locks rows with
 * SKIP LOCKED and marks them SENDING, so each row goes to one HSS; a row
 * left SENDING longer than the stale time (an HSS died) is claimed again.
 * Same conventions as store.h: 0 or -errno; one store per thread.
 */
#ifndef HSS_STORE_QUEUE_H
#define HSS_STORE_QUEUE_H

#include "store.h"

enum store_queue_kind {
	STORE_QUEUE_RTR = 1,
	STORE_QUEUE_PPR = 2,
};

enum store_queue_state {
	STORE_QUEUE_PENDING = 0,
	STORE_QUEUE_SENDING = 1,
	STORE_QUEUE_DONE = 2,
	STORE_QUEUE_FAILED = 3,
};

#define STORE_QUEUE_TEXT_MAX 256

struct store_queue_item {
	uint64_t id;
	enum store_queue_kind kind;
	enum store_queue_state state;
	char impi[STORE_IDENTITY_MAX];
	char impu[STORE_IDENTITY_MAX];       /* "" = every IMPU of impi (RTR) */
	unsigned int reason_code;            /* RTR Reason-Code (TS 29.229 6.3.17) */
	char reason_info[STORE_QUEUE_TEXT_MAX];  /* "" = none */
	unsigned int attempts;               /* sends started so far */
	unsigned int result_code;            /* of the last answer, 0 = none */
	char detail[STORE_QUEUE_TEXT_MAX];   /* why it failed/what was done */
};

/* Queue a request (kind, impi, impu, reason_code, reason_info of item);
 * *id gets its row id. */
int store_queue_add(struct store *st, const struct store_queue_item *item, uint64_t *id);
/* Read one row. -ENOENT if there is none with this id. */
int store_queue_get(struct store *st, uint64_t id, struct store_queue_item *out);
/* Take up to max due rows (pending and due, or sending for longer than
 * stale_s seconds), oldest first: they become SENDING and their attempts
 * count grows by one. *n = rows taken into items[]. */
int store_queue_claim(struct store *st, unsigned int stale_s, struct store_queue_item *items,
		      size_t max, size_t *n);
/* Final outcome: state DONE or FAILED with the answer's code and a detail. */
int store_queue_finish(struct store *st, uint64_t id, enum store_queue_state state,
		       unsigned int result_code, const char *detail);
/* Back to PENDING, due again in delay_ms (a retry). */
int store_queue_retry(struct store *st, uint64_t id, unsigned int delay_ms,
		      unsigned int result_code, const char *detail);

/* Set or clear the barring of an IMPU (TS 29.228 6.5.2.1 BarringIndication);
 * -ENOENT for an unknown IMPU. */
int store_impu_set_barring(struct store *st, const char *impu, bool barred);

#endif
