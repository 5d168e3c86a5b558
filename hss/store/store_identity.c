/* store_identity: public identities, their association with private ones,
 * implicit registration sets, wildcarded PSIs and roaming permission
 * (TS 23.228 4.3.3, TS 29.228 6.1.1). */
#include "store_db.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define IMPU_COLUMNS \
	"u.identity, u.identity_type, u.wildcard_regex, u.barring, u.can_register," \
	" u.implicit_set_id, u.implicit_set_pos, u.service_profile_id, u.reg_state," \
	" u.scscf_name, (SELECT p.identity FROM impi p WHERE p.id = u.last_impi_id)"
#define IMPU_NCOL 11
/* The same columns through joins instead of a subquery per execution
 * (cheaper for MariaDB): FROM impu u IMPU_JOIN_LAST ... */
#define IMPU_COLUMNS_J \
	"u.identity, u.identity_type, u.wildcard_regex, u.barring, u.can_register," \
	" u.implicit_set_id, u.implicit_set_pos, u.service_profile_id, u.reg_state," \
	" u.scscf_name, l.identity"
#define IMPU_JOIN_LAST " LEFT JOIN impi l ON l.id = u.last_impi_id"

struct impu_row {
	MYSQL_BIND res[IMPU_NCOL];
	int type, barring, can_register, pos, reg_state;
	struct store_impu *dst;
};

static void impu_row_bind(struct impu_row *r, struct store_impu *dst)
{
	r->dst = dst;
	memset(dst, 0, sizeof(*dst));
	sdb_out_str(&r->res[0], dst->identity, sizeof(dst->identity));
	sdb_out_int(&r->res[1], &r->type);
	sdb_out_str(&r->res[2], dst->wildcard_regex, sizeof(dst->wildcard_regex));
	sdb_out_int(&r->res[3], &r->barring);
	sdb_out_int(&r->res[4], &r->can_register);
	sdb_out_u64(&r->res[5], &dst->implicit_set_id);
	sdb_out_int(&r->res[6], &r->pos);
	sdb_out_u64(&r->res[7], &dst->service_profile_id);
	sdb_out_int(&r->res[8], &r->reg_state);
	sdb_out_str(&r->res[9], dst->scscf_name, sizeof(dst->scscf_name));
	sdb_out_str(&r->res[10], dst->last_impi, sizeof(dst->last_impi));
}

/* Copy r's binds to the first IMPU_NCOL of res (a query with more columns);
 * fetch into res, then impu_row_finish(r). */
static void impu_row_export(struct impu_row *r, MYSQL_BIND *res)
{
	memcpy(res, r->res, sizeof r->res);
	for (size_t i = 0; i < IMPU_NCOL; i++) {  /* the binds point into themselves */
		res[i].length = &res[i].length_value;
		res[i].is_null = &res[i].is_null_value;
		res[i].error = &res[i].error_value;
	}
}

/* After a successful fetch: copy the integer columns into the record. */
static void impu_row_finish(struct impu_row *r)
{
	r->dst->type = (enum store_impu_type)r->type;
	r->dst->barred = r->barring != 0;
	r->dst->can_register = r->can_register != 0;
	r->dst->implicit_set_pos = (unsigned int)r->pos;
	r->dst->reg_state = (enum store_reg_state)r->reg_state;
}

/* Run a query selecting IMPU_COLUMNS with one string parameter, one row. */
static int impu_one(struct store *st, const char *sql, const char *arg,
		    struct store_impu *out)
{
	struct impu_row r;
	MYSQL_BIND par[1];
	MYSQL_STMT *s = NULL;
	int rc;

	impu_row_bind(&r, out);
	sdb_in_str(&par[0], arg);
	rc = sdb_run(st, sql, par, r.res, &s);
	if (rc)
		return rc;
	rc = sdb_fetch(s, r.res, IMPU_NCOL);
	sdb_done(s);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return -ENOENT;
	impu_row_finish(&r);
	return 0;
}

int store_impu_get(struct store *st, const char *impu, struct store_impu *out)
{
	static const char sql[] =
		"SELECT " IMPU_COLUMNS_J " FROM impu u" IMPU_JOIN_LAST " WHERE u.identity = ?";
	return impu_one(st, sql, impu, out);
}

int store_wildcard_psi_find(struct store *st, const char *impu, struct store_impu *out)
{
	/* The regex is anchored so that it must match the whole identity. */
	static const char sql[] =
		"SELECT " IMPU_COLUMNS_J " FROM impu u" IMPU_JOIN_LAST " WHERE u.identity_type = 2"
		" AND u.wildcard_regex IS NOT NULL"
		" AND ? REGEXP CONCAT('^(', u.wildcard_regex, ')$') ORDER BY u.id LIMIT 1";
	return impu_one(st, sql, impu, out);
}

int store_impi_impu_check(struct store *st, const char *impi, const char *impu)
{
	static const char sql[] =
		"SELECT (SELECT id FROM impi WHERE identity = ?),"
		" (SELECT id FROM impu WHERE identity = ?),"
		" EXISTS (SELECT 1 FROM impi_impu ii JOIN impi p ON p.id = ii.impi_id"
		" JOIN impu u ON u.id = ii.impu_id WHERE p.identity = ? AND u.identity = ?)";
	MYSQL_BIND par[4], res[3];
	MYSQL_STMT *s = NULL;
	uint64_t impi_id = 0, impu_id = 0;
	int linked = 0, rc;

	sdb_in_str(&par[0], impi);
	sdb_in_str(&par[1], impu);
	sdb_in_str(&par[2], impi);
	sdb_in_str(&par[3], impu);
	sdb_out_u64(&res[0], &impi_id);
	sdb_out_u64(&res[1], &impu_id);
	sdb_out_int(&res[2], &linked);
	rc = sdb_run(st, sql, par, res, &s);
	if (rc)
		return rc;
	rc = sdb_fetch(s, res, 3);
	sdb_done(s);
	if (rc < 0)
		return rc;
	if (rc == 0 || !impi_id || !impu_id)
		return -ENOENT;
	return linked ? 0 : -EACCES;
}

int store_impu_get_caps(struct store *st, const char *impu, const char *impi, bool want_caps,
			struct store_impu *out, struct store_caps *caps)
{
	/* Plain joins (eq_ref on unique keys): p NULL = unknown impi, ii NULL
	 * = not associated; the capability set is read only when needed. */
	static const char sql[] =
		"SELECT " IMPU_COLUMNS_J ", p.id, COALESCE(m.capability_set_id, 1), ii.impi_id"
		" FROM impu u" IMPU_JOIN_LAST
		" LEFT JOIN impi p ON p.identity = ? LEFT JOIN imsu m ON m.id = p.imsu_id"
		" LEFT JOIN impi_impu ii ON ii.impi_id = p.id AND ii.impu_id = u.id"
		" WHERE u.identity = ?";
	struct impu_row r;
	MYSQL_BIND par[2], res[IMPU_NCOL + 3];
	MYSQL_STMT *s = NULL;
	uint64_t impi_id = 0, caps_set = 0, linked = 0;
	int rc;

	memset(caps, 0, sizeof(*caps));
	impu_row_bind(&r, out);
	impu_row_export(&r, res);
	sdb_out_u64(&res[IMPU_NCOL], &impi_id);
	sdb_out_u64(&res[IMPU_NCOL + 1], &caps_set);
	sdb_out_u64(&res[IMPU_NCOL + 2], &linked);
	sdb_in_str(&par[0], impi);
	sdb_in_str(&par[1], impu);
	rc = sdb_run(st, sql, par, res, &s);
	if (rc)
		return rc;
	rc = sdb_fetch(s, res, IMPU_NCOL + 3);
	sdb_done(s);
	if (rc < 0)
		return rc;
	if (rc == 0 || !impi_id)
		return -ENOENT;
	impu_row_finish(&r);
	if (sdb_is_null(&res[IMPU_NCOL + 2]))
		return -EACCES;
	if (!want_caps && out->scscf_name[0])
		return 0;
	return sdb_caps_of_set(st, caps_set, caps);
}

/* Per row of store_implicit_set_checked: the record, whether it is the
 * requested IMPU, and (the same on every row) the check of that IMPU. */
struct set_check {
	struct impu_row r;
	int self, linked;
	uint64_t impi_id, count;
	size_t i;
	unsigned int pos;    /* implicit_set_pos of the requested IMPU */
	bool found, impi_known, impi_linked;
	unsigned int n_impis;
};

static void set_check_fix(void *row, void *ctx)
{
	struct set_check *c = ctx;

	(void)row;
	impu_row_finish(&c->r);
	if (c->self) {
		c->pos = c->r.dst->implicit_set_pos;
		c->found = true;
		c->impi_known = c->impi_id != 0;
		c->impi_linked = c->linked != 0;
		c->n_impis = c->count > UINT32_MAX ? UINT32_MAX : (unsigned int)c->count;
	}
	c->i++;
}

/* The set by implicit_set_pos (insertion sort: a set has a few IMPUs);
 * returns the index of the record at position self_pos. */
static size_t set_sort(struct store_impu *set, size_t n, unsigned int self_pos)
{
	size_t self = 0;

	for (size_t a = 1; a < n; a++) {
		struct store_impu v = set[a];
		size_t b = a;
		for (; b > 0 && set[b - 1].implicit_set_pos > v.implicit_set_pos; b--)
			set[b] = set[b - 1];
		set[b] = v;
	}
	for (size_t i = 0; i < n; i++) {
		if (set[i].implicit_set_pos == self_pos)
			self = i;
	}
	return self;
}

int store_implicit_set_checked(struct store *st, const char *impu, const char *impi,
			       struct store_impu **out, size_t *n, size_t *pos,
			       unsigned int *n_impis)
{
	/* k: the requested IMPU; p NULL = unknown impi; n: how many IMPIs
	 * share k (Associated-Identities). k and p are constant tables, so the
	 * subqueries run once. No ORDER BY (it made MariaDB build a temporary
	 * table per execution): set_sort orders by position. */
	static const char sql[] =
		"SELECT " IMPU_COLUMNS_J ", u.id = k.id, COALESCE(p.id, 0),"
		" EXISTS (SELECT 1 FROM impi_impu ii WHERE ii.impi_id = p.id AND ii.impu_id = k.id),"
		" (SELECT COUNT(*) FROM impi_impu n WHERE n.impu_id = k.id)"
		" FROM impu k JOIN impu u ON u.implicit_set_id = k.implicit_set_id" IMPU_JOIN_LAST
		" LEFT JOIN impi p ON p.identity = ? WHERE k.identity = ?";
	struct store_impu cur;
	struct set_check c = { .i = 0 };
	MYSQL_BIND par[2], res[IMPU_NCOL + 4];
	MYSQL_STMT *s = NULL;
	void *rows = NULL;
	int rc;

	*out = NULL;
	*n = 0;
	impu_row_bind(&c.r, &cur);
	impu_row_export(&c.r, res);
	sdb_out_int(&res[IMPU_NCOL], &c.self);
	sdb_out_u64(&res[IMPU_NCOL + 1], &c.impi_id);
	sdb_out_int(&res[IMPU_NCOL + 2], &c.linked);
	sdb_out_u64(&res[IMPU_NCOL + 3], &c.count);
	sdb_in_str(&par[0], impi);
	sdb_in_str(&par[1], impu);
	rc = sdb_run(st, sql, par, res, &s);
	if (rc)
		return rc;
	rc = sdb_collect(s, res, IMPU_NCOL + 4, &cur, sizeof cur, set_check_fix, &c, &rows, n);
	if (rc == 0 && !c.found)
		rc = -ENOENT;
	else if (rc == 0 && impi && !c.impi_known)
		rc = -ENOENT;
	else if (rc == 0 && impi && !c.impi_linked)
		rc = -EACCES;
	if (rc != 0) {
		free(rows);
		*n = 0;
		return rc;
	}
	*out = rows;
	*pos = set_sort(*out, *n, c.pos);
	if (n_impis)
		*n_impis = c.n_impis;
	return 0;
}

/* sdb_collect fix-up for impu_row results. */
static void impu_row_fix(void *row, void *r)
{
	(void)row;
	impu_row_finish(r);
}

int store_implicit_set_get(struct store *st, const char *impu,
			   struct store_impu **out, size_t *n)
{
	static const char sql[] =
		"SELECT " IMPU_COLUMNS_J " FROM impu u" IMPU_JOIN_LAST " JOIN impu k"
		" ON k.implicit_set_id = u.implicit_set_id WHERE k.identity = ?"
		" ORDER BY u.implicit_set_pos";
	struct store_impu cur;
	struct impu_row r;
	MYSQL_BIND par[1];
	MYSQL_STMT *s = NULL;
	void *rows = NULL;
	int rc;

	*out = NULL;
	*n = 0;
	impu_row_bind(&r, &cur);
	sdb_in_str(&par[0], impu);
	rc = sdb_run(st, sql, par, r.res, &s);
	if (rc)
		return rc;
	rc = sdb_collect(s, r.res, IMPU_NCOL, &cur, sizeof cur, impu_row_fix, &r, &rows, n);
	*out = rows;
	if (rc == 0 && *n == 0)
		rc = -ENOENT;
	return rc;
}

/* Collect the first string column of every row; -ENOENT when none and
 * exists_sql (one string parameter) finds no owner row either. */
static int strv_query(struct store *st, const char *sql, const char *exists_sql,
		      const char *arg, struct store_strv *out)
{
	char buf[STORE_IDENTITY_MAX];
	MYSQL_BIND par[1], res[1];
	MYSQL_STMT *s = NULL;
	int rc;

	out->v = NULL;
	out->n = 0;
	sdb_in_str(&par[0], arg);
	sdb_out_str(&res[0], buf, sizeof(buf));
	rc = sdb_run(st, sql, par, res, &s);
	if (rc)
		return rc;
	while ((rc = sdb_fetch(s, res, 1)) == 1) {
		char **nv = realloc(out->v, (out->n + 1) * sizeof(*nv));
		if (!nv || !(nv[out->n] = strdup(buf))) {
			if (nv)
				out->v = nv;
			rc = -ENOMEM;
			break;
		}
		out->v = nv;
		out->n++;
	}
	sdb_done(s);
	if (rc == 0 && out->n == 0) {
		sdb_in_str(&par[0], arg);
		rc = sdb_run(st, exists_sql, par, res, &s);
		if (rc == 0) {
			rc = sdb_fetch(s, res, 1);
			sdb_done(s);
			rc = rc < 0 ? rc : rc == 1 ? 0 : -ENOENT;
		}
	}
	if (rc < 0)
		store_strv_free(out);
	return rc < 0 ? rc : 0;
}

int store_impu_impis(struct store *st, const char *impu, struct store_strv *out)
{
	static const char sql[] =
		"SELECT p.identity FROM impi p JOIN impi_impu ii ON ii.impi_id = p.id"
		" JOIN impu u ON u.id = ii.impu_id WHERE u.identity = ? ORDER BY p.identity";
	static const char exists[] = "SELECT identity FROM impu WHERE identity = ?";
	return strv_query(st, sql, exists, impu, out);
}

int store_impi_impus(struct store *st, const char *impi, struct store_strv *out)
{
	static const char sql[] =
		"SELECT u.identity FROM impu u JOIN impi_impu ii ON ii.impu_id = u.id"
		" JOIN impi p ON p.id = ii.impi_id WHERE p.identity = ?"
		" ORDER BY u.implicit_set_id, u.implicit_set_pos";
	static const char exists[] = "SELECT identity FROM impi WHERE identity = ?";
	return strv_query(st, sql, exists, impi, out);
}

int store_visited_network_allowed(struct store *st, const char *impi,
				  const char *visited_network)
{
	static const char sql[] =
		"SELECT p.id, EXISTS (SELECT 1 FROM imsu_visited_network ivn"
		" JOIN visited_network vn ON vn.id = ivn.visited_network_id"
		" WHERE ivn.imsu_id = p.imsu_id AND vn.name = ?)"
		" FROM impi p WHERE p.identity = ?";
	MYSQL_BIND par[2], res[2];
	MYSQL_STMT *s = NULL;
	uint64_t id = 0;
	int allowed = 0, rc;

	sdb_in_str(&par[0], visited_network);
	sdb_in_str(&par[1], impi);
	sdb_out_u64(&res[0], &id);
	sdb_out_int(&res[1], &allowed);
	rc = sdb_run(st, sql, par, res, &s);
	if (rc)
		return rc;
	rc = sdb_fetch(s, res, 2);
	sdb_done(s);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return -ENOENT;
	return allowed ? 0 : -EACCES;
}
