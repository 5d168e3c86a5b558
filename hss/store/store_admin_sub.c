/* store_admin_sub: provisioning of subscribers (IMSU, IMPI, IMPUs,
 * implicit sets) for ims-hssctl. */
#include "store_admin.h"
#include "store_db.h"

#include <errno.h>
#include <string.h>

/* Execute an INSERT and return the row id (also for the
 * "ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)" upserts). */
static int insert_id(struct store *st, const char *sql, MYSQL_BIND *par, uint64_t *id)
{
	MYSQL_STMT *s = NULL;
	int rc = sdb_run(st, sql, par, NULL, &s);

	if (rc == 0)
		*id = mysql_stmt_insert_id(s);
	return rc;
}

static int link_impi_impu(struct store *st, uint64_t impi_id, uint64_t impu_id)
{
	static const char sql[] = "INSERT INTO impi_impu (impi_id, impu_id) VALUES (?, ?)";
	MYSQL_BIND par[2];

	sdb_in_u64(&par[0], &impi_id);
	sdb_in_u64(&par[1], &impu_id);
	return sdb_run(st, sql, par, NULL, NULL);
}

static int new_impu(struct store *st, const struct store_admin_impu *u, uint64_t set_id,
		    int pos, uint64_t sp_id, uint64_t *id)
{
	static const char sql[] =
		"INSERT INTO impu (identity, identity_type, wildcard_regex, barring,"
		" can_register, implicit_set_id, implicit_set_pos, service_profile_id)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0))";
	int type = (int)u->type, barred = u->barred, can_reg = u->can_register;
	MYSQL_BIND par[8];

	sdb_in_str(&par[0], u->impu);
	sdb_in_int(&par[1], &type);
	sdb_in_str(&par[2], u->wildcard_regex);
	sdb_in_int(&par[3], &barred);
	sdb_in_int(&par[4], &can_reg);
	sdb_in_u64(&par[5], &set_id);
	sdb_in_int(&par[6], &pos);
	sdb_in_u64(&par[7], &sp_id);
	return insert_id(st, sql, par, id);
}

static int upsert_named(struct store *st, const char *sql, const char *name, uint64_t *id)
{
	MYSQL_BIND par[1];

	sdb_in_str(&par[0], name);
	return insert_id(st, sql, par, id);
}

static int new_implicit_set(struct store *st, uint64_t *id)
{
	static const char sql[] = "INSERT INTO implicit_set () VALUES ()";
	return insert_id(st, sql, NULL, id);
}

static int profile_upsert(struct store *st, const char *name, uint64_t *id)
{
	static const char sql[] =
		"INSERT INTO service_profile (name) VALUES (?)"
		" ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)";
	return upsert_named(st, sql, name, id);
}

static int sub_add(struct store *st, void *arg)
{
	static const char sql_imsu[] =
		"INSERT INTO imsu (name) VALUES (?) ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)";
	static const char sql_impi[] =
		"INSERT INTO impi (identity, imsu_id, k, op, op_is_opc, amf, sqn,"
		" auth_schemes, digest_realm, digest_password, digest_ha1)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	const struct store_admin_subscriber *sub = arg;
	uint64_t imsu_id = 0, impi_id = 0, sp_id = 0, set_id = 0, impu_id = 0;
	int opc = sub->op_is_opc, schemes = (int)sub->schemes;
	MYSQL_BIND par[11];
	int rc;

	rc = upsert_named(st, sql_imsu, sub->imsu ? sub->imsu : sub->impi, &imsu_id);
	if (rc)
		return rc;
	sdb_in_str(&par[0], sub->impi);
	sdb_in_u64(&par[1], &imsu_id);
	sdb_in_blob(&par[2], sub->has_k ? sub->k : NULL, 16);
	sdb_in_blob(&par[3], sub->has_op ? sub->op : NULL, 16);
	sdb_in_int(&par[4], &opc);
	sdb_in_blob(&par[5], sub->amf, 2);
	sdb_in_u64(&par[6], &sub->sqn);
	sdb_in_int(&par[7], &schemes);
	sdb_in_str(&par[8], sub->realm);
	sdb_in_str(&par[9], sub->password);
	sdb_in_str(&par[10], sub->ha1);
	if ((rc = insert_id(st, sql_impi, par, &impi_id)) ||
	    (rc = profile_upsert(st, sub->impi, &sp_id)) ||
	    (rc = new_implicit_set(st, &set_id)))
		return rc;
	for (size_t i = 0; i < sub->n_impus; i++) {
		struct store_admin_impu u = { .impu = sub->impus[i], .can_register = true };
		if ((rc = new_impu(st, &u, set_id, (int)i, sp_id, &impu_id)) ||
		    (rc = link_impi_impu(st, impi_id, impu_id)))
			return rc;
	}
	return 0;
}

int store_admin_subscriber_add(struct store *st, const struct store_admin_subscriber *sub)
{
	if (!sub->impi || !*sub->impi || sub->sqn > STORE_SQN_MAX)
		return -EINVAL;
	return sdb_tx(st, sub_add, (void *)sub);
}

static int sub_del(struct store *st, void *arg)
{
	static const char sql_ids[] = "SELECT id, imsu_id FROM impi WHERE identity = ? FOR UPDATE";
	static const char sql_impus[] =
		"DELETE FROM impu WHERE id IN (SELECT ii.impu_id FROM impi_impu ii"
		" WHERE ii.impi_id = ? AND NOT EXISTS (SELECT 1 FROM impi_impu o"
		" WHERE o.impu_id = ii.impu_id AND o.impi_id <> ii.impi_id))";
	static const char sql_impi[] = "DELETE FROM impi WHERE id = ?";
	static const char sql_imsu[] =
		"DELETE FROM imsu WHERE id = ? AND NOT EXISTS (SELECT 1 FROM impi WHERE imsu_id = imsu.id)";
	static const char sql_sp[] =
		"DELETE FROM service_profile WHERE name = ? AND NOT EXISTS"
		" (SELECT 1 FROM impu WHERE service_profile_id = service_profile.id)";
	static const char sql_sets[] =
		"DELETE FROM implicit_set WHERE NOT EXISTS"
		" (SELECT 1 FROM impu WHERE implicit_set_id = implicit_set.id)";
	const char *impi = arg;
	uint64_t impi_id = 0, imsu_id = 0;
	MYSQL_BIND par[1], res[2];
	MYSQL_STMT *s = NULL;
	int rc;

	sdb_in_str(&par[0], impi);
	sdb_out_u64(&res[0], &impi_id);
	sdb_out_u64(&res[1], &imsu_id);
	if ((rc = sdb_run(st, sql_ids, par, res, &s)))
		return rc;
	rc = sdb_fetch(s, res, 2);
	sdb_done(s);
	if (rc <= 0)
		return rc ? rc : -ENOENT;
	sdb_in_u64(&par[0], &impi_id);
	if ((rc = sdb_run(st, sql_impus, par, NULL, NULL)) ||
	    (rc = sdb_run(st, sql_impi, par, NULL, NULL)))
		return rc;
	sdb_in_u64(&par[0], &imsu_id);
	if ((rc = sdb_run(st, sql_imsu, par, NULL, NULL)))
		return rc;
	sdb_in_str(&par[0], impi);
	if ((rc = sdb_run(st, sql_sp, par, NULL, NULL)))
		return rc;
	return sdb_run(st, sql_sets, NULL, NULL, NULL);
}

int store_admin_subscriber_del(struct store *st, const char *impi)
{
	return sdb_tx(st, sub_del, (void *)impi);
}

/* Where a new IMPU goes: the set (and profile) of implicit_with, or a new
 * set with the profile of impi's first IMPU (a new one if it has none). */
static int impu_place(struct store *st, const struct store_admin_impu *u,
		      uint64_t *set_id, int *pos, uint64_t *sp_id)
{
	static const char sql_with[] =
		"SELECT k.implicit_set_id, k.service_profile_id,"
		" (SELECT COALESCE(MAX(o.implicit_set_pos), 0) + 1 FROM impu o"
		"  WHERE o.implicit_set_id = k.implicit_set_id)"
		" FROM impu k WHERE k.identity = ? FOR UPDATE";
	static const char sql_sp[] =
		"SELECT u.service_profile_id FROM impu u JOIN impi_impu ii ON ii.impu_id = u.id"
		" JOIN impi p ON p.id = ii.impi_id WHERE p.identity = ? ORDER BY u.id LIMIT 1";
	MYSQL_BIND par[1], res[3];
	MYSQL_STMT *s = NULL;
	int rc;

	*pos = 0;
	*sp_id = 0;
	if (u->implicit_with) {
		sdb_in_str(&par[0], u->implicit_with);
		sdb_out_u64(&res[0], set_id);
		sdb_out_u64(&res[1], sp_id);
		sdb_out_int(&res[2], pos);
		if ((rc = sdb_run(st, sql_with, par, res, &s)))
			return rc;
		rc = sdb_fetch(s, res, 3);
		sdb_done(s);
		return rc < 0 ? rc : rc == 1 ? 0 : -ENOENT;
	}
	sdb_in_str(&par[0], u->impi);
	sdb_out_u64(&res[0], sp_id);
	if ((rc = sdb_run(st, sql_sp, par, res, &s)))
		return rc;
	rc = sdb_fetch(s, res, 1);
	sdb_done(s);
	if (rc < 0)
		return rc;
	if (*sp_id == 0 && (rc = profile_upsert(st, u->impu, sp_id)))
		return rc;
	return new_implicit_set(st, set_id);
}

static int impu_add(struct store *st, void *arg)
{
	static const char sql_impi[] = "SELECT id FROM impi WHERE identity = ?";
	static const char sql_impu[] = "SELECT id FROM impu WHERE identity = ?";
	const struct store_admin_impu *u = arg;
	uint64_t impi_id = 0, impu_id = 0, set_id = 0, sp_id = 0;
	MYSQL_BIND par[1], res[1];
	MYSQL_STMT *s = NULL;
	int pos = 0, rc;

	sdb_in_str(&par[0], u->impi);
	sdb_out_u64(&res[0], &impi_id);
	if ((rc = sdb_run(st, sql_impi, par, res, &s)))
		return rc;
	rc = sdb_fetch(s, res, 1);
	sdb_done(s);
	if (rc <= 0)
		return rc ? rc : -ENOENT;
	sdb_in_str(&par[0], u->impu);
	sdb_out_u64(&res[0], &impu_id);
	if ((rc = sdb_run(st, sql_impu, par, res, &s)))
		return rc;
	rc = sdb_fetch(s, res, 1);
	sdb_done(s);
	if (rc < 0)
		return rc;
	if (rc == 0 && ((rc = impu_place(st, u, &set_id, &pos, &sp_id)) ||
			(rc = new_impu(st, u, set_id, pos, sp_id, &impu_id))))
		return rc;
	return link_impi_impu(st, impi_id, impu_id);
}

int store_admin_impu_add(struct store *st, const struct store_admin_impu *u)
{
	if (!u->impu || !u->impi || (u->type == STORE_IMPU_WILDCARD_PSI && !u->wildcard_regex))
		return -EINVAL;
	return sdb_tx(st, impu_add, (void *)u);
}

int store_admin_impu_del(struct store *st, const char *impu)
{
	static const char sql[] = "DELETE FROM impu WHERE identity = ?";
	MYSQL_BIND par[1];
	MYSQL_STMT *s = NULL;
	int rc;

	sdb_in_str(&par[0], impu);
	rc = sdb_run(st, sql, par, NULL, &s);
	if (rc)
		return rc;
	return mysql_stmt_affected_rows(s) == 1 ? 0 : -ENOENT;
}
