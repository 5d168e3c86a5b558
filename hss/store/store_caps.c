/* store_caps: S-CSCF capabilities for UAA/LIA Server-Capabilities
 * (TS 29.228 6.3.4; TS 29.228 6.1.1.1 step: no S-CSCF assigned). */
#include "store_db.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The subscription's set, else set 1 "default" (0001_initial.sql). */
#define CAPS_SET \
	"COALESCE((SELECT m.capability_set_id FROM impi p JOIN imsu m" \
	" ON m.id = p.imsu_id WHERE p.identity = ?), 1)"

/* Append one capability code (mandatory or optional list). 0 or -ENOMEM. */
static int caps_add_code(struct store_caps *c, uint64_t code, bool mandatory)
{
	uint32_t **v = mandatory ? &c->mandatory : &c->optional;
	size_t *n = mandatory ? &c->n_mandatory : &c->n_optional;
	uint32_t *nv = realloc(*v, (*n + 1) * sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	*v = nv;
	nv[(*n)++] = (uint32_t)code;
	return 0;
}

/* Append a copy of name to the server names. 0 or -ENOMEM. */
static int caps_add_name(struct store_caps *c, const char *name)
{
	struct store_strv *sv = &c->server_names;
	char **nv = realloc(sv->v, (sv->n + 1) * sizeof(*nv));

	if (nv)
		sv->v = nv;
	if (!nv || !(nv[sv->n] = strdup(name)))
		return -ENOMEM;
	sv->n++;
	return 0;
}

static int caps_codes(struct store *st, const char *impi, struct store_caps *c)
{
	static const char sql[] =
		"SELECT code, mandatory FROM capability WHERE set_id = " CAPS_SET
		" ORDER BY code";
	MYSQL_BIND par[1], res[2];
	MYSQL_STMT *s = NULL;
	uint64_t code = 0;
	int mandatory = 0, rc;

	sdb_in_str(&par[0], impi);
	sdb_out_u64(&res[0], &code);
	sdb_out_int(&res[1], &mandatory);
	rc = sdb_run(st, sql, par, res, &s);
	if (rc)
		return rc;
	while ((rc = sdb_fetch(s, res, 2)) == 1)
		if ((rc = caps_add_code(c, code, mandatory)) < 0)
			break;
	sdb_done(s);
	return rc < 0 ? rc : 0;
}

static int caps_names(struct store *st, const char *impi, struct store_caps *c)
{
	static const char sql[] =
		"SELECT server_name FROM capability_server WHERE set_id = " CAPS_SET
		" ORDER BY position";
	char name[STORE_IDENTITY_MAX];
	MYSQL_BIND par[1], res[1];
	MYSQL_STMT *s = NULL;
	int rc;

	sdb_in_str(&par[0], impi);
	sdb_out_str(&res[0], name, sizeof(name));
	rc = sdb_run(st, sql, par, res, &s);
	if (rc)
		return rc;
	while ((rc = sdb_fetch(s, res, 1)) == 1)
		if ((rc = caps_add_name(c, name)) < 0)
			break;
	sdb_done(s);
	return rc < 0 ? rc : 0;
}

int store_caps_get(struct store *st, const char *impi, struct store_caps *out)
{
	int rc;

	memset(out, 0, sizeof(*out));
	rc = caps_codes(st, impi, out);
	if (!rc)
		rc = caps_names(st, impi, out);
	if (rc)
		store_caps_free(out);
	return rc;
}

int sdb_caps_of_set(struct store *st, uint64_t set_id, struct store_caps *out)
{
	/* kind 0: a capability (n = code), kind 1: a server name (n = position). */
	static const char sql[] =
		"SELECT 0, code, mandatory, '' FROM capability WHERE set_id = ?"
		" UNION ALL SELECT 1, position, 0, server_name FROM capability_server"
		" WHERE set_id = ? ORDER BY 1, 2";
	char name[STORE_IDENTITY_MAX];
	MYSQL_BIND par[2], res[4];
	MYSQL_STMT *s = NULL;
	uint64_t n = 0;
	int kind = 0, mandatory = 0, rc;

	memset(out, 0, sizeof(*out));
	sdb_in_u64(&par[0], &set_id);
	sdb_in_u64(&par[1], &set_id);
	sdb_out_int(&res[0], &kind);
	sdb_out_u64(&res[1], &n);
	sdb_out_int(&res[2], &mandatory);
	sdb_out_str(&res[3], name, sizeof(name));
	rc = sdb_run(st, sql, par, res, &s);
	if (rc)
		return rc;
	while ((rc = sdb_fetch(s, res, 4)) == 1)
		if ((rc = kind == 0 ? caps_add_code(out, n, mandatory) : caps_add_name(out, name)) < 0)
			break;
	sdb_done(s);
	if (rc < 0)
		store_caps_free(out);
	return rc < 0 ? rc : 0;
}

void store_caps_free(struct store_caps *caps)
{
	if (!caps)
		return;
	free(caps->mandatory);
	free(caps->optional);
	store_strv_free(&caps->server_names);
	memset(caps, 0, sizeof(*caps));
}
