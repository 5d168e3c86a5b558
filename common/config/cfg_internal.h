/*
 * Private to common/config: the YAML node tree, the load context and the
 * helpers shared by the files of the module.
 *
 * tree.c     YAML text -> cfg_node tree (libyaml events, syntax errors)
 * walk.c     tree + schema -> struct (keys, tables, lists, defaults)
 * convert.c  one scalar -> one typed value (int, bool, port, duration, ...)
 * schema.c   schema sanity and default checks (programming errors)
 * load.c     public entry points, error formatting, cfg_free
 * print.c    cfg_print / cfg_describe
 * check.c    ready-made value checks (ip, host, sip uri)
 */
#ifndef IMS_CONFIG_INTERNAL_H
#define IMS_CONFIG_INTERNAL_H

#include "ims/config.h"

#define CFG_MAX_DEPTH 64 /* nesting limit of the YAML tree */
#define CFG_PATH_MAX 256

enum cfg_node_kind { CFG_N_SCALAR, CFG_N_SEQ, CFG_N_MAP };

struct cfg_pos {
	unsigned line, col; /* 1-based; 0 = no position (schema default) */
};

struct cfg_node {
	enum cfg_node_kind kind;
	struct cfg_pos pos;
	/* scalar */
	char *text; /* NUL-terminated copy; may hold inner NULs (len says) */
	size_t len;
	bool plain;   /* unquoted in the source: may be null, may be bool   */
	bool literal; /* synthetic node holding a schema default: never null */
	/* sequence: items; mapping: key, value, key, value ... */
	struct cfg_node **kids;
	size_t n, cap;
};

struct cfg_ctx {
	const char *name;      /* file name for messages */
	struct cfg_error *err;
	bool in_default;       /* converting a schema default: a programming error */
};

/* tree.c: parse text into *root (NULL for an empty stream). Syntax errors
 * are written to err as "name:line:col: problem (context at line:col)". */
int cfg_tree_parse(const char *name, const char *text, size_t len,
		   struct cfg_node **root, struct cfg_error *err);
void cfg_tree_free(struct cfg_node *n);
/* A plain scalar that YAML reads as null: "", "~", "null". */
bool cfg_node_is_null(const struct cfg_node *n);
const char *cfg_node_kind_name(const struct cfg_node *n);

/* load.c: write "name:line:col: path: msg" (or the schema-error form) into
 * c->err and return -EINVAL. */
int cfg_fail(struct cfg_ctx *c, struct cfg_pos at, const char *path,
	     const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Free and zero one field's value at dst. */
void cfg_free_value(const struct cfg_field *f, void *dst);

/* walk.c */
int cfg_walk_table(struct cfg_ctx *c, const struct cfg_field *schema,
		   const struct cfg_node *map, struct cfg_pos at,
		   const char *path, void *base);
int cfg_walk_value(struct cfg_ctx *c, const struct cfg_field *f,
		   const struct cfg_node *val, struct cfg_pos keypos,
		   const char *path, void *dst);
/* Convert f->def into dst (f->def must be non-NULL). */
int cfg_apply_default(struct cfg_ctx *c, const struct cfg_field *f,
		      const char *path, void *dst);
/* "parent.key" / "key" / "parent[i]" */
void cfg_path_key(char *buf, size_t len, const char *parent, const char *key);
void cfg_path_index(char *buf, size_t len, const char *parent, size_t i);

/* convert.c */
int cfg_conv_scalar(struct cfg_ctx *c, const struct cfg_field *f,
		    const struct cfg_node *n, const char *path, void *dst);
int cfg_run_check(struct cfg_ctx *c, const struct cfg_field *f,
		  const struct cfg_node *n, const char *path);
int cfg_parse_duration(const char *s, long long *ms);
void cfg_format_duration(long long ms, char *buf, size_t len);
/* "got ..." text for messages: a quoted, escaped, truncated scalar or the
 * node kind. */
void cfg_describe_node(const struct cfg_node *n, char *buf, size_t len);
const char *cfg_type_name(enum cfg_type t);

/* schema.c: check the schema itself and convert every default once. */
int cfg_schema_check(struct cfg_ctx *c, const struct cfg_field *schema,
		     const char *path);

#endif
