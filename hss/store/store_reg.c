/* store_reg: registration state and assigned S-CSCF, written for a whole
 * implicit registration set at once (TS 29.228 6.1.2: the SAR applies to
 * the implicit set; TS 23.228 4.3.3.3). Kept per IMPU in the table. */
#include "store_db.h"

#include <errno.h>

struct reg_args {
	const char *impu;
	const char *impi;
	int state;
	const char *scscf;
	bool clear_only;
};

/* Lock the set row by row (FOR UPDATE) so concurrent SARs serialise. */
static int reg_lock_set(struct store *st, const char *impu, uint64_t *set_id)
{
	static const char sql[] =
		"SELECT implicit_set_id FROM impu WHERE identity = ? FOR UPDATE";
	MYSQL_BIND par[1], res[1];
	MYSQL_STMT *s = NULL;
	int rc;

	sdb_in_str(&par[0], impu);
	sdb_out_u64(&res[0], set_id);
	rc = sdb_run(st, sql, par, res, &s);
	if (rc)
		return rc;
	rc = sdb_fetch(s, res, 1);
	sdb_done(s);
	return rc < 0 ? rc : rc == 1 ? 0 : -ENOENT;
}

static int reg_apply(struct store *st, void *arg)
{
	static const char sql_set[] =
		"UPDATE impu SET reg_state = ?, scscf_name = ?,"
		" last_impi_id = COALESCE((SELECT id FROM impi WHERE identity = ?), last_impi_id)"
		" WHERE implicit_set_id = ?";
	static const char sql_clear[] =
		"UPDATE impu SET scscf_name = NULL WHERE implicit_set_id = ?";
	struct reg_args *a = arg;
	MYSQL_BIND par[4];
	uint64_t set_id = 0;
	int rc = reg_lock_set(st, a->impu, &set_id);

	if (rc)
		return rc;
	if (a->clear_only) {
		sdb_in_u64(&par[0], &set_id);
		return sdb_run(st, sql_clear, par, NULL, NULL);
	}
	sdb_in_int(&par[0], &a->state);
	sdb_in_str(&par[1], a->scscf);
	sdb_in_str(&par[2], a->impi);
	sdb_in_u64(&par[3], &set_id);
	return sdb_run(st, sql_set, par, NULL, NULL);
}

int store_reg_set(struct store *st, const char *impu, const char *impi,
		  enum store_reg_state state, const char *scscf_name)
{
	struct reg_args a = { .impu = impu, .impi = impi, .state = (int)state,
			      .scscf = scscf_name };

	if (state != STORE_NOT_REGISTERED && state != STORE_REGISTERED &&
	    state != STORE_UNREGISTERED)
		return -EINVAL;
	return sdb_tx(st, reg_apply, &a);
}

int store_scscf_clear(struct store *st, const char *impu)
{
	struct reg_args a = { .impu = impu, .clear_only = true };

	return sdb_tx(st, reg_apply, &a);
}
