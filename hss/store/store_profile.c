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

/* A service profile (or shared iFC set) in one statement: one row per SPT
 * (an iFC without SPTs gives one row with the s.* columns NULL, a profile
 * without iFCs one row with the f.* columns NULL), iFCs by priority, SPTs
 * by position. The profile's shared set ids come along as "1,5,9". */
#define PROFILE_COLS(sets) \
	"SELECT p.name, " sets ", f.id, f.priority, f.profile_part_indicator," \
	" f.condition_type_cnf, a.server_name, a.default_handling, a.service_info," \
	" a.include_register_request, a.include_register_response, s.ifc_id, s.group_id," \
	" s.condition_negated, s.type, s.value, s.header, s.session_case, s.registration_type"
/* link: the table linking the parent p to its iFCs, and its parent column. */
#define PROFILE_TAIL(link, parent) \
	" LEFT JOIN (" link " l JOIN ifc f ON f.id = l.ifc_id JOIN application_server a" \
	" ON a.id = f.application_server_id) ON l." parent " = p.id" \
	" LEFT JOIN spt s ON s.ifc_id = f.id WHERE p.id = ? ORDER BY f.priority, f.id, s.position"
static const char sql_profile[] = PROFILE_COLS(
	"(SELECT GROUP_CONCAT(x.set_id ORDER BY x.set_id) FROM service_profile_shared_ifc_set x"
	" WHERE x.service_profile_id = p.id)")
	" FROM service_profile p" PROFILE_TAIL("service_profile_ifc", "service_profile_id");
static const char sql_set[] = PROFILE_COLS("NULL")
	" FROM shared_ifc_set p" PROFILE_TAIL("shared_ifc_set_ifc", "set_id");

struct spt_cols {
	MYSQL_BIND res[8];   /* copies of the SPT binds (their NULL flags) */
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

#define PROFILE_NCOL 19
struct profile_row {
	MYSQL_BIND res[PROFILE_NCOL];
	char name[STORE_IDENTITY_MAX], sets[16384], as[STORE_IDENTITY_MAX], info[TEXT_MAX];
	uint64_t ifc_id, spt_ifc_id;
	int prio, ppi, cnf, dh, inc_req, inc_resp;
	struct spt_cols spt;
};

static void profile_row_bind(struct profile_row *r)
{
	MYSQL_BIND *b = r->res;
	struct spt_cols *c = &r->spt;

	sdb_out_str(&b[0], r->name, sizeof(r->name));
	sdb_out_str(&b[1], r->sets, sizeof(r->sets));
	sdb_out_u64(&b[2], &r->ifc_id);
	sdb_out_int(&b[3], &r->prio);
	sdb_out_int(&b[4], &r->ppi);
	sdb_out_int(&b[5], &r->cnf);
	sdb_out_str(&b[6], r->as, sizeof(r->as));
	sdb_out_int(&b[7], &r->dh);
	sdb_out_str(&b[8], r->info, sizeof(r->info));
	sdb_out_int(&b[9], &r->inc_req);
	sdb_out_int(&b[10], &r->inc_resp);
	sdb_out_u64(&b[11], &r->spt_ifc_id);
	sdb_out_int(&b[12], &c->group);
	sdb_out_int(&b[13], &c->negated);
	sdb_out_int(&b[14], &c->type);
	sdb_out_str(&b[15], c->value, sizeof(c->value));
	sdb_out_str(&b[16], c->header, sizeof(c->header));
	sdb_out_int(&b[17], &c->session_case);
	sdb_out_int(&b[18], &c->reg_type);
}

/* The first row: the name and the shared set ids ("1,5,9"). */
static int profile_head(struct store_service_profile *sp, uint64_t id, const struct profile_row *r)
{
	const char *p = r->sets;
	char *end;

	sp->id = id;
	if (!(sp->name = strdup(r->name)))
		return -ENOMEM;
	while (*p) {
		unsigned long long v = strtoull(p, &end, 10);
		uint32_t *nv;
		if (end == p || v > UINT32_MAX || (*end != ',' && *end != '\0'))
			return -EPROTO;
		nv = realloc(sp->shared_ifc_sets, (sp->n_shared_ifc_sets + 1) * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		sp->shared_ifc_sets = nv;
		nv[sp->n_shared_ifc_sets++] = (uint32_t)v;
		p = *end ? end + 1 : end;
	}
	return 0;
}

/* A row whose iFC differs from the last one: append that iFC. */
static int ifc_append(struct store_service_profile *sp, const struct profile_row *r)
{
	struct store_ifc *nv = realloc(sp->ifcs, (sp->n_ifcs + 1) * sizeof(*nv));
	struct store_ifc *f;

	if (!nv)
		return -ENOMEM;
	sp->ifcs = nv;
	f = &sp->ifcs[sp->n_ifcs++];
	memset(f, 0, sizeof(*f));
	f->priority = r->prio;
	f->profile_part_indicator = sdb_is_null(&r->res[4]) ? -1 : r->ppi;
	f->condition_type_cnf = r->cnf != 0;
	f->default_handling = r->dh;
	f->include_register_request = r->inc_req != 0;
	f->include_register_response = r->inc_resp != 0;
	f->as_server_name = strdup(r->as);
	f->service_info = dup_or_null(&r->res[8], r->info);
	if (!f->as_server_name || (!sdb_is_null(&r->res[8]) && !f->service_info))
		return -ENOMEM;
	return 0;
}

/* A service profile (set false) or a shared iFC set (set true). */
static int profile_get(struct store *st, uint64_t id, bool set,
		       struct store_service_profile **out)
{
	struct store_service_profile *sp = calloc(1, sizeof(*sp));
	struct profile_row *r = calloc(1, sizeof(*r));
	MYSQL_BIND par[1];
	MYSQL_STMT *s = NULL;
	uint64_t last_ifc = 0;
	bool first = true;
	int rc = -ENOMEM;

	*out = NULL;
	if (!sp || !r)
		goto out;
	profile_row_bind(r);
	/* The SPT binds point into r->res, not into r->spt.res. */
	for (size_t i = 0; i < 8; i++)
		r->spt.res[i] = r->res[11 + i];
	sdb_in_u64(&par[0], &id);
	rc = sdb_run(st, set ? sql_set : sql_profile, par, r->res, &s);
	if (rc)
		goto out;
	while ((rc = sdb_fetch(s, r->res, PROFILE_NCOL)) == 1) {
		for (size_t i = 0; i < 8; i++)   /* NULL flags for spt_append */
			r->spt.res[i].is_null_value = r->res[11 + i].is_null_value;
		if (first && (rc = profile_head(sp, id, r)))
			break;
		first = false;
		if (sdb_is_null(&r->res[2]))
			continue;   /* no iFC */
		if ((!sp->n_ifcs || r->ifc_id != last_ifc) && (rc = ifc_append(sp, r)))
			break;
		last_ifc = r->ifc_id;
		if (!sdb_is_null(&r->res[11]) && (rc = spt_append(&sp->ifcs[sp->n_ifcs - 1], &r->spt)))
			break;
	}
	sdb_done(s);
	if (rc == 0 && first)
		rc = -ENOENT;
out:
	free(r);
	if (rc < 0) {
		store_service_profile_free(sp);
		return rc;
	}
	*out = sp;
	return 0;
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
