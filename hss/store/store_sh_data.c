/* store_sh_data: repository data with sequence numbers and subscriptions to
 * notifications for the Sh interface (see store_sh.h). */
#include "store_sh.h"
#include "store_db.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define SEQ_MAX 65535u  /* TS 29.328 7.6.1: SequenceNumber 0..65535 */

/* Whether the database has 0004_sh_dsai.sql (sh_subscription.one_time).
 * A database still at schema 3 works without one-time subscriptions.
 * Probed once per process on a table of that migration (a missing table is
 * not logged as an error); -1 = not probed yet. */
static int g_has_0004 = -1;

static bool has_0004(struct store *st)
{
	static const char sql[] = "SELECT COUNT(*) FROM sh_dsai WHERE 1 = 0";
	int v = __atomic_load_n(&g_has_0004, __ATOMIC_RELAXED);
	MYSQL_BIND res[1];
	MYSQL_STMT *s = NULL;
	uint64_t cnt = 0;
	int rc;

	if (v >= 0)
		return v == 1;
	sdb_out_u64(&res[0], &cnt);
	rc = sdb_run(st, sql, NULL, res, &s);
	if (rc == 0) {
		rc = sdb_fetch(s, res, 1) < 0 ? -EIO : 0;
		sdb_done(s);
	}
	if (rc == 0 || rc == -ENOENT) {
		v = rc == 0;
		__atomic_store_n(&g_has_0004, v, __ATOMIC_RELAXED);
	}
	return v == 1;
}

int store_sh_repo_get(struct store *st, const char *impu, const char *si,
		      uint32_t *seq, char **data, size_t *len)
{
	static const char sql[] =
		"SELECT r.sequence_number, r.service_data FROM sh_repository_data r"
		" JOIN impu u ON u.id = r.impu_id WHERE u.identity = ? AND r.service_indication = ?";
	MYSQL_BIND par[2], res[2];
	MYSQL_STMT *s = NULL;
	uint64_t v = 0;
	char *buf = malloc(STORE_SH_DATA_MAX + 1);
	int rc;

	*data = NULL;
	*len = 0;
	if (!buf)
		return -ENOMEM;
	sdb_in_str(&par[0], impu);
	sdb_in_str(&par[1], si);
	sdb_out_u64(&res[0], &v);
	sdb_out_blob(&res[1], buf, STORE_SH_DATA_MAX);
	rc = sdb_run(st, sql, par, res, &s);
	if (rc)
		goto out;
	rc = sdb_fetch(s, res, 2);
	sdb_done(s);
	if (rc < 0)
		goto out;
	if (rc == 0) {
		rc = -ENOENT;
		goto out;
	}
	*seq = (uint32_t)v;
	*len = res[1].length_value;
	buf[*len] = '\0';
	*data = buf;
	buf = NULL;
	rc = 0;
out:
	free(buf);
	return rc;
}

int store_sh_repo_put(struct store *st, const char *impu, const char *si,
		      long expect_seq, uint32_t new_seq, const char *data, size_t len)
{
	static const char sql_insert[] =
		"INSERT INTO sh_repository_data (impu_id, service_indication, sequence_number,"
		" service_data) SELECT id, ?, ?, ? FROM impu WHERE identity = ?";
	static const char sql_update[] =
		"UPDATE sh_repository_data r JOIN impu u ON u.id = r.impu_id"
		" SET r.sequence_number = ?, r.service_data = ?"
		" WHERE u.identity = ? AND r.service_indication = ? AND r.sequence_number = ?";
	MYSQL_BIND par[5];
	MYSQL_STMT *s = NULL;
	uint64_t seq = new_seq, old = expect_seq < 0 ? 0 : (uint64_t)expect_seq;
	int rc;

	if (len > STORE_SH_DATA_MAX || new_seq > SEQ_MAX || expect_seq > (long)SEQ_MAX)
		return -EINVAL;
	if (expect_seq < 0) {
		sdb_in_str(&par[0], si);
		sdb_in_u64(&par[1], &seq);
		sdb_in_blob(&par[2], data, len);
		sdb_in_str(&par[3], impu);
		rc = sdb_run(st, sql_insert, par, NULL, &s);
		if (rc == -EEXIST)
			return -EAGAIN;   /* created meanwhile by someone else */
		if (rc)
			return rc;
		return mysql_stmt_affected_rows(s) == 1 ? 0 : -ENOENT;
	}
	sdb_in_u64(&par[0], &seq);
	sdb_in_blob(&par[1], data, len);
	sdb_in_str(&par[2], impu);
	sdb_in_str(&par[3], si);
	sdb_in_u64(&par[4], &old);
	rc = sdb_run(st, sql_update, par, NULL, &s);
	if (rc)
		return rc;
	return mysql_stmt_affected_rows(s) == 1 ? 0 : -EAGAIN;
}

int store_sh_repo_del(struct store *st, const char *impu, const char *si,
		      uint32_t expect_seq)
{
	static const char sql[] =
		"DELETE r FROM sh_repository_data r JOIN impu u ON u.id = r.impu_id"
		" WHERE u.identity = ? AND r.service_indication = ? AND r.sequence_number = ?";
	MYSQL_BIND par[3];
	MYSQL_STMT *s = NULL;
	uint64_t old = expect_seq;
	int rc;

	sdb_in_str(&par[0], impu);
	sdb_in_str(&par[1], si);
	sdb_in_u64(&par[2], &old);
	rc = sdb_run(st, sql, par, NULL, &s);
	if (rc)
		return rc;
	return mysql_stmt_affected_rows(s) == 1 ? 0 : -EAGAIN;
}

int store_sh_sub_add(struct store *st, uint64_t as_id, const char *impu, int dref,
		     const char *si, const char *server_name, uint64_t expires_at,
		     bool one_time)
{
	static const char sql[] =
		"INSERT INTO sh_subscription (as_id, impu_id, data_reference, service_indication,"
		" server_name, expires_at, one_time) SELECT ?, id, ?, ?, ?, ?, ? FROM impu"
		" WHERE identity = ?"
		" ON DUPLICATE KEY UPDATE server_name = VALUES(server_name),"
		" expires_at = VALUES(expires_at), one_time = VALUES(one_time)";
	static const char sql3[] =   /* schema 3: no one_time (ignored: ? = ?) */
		"INSERT INTO sh_subscription (as_id, impu_id, data_reference, service_indication,"
		" server_name, expires_at) SELECT ?, id, ?, ?, ?, ? FROM impu"
		" WHERE identity = ? AND ? = ?"
		" ON DUPLICATE KEY UPDATE server_name = VALUES(server_name),"
		" expires_at = VALUES(expires_at)";
	MYSQL_BIND par[7];
	MYSQL_STMT *s = NULL;
	int once = one_time ? 1 : 0, rc;

	sdb_in_u64(&par[0], &as_id);
	sdb_in_int(&par[1], &dref);
	sdb_in_str(&par[2], si ? si : "");
	sdb_in_str(&par[3], server_name ? server_name : "");
	if (expires_at)
		sdb_in_u64(&par[4], &expires_at);
	else
		sdb_in_str(&par[4], NULL);
	sdb_in_int(&par[5], &once);
	sdb_in_str(&par[6], impu);
	if (!has_0004(st)) {
		MYSQL_BIND par3[8];
		memcpy(par3, par, 5 * sizeof par[0]);
		par3[5] = par[6];
		par3[6] = par[5];
		par3[7] = par[5];
		rc = sdb_run(st, sql3, par3, NULL, &s);
	} else {
		rc = sdb_run(st, sql, par, NULL, &s);
	}
	if (rc)
		return rc;
	return mysql_stmt_affected_rows(s) >= 1 ? 0 : -ENOENT;
}

int store_sh_sub_del_id(struct store *st, uint64_t id)
{
	static const char sql[] = "DELETE FROM sh_subscription WHERE id = ?";
	MYSQL_BIND par[1];
	MYSQL_STMT *s = NULL;
	int rc;

	sdb_in_u64(&par[0], &id);
	rc = sdb_run(st, sql, par, NULL, &s);
	if (rc)
		return rc;
	return mysql_stmt_affected_rows(s) >= 1 ? 0 : -ENOENT;
}

int store_sh_sub_del(struct store *st, uint64_t as_id, const char *impu, int dref,
		     const char *si)
{
	static const char sql[] =
		"DELETE b FROM sh_subscription b JOIN impu u ON u.id = b.impu_id"
		" WHERE b.as_id = ? AND u.identity = ? AND b.data_reference = ?"
		" AND b.service_indication = ?";
	MYSQL_BIND par[4];
	MYSQL_STMT *s = NULL;
	int rc;

	sdb_in_u64(&par[0], &as_id);
	sdb_in_str(&par[1], impu);
	sdb_in_int(&par[2], &dref);
	sdb_in_str(&par[3], si ? si : "");
	rc = sdb_run(st, sql, par, NULL, &s);
	if (rc)
		return rc;
	return mysql_stmt_affected_rows(s) >= 1 ? 0 : -ENOENT;
}

int store_sh_sub_del_as(struct store *st, uint64_t as_id)
{
	static const char sql[] = "DELETE FROM sh_subscription WHERE as_id = ?";
	MYSQL_BIND par[1];

	sdb_in_u64(&par[0], &as_id);
	return sdb_run(st, sql, par, NULL, NULL);
}

int store_sh_sub_any_in_set(struct store *st, const char *impu, int dref_a, int dref_b,
			    bool *any)
{
	static const char sql[] =
		"SELECT EXISTS (SELECT 1 FROM sh_subscription b JOIN impu u ON u.id = b.impu_id"
		" JOIN impu k ON k.implicit_set_id = u.implicit_set_id"
		" WHERE k.identity = ? AND b.data_reference IN (?, ?))";
	MYSQL_BIND par[3], res[1];
	MYSQL_STMT *s = NULL;
	int exists = 0, rc;

	*any = false;
	sdb_in_str(&par[0], impu);
	sdb_in_int(&par[1], &dref_a);
	sdb_in_int(&par[2], &dref_b);
	sdb_out_int(&res[0], &exists);
	rc = sdb_run(st, sql, par, res, &s);
	if (rc)
		return rc;
	rc = sdb_fetch(s, res, 1);
	sdb_done(s);
	if (rc < 0)
		return rc;
	*any = rc > 0 && exists;
	return 0;
}

int store_sh_sub_expire(struct store *st, uint64_t now, uint64_t *n)
{
	static const char sql[] =
		"DELETE FROM sh_subscription WHERE expires_at IS NOT NULL AND expires_at <= ?";
	MYSQL_BIND par[1];
	MYSQL_STMT *s = NULL;
	int rc;

	sdb_in_u64(&par[0], &now);
	rc = sdb_run(st, sql, par, NULL, &s);
	if (rc == 0 && n)
		*n = mysql_stmt_affected_rows(s);
	return rc;
}

#define SUB_COLUMNS_(one_time) \
	"b.id, b.as_id, a.name, a.diameter_host, a.diameter_realm, u.identity," \
	" b.data_reference, b.service_indication, b.server_name, COALESCE(b.expires_at, 0), " \
	one_time " FROM sh_subscription b JOIN sh_as a ON a.id = b.as_id JOIN impu u ON u.id = b.impu_id"
#define SUB_COLUMNS SUB_COLUMNS_("b.one_time")
#define SUB_COLUMNS3 SUB_COLUMNS_("0")   /* schema 3 */
#define SUB_NCOL 11

static void sub_bind(MYSQL_BIND *res, struct store_sh_sub *b, int *one_time)
{
	memset(b, 0, sizeof(*b));
	sdb_out_u64(&res[0], &b->id);
	sdb_out_u64(&res[1], &b->as_id);
	sdb_out_str(&res[2], b->as_name, sizeof(b->as_name));
	sdb_out_str(&res[3], b->as_host, sizeof(b->as_host));
	sdb_out_str(&res[4], b->as_realm, sizeof(b->as_realm));
	sdb_out_str(&res[5], b->impu, sizeof(b->impu));
	sdb_out_int(&res[6], &b->dref);
	sdb_out_str(&res[7], b->si, sizeof(b->si));
	sdb_out_str(&res[8], b->server_name, sizeof(b->server_name));
	sdb_out_u64(&res[9], &b->expires_at);
	sdb_out_int(&res[10], one_time);
}

/* sdb_collect fix-up: the one_time flag is fetched as an int. */
static void sub_fix(void *row, void *once)
{
	((struct store_sh_sub *)row)->one_time = *(int *)once != 0;
}

static int sub_rows(struct store *st, const char *sql, MYSQL_BIND *par,
		    struct store_sh_sub **out, size_t *n)
{
	MYSQL_BIND res[SUB_NCOL];
	MYSQL_STMT *s = NULL;
	struct store_sh_sub *row = malloc(sizeof(*row));
	void *rows = NULL;
	int once = 0, rc;

	*out = NULL;
	*n = 0;
	if (!row)
		return -ENOMEM;
	sub_bind(res, row, &once);
	rc = sdb_run(st, sql, par, res, &s);
	if (rc)
		goto out;
	rc = sdb_collect(s, res, SUB_NCOL, row, sizeof *row, sub_fix, &once, &rows, n);
	*out = rows;
out:
	free(row);
	return rc;
}

int store_sh_sub_find(struct store *st, const char *impu, int dref, const char *si,
		      uint64_t now, struct store_sh_sub **out, size_t *n)
{
#define FIND_ANY(cols) "SELECT " cols " WHERE u.identity = ? AND b.data_reference = ?" \
	" AND (b.expires_at IS NULL OR b.expires_at > ?) ORDER BY b.id"
#define FIND_SI(cols) "SELECT " cols " WHERE u.identity = ? AND b.data_reference = ?" \
	" AND (b.expires_at IS NULL OR b.expires_at > ?) AND b.service_indication = ?" \
	" ORDER BY b.id"
	static const char sql_any[] = FIND_ANY(SUB_COLUMNS), sql_any3[] = FIND_ANY(SUB_COLUMNS3);
	static const char sql_si[] = FIND_SI(SUB_COLUMNS), sql_si3[] = FIND_SI(SUB_COLUMNS3);
	bool v4 = has_0004(st);
	MYSQL_BIND par[4];

	sdb_in_str(&par[0], impu);
	sdb_in_int(&par[1], &dref);
	sdb_in_u64(&par[2], &now);
	if (si)
		sdb_in_str(&par[3], si);
	return sub_rows(st, si ? (v4 ? sql_si : sql_si3) : (v4 ? sql_any : sql_any3), par, out, n);
}

int store_sh_sub_find_profile(struct store *st, uint64_t sp_id, int dref, uint64_t now,
			      struct store_sh_sub **out, size_t *n)
{
	static const char sql[] =
		"SELECT " SUB_COLUMNS " WHERE u.service_profile_id = ? AND b.data_reference = ?"
		" AND (b.expires_at IS NULL OR b.expires_at > ?) ORDER BY b.id";
	MYSQL_BIND par[3];

	if (!has_0004(st))
		return -ENOENT;   /* no change log either */
	sdb_in_u64(&par[0], &sp_id);
	sdb_in_int(&par[1], &dref);
	sdb_in_u64(&par[2], &now);
	return sub_rows(st, sql, par, out, n);
}

int store_sh_sub_list(struct store *st, struct store_sh_sub **out, size_t *n)
{
	static const char sql[] = "SELECT " SUB_COLUMNS " ORDER BY a.name, u.identity, b.id";
	static const char sql3[] = "SELECT " SUB_COLUMNS3 " ORDER BY a.name, u.identity, b.id";

	return sub_rows(st, has_0004(st) ? sql : sql3, NULL, out, n);
}
