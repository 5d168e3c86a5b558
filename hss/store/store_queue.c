/* store_queue: the admin_request table (see store_queue.h). */
#include "store_queue.h"
#include "store_db.h"

#include <errno.h>
#include <string.h>

#define QUEUE_COLUMNS \
	"id, kind, state, impi, COALESCE(impu, ''), reason_code, COALESCE(reason_info, '')," \
	" attempts, result_code, COALESCE(detail, '')"
#define QUEUE_NCOL 10

struct queue_row {
	MYSQL_BIND res[QUEUE_NCOL];
	int kind, state, reason, attempts, result;
	struct store_queue_item it;
};

static void row_bind(struct queue_row *r)
{
	memset(r, 0, sizeof *r);
	sdb_out_u64(&r->res[0], &r->it.id);
	sdb_out_int(&r->res[1], &r->kind);
	sdb_out_int(&r->res[2], &r->state);
	sdb_out_str(&r->res[3], r->it.impi, sizeof r->it.impi);
	sdb_out_str(&r->res[4], r->it.impu, sizeof r->it.impu);
	sdb_out_int(&r->res[5], &r->reason);
	sdb_out_str(&r->res[6], r->it.reason_info, sizeof r->it.reason_info);
	sdb_out_int(&r->res[7], &r->attempts);
	sdb_out_int(&r->res[8], &r->result);
	sdb_out_str(&r->res[9], r->it.detail, sizeof r->it.detail);
}

static void row_copy(const struct queue_row *r, struct store_queue_item *out)
{
	*out = r->it;
	out->kind = (enum store_queue_kind)r->kind;
	out->state = (enum store_queue_state)r->state;
	out->reason_code = (unsigned int)r->reason;
	out->attempts = (unsigned int)r->attempts;
	out->result_code = (unsigned int)r->result;
}

int store_queue_add(struct store *st, const struct store_queue_item *item, uint64_t *id)
{
	static const char sql[] =
		"INSERT INTO admin_request (kind, impi, impu, reason_code, reason_info)"
		" VALUES (?, ?, ?, ?, ?)";
	int kind = (int)item->kind, reason = (int)item->reason_code;
	MYSQL_BIND par[5];
	MYSQL_STMT *s = NULL;
	int rc;

	if ((item->kind != STORE_QUEUE_RTR && item->kind != STORE_QUEUE_PPR) || !item->impi[0])
		return -EINVAL;
	sdb_in_int(&par[0], &kind);
	sdb_in_str(&par[1], item->impi);
	sdb_in_str(&par[2], item->impu[0] ? item->impu : NULL);
	sdb_in_int(&par[3], &reason);
	sdb_in_str(&par[4], item->reason_info[0] ? item->reason_info : NULL);
	rc = sdb_run(st, sql, par, NULL, &s);
	if (rc == 0 && id)
		*id = mysql_stmt_insert_id(s);
	return rc;
}

int store_queue_get(struct store *st, uint64_t id, struct store_queue_item *out)
{
	static const char sql[] = "SELECT " QUEUE_COLUMNS " FROM admin_request WHERE id = ?";
	struct queue_row r;
	MYSQL_BIND par[1];
	MYSQL_STMT *s = NULL;
	int rc;

	row_bind(&r);
	sdb_in_u64(&par[0], &id);
	rc = sdb_run(st, sql, par, r.res, &s);
	if (rc)
		return rc;
	rc = sdb_fetch(s, r.res, QUEUE_NCOL);
	sdb_done(s);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return -ENOENT;
	row_copy(&r, out);
	return 0;
}

struct claim_args {
	unsigned int stale_s;
	struct store_queue_item *items;
	size_t max, n;
};

static int claim_tx(struct store *st, void *arg)
{
	/* SKIP LOCKED: rows another HSS is claiming right now are left to it. */
	static const char sql_sel[] =
		"SELECT " QUEUE_COLUMNS " FROM admin_request"
		" WHERE (state = 0 AND next_at <= NOW(3))"
		" OR (state = 1 AND claimed_at < NOW(3) - INTERVAL ? SECOND)"
		" ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED";
	static const char sql_upd[] =
		"UPDATE admin_request SET state = 1, attempts = attempts + 1,"
		" claimed_at = NOW(3) WHERE id = ?";
	struct claim_args *a = arg;
	struct queue_row r;
	MYSQL_BIND par[2];
	MYSQL_STMT *s = NULL;
	int stale = (int)a->stale_s, lim = (int)a->max, rc;

	a->n = 0;
	row_bind(&r);
	sdb_in_int(&par[0], &stale);
	sdb_in_int(&par[1], &lim);
	rc = sdb_run(st, sql_sel, par, r.res, &s);
	if (rc)
		return rc;
	while (a->n < a->max && (rc = sdb_fetch(s, r.res, QUEUE_NCOL)) == 1)
		row_copy(&r, &a->items[a->n++]);
	sdb_done(s);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < a->n; i++) {
		sdb_in_u64(&par[0], &a->items[i].id);
		if ((rc = sdb_run(st, sql_upd, par, NULL, NULL)))
			return rc;
		a->items[i].state = STORE_QUEUE_SENDING;
		a->items[i].attempts++;
	}
	return 0;
}

int store_queue_claim(struct store *st, unsigned int stale_s, struct store_queue_item *items,
		      size_t max, size_t *n)
{
	struct claim_args a = { .stale_s = stale_s, .items = items, .max = max };
	int rc;

	*n = 0;
	if (max == 0)
		return 0;
	rc = sdb_tx(st, claim_tx, &a);
	if (rc == 0)
		*n = a.n;
	return rc;
}

int store_queue_finish(struct store *st, uint64_t id, enum store_queue_state state,
		       unsigned int result_code, const char *detail)
{
	static const char sql[] =
		"UPDATE admin_request SET state = ?, result_code = ?, detail = ?,"
		" finished_at = NOW(3) WHERE id = ?";
	int stv = (int)state, res = (int)result_code;
	MYSQL_BIND par[4];

	if (state != STORE_QUEUE_DONE && state != STORE_QUEUE_FAILED)
		return -EINVAL;
	sdb_in_int(&par[0], &stv);
	sdb_in_int(&par[1], &res);
	sdb_in_str(&par[2], detail);
	sdb_in_u64(&par[3], &id);
	return sdb_run(st, sql, par, NULL, NULL);
}

int store_queue_retry(struct store *st, uint64_t id, unsigned int delay_ms,
		      unsigned int result_code, const char *detail)
{
	static const char sql[] =
		"UPDATE admin_request SET state = 0, result_code = ?, detail = ?,"
		" next_at = NOW(3) + INTERVAL ? MICROSECOND WHERE id = ?";
	int res = (int)result_code;
	uint64_t us = (uint64_t)delay_ms * 1000u;
	MYSQL_BIND par[4];

	sdb_in_int(&par[0], &res);
	sdb_in_str(&par[1], detail);
	sdb_in_u64(&par[2], &us);
	sdb_in_u64(&par[3], &id);
	return sdb_run(st, sql, par, NULL, NULL);
}

int store_impu_set_barring(struct store *st, const char *impu, bool barred)
{
	static const char sql_upd[] = "UPDATE impu SET barring = ? WHERE identity = ?";
	int b = barred ? 1 : 0;
	MYSQL_BIND par[2];
	MYSQL_STMT *s = NULL;
	int rc;

	sdb_in_int(&par[0], &b);
	sdb_in_str(&par[1], impu);
	rc = sdb_run(st, sql_upd, par, NULL, &s);
	/* CLIENT_FOUND_ROWS: matched rows, so 0 means no such IMPU. */
	if (rc == 0 && mysql_stmt_affected_rows(s) == 0)
		rc = -ENOENT;
	return rc;
}
