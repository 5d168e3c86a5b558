/* store_sh: application servers, PSI activation and charging addresses for
 * the Sh interface (see store_sh.h; tables of 0002_sh.sql). */
#include "store_sh.h"
#include "store_db.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define AS_COLUMNS "id, name, diameter_host, diameter_realm, udr_refs, pur_refs, snr_refs"
#define AS_NCOL 7

static void as_bind(MYSQL_BIND *res, struct store_sh_as *a)
{
	memset(a, 0, sizeof(*a));
	sdb_out_u64(&res[0], &a->id);
	sdb_out_str(&res[1], a->name, sizeof(a->name));
	sdb_out_str(&res[2], a->host, sizeof(a->host));
	sdb_out_str(&res[3], a->realm, sizeof(a->realm));
	sdb_out_u64(&res[4], &a->udr_refs);
	sdb_out_u64(&res[5], &a->pur_refs);
	sdb_out_u64(&res[6], &a->snr_refs);
}

static int as_one(struct store *st, const char *sql, MYSQL_BIND *par, struct store_sh_as *out)
{
	MYSQL_BIND res[AS_NCOL];
	MYSQL_STMT *s = NULL;
	int rc;

	as_bind(res, out);
	rc = sdb_run(st, sql, par, res, &s);
	if (rc)
		return rc;
	rc = sdb_fetch(s, res, AS_NCOL);
	sdb_done(s);
	if (rc < 0)
		return rc;
	return rc == 1 ? 0 : -ENOENT;
}

int store_sh_as_by_host(struct store *st, const char *host, struct store_sh_as *out)
{
	static const char sql[] = "SELECT " AS_COLUMNS " FROM sh_as WHERE diameter_host = ?";
	MYSQL_BIND par[1];

	sdb_in_str(&par[0], host);
	return as_one(st, sql, par, out);
}

int store_sh_as_by_id(struct store *st, uint64_t id, struct store_sh_as *out)
{
	static const char sql[] = "SELECT " AS_COLUMNS " FROM sh_as WHERE id = ?";
	MYSQL_BIND par[1];

	sdb_in_u64(&par[0], &id);
	return as_one(st, sql, par, out);
}

int store_sh_as_add(struct store *st, const struct store_sh_as *as)
{
	static const char sql[] =
		"INSERT INTO sh_as (name, diameter_host, diameter_realm, udr_refs, pur_refs,"
		" snr_refs) VALUES (?, ?, ?, ?, ?, ?)";
	MYSQL_BIND par[6];

	if (!as->name[0] || !as->host[0] || !as->realm[0])
		return -EINVAL;
	sdb_in_str(&par[0], as->name);
	sdb_in_str(&par[1], as->host);
	sdb_in_str(&par[2], as->realm);
	sdb_in_u64(&par[3], &as->udr_refs);
	sdb_in_u64(&par[4], &as->pur_refs);
	sdb_in_u64(&par[5], &as->snr_refs);
	return sdb_run(st, sql, par, NULL, NULL);
}

int store_sh_as_del(struct store *st, const char *name)
{
	static const char sql[] = "DELETE FROM sh_as WHERE name = ?";
	MYSQL_BIND par[1];
	MYSQL_STMT *s = NULL;
	int rc;

	sdb_in_str(&par[0], name);
	rc = sdb_run(st, sql, par, NULL, &s);
	if (rc)
		return rc;
	return mysql_stmt_affected_rows(s) >= 1 ? 0 : -ENOENT;
}

int store_sh_as_list(struct store *st, struct store_sh_as **out, size_t *n)
{
	static const char sql[] = "SELECT " AS_COLUMNS " FROM sh_as ORDER BY name";
	MYSQL_BIND res[AS_NCOL];
	MYSQL_STMT *s = NULL;
	struct store_sh_as row;
	void *rows = NULL;
	int rc;

	*out = NULL;
	*n = 0;
	as_bind(res, &row);
	rc = sdb_run(st, sql, NULL, res, &s);
	if (rc)
		return rc;
	rc = sdb_collect(s, res, AS_NCOL, &row, sizeof row, NULL, NULL, &rows, n);
	*out = rows;
	return rc;
}

int store_sh_psi_get(struct store *st, const char *impu, bool *active)
{
	static const char sql[] =
		"SELECT u.id, COALESCE(p.active, 0) FROM impu u"
		" LEFT JOIN sh_psi_activation p ON p.impu_id = u.id WHERE u.identity = ?";
	MYSQL_BIND par[1], res[2];
	MYSQL_STMT *s = NULL;
	uint64_t id = 0;
	int act = 0, rc;

	sdb_in_str(&par[0], impu);
	sdb_out_u64(&res[0], &id);
	sdb_out_int(&res[1], &act);
	rc = sdb_run(st, sql, par, res, &s);
	if (rc)
		return rc;
	rc = sdb_fetch(s, res, 2);
	sdb_done(s);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return -ENOENT;
	*active = act != 0;
	return 0;
}

int store_sh_psi_set(struct store *st, const char *impu, bool active)
{
	static const char sql[] =
		"INSERT INTO sh_psi_activation (impu_id, active)"
		" SELECT id, ? FROM impu WHERE identity = ?"
		" ON DUPLICATE KEY UPDATE active = VALUES(active)";
	MYSQL_BIND par[2];
	MYSQL_STMT *s = NULL;
	int a = active ? 1 : 0, rc;

	sdb_in_int(&par[0], &a);
	sdb_in_str(&par[1], impu);
	rc = sdb_run(st, sql, par, NULL, &s);
	if (rc)
		return rc;
	/* 1 inserted, 2 updated, 0 (found rows: 1) unchanged; 0 rows = no impu. */
	return mysql_stmt_affected_rows(s) >= 1 ? 0 : -ENOENT;
}

int store_sh_charging_get(struct store *st, const char *impu, struct store_sh_charging *out)
{
	/* The subscription of the first IMPI using impu (an IMPU shared by two
	 * subscriptions is not a case TS 23.228 4.3.3.4 allows). */
	static const char sql[] =
		"SELECT s.pri_ecf, s.sec_ecf, s.pri_ccf, s.sec_ccf FROM impu u"
		" JOIN impi_impu ii ON ii.impu_id = u.id JOIN impi p ON p.id = ii.impi_id"
		" JOIN imsu s ON s.id = p.imsu_id WHERE u.identity = ? ORDER BY p.id LIMIT 1";
	MYSQL_BIND par[1], res[4];
	MYSQL_STMT *s = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	sdb_in_str(&par[0], impu);
	sdb_out_str(&res[0], out->pri_ecf, sizeof(out->pri_ecf));
	sdb_out_str(&res[1], out->sec_ecf, sizeof(out->sec_ecf));
	sdb_out_str(&res[2], out->pri_ccf, sizeof(out->pri_ccf));
	sdb_out_str(&res[3], out->sec_ccf, sizeof(out->sec_ccf));
	rc = sdb_run(st, sql, par, res, &s);
	if (rc)
		return rc;
	rc = sdb_fetch(s, res, 4);
	sdb_done(s);
	if (rc < 0)
		return rc;
	return rc == 1 ? 0 : -ENOENT;
}
