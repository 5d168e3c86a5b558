/*
 * Public entry points: cfg_load_file, cfg_load_string, cfg_free; and the
 * one place that formats "file:line:column: key.path: what is wrong".
 */
#include "cfg_internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CFG_FILE_MAX (16u << 20) /* a config file is small; refuse >16 MiB */

int cfg_fail(struct cfg_ctx *c, struct cfg_pos at, const char *path,
	     const char *fmt, ...)
{
	char what[384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (c->in_default)
		snprintf(c->err->msg, sizeof(c->err->msg),
			 "schema error: bad default for %s: %s", path, what);
	else if (path && path[0])
		snprintf(c->err->msg, sizeof(c->err->msg), "%s:%u:%u: %s: %s",
			 c->name, at.line, at.col, path, what);
	else
		snprintf(c->err->msg, sizeof(c->err->msg), "%s:%u:%u: %s",
			 c->name, at.line, at.col, what);
	return -EINVAL;
}

void cfg_free_value(const struct cfg_field *f, void *dst)
{
	switch (f->type) {
	case CFG_STR:
		free(*(char **)dst);
		*(char **)dst = NULL;
		break;
	case CFG_INT:
	case CFG_DURATION:
		*(long long *)dst = 0;
		break;
	case CFG_BOOL:
		*(bool *)dst = false;
		break;
	case CFG_PORT:
		*(uint16_t *)dst = 0;
		break;
	case CFG_ENUM:
		*(int *)dst = 0;
		break;
	case CFG_STR_LIST: {
		struct cfg_strv *sv = dst;

		for (size_t i = 0; sv->v && i < sv->n; i++)
			free(sv->v[i]);
		free(sv->v);
		sv->v = NULL;
		sv->n = 0;
		break;
	}
	case CFG_TABLE:
		cfg_free(f->sub, dst);
		break;
	case CFG_TABLE_LIST: {
		struct cfg_list *l = dst;

		for (size_t i = 0; l->items && f->sub && i < l->n; i++)
			cfg_free(f->sub, (char *)l->items + i * f->elem_size);
		free(l->items);
		l->items = NULL;
		l->n = 0;
		break;
	}
	default:
		break;
	}
}

void cfg_free(const struct cfg_field *schema, void *obj)
{
	if (!schema || !obj)
		return;
	for (const struct cfg_field *f = schema; f->key; f++)
		cfg_free_value(f, (char *)obj + f->offset);
}

int cfg_load_string(const char *name, const char *text, size_t len,
		    const struct cfg_field *schema, void *obj, struct cfg_error *err)
{
	struct cfg_error scratch;
	struct cfg_ctx c = { .name = name ? name : "<string>" };
	struct cfg_node *root = NULL;
	struct cfg_pos top = { 1, 1 };
	int rc;

	c.err = err ? err : &scratch;
	c.err->msg[0] = '\0';
	if (!schema || !obj) {
		snprintf(c.err->msg, sizeof(c.err->msg), "%s: no schema or object",
			 c.name);
		return -EINVAL;
	}
	/* A bad schema is the programmer's: report it, leave obj untouched. */
	rc = cfg_schema_check(&c, schema, "");
	if (rc)
		return rc;
	rc = cfg_tree_parse(c.name, text, len, &root, c.err);
	if (rc)
		goto out;
	if (root && root->kind != CFG_N_MAP && !cfg_node_is_null(root)) {
		rc = cfg_fail(&c, root->pos, "",
			      "the top level must be a mapping of keys, got %s",
			      cfg_node_kind_name(root));
		goto out;
	}
	if (root)
		top = root->pos;
	rc = cfg_walk_table(&c, schema,
			    root && root->kind == CFG_N_MAP ? root : NULL, top,
			    "", obj);
out:
	cfg_tree_free(root);
	if (rc) {
		cfg_free(schema, obj);
		if (!c.err->msg[0])
			snprintf(c.err->msg, sizeof(c.err->msg), "%s: %s", c.name,
				 strerror(-rc));
	}
	return rc;
}

static int read_all(const char *path, char **text, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	struct stat st;
	char *buf = NULL;
	size_t n = 0;
	int rc = 0;

	if (!fp)
		return -errno;
	if (fstat(fileno(fp), &st) < 0) {
		rc = -errno;
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = -EISDIR;
		goto out;
	}
	/* Read to EOF rather than trusting st_size (pipes, /proc, growth). */
	for (size_t cap = 0;;) {
		size_t got;

		if (n == cap) {
			char *nb;

			if (cap > CFG_FILE_MAX) {
				rc = -EFBIG;
				goto out;
			}
			cap = cap ? cap * 2 : 16384;
			nb = realloc(buf, cap + 1);
			if (!nb) {
				rc = -ENOMEM;
				goto out;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, fp);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(fp))
		rc = -EIO;
out:
	fclose(fp);
	if (rc) {
		free(buf);
		return rc;
	}
	*text = buf;
	*len = n;
	return 0;
}

int cfg_load_file(const char *path, const struct cfg_field *schema, void *obj,
		  struct cfg_error *err)
{
	struct cfg_error scratch;
	char *text = NULL;
	size_t len = 0;
	int rc;

	if (!err)
		err = &scratch;
	if (!path) {
		snprintf(err->msg, sizeof(err->msg), "no config file given");
		return -EINVAL;
	}
	rc = read_all(path, &text, &len);
	if (rc) {
		snprintf(err->msg, sizeof(err->msg), "%s: cannot read: %s", path,
			 strerror(-rc));
		goto out;
	}
	rc = cfg_load_string(path, text, len, schema, obj, err);
out:
	free(text);
	return rc;
}
