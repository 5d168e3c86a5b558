/* store_auth: authentication data of a private identity and its SQN
 * (TS 33.102 6.3, TS 29.228 6.3.13 SIP-Auth-Data-Item). */
#include "store_db.h"

#include <errno.h>
#include <string.h>

#define AUTH_NCOL 9

/* The auth columns of impi p, first in a SELECT. */
#define AUTH_COLUMNS \
	"p.k, p.op, p.op_is_opc, p.amf, p.sqn, p.auth_schemes, p.digest_realm," \
	" p.digest_password, p.digest_ha1"

/* The integer columns read before they become flags of store_auth. */
struct auth_row {
	int op_is_opc, schemes;
};

/* Binds res[0..AUTH_NCOL-1] to the AUTH_COLUMNS of a SELECT. */
static void auth_row_bind(MYSQL_BIND *res, struct auth_row *r, struct store_auth *out)
{
	memset(out, 0, sizeof(*out));
	sdb_out_blob(&res[0], out->k, sizeof(out->k));
	sdb_out_blob(&res[1], out->op, sizeof(out->op));
	sdb_out_int(&res[2], &r->op_is_opc);
	sdb_out_blob(&res[3], out->amf, sizeof(out->amf));
	sdb_out_u64(&res[4], &out->sqn);
	sdb_out_int(&res[5], &r->schemes);
	sdb_out_str(&res[6], out->realm, sizeof(out->realm));
	sdb_out_str(&res[7], out->password, sizeof(out->password));
	sdb_out_str(&res[8], out->ha1, sizeof(out->ha1));
}

/* After a fetched row: the flags derived from the columns. */
static void auth_row_finish(const MYSQL_BIND *res, const struct auth_row *r,
			    struct store_auth *out)
{
	out->has_k = !sdb_is_null(&res[0]) && res[0].length_value == sizeof(out->k);
	out->has_op = !sdb_is_null(&res[1]) && res[1].length_value == sizeof(out->op);
	out->op_is_opc = r->op_is_opc != 0;
	out->schemes = (uint32_t)r->schemes;
	out->has_password = !sdb_is_null(&res[7]);
	out->has_ha1 = !sdb_is_null(&res[8]) && strlen(out->ha1) == 32;
}

int store_auth_get(struct store *st, const char *impi, struct store_auth *out)
{
	static const char sql[] = "SELECT " AUTH_COLUMNS " FROM impi p WHERE p.identity = ?";
	struct auth_row r;
	MYSQL_BIND par[1], res[AUTH_NCOL];
	MYSQL_STMT *s = NULL;
	int rc;

	auth_row_bind(res, &r, out);
	sdb_in_str(&par[0], impi);
	rc = sdb_run(st, sql, par, res, &s);
	if (rc)
		goto out;
	rc = sdb_fetch(s, res, AUTH_NCOL);
	sdb_done(s);
	if (rc == 0)
		rc = -ENOENT;
	if (rc < 0)
		goto out;
	rc = 0;
	auth_row_finish(res, &r, out);
out:
	if (rc)
		store_auth_wipe(out);
	return rc;
}

int store_auth_get_checked(struct store *st, const char *impi, const char *impu,
			   struct store_auth *out, struct store_impu_reg *reg)
{
	/* p by its unique identity, u by its unique identity, ii by primary
	 * key: one row, or none for an unknown impi; u.id NULL = unknown
	 * impu, ii.impi_id NULL = not associated. */
	static const char sql[] =
		"SELECT " AUTH_COLUMNS ", u.id, u.reg_state, u.scscf_name, ii.impi_id"
		" FROM impi p LEFT JOIN impu u ON u.identity = ?"
		" LEFT JOIN impi_impu ii ON ii.impi_id = p.id AND ii.impu_id = u.id"
		" WHERE p.identity = ?";
	struct auth_row r;
	MYSQL_BIND par[2], res[AUTH_NCOL + 4];
	MYSQL_STMT *s = NULL;
	uint64_t impu_id = 0, linked = 0;
	int state = 0, rc;

	memset(reg, 0, sizeof(*reg));
	auth_row_bind(res, &r, out);
	sdb_out_u64(&res[AUTH_NCOL], &impu_id);
	sdb_out_int(&res[AUTH_NCOL + 1], &state);
	sdb_out_str(&res[AUTH_NCOL + 2], reg->scscf_name, sizeof(reg->scscf_name));
	sdb_out_u64(&res[AUTH_NCOL + 3], &linked);
	sdb_in_str(&par[0], impu);
	sdb_in_str(&par[1], impi);
	rc = sdb_run(st, sql, par, res, &s);
	if (rc)
		goto out;
	rc = sdb_fetch(s, res, AUTH_NCOL + 4);
	sdb_done(s);
	if (rc == 0 || (rc == 1 && sdb_is_null(&res[AUTH_NCOL])))
		rc = -ENOENT;
	else if (rc == 1 && sdb_is_null(&res[AUTH_NCOL + 3]))
		rc = -EACCES;
	if (rc < 0)
		goto out;
	rc = 0;
	auth_row_finish(res, &r, out);
	reg->reg_state = (enum store_reg_state)state;
out:
	if (rc) {
		store_auth_wipe(out);
		memset(reg, 0, sizeof(*reg));
	}
	return rc;
}

void store_auth_wipe(struct store_auth *a)
{
	explicit_bzero(a, sizeof(*a));
}

/* 0 if impi exists, -ENOENT if not. */
static int impi_exists(struct store *st, const char *impi)
{
	static const char sql[] = "SELECT 1 FROM impi WHERE identity = ?";
	MYSQL_BIND par[1], res[1];
	MYSQL_STMT *s = NULL;
	int one = 0, rc;

	sdb_in_str(&par[0], impi);
	sdb_out_int(&res[0], &one);
	rc = sdb_run(st, sql, par, res, &s);
	if (rc)
		return rc;
	rc = sdb_fetch(s, res, 1);
	sdb_done(s);
	return rc < 0 ? rc : rc == 1 ? 0 : -ENOENT;
}

int store_sqn_advance(struct store *st, const char *impi, uint64_t expected_old,
		      uint64_t new_sqn)
{
	static const char sql[] =
		"UPDATE impi SET sqn = ? WHERE identity = ? AND sqn = ?";
	MYSQL_BIND par[3];
	MYSQL_STMT *s = NULL;
	int rc;

	if (new_sqn > STORE_SQN_MAX)
		return -EINVAL;
	sdb_in_u64(&par[0], &new_sqn);
	sdb_in_str(&par[1], impi);
	sdb_in_u64(&par[2], &expected_old);
	rc = sdb_run(st, sql, par, NULL, &s);
	if (rc)
		return rc;
	/* CLIENT_FOUND_ROWS: 1 when the row matched, even if unchanged. */
	if (mysql_stmt_affected_rows(s) == 1)
		return 0;
	rc = impi_exists(st, impi);
	return rc ? rc : -EAGAIN;
}

int store_sqn_advance_reg(struct store *st, const char *impi, uint64_t expected_old,
			  uint64_t new_sqn, const char *impu, enum store_reg_state state,
			  const char *scscf_name)
{
	/* p and k by their unique identities, u the set of k: nothing
	 * matches (and nothing is written) unless the CAS holds. */
	static const char sql[] =
		"UPDATE impi p JOIN impu k ON k.identity = ?"
		" JOIN impu u ON u.implicit_set_id = k.implicit_set_id"
		" SET p.sqn = ?, u.reg_state = ?, u.scscf_name = ?"
		" WHERE p.identity = ? AND p.sqn = ?";
	MYSQL_BIND par[6];
	MYSQL_STMT *s = NULL;
	int st_int = (int)state, rc;

	if (new_sqn > STORE_SQN_MAX || state > STORE_UNREGISTERED)
		return -EINVAL;
	sdb_in_str(&par[0], impu);
	sdb_in_u64(&par[1], &new_sqn);
	sdb_in_int(&par[2], &st_int);
	sdb_in_str(&par[3], scscf_name);
	sdb_in_str(&par[4], impi);
	sdb_in_u64(&par[5], &expected_old);
	rc = sdb_run(st, sql, par, NULL, &s);
	if (rc == -EDEADLK)
		return -EAGAIN;
	if (rc)
		return rc;
	/* CLIENT_FOUND_ROWS: the rows matched, 0 when the CAS failed. */
	return mysql_stmt_affected_rows(s) >= 1 ? 0 : -EAGAIN;
}

int store_sqn_set(struct store *st, const char *impi, uint64_t sqn)
{
	static const char sql[] = "UPDATE impi SET sqn = ? WHERE identity = ?";
	MYSQL_BIND par[2];
	MYSQL_STMT *s = NULL;
	int rc;

	if (sqn > STORE_SQN_MAX)
		return -EINVAL;
	sdb_in_u64(&par[0], &sqn);
	sdb_in_str(&par[1], impi);
	rc = sdb_run(st, sql, par, NULL, &s);
	if (rc)
		return rc;
	return mysql_stmt_affected_rows(s) == 1 ? 0 : -ENOENT;
}
