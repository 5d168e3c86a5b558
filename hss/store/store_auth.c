/* store_auth: authentication data of a private identity and its SQN
 * (TS 33.102 6.3, TS 29.228 6.3.13 SIP-Auth-Data-Item). */
#include "store_db.h"

#include <errno.h>
#include <string.h>

int store_auth_get(struct store *st, const char *impi, struct store_auth *out)
{
	static const char sql[] =
		"SELECT k, op, op_is_opc, amf, sqn, auth_schemes, digest_realm,"
		" digest_password, digest_ha1 FROM impi WHERE identity = ?";
	MYSQL_BIND par[1], res[9];
	MYSQL_STMT *s = NULL;
	int op_is_opc = 0, schemes = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	sdb_in_str(&par[0], impi);
	sdb_out_blob(&res[0], out->k, sizeof(out->k));
	sdb_out_blob(&res[1], out->op, sizeof(out->op));
	sdb_out_int(&res[2], &op_is_opc);
	sdb_out_blob(&res[3], out->amf, sizeof(out->amf));
	sdb_out_u64(&res[4], &out->sqn);
	sdb_out_int(&res[5], &schemes);
	sdb_out_str(&res[6], out->realm, sizeof(out->realm));
	sdb_out_str(&res[7], out->password, sizeof(out->password));
	sdb_out_str(&res[8], out->ha1, sizeof(out->ha1));
	rc = sdb_run(st, sql, par, res, &s);
	if (rc)
		goto out;
	rc = sdb_fetch(s, res, 9);
	sdb_done(s);
	if (rc == 0)
		rc = -ENOENT;
	if (rc < 0)
		goto out;
	rc = 0;
	out->has_k = !sdb_is_null(&res[0]) && res[0].length_value == sizeof(out->k);
	out->has_op = !sdb_is_null(&res[1]) && res[1].length_value == sizeof(out->op);
	out->op_is_opc = op_is_opc != 0;
	out->schemes = (uint32_t)schemes;
	out->has_password = !sdb_is_null(&res[7]);
	out->has_ha1 = !sdb_is_null(&res[8]) && strlen(out->ha1) == 32;
out:
	if (rc)
		store_auth_wipe(out);
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
