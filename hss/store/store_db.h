/*
 * store_db: internal helpers shared by the store_*.c files — the connection,
 * a per-connection cache of prepared statements keyed by their SQL text
 * (static strings, compared by address), execution with one retry after a
 * lost connection, and MYSQL_BIND helpers. Not for use outside hss/store.
 */
#ifndef HSS_STORE_DB_H
#define HSS_STORE_DB_H

#include <mysql.h>

#include "store.h"

#define SDB_STMT_MAX 64

struct sdb_cached {
	const char *sql;
	MYSQL_STMT *stmt;
};

struct store {
	MYSQL *conn;             /* NULL after a failed reconnect */
	struct store_config cfg; /* deep copy */
	struct sdb_cached cache[SDB_STMT_MAX];
	size_t n_cache;
	bool in_tx;              /* no silent retry inside a transaction */
};

/* Execute sql (a string literal: cached by address) with params (may be
 * NULL). With res != NULL, results are bound and buffered; fetch them with
 * sdb_fetch() and finish with sdb_done(). Outside a transaction a lost
 * connection is reopened and the statement retried once, and a statement
 * InnoDB rolled back to resolve a deadlock is run again (at most 3 times).
 * Returns 0, -ENOTCONN (lost), -EEXIST (duplicate key), -ENOENT (foreign
 * key to a missing row), -EINVAL (check constraint), -EDEADLK (deadlock:
 * inside a transaction, or still after the retries), -EIO. *out may be NULL. */
int sdb_run(struct store *st, const char *sql, MYSQL_BIND *params,
	    MYSQL_BIND *res, MYSQL_STMT **out);
/* Next row: 1 = row, 0 = no more, -EOVERFLOW (truncated), -EIO. String
 * results (MYSQL_TYPE_STRING) are NUL-terminated ("" when NULL). */
int sdb_fetch(MYSQL_STMT *s, MYSQL_BIND *res, size_t n_res);
void sdb_done(MYSQL_STMT *s);
/* Every remaining row of s copied into a new array: for each row fetched
 * into the buffers res binds, fix(row, ctx) runs when fix is not NULL, then
 * row_size bytes from row are appended. Finishes s (sdb_done). 0 with *out
 * (the caller frees it; NULL when no row) and *n, or -ENOMEM or the
 * sdb_fetch error, with nothing returned. */
int sdb_collect(MYSQL_STMT *s, MYSQL_BIND *res, size_t n_res, void *row, size_t row_size,
		void (*fix)(void *row, void *ctx), void *ctx, void **out, size_t *n);

/* Close and reopen the connection; cached statements are dropped and get
 * re-prepared on their next use. */
int sdb_reconnect(struct store *st);
/* Run fn inside START TRANSACTION/COMMIT; on -ENOTCONN reconnect and run it
 * once more; on -EDEADLK (InnoDB rolled it back) run it again, at most 3
 * times in all. fn's error rolls back. */
int sdb_tx(struct store *st, int (*fn)(struct store *st, void *arg), void *arg);
/* Plain query without data (session settings, KILL in tests, DDL). */
int sdb_query(struct store *st, const char *sql);
/* Map a MariaDB error number to -errno. */
int sdb_errno(unsigned int err);

/* Capability set set_id (store_caps.c) into out (zeroed first), one
 * statement; the caller frees it with store_caps_free. */
int sdb_caps_of_set(struct store *st, uint64_t set_id, struct store_caps *out);

/* Parameter binds (inputs); s may be NULL for SQL NULL. */
void sdb_in_str(MYSQL_BIND *b, const char *s);
void sdb_in_blob(MYSQL_BIND *b, const void *p, size_t len);
void sdb_in_u64(MYSQL_BIND *b, const uint64_t *v);
void sdb_in_int(MYSQL_BIND *b, const int *v);
/* Result binds (outputs). */
void sdb_out_str(MYSQL_BIND *b, char *buf, size_t size);
void sdb_out_blob(MYSQL_BIND *b, void *buf, size_t size);
void sdb_out_u64(MYSQL_BIND *b, uint64_t *v);
void sdb_out_int(MYSQL_BIND *b, int *v);
static inline bool sdb_is_null(const MYSQL_BIND *b) { return b->is_null_value; }

#endif
