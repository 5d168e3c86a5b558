/* store_profile: service profiles with their initial filter criteria
 * (TS 29.228 annex B.2.2, for the IMSSubscription XML of SAA/PPR). */
#include "store_db.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define TEXT_MAX 4097   /* VARCHAR(1024) utf8mb4 + NUL */

static char *dup_or_null(const MYSQL_BIND *b, const char *s)
{
	return sdb_is_null(b) ? NULL : strdup(s);
}

static const char sql_profile_name[] = "SELECT name FROM service_profile WHERE id = ?";
static const char sql_set_name[] = "SELECT name FROM shared_ifc_set WHERE id = ?";

/* sql: sql_profile_name or sql_set_name. */
static int profile_name(struct store *st, uint64_t id, struct store_service_profile *sp,
			const char *sql)
{
	char name[STORE_IDENTITY_MAX];
	MYSQL_BIND par[1], res[1];
	MYSQL_STMT *s = NULL;
	int rc;

	sdb_in_u64(&par[0], &id);
	sdb_out_str(&res[0], name, sizeof(name));
	rc = sdb_run(st, sql, par, res, &s);
	if (rc)
		return rc;
	rc = sdb_fetch(s, res, 1);
	sdb_done(s);
	if (rc <= 0)
		return rc ? rc : -ENOENT;
	sp->id = id;
	sp->name = strdup(name);
	return sp->name ? 0 : -ENOMEM;
}

/* The iFCs of a service profile, or of a shared iFC set. */
#define IFC_COLS \
	"SELECT f.id, f.priority, f.profile_part_indicator, f.condition_type_cnf," \
	" a.server_name, a.default_handling, a.service_info," \
	" a.include_register_request, a.include_register_response"
static const char sql_profile_ifcs[] = IFC_COLS
	" FROM service_profile_ifc spi JOIN ifc f ON f.id = spi.ifc_id"
	" JOIN application_server a ON a.id = f.application_server_id"
	" WHERE spi.service_profile_id = ? ORDER BY f.priority, f.id";
static const char sql_set_ifcs[] = IFC_COLS
	" FROM shared_ifc_set_ifc si JOIN ifc f ON f.id = si.ifc_id"
	" JOIN application_server a ON a.id = f.application_server_id"
	" WHERE si.set_id = ? ORDER BY f.priority, f.id";

/* The iFCs by priority (sql: sql_profile_ifcs or sql_set_ifcs); ids[]
 * receives each one's database id. */
static int profile_ifcs(struct store *st, struct store_service_profile *sp, uint64_t **ids,
			const char *sql)
{
	char as[STORE_IDENTITY_MAX], info[TEXT_MAX];
	int prio = 0, ppi = 0, cnf = 0, dh = 0, inc_req = 0, inc_resp = 0;
	uint64_t id = 0;
	MYSQL_BIND par[1], res[9];
	MYSQL_STMT *s = NULL;
	int rc;

	sdb_in_u64(&par[0], &sp->id);
	sdb_out_u64(&res[0], &id);
	sdb_out_int(&res[1], &prio);
	sdb_out_int(&res[2], &ppi);
	sdb_out_int(&res[3], &cnf);
	sdb_out_str(&res[4], as, sizeof(as));
	sdb_out_int(&res[5], &dh);
	sdb_out_str(&res[6], info, sizeof(info));
	sdb_out_int(&res[7], &inc_req);
	sdb_out_int(&res[8], &inc_resp);
	rc = sdb_run(st, sql, par, res, &s);
	if (rc)
		return rc;
	while ((rc = sdb_fetch(s, res, 9)) == 1) {
		size_t n = sp->n_ifcs;
		struct store_ifc *nv = realloc(sp->ifcs, (n + 1) * sizeof(*nv));
		uint64_t *ni = realloc(*ids, (n + 1) * sizeof(*ni));
		if (nv)
			sp->ifcs = nv;
		if (ni)
			*ids = ni;
		if (!nv || !ni) {
			rc = -ENOMEM;
			break;
		}
		struct store_ifc *f = &sp->ifcs[n];
		memset(f, 0, sizeof(*f));
		sp->n_ifcs++;
		(*ids)[n] = id;
		f->priority = prio;
		f->profile_part_indicator = sdb_is_null(&res[2]) ? -1 : ppi;
		f->condition_type_cnf = cnf != 0;
		f->default_handling = dh;
		f->include_register_request = inc_req != 0;
		f->include_register_response = inc_resp != 0;
		f->as_server_name = strdup(as);
		f->service_info = dup_or_null(&res[6], info);
		if (!f->as_server_name || (!sdb_is_null(&res[6]) && !f->service_info)) {
			rc = -ENOMEM;
			break;
		}
	}
	sdb_done(s);
	return rc < 0 ? rc : 0;
}

struct spt_cols {
	MYSQL_BIND res[8];
	uint64_t ifc_id;
	int group, negated, type, session_case, reg_type;
	char value[TEXT_MAX], header[STORE_IDENTITY_MAX * 4 + 1];
};

static int spt_append(struct store_ifc *f, const struct spt_cols *c)
{
	struct store_spt *nv = realloc(f->spts, (f->n_spts + 1) * sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	f->spts = nv;
	struct store_spt *p = &f->spts[f->n_spts++];
	memset(p, 0, sizeof(*p));
	p->group = (unsigned int)c->group;
	p->negated = c->negated != 0;
	p->type = (enum store_spt_type)c->type;
	p->session_case = sdb_is_null(&c->res[6]) ? -1 : c->session_case;
	p->registration_type = (unsigned int)c->reg_type;
	p->value = dup_or_null(&c->res[4], c->value);
	p->header = dup_or_null(&c->res[5], c->header);
	if ((!sdb_is_null(&c->res[4]) && !p->value) ||
	    (!sdb_is_null(&c->res[5]) && !p->header))
		return -ENOMEM;
	return 0;
}

#define SPT_COLS \
	"SELECT s.ifc_id, s.group_id, s.condition_negated, s.type, s.value," \
	" s.header, s.session_case, s.registration_type FROM spt s"
static const char sql_profile_spts[] = SPT_COLS
	" JOIN service_profile_ifc spi ON spi.ifc_id = s.ifc_id"
	" WHERE spi.service_profile_id = ? ORDER BY s.ifc_id, s.position";
static const char sql_set_spts[] = SPT_COLS
	" JOIN shared_ifc_set_ifc si ON si.ifc_id = s.ifc_id"
	" WHERE si.set_id = ? ORDER BY s.ifc_id, s.position";

static int profile_spts(struct store *st, struct store_service_profile *sp,
			const uint64_t *ids, const char *sql)
{
	struct spt_cols *c = calloc(1, sizeof(*c));
	MYSQL_BIND par[1];
	MYSQL_STMT *s = NULL;
	int rc;

	if (!c)
		return -ENOMEM;
	sdb_in_u64(&par[0], &sp->id);
	sdb_out_u64(&c->res[0], &c->ifc_id);
	sdb_out_int(&c->res[1], &c->group);
	sdb_out_int(&c->res[2], &c->negated);
	sdb_out_int(&c->res[3], &c->type);
	sdb_out_str(&c->res[4], c->value, sizeof(c->value));
	sdb_out_str(&c->res[5], c->header, sizeof(c->header));
	sdb_out_int(&c->res[6], &c->session_case);
	sdb_out_int(&c->res[7], &c->reg_type);
	rc = sdb_run(st, sql, par, c->res, &s);
	if (rc)
		goto out;
	while ((rc = sdb_fetch(s, c->res, 8)) == 1) {
		for (size_t i = 0; i < sp->n_ifcs; i++) {
			if (ids[i] == c->ifc_id && (rc = spt_append(&sp->ifcs[i], c)))
				break;
		}
		if (rc < 0)
			break;
	}
	sdb_done(s);
out:
	free(c);
	return rc < 0 ? rc : 0;
}

static int profile_shared_sets(struct store *st, struct store_service_profile *sp)
{
	static const char sql[] =
		"SELECT set_id FROM service_profile_shared_ifc_set"
		" WHERE service_profile_id = ? ORDER BY set_id";
	MYSQL_BIND par[1], res[1];
	MYSQL_STMT *s = NULL;
	uint64_t v = 0;
	int rc;

	sdb_in_u64(&par[0], &sp->id);
	sdb_out_u64(&res[0], &v);
	rc = sdb_run(st, sql, par, res, &s);
	if (rc)
		return rc;
	while ((rc = sdb_fetch(s, res, 1)) == 1) {
		uint32_t *nv = realloc(sp->shared_ifc_sets,
				       (sp->n_shared_ifc_sets + 1) * sizeof(*nv));
		if (!nv) {
			rc = -ENOMEM;
			break;
		}
		sp->shared_ifc_sets = nv;
		nv[sp->n_shared_ifc_sets++] = (uint32_t)v;
	}
	sdb_done(s);
	return rc < 0 ? rc : 0;
}

/* A service profile (set false) or a shared iFC set (set true). */
static int profile_get(struct store *st, uint64_t id, bool set,
		       struct store_service_profile **out)
{
	struct store_service_profile *sp = calloc(1, sizeof(*sp));
	uint64_t *ids = NULL;
	int rc;

	*out = NULL;
	if (!sp)
		return -ENOMEM;
	rc = profile_name(st, id, sp, set ? sql_set_name : sql_profile_name);
	if (!rc)
		rc = profile_ifcs(st, sp, &ids, set ? sql_set_ifcs : sql_profile_ifcs);
	if (!rc)
		rc = profile_spts(st, sp, ids, set ? sql_set_spts : sql_profile_spts);
	if (!rc && !set)
		rc = profile_shared_sets(st, sp);
	free(ids);
	if (rc)
		store_service_profile_free(sp);
	else
		*out = sp;
	return rc;
}

int store_service_profile_get(struct store *st, uint64_t id,
			      struct store_service_profile **out)
{
	return profile_get(st, id, false, out);
}

int store_shared_set_get(struct store *st, uint32_t id, struct store_service_profile **out)
{
	return profile_get(st, id, true, out);
}

void store_service_profile_free(struct store_service_profile *sp)
{
	if (!sp)
		return;
	for (size_t i = 0; i < sp->n_ifcs; i++) {
		struct store_ifc *f = &sp->ifcs[i];
		for (size_t j = 0; j < f->n_spts; j++) {
			free(f->spts[j].value);
			free(f->spts[j].header);
		}
		free(f->spts);
		free(f->as_server_name);
		free(f->service_info);
	}
	free(sp->ifcs);
	free(sp->shared_ifc_sets);
	free(sp->name);
	free(sp);
}
