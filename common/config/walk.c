/*
 * Tree + schema -> struct: mapping keys against the schema (unknown and
 * duplicate keys, required keys, defaults), nested tables and lists.
 *
 * The first error stops the walk; errors come out in document order, then
 * missing required keys. Paths are "table.key" and "list[i]" (0-based).
 */
#include "cfg_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void cfg_path_key(char *buf, size_t len, const char *parent, const char *key)
{
	if (parent && parent[0])
		snprintf(buf, len, "%s.%s", parent, key);
	else
		snprintf(buf, len, "%s", key);
}

void cfg_path_index(char *buf, size_t len, const char *parent, size_t i)
{
	snprintf(buf, len, "%s[%zu]", parent, i);
}

/* Edit distance, for "did you mean"; keys longer than 63 are not compared. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[64];

	if (la > 63 || lb > 63)
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

static int unknown_key(struct cfg_ctx *c, const struct cfg_field *schema,
		       const struct cfg_node *key, const char *path)
{
	const char *best = NULL;
	size_t best_d = 3; /* suggest only within 2 edits */
	char got[64], hint[96] = "", where[CFG_PATH_MAX + 8] = "";

	for (const struct cfg_field *f = schema; f->key; f++) {
		size_t d = distance(key->text, f->key);

		if (d < best_d && d < strlen(f->key)) {
			best_d = d;
			best = f->key;
		}
	}
	if (best)
		snprintf(hint, sizeof(hint), " (did you mean \"%s\"?)", best);
	if (path[0])
		snprintf(where, sizeof(where), " in %s", path);
	cfg_describe_node(key, got, sizeof(got));
	return cfg_fail(c, key->pos, "", "unknown key %s%s%s", got, where, hint);
}

static int find_field(const struct cfg_field *schema, const struct cfg_node *key)
{
	if (strlen(key->text) != key->len)
		return -1;
	for (int i = 0; schema[i].key; i++)
		if (strcmp(schema[i].key, key->text) == 0)
			return i;
	return -1;
}

/* A field absent from the file: required error, default or zero. */
static int absent(struct cfg_ctx *c, const struct cfg_field *f,
		  struct cfg_pos at, const char *parent, void *dst)
{
	char path[CFG_PATH_MAX];

	cfg_path_key(path, sizeof(path), parent, f->key);
	if (f->required)
		return cfg_fail(c, at, parent, "missing required key \"%s\"", f->key);
	if (f->type == CFG_TABLE) /* defaults of the sub-table, recursively */
		return cfg_walk_table(c, f->sub, NULL, at, path, dst);
	if (f->def)
		return cfg_apply_default(c, f, path, dst);
	return 0;
}

int cfg_walk_table(struct cfg_ctx *c, const struct cfg_field *schema,
		   const struct cfg_node *map, struct cfg_pos at,
		   const char *path, void *base)
{
	const struct cfg_node **seen = NULL;
	size_t nf = 0;
	int rc = 0;

	while (schema[nf].key)
		nf++;
	seen = calloc(nf + 1, sizeof(*seen));
	if (!seen)
		return -ENOMEM;
	for (size_t i = 0; map && i + 1 < map->n; i += 2) {
		const struct cfg_node *key = map->kids[i], *val = map->kids[i + 1];
		char sub[CFG_PATH_MAX];
		int idx = find_field(schema, key);

		if (idx < 0) {
			rc = unknown_key(c, schema, key, path);
			goto out;
		}
		cfg_path_key(sub, sizeof(sub), path, key->text);
		if (seen[idx]) {
			rc = cfg_fail(c, key->pos, "",
				      "duplicate key \"%s\"%s%s (first at %u:%u)",
				      schema[idx].key, path[0] ? " in " : "", path,
				      seen[idx]->pos.line, seen[idx]->pos.col);
			goto out;
		}
		seen[idx] = key;
		rc = cfg_walk_value(c, &schema[idx], val, key->pos, sub,
				    (char *)base + schema[idx].offset);
		if (rc)
			goto out;
	}
	for (size_t i = 0; i < nf; i++) {
		if (seen[i])
			continue;
		rc = absent(c, &schema[i], at, path,
			    (char *)base + schema[i].offset);
		if (rc)
			goto out;
	}
out:
	free(seen);
	return rc;
}

static int count_bounds(struct cfg_ctx *c, const struct cfg_field *f,
			struct cfg_pos at, const char *path, size_t n)
{
	if (!f->min && !f->max)
		return 0;
	if ((long long)n < f->min || (long long)n > f->max)
		return cfg_fail(c, at, path, "%zu %s, expected %lld..%lld", n,
				n == 1 ? "entry" : "entries", f->min, f->max);
	return 0;
}

static int walk_str_list(struct cfg_ctx *c, const struct cfg_field *f,
			 const struct cfg_node *val, const char *path,
			 struct cfg_strv *sv)
{
	const struct cfg_node *const *items = &val; /* a scalar: one item */
	size_t n = 1;
	int rc;

	if (cfg_node_is_null(val)) {
		n = 0;
	} else if (val->kind == CFG_N_SEQ) {
		items = (const struct cfg_node *const *)val->kids;
		n = val->n;
	} else if (val->kind == CFG_N_MAP) {
		return cfg_fail(c, val->pos, path,
				"expected a list of strings, got a mapping");
	}
	rc = count_bounds(c, f, val->pos, path, n);
	if (rc)
		return rc;
	if (n) {
		sv->v = calloc(n, sizeof(*sv->v));
		if (!sv->v)
			return -ENOMEM;
	}
	sv->n = n;
	for (size_t i = 0; i < n; i++) {
		struct cfg_field elem = *f;
		char sub[CFG_PATH_MAX];

		elem.type = CFG_STR;
		cfg_path_index(sub, sizeof(sub), path, i);
		rc = cfg_conv_scalar(c, &elem, items[i], sub, &sv->v[i]);
		if (rc)
			return rc;
	}
	return 0;
}

static int walk_table_list(struct cfg_ctx *c, const struct cfg_field *f,
			   const struct cfg_node *val, const char *path,
			   struct cfg_list *l)
{
	size_t n = 0;
	int rc;

	if (val->kind == CFG_N_SEQ)
		n = val->n;
	else if (!cfg_node_is_null(val))
		return cfg_fail(c, val->pos, path,
				"expected a list of mappings, got %s",
				cfg_node_kind_name(val));
	rc = count_bounds(c, f, val->pos, path, n);
	if (rc)
		return rc;
	if (n) {
		l->items = calloc(n, f->elem_size);
		if (!l->items)
			return -ENOMEM;
	}
	l->n = n;
	for (size_t i = 0; i < n; i++) {
		const struct cfg_node *e = val->kids[i];
		char sub[CFG_PATH_MAX];

		cfg_path_index(sub, sizeof(sub), path, i);
		if (e->kind != CFG_N_MAP && !cfg_node_is_null(e))
			return cfg_fail(c, e->pos, sub, "expected a mapping, got %s",
					cfg_node_kind_name(e));
		rc = cfg_walk_table(c, f->sub, e->kind == CFG_N_MAP ? e : NULL,
				    e->pos, sub, (char *)l->items + i * f->elem_size);
		if (rc)
			return rc;
	}
	return 0;
}

int cfg_walk_value(struct cfg_ctx *c, const struct cfg_field *f,
		   const struct cfg_node *val, struct cfg_pos keypos,
		   const char *path, void *dst)
{
	switch (f->type) {
	case CFG_TABLE:
		if (val->kind == CFG_N_MAP)
			return cfg_walk_table(c, f->sub, val, keypos, path, dst);
		if (cfg_node_is_null(val)) /* "sip:" alone: all defaults */
			return cfg_walk_table(c, f->sub, NULL, keypos, path, dst);
		return cfg_fail(c, val->pos, path, "expected a mapping, got %s",
				cfg_node_kind_name(val));
	case CFG_TABLE_LIST:
		return walk_table_list(c, f, val, path, dst);
	case CFG_STR_LIST:
		return walk_str_list(c, f, val, path, dst);
	default:
		return cfg_conv_scalar(c, f, val, path, dst);
	}
}

int cfg_apply_default(struct cfg_ctx *c, const struct cfg_field *f,
		      const char *path, void *dst)
{
	struct cfg_node lit = { .kind = CFG_N_SCALAR, .plain = true, .literal = true };
	struct cfg_node *root = NULL;
	bool was = c->in_default;
	int rc;

	c->in_default = true;
	if (f->type == CFG_STR_LIST || f->type == CFG_TABLE_LIST) {
		/* A list default is YAML text ("[a, b]"), parsed like a file. */
		struct cfg_error yerr;

		rc = cfg_tree_parse("default", f->def, strlen(f->def), &root, &yerr);
		if (rc == -EINVAL)
			rc = cfg_fail(c, lit.pos, path, "%s", yerr.msg);
		if (!rc && !root)
			rc = 0; /* empty default: empty list */
		else if (!rc)
			rc = cfg_walk_value(c, f, root, root->pos, path, dst);
	} else {
		lit.text = (char *)f->def;
		lit.len = strlen(f->def);
		rc = cfg_walk_value(c, f, &lit, lit.pos, path, dst);
	}
	cfg_tree_free(root);
	c->in_default = was;
	return rc;
}
