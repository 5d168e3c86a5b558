/* store_admin_profile: replace the initial filter criteria and the shared
 * iFC set links of an IMPU's service profile in one transaction
 * (`ims-hssctl profile set --ifc`). */
#include "store_admin.h"
#include "store_admin_ifc.h"
#include "store_db.h"

#include <errno.h>
#include <stdlib.h>

struct replace_args {
	const char *impu;
	const struct store_admin_ifc *ifcs;
	size_t n;
	const uint32_t *shared;
	size_t n_shared;
};

/* The ids of the iFCs linked to sp_id (malloc'd). */
static int linked_ifcs(struct store *st, uint64_t sp_id, uint64_t **ids, size_t *n)
{
	static const char sql[] =
		"SELECT ifc_id FROM service_profile_ifc WHERE service_profile_id = ? FOR UPDATE";
	MYSQL_BIND par[1], res[1];
	MYSQL_STMT *s = NULL;
	uint64_t id = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	sdb_in_u64(&par[0], &sp_id);
	sdb_out_u64(&res[0], &id);
	if ((rc = sdb_run(st, sql, par, res, &s)))
		return rc;
	while ((rc = sdb_fetch(s, res, 1)) == 1) {
		uint64_t *nv = realloc(*ids, (*n + 1) * sizeof *nv);
		if (!nv) {
			rc = -ENOMEM;
			break;
		}
		*ids = nv;
		nv[(*n)++] = id;
	}
	sdb_done(s);
	return rc < 0 ? rc : 0;
}

int sadm_ifc_delete_orphans(struct store *st, const uint64_t *ids, size_t n)
{
	static const char sql_orphan[] =
		"DELETE FROM ifc WHERE id = ?"
		" AND NOT EXISTS (SELECT 1 FROM service_profile_ifc WHERE ifc_id = ?)"
		" AND NOT EXISTS (SELECT 1 FROM shared_ifc_set_ifc WHERE ifc_id = ?)";
	MYSQL_BIND par[3];
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++) {
		sdb_in_u64(&par[0], &ids[i]);
		sdb_in_u64(&par[1], &ids[i]);
		sdb_in_u64(&par[2], &ids[i]);
		rc = sdb_run(st, sql_orphan, par, NULL, NULL);
	}
	return rc;
}

/* Unlink every iFC of sp_id; delete those no other profile or shared iFC
 * set uses (their SPTs go by ON DELETE CASCADE). */
static int unlink_ifcs(struct store *st, uint64_t sp_id)
{
	static const char sql_unlink[] =
		"DELETE FROM service_profile_ifc WHERE service_profile_id = ?";
	MYSQL_BIND par[1];
	uint64_t *ids = NULL;
	size_t n = 0;
	int rc = linked_ifcs(st, sp_id, &ids, &n);

	if (rc)
		goto out;
	sdb_in_u64(&par[0], &sp_id);
	if ((rc = sdb_run(st, sql_unlink, par, NULL, NULL)))
		goto out;
	rc = sadm_ifc_delete_orphans(st, ids, n);
out:
	free(ids);
	return rc;
}

/* The profile's SharedIFCSetIDs become shared[0..n) (TS 29.228 B.2.1). An
 * unknown set fails the foreign key: -ENOENT. */
static int link_shared(struct store *st, uint64_t sp_id, const uint32_t *shared, size_t n)
{
	static const char sql_clear[] =
		"DELETE FROM service_profile_shared_ifc_set WHERE service_profile_id = ?";
	static const char sql_link[] =
		"INSERT IGNORE INTO service_profile_shared_ifc_set (service_profile_id, set_id)"
		" SELECT ?, id FROM shared_ifc_set WHERE id = ?";
	MYSQL_BIND par[2];
	MYSQL_STMT *s = NULL;
	uint64_t set_id = 0;
	int rc;

	sdb_in_u64(&par[0], &sp_id);
	if ((rc = sdb_run(st, sql_clear, par, NULL, NULL)))
		return rc;
	for (size_t i = 0; i < n; i++) {
		set_id = shared[i];
		sdb_in_u64(&par[1], &set_id);
		if ((rc = sdb_run(st, sql_link, par, NULL, &s)))
			return rc;
		/* 0 rows: no such set (or listed twice, checked by the caller). */
		if (mysql_stmt_affected_rows(s) == 0)
			return -ENOENT;
	}
	return 0;
}

static int replace(struct store *st, void *arg)
{
	const struct replace_args *a = arg;
	uint64_t sp_id = 0;
	int rc = sadm_ifc_profile(st, a->impu, &sp_id);

	if (rc == 0)
		rc = unlink_ifcs(st, sp_id);
	for (size_t i = 0; rc == 0 && i < a->n; i++)
		rc = sadm_ifc_insert(st, sp_id, &a->ifcs[i]);
	if (rc == 0)
		rc = link_shared(st, sp_id, a->shared, a->n_shared);
	return rc;
}

int store_admin_profile_ifcs_replace(struct store *st, const char *impu,
				     const struct store_admin_ifc *ifcs, size_t n,
				     const uint32_t *shared, size_t n_shared)
{
	struct replace_args a = { .impu = impu, .ifcs = ifcs, .n = n,
				  .shared = shared, .n_shared = n_shared };

	if (!impu || (n_shared && !shared))
		return -EINVAL;
	for (size_t i = 0; i < n_shared; i++)
		for (size_t j = 0; j < i; j++)
			if (shared[i] == shared[j])
				return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (!ifcs[i].name || !ifcs[i].as_server_name)
			return -EINVAL;
	}
	return sdb_tx(st, replace, &a);
}
