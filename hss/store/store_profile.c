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
 * without iFCs one row with the f.* columns NULL). No ORDER BY: sorting a
 * join of several tables costs MariaDB a temporary table and a filesort
 * per execution (measured: more than the four statements this replaces),
 * so profile_sort() puts iFCs by priority and SPTs by position. The
 * profile's shared set ids come along as "1,5,9". */
#define PROFILE_COLS(sets) \
	"SELECT p.name, " sets ", f.id, f.priority, f.profile_part_indicator," \
	" f.condition_type_cnf, a.server_name, a.default_handling, a.service_info," \
	" a.include_register_request, a.include_register_response, s.position, s.group_id," \
	" s.condition_negated, s.type, s.value, s.header, s.session_case, s.registration_type"
/* link: the table linking the parent p to its iFCs, and its parent column. */
#define PROFILE_TAIL(link, parent) \
	" LEFT JOIN (" link " l JOIN ifc f ON f.id = l.ifc_id JOIN application_server a" \
	" ON a.id = f.application_server_id) ON l." parent " = p.id" \
	" LEFT JOIN spt s ON s.ifc_id = f.id WHERE p.id = ?"
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
	uint64_t ifc_id, spt_pos;
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
	sdb_out_u64(&b[11], &r->spt_pos);
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

/* Where the rows' iFCs and SPTs came from, for profile_sort. */
struct profile_order {
	uint64_t *ids;     /* ids[i]: database id of sp->ifcs[i] */
	uint64_t **pos;    /* pos[i][j]: position of sp->ifcs[i].spts[j] */
};

/* The index of the row's iFC in sp, appended when new. */
static int order_ifc(struct store_service_profile *sp, struct profile_order *o,
		     const struct profile_row *r, size_t *idx)
{
	size_t n = sp->n_ifcs;
	uint64_t *ni, **np;

	for (size_t i = n; i-- > 0;) {
		if (o->ids[i] == r->ifc_id) {
			*idx = i;
			return 0;
		}
	}
	if (!(ni = realloc(o->ids, (n + 1) * sizeof(*ni))))
		return -ENOMEM;
	o->ids = ni;
	if (!(np = realloc(o->pos, (n + 1) * sizeof(*np))))
		return -ENOMEM;
	o->pos = np;
	ni[n] = r->ifc_id;
	np[n] = NULL;
	*idx = n;
	return ifc_append(sp, r);
}

static int order_spt(struct store_service_profile *sp, struct profile_order *o, size_t i,
		     const struct profile_row *r)
{
	struct store_ifc *f = &sp->ifcs[i];
	uint64_t *np = realloc(o->pos[i], (f->n_spts + 1) * sizeof(*np));

	if (!np)
		return -ENOMEM;
	o->pos[i] = np;
	np[f->n_spts] = r->spt_pos;
	return spt_append(f, &r->spt);
}

/* SPTs by position, then iFCs by priority and id (insertion sorts: a
 * profile has a handful). Frees o. */
static void profile_sort(struct store_service_profile *sp, struct profile_order *o)
{
	for (size_t i = 0; i < sp->n_ifcs; i++) {
		struct store_ifc *f = &sp->ifcs[i];
		uint64_t *pos = o->pos[i];
		for (size_t a = 1; a < f->n_spts; a++) {
			struct store_spt v = f->spts[a];
			uint64_t pv = pos[a];
			size_t b = a;
			for (; b > 0 && pos[b - 1] > pv; b--) {
				f->spts[b] = f->spts[b - 1];
				pos[b] = pos[b - 1];
			}
			f->spts[b] = v;
			pos[b] = pv;
		}
	}
	for (size_t a = 1; a < sp->n_ifcs; a++) {
		struct store_ifc v = sp->ifcs[a];
		uint64_t id = o->ids[a];
		size_t b = a;
		for (; b > 0 && (sp->ifcs[b - 1].priority > v.priority ||
				 (sp->ifcs[b - 1].priority == v.priority && o->ids[b - 1] > id)); b--) {
			sp->ifcs[b] = sp->ifcs[b - 1];
			o->ids[b] = o->ids[b - 1];
		}
		sp->ifcs[b] = v;
		o->ids[b] = id;
	}
}

static void profile_order_free(struct profile_order *o, size_t n)
{
	for (size_t i = 0; o->pos && i < n; i++)
		free(o->pos[i]);
	free(o->pos);
	free(o->ids);
}

/* A service profile (set false) or a shared iFC set (set true). */
static int profile_get(struct store *st, uint64_t id, bool set,
		       struct store_service_profile **out)
{
	struct store_service_profile *sp = calloc(1, sizeof(*sp));
	struct profile_row *r = calloc(1, sizeof(*r));
	MYSQL_BIND par[1];
	MYSQL_STMT *s = NULL;
	struct profile_order o = { 0 };
	size_t idx = 0;
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
		if ((rc = order_ifc(sp, &o, r, &idx)))
			break;
		if (!sdb_is_null(&r->res[11]) && (rc = order_spt(sp, &o, idx, r)))
			break;
	}
	sdb_done(s);
	if (rc == 0 && first)
		rc = -ENOENT;
	if (rc == 0)
		profile_sort(sp, &o);
out:
	if (sp)
		profile_order_free(&o, sp->n_ifcs);
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
