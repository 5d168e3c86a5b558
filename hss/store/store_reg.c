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

/* One autocommitted statement per change: the self-join finds the implicit
 * set of `impu` and InnoDB locks the set's rows for the statement, so
 * concurrent SARs serialise as they did with START TRANSACTION, SELECT ...
 * FOR UPDATE, UPDATE, COMMIT, in one database round trip instead of four
 * (MAR and SAR each write here; measured with tests/bench/reg-load.sh).
 * CLIENT_FOUND_ROWS: affected rows = matched rows, so 0 means no such IMPU. */
static int reg_apply(const struct reg_args *a, struct store *st)
{
	static const char sql_set[] =
		"UPDATE impu u JOIN impu k ON k.implicit_set_id = u.implicit_set_id"
		" SET u.reg_state = ?, u.scscf_name = ?,"
		" u.last_impi_id = COALESCE((SELECT id FROM impi WHERE identity = ?), u.last_impi_id)"
		" WHERE k.identity = ?";
	static const char sql_clear[] =
		"UPDATE impu u JOIN impu k ON k.implicit_set_id = u.implicit_set_id"
		" SET u.scscf_name = NULL WHERE k.identity = ?";
	MYSQL_BIND par[4];
	MYSQL_STMT *s = NULL;
	int state = a->state, rc;

	if (a->clear_only) {
		sdb_in_str(&par[0], a->impu);
		rc = sdb_run(st, sql_clear, par, NULL, &s);
	} else {
		sdb_in_int(&par[0], &state);
		sdb_in_str(&par[1], a->scscf);
		sdb_in_str(&par[2], a->impi);
		sdb_in_str(&par[3], a->impu);
		rc = sdb_run(st, sql_set, par, NULL, &s);
	}
	if (rc)
		return rc;
	return mysql_stmt_affected_rows(s) >= 1 ? 0 : -ENOENT;
}

int store_reg_set(struct store *st, const char *impu, const char *impi,
		  enum store_reg_state state, const char *scscf_name)
{
	struct reg_args a = { .impu = impu, .impi = impi, .state = (int)state,
			      .scscf = scscf_name };

	if (state != STORE_NOT_REGISTERED && state != STORE_REGISTERED &&
	    state != STORE_UNREGISTERED)
		return -EINVAL;
	return reg_apply(&a, st);
}

/* The write of store_reg_set, leaving out every IMPU with a subscription
 * to dref_a or dref_b: InnoDB reads sh_subscription in an UPDATE under
 * shared next-key locks (REPEATABLE READ; SHOW ENGINE INNODB STATUS lists
 * them on k_sh_sub_impu), so an SNR inserting a subscription waits for
 * this statement's commit (and then reads the new state) or came before
 * (and its IMPU is left out here): no change goes untold, as when the
 * notifier looked after the commit. Affected rows: the IMPUs written. */
static int reg_apply_unwatched(const struct reg_args *a, int dref_a, int dref_b,
			       struct store *st, unsigned long long *written)
{
	static const char sql[] =
		"UPDATE impu u JOIN impu k ON k.implicit_set_id = u.implicit_set_id"
		" SET u.reg_state = ?, u.scscf_name = ?,"
		" u.last_impi_id = COALESCE((SELECT id FROM impi WHERE identity = ?), u.last_impi_id)"
		" WHERE k.identity = ? AND NOT EXISTS (SELECT 1 FROM sh_subscription b"
		" WHERE b.impu_id = u.id AND b.data_reference IN (?, ?))";
	MYSQL_BIND par[6];
	MYSQL_STMT *s = NULL;
	int state = a->state, rc;

	sdb_in_int(&par[0], &state);
	sdb_in_str(&par[1], a->scscf);
	sdb_in_str(&par[2], a->impi);
	sdb_in_str(&par[3], a->impu);
	sdb_in_int(&par[4], &dref_a);
	sdb_in_int(&par[5], &dref_b);
	rc = sdb_run(st, sql, par, NULL, &s);
	if (rc == 0)
		*written = mysql_stmt_affected_rows(s);
	return rc;
}

int store_reg_set_unwatched(struct store *st, const char *impu, const char *impi,
			    enum store_reg_state state, const char *scscf_name, size_t n_set,
			    int dref_a, int dref_b, bool *watched)
{
	struct reg_args a = { .impu = impu, .impi = impi, .state = (int)state,
			      .scscf = scscf_name };
	unsigned long long written = 0;
	int rc;

	*watched = false;
	if (state != STORE_NOT_REGISTERED && state != STORE_REGISTERED &&
	    state != STORE_UNREGISTERED)
		return -EINVAL;
	rc = reg_apply_unwatched(&a, dref_a, dref_b, st, &written);
	if (rc != 0 || written == n_set)
		return rc;
	/* Some IMPU is watched (or the set changed meanwhile): the whole set
	 * as store_reg_set writes it, and the caller tells Sh. */
	*watched = true;
	return reg_apply(&a, st);
}

int store_scscf_clear(struct store *st, const char *impu)
{
	struct reg_args a = { .impu = impu, .clear_only = true };

	return reg_apply(&a, st);
}
