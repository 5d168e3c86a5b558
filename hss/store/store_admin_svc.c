/* store_admin_svc: provisioning of services — iFCs with their application
 * servers, S-CSCF capability sets, visited networks — for ims-hssctl. */
#include "store_admin.h"
#include "store_admin_ifc.h"
#include "store_db.h"

#include <errno.h>
#include <string.h>

static int run_id(struct store *st, const char *sql, MYSQL_BIND *par, uint64_t *id)
{
	MYSQL_STMT *s = NULL;
	int rc = sdb_run(st, sql, par, NULL, &s);

	if (rc == 0 && id)
		*id = mysql_stmt_insert_id(s);
	return rc;
}

/* The service profile of impu, created (named after impu) if it has none. */
int sadm_ifc_profile(struct store *st, const char *impu, uint64_t *sp_id)
{
	static const char sql_get[] =
		"SELECT COALESCE(service_profile_id, 0) FROM impu WHERE identity = ? FOR UPDATE";
	static const char sql_new[] =
		"INSERT INTO service_profile (name) VALUES (?)"
		" ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)";
	static const char sql_set[] =
		"UPDATE impu SET service_profile_id = ? WHERE identity = ?";
	MYSQL_BIND par[2], res[1];
	MYSQL_STMT *s = NULL;
	int rc;

	sdb_in_str(&par[0], impu);
	sdb_out_u64(&res[0], sp_id);
	if ((rc = sdb_run(st, sql_get, par, res, &s)))
		return rc;
	rc = sdb_fetch(s, res, 1);
	sdb_done(s);
	if (rc <= 0)
		return rc ? rc : -ENOENT;
	if (*sp_id)
		return 0;
	if ((rc = run_id(st, sql_new, par, sp_id)))
		return rc;
	sdb_in_u64(&par[0], sp_id);
	sdb_in_str(&par[1], impu);
	return sdb_run(st, sql_set, par, NULL, NULL);
}

static int ifc_as(struct store *st, const struct store_admin_ifc *f, uint64_t *as_id)
{
	static const char sql[] =
		"INSERT INTO application_server (server_name, default_handling, service_info,"
		" include_register_request, include_register_response) VALUES (?, ?, ?, ?, ?)"
		" ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id),"
		" default_handling = VALUES(default_handling), service_info = VALUES(service_info),"
		" include_register_request = VALUES(include_register_request),"
		" include_register_response = VALUES(include_register_response)";
	int dh = f->default_handling, req = f->include_register_request,
	    resp = f->include_register_response;
	MYSQL_BIND par[5];

	sdb_in_str(&par[0], f->as_server_name);
	sdb_in_int(&par[1], &dh);
	sdb_in_str(&par[2], f->service_info);
	sdb_in_int(&par[3], &req);
	sdb_in_int(&par[4], &resp);
	return run_id(st, sql, par, as_id);
}

static int ifc_spt(struct store *st, uint64_t ifc_id, int pos, const struct store_admin_spt *p)
{
	static const char sql[] =
		"INSERT INTO spt (ifc_id, position, group_id, condition_negated, type, value,"
		" header, session_case, registration_type)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, IF(? < 0, NULL, ?), ?)";
	int group = (int)p->group, neg = p->negated, type = (int)p->type,
	    sc = p->session_case, rt = (int)p->registration_type;
	MYSQL_BIND par[10];

	sdb_in_u64(&par[0], &ifc_id);
	sdb_in_int(&par[1], &pos);
	sdb_in_int(&par[2], &group);
	sdb_in_int(&par[3], &neg);
	sdb_in_int(&par[4], &type);
	sdb_in_str(&par[5], p->value);
	sdb_in_str(&par[6], p->header);
	sdb_in_int(&par[7], &sc);
	sdb_in_int(&par[8], &sc);
	sdb_in_int(&par[9], &rt);
	return sdb_run(st, sql, par, NULL, NULL);
}

int sadm_ifc_create(struct store *st, const struct store_admin_ifc *f, uint64_t *ifc_id)
{
	static const char sql_ifc[] =
		"INSERT INTO ifc (name, priority, profile_part_indicator, condition_type_cnf,"
		" application_server_id) VALUES (?, ?, IF(? < 0, NULL, ?), ?, ?)";
	uint64_t as_id = 0;
	int prio = f->priority, ppi = f->profile_part_indicator, cnf = f->condition_type_cnf;
	MYSQL_BIND par[6];
	int rc;

	if ((rc = ifc_as(st, f, &as_id)))
		return rc;
	sdb_in_str(&par[0], f->name);
	sdb_in_int(&par[1], &prio);
	sdb_in_int(&par[2], &ppi);
	sdb_in_int(&par[3], &ppi);
	sdb_in_int(&par[4], &cnf);
	sdb_in_u64(&par[5], &as_id);
	if ((rc = run_id(st, sql_ifc, par, ifc_id)))
		return rc;
	for (size_t i = 0; i < f->n_spts; i++)
		if ((rc = ifc_spt(st, *ifc_id, (int)i, &f->spts[i])))
			return rc;
	return 0;
}

int sadm_ifc_insert(struct store *st, uint64_t sp_id, const struct store_admin_ifc *f)
{
	static const char sql_link[] =
		"INSERT INTO service_profile_ifc (service_profile_id, ifc_id) VALUES (?, ?)";
	uint64_t ifc_id = 0;
	MYSQL_BIND par[2];
	int rc = sadm_ifc_create(st, f, &ifc_id);

	if (rc)
		return rc;
	sdb_in_u64(&par[0], &sp_id);
	sdb_in_u64(&par[1], &ifc_id);
	return sdb_run(st, sql_link, par, NULL, NULL);
}

static int ifc_add(struct store *st, void *arg)
{
	const struct store_admin_ifc *f = arg;
	uint64_t sp_id = 0;
	int rc = sadm_ifc_profile(st, f->impu, &sp_id);

	return rc ? rc : sadm_ifc_insert(st, sp_id, f);
}

int store_admin_ifc_add(struct store *st, const struct store_admin_ifc *f)
{
	if (!f->impu || !f->name || !f->as_server_name)
		return -EINVAL;
	return sdb_tx(st, ifc_add, (void *)f);
}

struct caps_args {
	const char *set_name;
	const uint32_t *codes[2];
	size_t n_codes[2];   /* [0] optional, [1] mandatory */
	const char *const *names;
	size_t n_names;
};

static int caps_set(struct store *st, void *arg)
{
	static const char sql_set[] =
		"INSERT INTO capability_set (name) VALUES (?)"
		" ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)";
	static const char sql_clear_caps[] = "DELETE FROM capability WHERE set_id = ?";
	static const char sql_clear_names[] = "DELETE FROM capability_server WHERE set_id = ?";
	static const char sql_cap[] =
		"INSERT INTO capability (set_id, code, mandatory) VALUES (?, ?, ?)";
	static const char sql_name[] =
		"INSERT INTO capability_server (set_id, position, server_name) VALUES (?, ?, ?)";
	struct caps_args *a = arg;
	MYSQL_BIND par[3];
	uint64_t set_id = 0, code = 0;
	int rc;

	sdb_in_str(&par[0], a->set_name);
	if ((rc = run_id(st, sql_set, par, &set_id)))
		return rc;
	sdb_in_u64(&par[0], &set_id);
	if ((rc = sdb_run(st, sql_clear_caps, par, NULL, NULL)) ||
	    (rc = sdb_run(st, sql_clear_names, par, NULL, NULL)))
		return rc;
	for (int m = 0; m < 2; m++) {
		for (size_t i = 0; i < a->n_codes[m]; i++) {
			code = a->codes[m][i];
			sdb_in_u64(&par[1], &code);
			sdb_in_int(&par[2], &m);
			if ((rc = sdb_run(st, sql_cap, par, NULL, NULL)))
				return rc;
		}
	}
	for (size_t i = 0; i < a->n_names; i++) {
		int pos = (int)i;
		sdb_in_int(&par[1], &pos);
		sdb_in_str(&par[2], a->names[i]);
		if ((rc = sdb_run(st, sql_name, par, NULL, NULL)))
			return rc;
	}
	return 0;
}

int store_admin_caps_set(struct store *st, const char *set_name,
			 const uint32_t *mandatory, size_t n_mandatory,
			 const uint32_t *optional, size_t n_optional,
			 const char *const *names, size_t n_names)
{
	struct caps_args a = {
		.set_name = set_name ? set_name : "default",
		.codes = { optional, mandatory },
		.n_codes = { n_optional, n_mandatory },
		.names = names, .n_names = n_names,
	};
	return sdb_tx(st, caps_set, &a);
}

struct vn_args {
	const char *name;
	const char *impi;
};

static int vn_add(struct store *st, void *arg)
{
	static const char sql_vn[] =
		"INSERT INTO visited_network (name) VALUES (?)"
		" ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)";
	static const char sql_allow[] =
		"INSERT IGNORE INTO imsu_visited_network (imsu_id, visited_network_id)"
		" SELECT p.imsu_id, ? FROM impi p WHERE p.identity = ?";
	static const char sql_impi[] = "SELECT 1 FROM impi WHERE identity = ?";
	struct vn_args *a = arg;
	uint64_t vn_id = 0;
	MYSQL_BIND par[2], res[1];
	MYSQL_STMT *s = NULL;
	int one = 0, rc;

	sdb_in_str(&par[0], a->name);
	if ((rc = run_id(st, sql_vn, par, &vn_id)) || !a->impi)
		return rc;
	sdb_in_str(&par[0], a->impi);
	sdb_out_int(&res[0], &one);
	if ((rc = sdb_run(st, sql_impi, par, res, &s)))
		return rc;
	rc = sdb_fetch(s, res, 1);
	sdb_done(s);
	if (rc <= 0)
		return rc ? rc : -ENOENT;
	sdb_in_u64(&par[0], &vn_id);
	sdb_in_str(&par[1], a->impi);
	return sdb_run(st, sql_allow, par, NULL, NULL);
}

int store_admin_visited_network_add(struct store *st, const char *name, const char *impi)
{
	struct vn_args a = { .name = name, .impi = impi };

	if (!name || !*name)
		return -EINVAL;
	return sdb_tx(st, vn_add, &a);
}
