/* store_conn: the MariaDB connection of one struct store, its statement
 * cache, and execution with one retry after a lost connection. */
#include "store_db.h"

#include <errno.h>
#include <errmsg.h>
#include <mysqld_error.h>
#include <stdlib.h>
#include <string.h>

#include "ims/log.h"

/* InnoDB resolves a deadlock by rolling back one transaction whole ("try
 * restarting transaction"): nothing of it is applied, so running it again
 * is safe. Concurrent writes of one implicit set (the S-CSCF name stored by
 * the first MARs of a user arriving together) meet this. */
#define SDB_DEADLOCK_TRIES 3

static bool sdb_lost(unsigned int err)
{
	return err == CR_SERVER_GONE_ERROR || err == CR_SERVER_LOST ||
	       err == ER_UNKNOWN_STMT_HANDLER;
}

int sdb_errno(unsigned int err)
{
	switch (err) {
	case 0: return 0;
	case CR_SERVER_GONE_ERROR: case CR_SERVER_LOST:
	case ER_UNKNOWN_STMT_HANDLER: case CR_CONNECTION_ERROR:
	case CR_CONN_HOST_ERROR:
		return -ENOTCONN;
	case ER_DUP_ENTRY: return -EEXIST;
	case ER_NO_REFERENCED_ROW_2: return -ENOENT;
	case ER_ROW_IS_REFERENCED_2: return -EBUSY;
	case ER_CONSTRAINT_FAILED: return -EINVAL;
	case ER_LOCK_DEADLOCK: return -EDEADLK;
	case ER_NO_SUCH_TABLE: return -ENOENT;
	default: return -EIO;
	}
}

int store_library_init(void)
{
	return mysql_library_init(0, NULL, NULL) ? -EIO : 0;
}

void store_library_end(void)
{
	mysql_library_end();
}

static char *dup_opt(const char *s)
{
	return s ? strdup(s) : NULL;
}

static void cfg_free_copy(struct store_config *c)
{
	free((char *)c->host);
	free((char *)c->socket);
	free((char *)c->user);
	if (c->password)
		explicit_bzero((char *)c->password, strlen(c->password));
	free((char *)c->password);
	free((char *)c->database);
	memset(c, 0, sizeof(*c));
}

static int cfg_copy(struct store_config *dst, const struct store_config *src)
{
	*dst = *src;
	dst->host = dup_opt(src->host ? src->host : "localhost");
	dst->socket = dup_opt(src->socket);
	dst->user = dup_opt(src->user);
	dst->password = dup_opt(src->password);
	dst->database = dup_opt(src->database);
	if (!dst->host || (src->socket && !dst->socket) ||
	    (src->user && !dst->user) || (src->password && !dst->password) ||
	    (src->database && !dst->database)) {
		cfg_free_copy(dst);
		return -ENOMEM;
	}
	return 0;
}

static void cache_drop(struct store *st)
{
	for (size_t i = 0; i < st->n_cache; i++)
		mysql_stmt_close(st->cache[i].stmt);
	st->n_cache = 0;
}

static int conn_open(struct store *st)
{
	const struct store_config *c = &st->cfg;
	MYSQL *m = mysql_init(NULL);
	my_bool off = 0;

	if (!m)
		return -ENOMEM;
	/* We reconnect ourselves: auto-reconnect would silently invalidate
	 * the prepared statements (shared notes, MariaDB 3). */
	mysql_options(m, MYSQL_OPT_RECONNECT, &off);
	if (c->connect_timeout_s)
		mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &c->connect_timeout_s);
	if (c->read_timeout_s)
		mysql_options(m, MYSQL_OPT_READ_TIMEOUT, &c->read_timeout_s);
	mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	/* CLIENT_FOUND_ROWS: affected rows = matched rows, so a CAS that
	 * writes the same value still counts as done. */
	if (!mysql_real_connect(m, c->host, c->user, c->password, c->database,
				c->port, c->socket, CLIENT_FOUND_ROWS)) {
		log_err("store: connect to %s:%u db %s as %s: %s", c->host,
			c->port, c->database ? c->database : "-",
			c->user ? c->user : "-", mysql_error(m));
		mysql_close(m);
		return -ENOTCONN;
	}
	st->conn = m;
	return 0;
}

int store_open(const struct store_config *cfg, struct store **out)
{
	struct store *st;
	int rc;

	*out = NULL;
	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	rc = cfg_copy(&st->cfg, cfg);
	if (rc)
		goto out;
	rc = conn_open(st);
out:
	if (rc)
		store_close(st);
	else
		*out = st;
	return rc;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	cache_drop(st);
	if (st->conn)
		mysql_close(st->conn);
	cfg_free_copy(&st->cfg);
	free(st);
}

unsigned long store_connection_id(const struct store *st)
{
	return st->conn ? mysql_thread_id(st->conn) : 0;
}

int sdb_reconnect(struct store *st)
{
	cache_drop(st);
	if (st->conn)
		mysql_close(st->conn);
	st->conn = NULL;
	st->in_tx = false;
	return conn_open(st);
}

static int stmt_get(struct store *st, const char *sql, MYSQL_STMT **out)
{
	MYSQL_STMT *s;
	unsigned int err;

	for (size_t i = 0; i < st->n_cache; i++) {
		if (st->cache[i].sql == sql) {
			*out = st->cache[i].stmt;
			return 0;
		}
	}
	s = mysql_stmt_init(st->conn);
	if (!s)
		return -ENOMEM;
	if (mysql_stmt_prepare(s, sql, strlen(sql))) {
		err = mysql_stmt_errno(s);
		if (!sdb_lost(err) && err != ER_NO_SUCH_TABLE)
			log_err("store: prepare failed (%u %s): %s", err,
				mysql_stmt_error(s), sql);
		mysql_stmt_close(s);
		return sdb_lost(err) ? -ENOTCONN : sdb_errno(err);
	}
	if (st->n_cache == SDB_STMT_MAX) {  /* never in practice: drop all */
		cache_drop(st);
	}
	st->cache[st->n_cache].sql = sql;
	st->cache[st->n_cache++].stmt = s;
	*out = s;
	return 0;
}

/* One attempt; *err gets the MariaDB error number (0 if none/not DB). */
static int run_once(struct store *st, const char *sql, MYSQL_BIND *params,
		    MYSQL_BIND *res, MYSQL_STMT **out, unsigned int *err)
{
	MYSQL_STMT *s = NULL;
	int rc;

	*err = 0;
	if (!st->conn) {
		*err = CR_SERVER_GONE_ERROR;
		return -ENOTCONN;
	}
	rc = stmt_get(st, sql, &s);
	if (rc) {
		if (rc == -ENOTCONN)
			*err = CR_SERVER_GONE_ERROR;
		return rc;
	}
	if ((params && mysql_stmt_bind_param(s, params)) ||
	    mysql_stmt_execute(s) ||
	    (res && (mysql_stmt_bind_result(s, res) || mysql_stmt_store_result(s)))) {
		*err = mysql_stmt_errno(s);
		if (!sdb_lost(*err) && *err != ER_DUP_ENTRY && *err != ER_LOCK_DEADLOCK)
			log_err("store: execute failed (%u %s)", *err, mysql_stmt_error(s));
		mysql_stmt_free_result(s);
		return sdb_errno(*err);
	}
	if (out)
		*out = s;
	return 0;
}

int sdb_run(struct store *st, const char *sql, MYSQL_BIND *params,
	    MYSQL_BIND *res, MYSQL_STMT **out)
{
	unsigned int err;
	int rc, tries = 0;

	/* Outside a transaction the statement was its own transaction; inside
	 * one, sdb_tx runs the whole of it again. */
	for (;;) {
		rc = run_once(st, sql, params, res, out, &err);
		if (err != ER_LOCK_DEADLOCK || st->in_tx)
			break;
		if (++tries >= SDB_DEADLOCK_TRIES) {
			log_err("store: statement deadlocked %d times, giving up", tries);
			return rc;
		}
		log_info("store: statement deadlocked and rolled back, running it again");
	}
	if (rc == 0 || !sdb_lost(err) || st->in_tx)
		return rc;
	log_warn("store: database connection lost (%u), reconnecting", err);
	rc = sdb_reconnect(st);
	if (rc)
		return rc;
	return run_once(st, sql, params, res, out, &err);
}

int sdb_query(struct store *st, const char *sql)
{
	int rc;

	if (!st->conn && (rc = sdb_reconnect(st)))
		return rc;
	if (mysql_real_query(st->conn, sql, strlen(sql))) {
		unsigned int err = mysql_errno(st->conn);
		if (!sdb_lost(err))
			log_err("store: query failed (%u %s)", err, mysql_error(st->conn));
		return sdb_errno(err);
	}
	/* Drain any result set (none expected). */
	MYSQL_RES *r = mysql_store_result(st->conn);
	if (r)
		mysql_free_result(r);
	return 0;
}

static int tx_once(struct store *st, int (*fn)(struct store *, void *), void *arg)
{
	int rc = sdb_query(st, "START TRANSACTION");

	if (rc)
		return rc;
	st->in_tx = true;
	rc = fn(st, arg);
	st->in_tx = false;
	if (rc == 0) {
		if (mysql_commit(st->conn))
			rc = sdb_errno(mysql_errno(st->conn));
	} else if (rc != -ENOTCONN) {
		mysql_rollback(st->conn);
	}
	return rc;
}

int sdb_tx(struct store *st, int (*fn)(struct store *, void *), void *arg)
{
	int rc, tries = 0;

	for (;;) {
		rc = tx_once(st, fn, arg);
		if (rc != -EDEADLK)
			break;
		if (++tries >= SDB_DEADLOCK_TRIES) {
			log_err("store: transaction deadlocked %d times, giving up", tries);
			return rc;
		}
		log_info("store: transaction deadlocked and rolled back, running it again");
	}
	if (rc != -ENOTCONN)
		return rc;
	log_warn("store: database connection lost in a transaction, retrying once");
	rc = sdb_reconnect(st);
	if (rc)
		return rc;
	return tx_once(st, fn, arg);
}
