/* store_sh_dsai: DSAI values and the Sh change log (see store_sh.h; tables
 * of 0004_sh_dsai.sql). */
#include "store_sh.h"
#include "store_db.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int store_sh_dsai_list(struct store *st, const char *impu, uint64_t as_id,
		       struct store_sh_dsai **out, size_t *n)
{
	static const char sql[] =
		"SELECT d.dsai_tag, d.value FROM sh_dsai d JOIN impu u ON u.id = d.impu_id"
		" WHERE u.identity = ? AND d.as_id = ? ORDER BY d.dsai_tag";
	MYSQL_BIND par[2], res[2];
	MYSQL_STMT *s = NULL;
	struct store_sh_dsai row;
	void *rows = NULL;
	int rc;

	*out = NULL;
	*n = 0;
	memset(&row, 0, sizeof row);
	sdb_in_str(&par[0], impu);
	sdb_in_u64(&par[1], &as_id);
	sdb_out_str(&res[0], row.tag, sizeof row.tag);
	sdb_out_int(&res[1], &row.value);
	rc = sdb_run(st, sql, par, res, &s);
	if (rc)
		return rc == -ENOENT ? 0 : rc;   /* no sh_dsai table (schema 3): none */
	rc = sdb_collect(s, res, 2, &row, sizeof row, NULL, NULL, &rows, n);
	*out = rows;
	return rc;
}

int store_sh_dsai_update(struct store *st, const char *impu, uint64_t as_id,
			 const char *tag, int value)
{
	static const char sql_find[] =
		"SELECT d.value FROM sh_dsai d JOIN impu u ON u.id = d.impu_id"
		" WHERE u.identity = ? AND d.as_id = ? AND d.dsai_tag = ?";
	static const char sql_set[] =
		"UPDATE sh_dsai d JOIN impu u ON u.id = d.impu_id SET d.value = ?"
		" WHERE u.identity = ? AND d.as_id = ? AND d.dsai_tag = ?";
	MYSQL_BIND par[4], res[1];
	MYSQL_STMT *s = NULL;
	int old = 0, rc;

	if (value != STORE_SH_DSAI_ACTIVE && value != STORE_SH_DSAI_INACTIVE)
		return -EINVAL;
	/* UPDATE reports 0 rows for an unchanged value: look the tag up first. */
	sdb_in_str(&par[0], impu);
	sdb_in_u64(&par[1], &as_id);
	sdb_in_str(&par[2], tag);
	sdb_out_int(&res[0], &old);
	rc = sdb_run(st, sql_find, par, res, &s);
	if (rc)
		return rc;
	rc = sdb_fetch(s, res, 1);
	sdb_done(s);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return -ENOENT;
	if (old == value)
		return 0;
	sdb_in_int(&par[0], &value);
	sdb_in_str(&par[1], impu);
	sdb_in_u64(&par[2], &as_id);
	sdb_in_str(&par[3], tag);
	return sdb_run(st, sql_set, par, NULL, NULL);
}

int store_sh_dsai_put(struct store *st, const char *impu, uint64_t as_id,
		      const char *tag, int value)
{
	static const char sql[] =
		"INSERT INTO sh_dsai (impu_id, as_id, dsai_tag, value) SELECT id, ?, ?, ? FROM impu"
		" WHERE identity = ? ON DUPLICATE KEY UPDATE value = VALUES(value)";
	MYSQL_BIND par[4];
	MYSQL_STMT *s = NULL;
	int rc;

	if ((value != STORE_SH_DSAI_ACTIVE && value != STORE_SH_DSAI_INACTIVE) || !tag[0] ||
	    strlen(tag) >= STORE_SH_SI_MAX)
		return -EINVAL;
	sdb_in_u64(&par[0], &as_id);
	sdb_in_str(&par[1], tag);
	sdb_in_int(&par[2], &value);
	sdb_in_str(&par[3], impu);
	rc = sdb_run(st, sql, par, NULL, &s);
	if (rc)
		return rc;
	if (mysql_stmt_affected_rows(s) >= 1)
		return 0;
	/* 0 rows: unknown impu, or the same value again. */
	return store_sh_dsai_update(st, impu, as_id, tag, value);
}

int store_sh_dsai_del(struct store *st, const char *impu, uint64_t as_id, const char *tag)
{
	static const char sql[] =
		"DELETE d FROM sh_dsai d JOIN impu u ON u.id = d.impu_id"
		" WHERE u.identity = ? AND d.as_id = ? AND d.dsai_tag = ?";
	MYSQL_BIND par[3];
	MYSQL_STMT *s = NULL;
	int rc;

	sdb_in_str(&par[0], impu);
	sdb_in_u64(&par[1], &as_id);
	sdb_in_str(&par[2], tag);
	rc = sdb_run(st, sql, par, NULL, &s);
	if (rc)
		return rc;
	return mysql_stmt_affected_rows(s) >= 1 ? 0 : -ENOENT;
}

int store_sh_change_add(struct store *st, const char *impu, int dref, uint64_t as_id)
{
	static const char sql[] =
		"INSERT INTO sh_change (data_reference, impu_id, as_id)"
		" SELECT ?, id, ? FROM impu WHERE identity = ?";
	MYSQL_BIND par[3];
	MYSQL_STMT *s = NULL;
	int rc;

	sdb_in_int(&par[0], &dref);
	if (as_id)
		sdb_in_u64(&par[1], &as_id);
	else
		sdb_in_str(&par[1], NULL);
	sdb_in_str(&par[2], impu);
	rc = sdb_run(st, sql, par, NULL, &s);
	if (rc)
		return rc;
	return mysql_stmt_affected_rows(s) == 1 ? 0 : -ENOENT;
}

int store_sh_change_pending(struct store *st, unsigned int settle_ms, size_t max,
			    struct store_sh_change **out, size_t *n)
{
	static const char sql[] =
		"SELECT c.id, c.data_reference, COALESCE(u.identity, ''),"
		" COALESCE(c.service_profile_id, 0), COALESCE(c.as_id, 0)"
		" FROM sh_change c LEFT JOIN impu u ON u.id = c.impu_id"
		" WHERE c.created_at <= NOW(3) - INTERVAL ? MICROSECOND ORDER BY c.id LIMIT ?";
	MYSQL_BIND par[2], res[5];
	MYSQL_STMT *s = NULL;
	struct store_sh_change *row = calloc(1, sizeof(*row));
	uint64_t settle_us = (uint64_t)settle_ms * 1000, lim = max;
	void *rows = NULL;
	int rc;

	*out = NULL;
	*n = 0;
	if (!row)
		return -ENOMEM;
	sdb_in_u64(&par[0], &settle_us);
	sdb_in_u64(&par[1], &lim);
	sdb_out_u64(&res[0], &row->id);
	sdb_out_int(&res[1], &row->dref);
	sdb_out_str(&res[2], row->impu, sizeof row->impu);
	sdb_out_u64(&res[3], &row->service_profile_id);
	sdb_out_u64(&res[4], &row->as_id);
	rc = sdb_run(st, sql, par, res, &s);
	if (rc)
		goto out;
	rc = sdb_collect(s, res, 5, row, sizeof *row, NULL, NULL, &rows, n);
	*out = rows;
out:
	free(row);
	return rc;
}

int store_sh_change_take(struct store *st, uint64_t id)
{
	static const char sql[] = "DELETE FROM sh_change WHERE id = ?";
	MYSQL_BIND par[1];
	MYSQL_STMT *s = NULL;
	int rc;

	sdb_in_u64(&par[0], &id);
	rc = sdb_run(st, sql, par, NULL, &s);
	if (rc)
		return rc;
	return mysql_stmt_affected_rows(s) == 1 ? 0 : -ENOENT;
}

int store_sh_change_mark(struct store *st, uint64_t *max_id, uint64_t *rows)
{
	static const char sql[] = "SELECT COALESCE(MAX(id), 0), COUNT(*) FROM sh_change";
	MYSQL_BIND res[2];
	MYSQL_STMT *s = NULL;
	int rc;

	sdb_out_u64(&res[0], max_id);
	sdb_out_u64(&res[1], rows);
	rc = sdb_run(st, sql, NULL, res, &s);
	if (rc)
		return rc;
	rc = sdb_fetch(s, res, 2);
	sdb_done(s);
	if (rc < 0)
		return rc;
	return rc == 1 ? 0 : -EIO;
}
