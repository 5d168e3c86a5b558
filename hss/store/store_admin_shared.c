/* store_admin_shared: provisioning of shared iFC sets (TS 29.228 B.2.1
 * SharedIFCSetID; tables shared_ifc_set and shared_ifc_set_ifc) for
 * `ims-hssctl shared-ifc`. */
#include "store_admin.h"
#include "store_admin_ifc.h"
#include "store_db.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct set_args {
	uint32_t id;
	const char *name;
	const struct store_admin_ifc *ifcs;
	size_t n;
	bool force;
};

/* The ids of the iFCs of set id (rows locked; malloc'd). */
static int set_ifcs(struct store *st, uint64_t id, uint64_t **ids, size_t *n)
{
	static const char sql[] =
		"SELECT ifc_id FROM shared_ifc_set_ifc WHERE set_id = ? FOR UPDATE";
	MYSQL_BIND par[1], res[1];
	MYSQL_STMT *s = NULL;
	uint64_t ifc_id = 0;
	int rc;

	sdb_in_u64(&par[0], &id);
	sdb_out_u64(&res[0], &ifc_id);
	if ((rc = sdb_run(st, sql, par, res, &s)))
		return rc;
	return sdb_collect(s, res, 1, &ifc_id, sizeof ifc_id, NULL, NULL, (void **)ids, n);
}

/* Unlink every iFC of set id and delete those used nowhere else. */
static int set_clear(struct store *st, uint64_t id)
{
	static const char sql[] = "DELETE FROM shared_ifc_set_ifc WHERE set_id = ?";
	MYSQL_BIND par[1];
	uint64_t *ids = NULL;
	size_t n = 0;
	int rc = set_ifcs(st, id, &ids, &n);

	sdb_in_u64(&par[0], &id);
	if (rc == 0)
		rc = sdb_run(st, sql, par, NULL, NULL);
	if (rc == 0)
		rc = sadm_ifc_delete_orphans(st, ids, n);
	free(ids);
	return rc;
}

/* The set's current name into name (locked), 1 found, 0 not, -errno;
 * *other: the id of the set already called want (UINT64_MAX if none). */
static int set_lookup(struct store *st, uint64_t id, const char *want, char *name,
		      size_t size, uint64_t *other)
{
	static const char sql_id[] = "SELECT name FROM shared_ifc_set WHERE id = ? FOR UPDATE";
	static const char sql_name[] = "SELECT id FROM shared_ifc_set WHERE name = ? FOR UPDATE";
	MYSQL_BIND par[1], res[1];
	MYSQL_STMT *s = NULL;
	int rc, found;

	*other = UINT64_MAX;
	if (want) {
		sdb_in_str(&par[0], want);
		sdb_out_u64(&res[0], other);
		if ((rc = sdb_run(st, sql_name, par, res, &s)))
			return rc;
		rc = sdb_fetch(s, res, 1);
		sdb_done(s);
		if (rc < 0)
			return rc;
		if (rc == 0)
			*other = UINT64_MAX;
	}
	sdb_in_u64(&par[0], &id);
	sdb_out_str(&res[0], name, size);
	if ((rc = sdb_run(st, sql_id, par, res, &s)))
		return rc;
	found = sdb_fetch(s, res, 1);
	sdb_done(s);
	return found;
}

static int set_replace(struct store *st, void *arg)
{
	static const char sql_upsert[] =
		"INSERT INTO shared_ifc_set (id, name) VALUES (?, ?)"
		" ON DUPLICATE KEY UPDATE name = VALUES(name)";
	static const char sql_link[] =
		"INSERT INTO shared_ifc_set_ifc (set_id, ifc_id) VALUES (?, ?)";
	const struct set_args *a = arg;
	char name[STORE_IDENTITY_MAX] = "";
	uint64_t id = a->id, other = 0, ifc_id = 0;
	MYSQL_BIND par[2];
	int rc = set_lookup(st, id, a->name, name, sizeof name, &other);

	if (rc < 0)
		return rc;
	if (a->name && other != UINT64_MAX && other != id)
		return -EEXIST;
	if (a->name)
		snprintf(name, sizeof name, "%s", a->name);
	else if (rc == 0)
		snprintf(name, sizeof name, "set-%u", a->id);
	sdb_in_u64(&par[0], &id);
	sdb_in_str(&par[1], name);
	if ((rc = sdb_run(st, sql_upsert, par, NULL, NULL)) || (rc = set_clear(st, id)))
		return rc;
	for (size_t i = 0; i < a->n; i++) {
		if ((rc = sadm_ifc_create(st, &a->ifcs[i], &ifc_id)))
			return rc;
		sdb_in_u64(&par[0], &id);
		sdb_in_u64(&par[1], &ifc_id);
		if ((rc = sdb_run(st, sql_link, par, NULL, NULL)))
			return rc;
	}
	return 0;
}

int store_admin_shared_set_replace(struct store *st, uint32_t id, const char *name,
				   const struct store_admin_ifc *ifcs, size_t n)
{
	struct set_args a = { .id = id, .name = name, .ifcs = ifcs, .n = n };

	if ((n && !ifcs) || (name && !*name))
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (!ifcs[i].name || !ifcs[i].as_server_name)
			return -EINVAL;
	}
	return sdb_tx(st, set_replace, &a);
}

static int set_del(struct store *st, void *arg)
{
	static const char sql_users[] =
		"SELECT COUNT(*) FROM service_profile_shared_ifc_set WHERE set_id = ?";
	static const char sql_del[] = "DELETE FROM shared_ifc_set WHERE id = ?";
	const struct set_args *a = arg;
	char name[STORE_IDENTITY_MAX];
	uint64_t id = a->id, other = 0, users = 0;
	MYSQL_BIND par[1], res[1];
	MYSQL_STMT *s = NULL;
	int rc = set_lookup(st, id, NULL, name, sizeof name, &other);

	if (rc <= 0)
		return rc ? rc : -ENOENT;
	sdb_in_u64(&par[0], &id);
	sdb_out_u64(&res[0], &users);
	if ((rc = sdb_run(st, sql_users, par, res, &s)))
		return rc;
	rc = sdb_fetch(s, res, 1);
	sdb_done(s);
	if (rc < 0)
		return rc;
	if (users && !a->force)
		return -EBUSY;
	/* The iFCs first (they need the links to be found); the profile links
	 * go with the set (ON DELETE CASCADE). */
	if ((rc = set_clear(st, id)))
		return rc;
	return sdb_run(st, sql_del, par, NULL, NULL);
}

int store_admin_shared_set_del(struct store *st, uint32_t id, bool force)
{
	struct set_args a = { .id = id, .force = force };

	return sdb_tx(st, set_del, &a);
}

struct list_row {
	struct store_admin_shared_set row;
	uint64_t id;                 /* the column, copied into row.id by list_fix */
};

static void list_fix(void *row, void *ctx)
{
	struct list_row *r = ctx;

	(void)row;
	r->row.id = (uint32_t)r->id;
}

int store_admin_shared_set_list(struct store *st, struct store_admin_shared_set **out, size_t *n)
{
	static const char sql[] =
		"SELECT s.id, s.name,"
		" (SELECT COUNT(*) FROM shared_ifc_set_ifc i WHERE i.set_id = s.id),"
		" (SELECT COUNT(*) FROM service_profile_shared_ifc_set p WHERE p.set_id = s.id)"
		" FROM shared_ifc_set s ORDER BY s.id";
	struct list_row r;
	MYSQL_BIND res[4];
	MYSQL_STMT *s = NULL;
	int rc;

	*out = NULL;
	*n = 0;
	memset(&r, 0, sizeof r);
	sdb_out_u64(&res[0], &r.id);
	sdb_out_str(&res[1], r.row.name, sizeof r.row.name);
	sdb_out_u64(&res[2], &r.row.n_ifcs);
	sdb_out_u64(&res[3], &r.row.n_profiles);
	if ((rc = sdb_run(st, sql, NULL, res, &s)))
		return rc;
	return sdb_collect(s, res, 4, &r.row, sizeof r.row, list_fix, &r, (void **)out, n);
}

int store_admin_shared_set_exists(struct store *st, uint32_t id)
{
	static const char sql[] = "SELECT 1 FROM shared_ifc_set WHERE id = ?";
	uint64_t v = id;
	int one = 0, rc;
	MYSQL_BIND par[1], res[1];
	MYSQL_STMT *s = NULL;

	sdb_in_u64(&par[0], &v);
	sdb_out_int(&res[0], &one);
	if ((rc = sdb_run(st, sql, par, res, &s)))
		return rc;
	rc = sdb_fetch(s, res, 1);
	sdb_done(s);
	return rc;
}
