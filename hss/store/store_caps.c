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
	while ((rc = sdb_fetch(s, res, 2)) == 1) {
		uint32_t **v = mandatory ? &c->mandatory : &c->optional;
		size_t *n = mandatory ? &c->n_mandatory : &c->n_optional;
		uint32_t *nv = realloc(*v, (*n + 1) * sizeof(*nv));
		if (!nv) {
			rc = -ENOMEM;
			break;
		}
		*v = nv;
		nv[(*n)++] = (uint32_t)code;
	}
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
	struct store_strv *sv = &c->server_names;
	int rc;

	sdb_in_str(&par[0], impi);
	sdb_out_str(&res[0], name, sizeof(name));
	rc = sdb_run(st, sql, par, res, &s);
	if (rc)
		return rc;
	while ((rc = sdb_fetch(s, res, 1)) == 1) {
		char **nv = realloc(sv->v, (sv->n + 1) * sizeof(*nv));
		if (nv)
			sv->v = nv;
		if (!nv || !(nv[sv->n] = strdup(name))) {
			rc = -ENOMEM;
			break;
		}
		sv->n++;
	}
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

static int caps_push_code(struct store_caps *c, uint32_t code, bool mandatory)
{
	uint32_t **v = mandatory ? &c->mandatory : &c->optional;
	size_t *n = mandatory ? &c->n_mandatory : &c->n_optional;
	uint32_t *nv = realloc(*v, (*n + 1) * sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	*v = nv;
	nv[(*n)++] = code;
	return 0;
}

static int caps_push_name(struct store_caps *c, const char *name, size_t len)
{
	struct store_strv *sv = &c->server_names;
	char **nv = realloc(sv->v, (sv->n + 1) * sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	sv->v = nv;
	if (!(nv[sv->n] = strndup(name, len)))
		return -ENOMEM;
	sv->n++;
	return 0;
}

int sdb_caps_parse(const char *codes, const char *names, struct store_caps *out)
{
	const char *p = codes;
	char *end;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	while (rc == 0 && *p) {   /* "code:mandatory," */
		unsigned long long code = strtoull(p, &end, 10);
		if (end == p || *end != ':' || (end[1] != '0' && end[1] != '1') ||
		    end[2] != ',' || code > UINT32_MAX) {
			rc = -EPROTO;
			break;
		}
		rc = caps_push_code(out, (uint32_t)code, end[1] == '1');
		p = end + 3;
	}
	for (p = names; rc == 0 && *p;) {   /* "bytes:name" */
		unsigned long long len = strtoull(p, &end, 10);
		if (end == p || *end != ':' || len == 0 || len > strnlen(end + 1, len)) {
			rc = -EPROTO;
			break;
		}
		rc = caps_push_name(out, end + 1, (size_t)len);
		p = end + 1 + len;
	}
	if (rc)
		store_caps_free(out);
	return rc;
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
