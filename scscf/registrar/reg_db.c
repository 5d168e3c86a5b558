/* reg_db: see reg_db.h for the contract and why write-back. */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include "reg_db.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <mysql.h>

#include "ims/heap.h"
#include "ims/log.h"
#include "reg_load_pool.h"
#include "reg_row.h"

#define DB_RETRY_MS 1000

enum { ST_SET_PUT, ST_SET_DEL, ST_SUB_PUT, ST_SUB_DEL, ST_SET_ALL, ST_SUB_ALL, ST_N };

static const char *const writer_sql[ST_N] = {
	[ST_SET_PUT] = "INSERT INTO scscf_reg_set (scscf_name, impu, impi, expires_at, data) "
		       "VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE impi = VALUES(impi), "
		       "expires_at = VALUES(expires_at), data = VALUES(data)",
	[ST_SET_DEL] = "DELETE FROM scscf_reg_set WHERE scscf_name = ? AND impu = ?",
	[ST_SUB_PUT] = "INSERT INTO scscf_reg_sub (scscf_name, call_id, impu, expires_at, data) "
		       "VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE impu = VALUES(impu), "
		       "expires_at = VALUES(expires_at), data = VALUES(data)",
	[ST_SUB_DEL] = "DELETE FROM scscf_reg_sub WHERE scscf_name = ? AND call_id = ?",
	[ST_SET_ALL] = "DELETE FROM scscf_reg_set WHERE scscf_name = ?",
	[ST_SUB_ALL] = "DELETE FROM scscf_reg_sub WHERE scscf_name = ?",
};

/* Puts go PUT_MANY rows to a statement: one round trip and one statement
 * for the database to run instead of PUT_MANY (a flush at 500
 * registrations/s carries ~50 rows). */
#define PUT_MANY 16
static const char *const put_head[2] = {
	"INSERT INTO scscf_reg_set (scscf_name, impu, impi, expires_at, data) VALUES ",
	"INSERT INTO scscf_reg_sub (scscf_name, call_id, impu, expires_at, data) VALUES ",
};
static const char *const put_tail[2] = {
	" ON DUPLICATE KEY UPDATE impi = VALUES(impi), expires_at = VALUES(expires_at), "
	"data = VALUES(data)",
	" ON DUPLICATE KEY UPDATE impu = VALUES(impu), expires_at = VALUES(expires_at), "
	"data = VALUES(data)",
};

struct reg_db {
	const struct scscf_db_config *cfg;
	char *owner;
	MYSQL *load_conn;            /* reg_db_load's, closed after it */
	pthread_t thread;
	bool started;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	/* under lock: */
	struct reg_row *rows;        /* the batch the writer holds, or NULL */
	size_t n_rows;
	bool full, has_batch, stop, abandon;
	/* writer thread only: */
	MYSQL *conn;
	MYSQL_STMT *st[ST_N];
	MYSQL_STMT *many[2];         /* PUT_MANY rows at once: sets, subscriptions */
	bool down;                   /* outage logged */
	char error[256];             /* the last database error */
};

static MYSQL *db_connect(const struct scscf_db_config *c)
{
	MYSQL *m = mysql_init(NULL);
	unsigned int ct = (unsigned int)((c->connect_timeout + 999) / 1000);
	unsigned int rt = (unsigned int)((c->read_timeout + 999) / 1000);
	my_bool off = 0;

	if (!m)
		return NULL;
	/* We reconnect ourselves: auto-reconnect silently invalidates prepared
	 * statements (shared notes, MariaDB section). */
	mysql_options(m, MYSQL_OPT_RECONNECT, &off);
	mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &ct);
	mysql_options(m, MYSQL_OPT_READ_TIMEOUT, &rt);
	mysql_options(m, MYSQL_OPT_WRITE_TIMEOUT, &rt);
	mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	if (!mysql_real_connect(m, c->host, c->user, c->password, c->name, c->port, c->socket, 0)) {
		log_err("registrar db: connect to %s:%u db %s as %s: %s", c->host ? c->host : "",
			(unsigned)c->port, c->name ? c->name : "", c->user ? c->user : "",
			mysql_error(m));
		mysql_close(m);
		return NULL;
	}
	return m;
}

static void bind_str(MYSQL_BIND *b, const char *s, unsigned long *len)
{
	memset(b, 0, sizeof *b);
	*len = (unsigned long)strlen(s);
	b->buffer_type = MYSQL_TYPE_STRING;
	b->buffer = (void *)s;
	b->buffer_length = *len;
	b->length = len;
}

static void bind_blob(MYSQL_BIND *b, const char *p, size_t n, unsigned long *len)
{
	memset(b, 0, sizeof *b);
	*len = (unsigned long)n;
	b->buffer_type = MYSQL_TYPE_BLOB;
	b->buffer = (void *)p;
	b->buffer_length = *len;
	b->length = len;
}

static void bind_i64(MYSQL_BIND *b, int64_t *v)
{
	memset(b, 0, sizeof *b);
	b->buffer_type = MYSQL_TYPE_LONGLONG;
	b->buffer = v;
}

static int stmt_run(MYSQL_STMT *s, MYSQL_BIND *b)
{
	if (mysql_stmt_bind_param(s, b) || mysql_stmt_execute(s)) {
		log_debug("registrar db: %s", mysql_stmt_error(s));
		return -EIO;
	}
	return 0;
}

static MYSQL_STMT *prepare(MYSQL *m, const char *sql)
{
	MYSQL_STMT *s = mysql_stmt_init(m);

	if (s && mysql_stmt_prepare(s, sql, (unsigned long)strlen(sql)) == 0)
		return s;
	log_err("registrar db: prepare: %s", s ? mysql_stmt_error(s) : mysql_error(m));
	if (s)
		mysql_stmt_close(s);
	return NULL;
}

/* ---- writer thread ---- */

static void writer_disconnect(struct reg_db *db)
{
	size_t i;

	for (i = 0; i < ST_N; i++) {
		if (db->st[i])
			mysql_stmt_close(db->st[i]);
		db->st[i] = NULL;
	}
	for (i = 0; i < 2; i++) {
		if (db->many[i])
			mysql_stmt_close(db->many[i]);
		db->many[i] = NULL;
	}
	if (db->conn)
		mysql_close(db->conn);
	db->conn = NULL;
}

static int writer_connect(struct reg_db *db)
{
	size_t i;

	if (db->conn)
		return 0;
	db->conn = db_connect(db->cfg);
	if (!db->conn)
		return -EIO;
	for (i = 0; i < ST_N; i++) {
		db->st[i] = prepare(db->conn, writer_sql[i]);
		if (!db->st[i]) {
			writer_disconnect(db);
			return -EIO;
		}
	}
	for (i = 0; i < 2; i++) {
		char sql[1024];
		int at = snprintf(sql, sizeof sql, "%s", put_head[i]);

		for (size_t r = 0; r < PUT_MANY; r++)
			at += snprintf(sql + at, sizeof sql - (size_t)at, "%s(?, ?, ?, ?, ?)",
				       r ? ", " : "");
		snprintf(sql + at, sizeof sql - (size_t)at, "%s", put_tail[i]);
		db->many[i] = prepare(db->conn, sql);
		if (!db->many[i]) {
			writer_disconnect(db);
			return -EIO;
		}
	}
	return 0;
}

static int write_row(struct reg_db *db, const struct reg_row *row)
{
	bool set = row->kind == REG_ROW_SET;
	unsigned long len[5];
	MYSQL_BIND b[5];
	int64_t exp = row->expires_wall;

	bind_str(&b[0], db->owner, &len[0]);
	bind_str(&b[1], row->key, &len[1]);
	if (!row->data)
		return stmt_run(db->st[set ? ST_SET_DEL : ST_SUB_DEL], b);
	bind_str(&b[2], row->impi, &len[2]);
	bind_i64(&b[3], &exp);
	bind_blob(&b[4], row->data, row->len, &len[4]);
	return stmt_run(db->st[set ? ST_SET_PUT : ST_SUB_PUT], b);
}

/* PUT_MANY puts of one kind (rows[idx[0..PUT_MANY-1]]) in one statement. */
static int write_many(struct reg_db *db, int kind, const struct reg_row *rows, const size_t *idx)
{
	MYSQL_BIND b[5 * PUT_MANY];
	unsigned long len[5 * PUT_MANY];
	int64_t exp[PUT_MANY];
	size_t r;

	for (r = 0; r < PUT_MANY; r++) {
		const struct reg_row *row = &rows[idx[r]];
		size_t k = 5 * r;

		exp[r] = row->expires_wall;
		bind_str(&b[k], db->owner, &len[k]);
		bind_str(&b[k + 1], row->key, &len[k + 1]);
		bind_str(&b[k + 2], row->impi, &len[k + 2]);
		bind_i64(&b[k + 3], &exp[r]);
		bind_blob(&b[k + 4], row->data, row->len, &len[k + 4]);
	}
	return stmt_run(db->many[kind], b);
}

/* The rows of a batch: puts of each kind PUT_MANY at a time, the rest one
 * by one. Keys are unique within a batch (reg_dirty coalesces), so the
 * order between rows does not matter. */
static int write_rows(struct reg_db *db, const struct reg_row *rows, size_t n)
{
	size_t idx[2][PUT_MANY], have[2] = { 0, 0 }, i;
	int rc;

	for (i = 0; i < n; i++) {
		int kind = rows[i].kind == REG_ROW_SET ? 0 : 1;

		if (!rows[i].data) {
			rc = write_row(db, &rows[i]);
		} else {
			idx[kind][have[kind]++] = i;
			if (have[kind] < PUT_MANY)
				continue;
			rc = write_many(db, kind, rows, idx[kind]);
			have[kind] = 0;
		}
		if (rc < 0)
			return rc;
	}
	for (int kind = 0; kind < 2; kind++)
		for (i = 0; i < have[kind]; i++)
			if ((rc = write_row(db, &rows[idx[kind][i]])) < 0)
				return rc;
	return 0;
}

/* One transaction: every row of the batch or none. */
static int write_batch(struct reg_db *db, const struct reg_row *rows, size_t n, bool full)
{
	unsigned long len;
	MYSQL_BIND b[1];
	int rc;

	if ((rc = writer_connect(db)) < 0) {
		snprintf(db->error, sizeof db->error, "cannot connect");
		return rc;
	}
	if (mysql_autocommit(db->conn, 0)) {
		rc = -EIO;
		goto out;
	}
	bind_str(&b[0], db->owner, &len);
	if (full && ((rc = stmt_run(db->st[ST_SET_ALL], b)) < 0 ||
		     (rc = stmt_run(db->st[ST_SUB_ALL], b)) < 0))
		goto out;
	if ((rc = write_rows(db, rows, n)) < 0)
		goto out;
	if (mysql_commit(db->conn))
		rc = -EIO;
out:
	if (rc < 0) {
		snprintf(db->error, sizeof db->error, "%s", mysql_error(db->conn));
		mysql_rollback(db->conn);
		writer_disconnect(db); /* a fresh connection next time */
	}
	return rc;
}

static void rows_free(struct reg_row *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		reg_row_clear(&rows[i]);
	free(rows);
}

static void *writer_main(void *arg)
{
	struct reg_db *db = arg;
	struct reg_row *rows;
	size_t n;
	bool full;
	int rc;

	mysql_thread_init();
	pthread_mutex_lock(&db->lock);
	for (;;) {
		while (!db->has_batch && !db->stop)
			pthread_cond_wait(&db->cond, &db->lock);
		if (!db->has_batch || db->abandon)
			break;
		rows = db->rows;
		n = db->n_rows;
		full = db->full;
		pthread_mutex_unlock(&db->lock);
		rc = write_batch(db, rows, n, full);
		pthread_mutex_lock(&db->lock);
		if (rc == 0) {
			rows_free(db->rows, db->n_rows);
			db->rows = NULL;
			db->n_rows = 0;
			db->has_batch = false;
			if (db->down)
				log_notice("registrar db: reachable again, pending changes written");
			db->down = false;
			pthread_cond_broadcast(&db->cond);
			continue;
		}
		if (!db->down)
			log_err("registrar db: cannot write: %s (%zu change(s) held, coalescing; "
				"retry every %d ms)", db->error, n, DB_RETRY_MS);
		db->down = true;
		if (!db->abandon) {
			struct timespec t;

			clock_gettime(CLOCK_REALTIME, &t);
			t.tv_sec += DB_RETRY_MS / 1000;
			pthread_cond_timedwait(&db->cond, &db->lock, &t);
		}
	}
	pthread_mutex_unlock(&db->lock);
	writer_disconnect(db);
	mysql_thread_end();
	return NULL;
}

/* ---- loop side ---- */

bool reg_db_busy(struct reg_db *db)
{
	bool busy;

	pthread_mutex_lock(&db->lock);
	busy = db->has_batch;
	pthread_mutex_unlock(&db->lock);
	return busy;
}

int reg_db_submit(struct reg_db *db, struct reg_row *rows, size_t n, bool full)
{
	int rc = 0;

	pthread_mutex_lock(&db->lock);
	if (db->has_batch) {
		rc = -EBUSY;
	} else {
		db->rows = rows;
		db->n_rows = n;
		db->full = full;
		db->has_batch = true;
		pthread_cond_broadcast(&db->cond);
	}
	pthread_mutex_unlock(&db->lock);
	return rc;
}

int reg_db_open(const struct scscf_db_config *cfg, const char *owner, struct reg_db **out)
{
	struct reg_db *db;
	int rc;

	*out = NULL;
	if (mysql_library_init(0, NULL, NULL))
		return -EIO;
	db = calloc(1, sizeof *db);
	if (!db)
		return -ENOMEM;
	db->cfg = cfg;
	pthread_mutex_init(&db->lock, NULL);
	pthread_cond_init(&db->cond, NULL);
	db->owner = strdup(owner);
	if (!db->owner) {
		rc = -ENOMEM;
		goto fail;
	}
	db->load_conn = db_connect(cfg);
	if (!db->load_conn) {
		rc = -EIO;
		goto fail;
	}
	rc = -pthread_create(&db->thread, NULL, writer_main, db);
	if (rc < 0)
		goto fail;
	db->started = true;
	*out = db;
	return 0;
fail:
	reg_db_close(db, 0);
	return rc;
}

void reg_db_close(struct reg_db *db, int wait_ms)
{
	struct timespec t;

	if (!db)
		return;
	if (db->started) {
		clock_gettime(CLOCK_REALTIME, &t);
		t.tv_sec += wait_ms / 1000;
		t.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
		if (t.tv_nsec >= 1000000000L) {
			t.tv_sec++;
			t.tv_nsec -= 1000000000L;
		}
		pthread_mutex_lock(&db->lock);
		db->stop = true;
		pthread_cond_broadcast(&db->cond);
		while (db->has_batch && pthread_cond_timedwait(&db->cond, &db->lock, &t) == 0)
			;
		if (db->has_batch)
			log_err("registrar db: stopping with %zu change(s) unwritten", db->n_rows);
		db->abandon = true;
		pthread_cond_broadcast(&db->cond);
		pthread_mutex_unlock(&db->lock);
		pthread_join(db->thread, NULL);
	}
	rows_free(db->rows, db->n_rows);
	if (db->load_conn)
		mysql_close(db->load_conn);
	pthread_cond_destroy(&db->cond);
	pthread_mutex_destroy(&db->lock);
	free(db->owner);
	free(db);
	mysql_library_end();
}

/* ---- start: take-over and load (before the loop serves) ---- */

static int run_owner(MYSQL *m, const char *sql, const char *a, const char *b2, int64_t *v)
{
	MYSQL_STMT *s = prepare(m, sql);
	unsigned long len[2];
	MYSQL_BIND b[3];
	int rc;

	if (!s)
		return -EIO;
	bind_str(&b[0], a, &len[0]);
	if (b2)
		bind_str(&b[1], b2, &len[1]);
	if (v)
		bind_i64(&b[b2 ? 2 : 1], v);
	rc = stmt_run(s, b);
	if (rc < 0)
		log_err("registrar db: %s", mysql_stmt_error(s));
	mysql_stmt_close(s);
	return rc;
}

/* The rows of `from` become ours, in one transaction (a key we hold
 * ourselves already stays ours). */
static int take_over(struct reg_db *db, const char *from)
{
	MYSQL *m = db->load_conn;
	int rc;

	if (mysql_autocommit(m, 0))
		return -EIO;
	if ((rc = run_owner(m, "UPDATE IGNORE scscf_reg_set SET scscf_name = ? WHERE scscf_name = ?",
			    db->owner, from, NULL)) < 0 ||
	    (rc = run_owner(m, "DELETE FROM scscf_reg_set WHERE scscf_name = ?", from, NULL, NULL)) < 0 ||
	    (rc = run_owner(m, "UPDATE IGNORE scscf_reg_sub SET scscf_name = ? WHERE scscf_name = ?",
			    db->owner, from, NULL)) < 0 ||
	    (rc = run_owner(m, "DELETE FROM scscf_reg_sub WHERE scscf_name = ?", from, NULL, NULL)) < 0 ||
	    mysql_commit(m)) {
		mysql_rollback(m);
		rc = rc < 0 ? rc : -EIO;
	}
	mysql_autocommit(m, 1);
	return rc;
}

/* Adds the oldest row read by the pool to st/ev; false when none was
 * pending. -ENOMEM in *rc stops the load. */
static bool add_next(struct reg_load_pool *pool, struct reg_store *st, struct reg_events *ev,
		     size_t *loaded, size_t *damaged, int *rc)
{
	struct reg_item it;
	bool kept = false;
	int r;

	if (!reg_load_pool_pop(pool, &it, &r))
		return false;
	if (r == 0)
		r = reg_persist_add_item(&it, st, ev, &kept);
	else
		reg_item_clear(&it);
	/* The load is one long loop turn: fault the heap it grows in a step
	 * at a time (ims/heap.h), not page by page. */
	if (((*loaded + *damaged) & 63) == 0)
		heap_prefault();
	if (r == -ENOMEM)
		*rc = r;
	else if (r < 0)
		(*damaged)++;
	if (kept)
		(*loaded)++;
	return true;
}

/* Threads that read rows besides the loop: one per other CPU this process
 * may run on (a daemon pinned to one CPU reads them all on the loop). */
static size_t load_workers(void)
{
	cpu_set_t set;
	long n;

	if (sched_getaffinity(0, sizeof set, &set) == 0)
		n = CPU_COUNT(&set);
	else
		n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 1 ? (size_t)(n - 1) : 0;
}

/* Every `data` of our rows in table (sets, then subscriptions) into st/ev.
 * The loop thread fetches rows and adds them; their reading (the XML parse
 * of each profile) is spread over reg_load_pool's workers. */
static int load_table(struct reg_db *db, const char *sql, struct reg_store *st,
		      struct reg_events *ev, int64_t now, int64_t wall, size_t *loaded,
		      size_t *damaged)
{
	MYSQL_STMT *s = prepare(db->load_conn, sql);
	struct reg_load_pool *pool = NULL;
	unsigned long olen, dlen = 0;
	MYSQL_BIND p[1], res[1];
	char *buf = NULL;
	int rc = -EIO, f, added = 0;

	if (!s)
		return -EIO;
	if (reg_load_pool_create(load_workers(), now, wall, &pool) < 0) {
		mysql_stmt_close(s);
		return -ENOMEM;
	}
	bind_str(&p[0], db->owner, &olen);
	memset(res, 0, sizeof res);
	res[0].buffer_type = MYSQL_TYPE_BLOB;
	res[0].length = &dlen;
	/* Rows are streamed (no mysql_stmt_store_result): buffering them all
	 * client-side first costs the whole table in heap and page faults. */
	if (mysql_stmt_bind_param(s, p) || mysql_stmt_execute(s) ||
	    mysql_stmt_bind_result(s, res)) {
		log_err("registrar db: load: %s", mysql_stmt_error(s));
		goto out;
	}
	while ((f = mysql_stmt_fetch(s)) == 0 || f == MYSQL_DATA_TRUNCATED) {
		MYSQL_BIND col;

		buf = malloc(dlen ? dlen : 1);
		if (!buf) {
			rc = -ENOMEM;
			goto out;
		}
		memset(&col, 0, sizeof col);
		col.buffer_type = MYSQL_TYPE_BLOB;
		col.buffer = buf;
		col.buffer_length = dlen;
		if (dlen && mysql_stmt_fetch_column(s, &col, 0, 0)) {
			(*damaged)++;
			free(buf);
			buf = NULL;
			continue;
		}
		while (reg_load_pool_push(pool, buf, dlen) == -EAGAIN)
			add_next(pool, st, ev, loaded, damaged, &added);
		buf = NULL; /* the pool's */
		if (added == -ENOMEM) {
			rc = -ENOMEM;
			goto out;
		}
	}
	while (added == 0 && add_next(pool, st, ev, loaded, damaged, &added))
		;
	rc = added == -ENOMEM ? -ENOMEM : f == MYSQL_NO_DATA ? 0 : -EIO;
out:
	reg_load_pool_destroy(pool);
	free(buf);
	mysql_stmt_close(s);
	return rc;
}

int reg_db_load(struct reg_db *db, const char *takeover, struct reg_store *st,
		struct reg_events *ev, int64_t now, int64_t wall, size_t *loaded, size_t *damaged)
{
	int64_t w = wall;
	int rc = 0;

	*loaded = *damaged = 0;
	if (!db->load_conn)
		return -EIO;
	if (takeover && strcmp(takeover, db->owner) != 0) {
		rc = take_over(db, takeover);
		if (rc < 0)
			goto out;
		log_notice("registrar db: rows of %s taken over by %s", takeover, db->owner);
	}
	/* What expired while we were down goes now (the HSS has timed it out
	 * or will be told at the next REGISTER). */
	if ((rc = run_owner(db->load_conn, "DELETE FROM scscf_reg_set WHERE scscf_name = ? "
			    "AND expires_at <= ?", db->owner, NULL, &w)) < 0 ||
	    (rc = run_owner(db->load_conn, "DELETE FROM scscf_reg_sub WHERE scscf_name = ? "
			    "AND expires_at <= ?", db->owner, NULL, &w)) < 0)
		goto out;
	rc = load_table(db, "SELECT data FROM scscf_reg_set WHERE scscf_name = ?", st, ev, now,
			wall, loaded, damaged);
	if (rc == 0)
		rc = load_table(db, "SELECT data FROM scscf_reg_sub WHERE scscf_name = ?", st, ev,
				now, wall, loaded, damaged);
out:
	mysql_close(db->load_conn);
	db->load_conn = NULL;
	return rc;
}
