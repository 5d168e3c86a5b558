/*
 * Schema sanity: a schema table is code, so its mistakes (missing sub-table,
 * min > max, a default that does not convert) are programming errors. They
 * are caught on every load, before the file is looked at, and reported as
 * "schema error: ...: what" naming the key path.
 */
#include "cfg_internal.h"

#include <errno.h>
#include <string.h>

static int bad(struct cfg_ctx *c, const char *path, const char *what)
{
	snprintf(c->err->msg, sizeof(c->err->msg), "schema error: %s: %s", path,
		 what);
	return -EINVAL;
}

/* Convert the default into scratch memory and release it again. */
static int check_default(struct cfg_ctx *c, const struct cfg_field *f,
			 const char *path)
{
	union {
		char *s;
		long long ll;
		bool b;
		uint16_t port;
		int e;
		struct cfg_strv sv;
		struct cfg_list l;
	} scratch;
	int rc;

	memset(&scratch, 0, sizeof(scratch));
	rc = cfg_apply_default(c, f, path, &scratch);
	cfg_free_value(f, &scratch);
	return rc;
}

static int check_field(struct cfg_ctx *c, const struct cfg_field *f,
		       const char *path)
{
	if (f->type <= CFG_END || f->type > CFG_TABLE_LIST)
		return bad(c, path, "unknown type");
	if ((f->type == CFG_TABLE || f->type == CFG_TABLE_LIST) && !f->sub)
		return bad(c, path, "table without a sub-schema");
	if (f->type == CFG_TABLE_LIST && !f->elem_size)
		return bad(c, path, "table list without elem_size");
	if (f->type == CFG_TABLE && f->def)
		return bad(c, path, "a table takes no default (give its keys defaults)");
	if (f->type == CFG_ENUM && (!f->enum_names || !f->enum_names[0]))
		return bad(c, path, "enum without names");
	if ((f->min || f->max) && f->min > f->max)
		return bad(c, path, "min is greater than max");
	if (f->sub) {
		char sub[CFG_PATH_MAX];
		int rc;

		if (snprintf(sub, sizeof(sub), "%s%s", path,
			     f->type == CFG_TABLE_LIST ? "[]" : "") >= (int)sizeof(sub))
			return bad(c, path, "key path too long");
		rc = cfg_schema_check(c, f->sub, sub);

		if (rc)
			return rc;
	}
	return f->def ? check_default(c, f, path) : 0;
}

int cfg_schema_check(struct cfg_ctx *c, const struct cfg_field *schema,
		     const char *path)
{
	for (const struct cfg_field *f = schema; f->key; f++) {
		char sub[CFG_PATH_MAX];
		int rc;

		cfg_path_key(sub, sizeof(sub), path, f->key);
		for (const struct cfg_field *g = schema; g != f; g++)
			if (strcmp(g->key, f->key) == 0)
				return bad(c, sub, "key appears twice in the schema");
		rc = check_field(c, f, sub);
		if (rc)
			return rc;
	}
	return 0;
}
