/* store_admin_bulk: bulk provisioning (ims-hssctl subscriber import) with
 * multi-row INSERTs, and listing private identities (store_admin.h). */
#include "store_admin.h"
#include "store_db.h"

#include <errno.h>
#include <mysqld_error.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BULK_ROWS_MAX 1000   /* rows per INSERT statement */

/* One multi-row INSERT: head "INSERT INTO t (a, b) VALUES ", rows of ncols
 * placeholders, params row-major. A one-off statement: not cached. */
static int bulk_insert(struct store *st, const char *head, size_t ncols, size_t nrows,
		       MYSQL_BIND *params, char *msg, size_t msglen)
{
	size_t row_len = 2 + ncols * 2, len = strlen(head) + nrows * (row_len + 1) + 1;
	char *sql = malloc(len), *p;
	MYSQL_STMT *s = NULL;
	int rc = 0;

	if (!sql)
		return -ENOMEM;
	p = sql + sprintf(sql, "%s", head);
	for (size_t r = 0; r < nrows; r++) {
		*p++ = r ? ',' : ' ';
		*p++ = '(';
		for (size_t c = 0; c < ncols; c++) {
			*p++ = '?';
			*p++ = c + 1 < ncols ? ',' : ')';
		}
	}
	*p = '\0';
	if (!st->conn) {
		rc = -ENOTCONN;
		goto out;
	}
	s = mysql_stmt_init(st->conn);
	if (!s) {
		rc = -ENOMEM;
		goto out;
	}
	if (mysql_stmt_prepare(s, sql, strlen(sql)) || mysql_stmt_bind_param(s, params) ||
	    mysql_stmt_execute(s)) {
		rc = sdb_errno(mysql_stmt_errno(s));
		snprintf(msg, msglen, "%s", mysql_stmt_error(s));
	}
out:
	if (s)
		mysql_stmt_close(s);
	free(sql);
	return rc;
}

/* Highest id of table, locking the end of its index so that a concurrent
 * importer waits instead of taking the same ids. */
static int max_id(struct store *st, const char *sql, uint64_t *id)
{
	MYSQL_BIND res[1];
	MYSQL_STMT *s = NULL;
	int rc;

	*id = 0;
	sdb_out_u64(&res[0], id);
	rc = sdb_run(st, sql, NULL, res, &s);
	if (rc)
		return rc;
	rc = sdb_fetch(s, res, 1);
	sdb_done(s);
	return rc < 0 ? rc : 0;
}

struct bulk {
	const struct store_admin_subscriber *subs;
	size_t n;
	char *msg;
	size_t msglen;
	uint64_t base_imsu, base_impi, base_sp, base_set, base_impu;
	uint64_t *ids;          /* scratch: ids bound by value */
	int *ints;              /* scratch: ints bound by value */
	MYSQL_BIND *par;
};

/* Rows [first, first + n) of a per-subscriber table. */
static int insert_subs(struct store *st, struct bulk *b, size_t first, size_t n)
{
	static const char h_imsu[] = "INSERT INTO imsu (id, name) VALUES";
	static const char h_impi[] =
		"INSERT INTO impi (id, identity, imsu_id, k, op, op_is_opc, amf, sqn, auth_schemes,"
		" digest_realm, digest_password, digest_ha1) VALUES";
	static const char h_sp[] = "INSERT INTO service_profile (id, name) VALUES";
	static const char h_set[] = "INSERT INTO implicit_set (id) VALUES";
	MYSQL_BIND *p = b->par;
	uint64_t *id = b->ids;
	int *iv = b->ints, rc;

	for (size_t i = 0; i < n; i++) {
		const struct store_admin_subscriber *s = &b->subs[first + i];
		id[4 * i] = b->base_imsu + first + i + 1;
		sdb_in_u64(&p[2 * i], &id[4 * i]);
		sdb_in_str(&p[2 * i + 1], s->imsu ? s->imsu : s->impi);
	}
	if ((rc = bulk_insert(st, h_imsu, 2, n, p, b->msg, b->msglen)))
		return rc;
	for (size_t i = 0; i < n; i++) {
		const struct store_admin_subscriber *s = &b->subs[first + i];
		MYSQL_BIND *r = &p[12 * i];
		id[4 * i + 1] = b->base_impi + first + i + 1;
		iv[2 * i] = s->op_is_opc;
		iv[2 * i + 1] = (int)s->schemes;
		sdb_in_u64(&r[0], &id[4 * i + 1]);
		sdb_in_str(&r[1], s->impi);
		sdb_in_u64(&r[2], &id[4 * i]);
		sdb_in_blob(&r[3], s->has_k ? s->k : NULL, 16);
		sdb_in_blob(&r[4], s->has_op ? s->op : NULL, 16);
		sdb_in_int(&r[5], &iv[2 * i]);
		sdb_in_blob(&r[6], s->amf, 2);
		sdb_in_u64(&r[7], &s->sqn);
		sdb_in_int(&r[8], &iv[2 * i + 1]);
		sdb_in_str(&r[9], s->realm);
		sdb_in_str(&r[10], s->password);
		sdb_in_str(&r[11], s->ha1);
	}
	if ((rc = bulk_insert(st, h_impi, 12, n, p, b->msg, b->msglen)))
		return rc;
	for (size_t i = 0; i < n; i++) {
		id[4 * i + 2] = b->base_sp + first + i + 1;
		sdb_in_u64(&p[2 * i], &id[4 * i + 2]);
		sdb_in_str(&p[2 * i + 1], b->subs[first + i].impi);
	}
	if ((rc = bulk_insert(st, h_sp, 2, n, p, b->msg, b->msglen)))
		return rc;
	for (size_t i = 0; i < n; i++) {
		id[4 * i + 3] = b->base_set + first + i + 1;
		sdb_in_u64(&p[i], &id[4 * i + 3]);
	}
	return bulk_insert(st, h_set, 1, n, p, b->msg, b->msglen);
}

/* The IMPUs of subscribers [first, first + n) and their IMPI links;
 * *impu_no counts IMPUs written so far (their ids follow base_impu). */
static int insert_impus(struct store *st, struct bulk *b, size_t first, size_t n,
			uint64_t *impu_no)
{
	static const char h_impu[] =
		"INSERT INTO impu (id, identity, implicit_set_id, implicit_set_pos,"
		" service_profile_id) VALUES";
	static const char h_link[] = "INSERT INTO impi_impu (impi_id, impu_id) VALUES";
	MYSQL_BIND *p = b->par;
	uint64_t *id = b->ids;
	int *pos = b->ints, rc;
	size_t rows = 0;

	for (size_t i = 0; i < n; i++) {
		const struct store_admin_subscriber *s = &b->subs[first + i];
		for (size_t j = 0; j < s->n_impus; j++, rows++) {
			MYSQL_BIND *r = &p[5 * rows];
			uint64_t *v = &id[4 * rows];
			v[0] = b->base_impu + *impu_no + rows + 1;
			v[1] = b->base_set + first + i + 1;
			v[2] = b->base_sp + first + i + 1;
			v[3] = b->base_impi + first + i + 1;
			pos[rows] = (int)j;
			sdb_in_u64(&r[0], &v[0]);
			sdb_in_str(&r[1], s->impus[j]);
			sdb_in_u64(&r[2], &v[1]);
			sdb_in_int(&r[3], &pos[rows]);
			sdb_in_u64(&r[4], &v[2]);
		}
	}
	if ((rc = bulk_insert(st, h_impu, 5, rows, p, b->msg, b->msglen)))
		return rc;
	for (size_t k = 0; k < rows; k++) {
		sdb_in_u64(&p[2 * k], &id[4 * k + 3]);
		sdb_in_u64(&p[2 * k + 1], &id[4 * k]);
	}
	rc = bulk_insert(st, h_link, 2, rows, p, b->msg, b->msglen);
	*impu_no += rows;
	return rc;
}

static int import_tx(struct store *st, void *arg)
{
	static const char q_imsu[] = "SELECT COALESCE(MAX(id), 0) FROM imsu FOR UPDATE";
	static const char q_impi[] = "SELECT COALESCE(MAX(id), 0) FROM impi FOR UPDATE";
	static const char q_sp[] = "SELECT COALESCE(MAX(id), 0) FROM service_profile FOR UPDATE";
	static const char q_set[] = "SELECT COALESCE(MAX(id), 0) FROM implicit_set FOR UPDATE";
	static const char q_impu[] = "SELECT COALESCE(MAX(id), 0) FROM impu FOR UPDATE";
	struct bulk *b = arg;
	uint64_t impu_no = 0;
	int rc;

	if ((rc = max_id(st, q_imsu, &b->base_imsu)) || (rc = max_id(st, q_impi, &b->base_impi)) ||
	    (rc = max_id(st, q_sp, &b->base_sp)) || (rc = max_id(st, q_set, &b->base_set)) ||
	    (rc = max_id(st, q_impu, &b->base_impu)))
		return rc;
	/* Chunks small enough that one INSERT stays under BULK_ROWS_MAX rows
	 * even with STORE_ADMIN_IMPORT_IMPUS_MAX IMPUs each. */
	for (size_t first = 0; first < b->n; first += BULK_ROWS_MAX / STORE_ADMIN_IMPORT_IMPUS_MAX) {
		size_t n = b->n - first;
		if (n > BULK_ROWS_MAX / STORE_ADMIN_IMPORT_IMPUS_MAX)
			n = BULK_ROWS_MAX / STORE_ADMIN_IMPORT_IMPUS_MAX;
		if ((rc = insert_subs(st, b, first, n)) || (rc = insert_impus(st, b, first, n, &impu_no)))
			return rc;
	}
	return 0;
}

int store_admin_import(struct store *st, const struct store_admin_subscriber *subs, size_t n,
		       char *msg, size_t msglen)
{
	struct bulk b = { .subs = subs, .n = n, .msg = msg, .msglen = msglen };
	int rc = -ENOMEM;

	msg[0] = '\0';
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (!subs[i].impi || subs[i].n_impus == 0 ||
		    subs[i].n_impus > STORE_ADMIN_IMPORT_IMPUS_MAX || subs[i].sqn > STORE_SQN_MAX)
			return -EINVAL;
	}
	b.par = calloc(BULK_ROWS_MAX * 12, sizeof *b.par);
	b.ids = calloc(BULK_ROWS_MAX * 4, sizeof *b.ids);
	b.ints = calloc(BULK_ROWS_MAX * 2, sizeof *b.ints);
	if (b.par && b.ids && b.ints)
		rc = sdb_tx(st, import_tx, &b);
	free(b.par);
	free(b.ids);
	free(b.ints);
	return rc;
}

int store_admin_impi_list(struct store *st, const char *after, size_t max,
			  struct store_strv *out)
{
	static const char sql[] =
		"SELECT identity FROM impi WHERE identity > ? ORDER BY identity LIMIT ?";
	char id[STORE_IDENTITY_MAX];
	uint64_t lim = max;
	MYSQL_BIND par[2], res[1];
	MYSQL_STMT *s = NULL;
	int rc;

	memset(out, 0, sizeof *out);
	out->v = calloc(max ? max : 1, sizeof *out->v);
	if (!out->v)
		return -ENOMEM;
	sdb_in_str(&par[0], after ? after : "");
	sdb_in_u64(&par[1], &lim);
	sdb_out_str(&res[0], id, sizeof id);
	rc = sdb_run(st, sql, par, res, &s);
	if (rc)
		goto out;
	while ((rc = sdb_fetch(s, res, 1)) == 1 && out->n < max) {
		out->v[out->n] = strdup(id);
		if (!out->v[out->n]) {
			rc = -ENOMEM;
			break;
		}
		out->n++;
	}
	sdb_done(s);
	if (rc > 0)
		rc = 0;
out:
	if (rc)
		store_strv_free(out);
	return rc;
}
