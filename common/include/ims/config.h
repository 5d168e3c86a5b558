/*
 * config: YAML file -> typed C struct, driven by one schema table per daemon.
 *
 * A schema is an array of struct cfg_field ending with CFG_FIELD_END. Each
 * field names a mapping key, its type, where it lives in the target struct
 * (offsetof), its default (as YAML scalar text), bounds and help. Nested
 * mappings use CFG_TABLE (sub-schema, fields relative to the nested struct);
 * lists of mappings use CFG_TABLE_LIST (a struct cfg_list at the offset).
 *
 * Errors: unknown keys, duplicate keys, wrong types, out-of-range values,
 * missing required keys and YAML syntax errors are reported in
 * err->msg as "file:line:column: key.path: what is wrong" (1-based line and
 * column) and the load returns -EINVAL (-errno for I/O failures).
 *
 * The first error stops the load. Key paths are "table.key" and
 * "list[i].key" with i counted from 0. Unknown keys get a "did you mean"
 * for a schema key within two edits; duplicate keys name the first one's
 * line:column; a missing required key is reported at the enclosing mapping
 * (the table's key, the list element, or the top of the file). YAML syntax
 * errors give libyaml's problem and, when known, its context:
 * "f.yaml:3:2: did not find expected ',' or ']' (while parsing a flow
 * sequence at 2:4)". Aliases (*x) and more than one document are refused.
 *
 * Value rules (one conversion code for file values and schema defaults):
 *  - A plain empty value, "~" or "null" is "nothing": an error for scalar
 *    types ("missing value"); an empty list for lists; all defaults for a
 *    table. An empty file (or only comments) loads all defaults.
 *  - CFG_INT/CFG_PORT/CFG_DURATION: decimal; a quoted number ("16") is read
 *    as the number. CFG_BOOL: true/false/yes/no/on/off, any case, unquoted
 *    only (a quoted "yes" is a string, hence an error).
 *  - CFG_DURATION: <n>ms, <n>s, <n>m, <n>h, <n>d, or bare <n> = seconds;
 *    stored in milliseconds; min/max are milliseconds too.
 *  - CFG_ENUM: names match case-insensitively; stores the index.
 *  - CFG_STR_LIST: a sequence of scalars, or one scalar = a 1-element list.
 *  - Lists: when min/max are not both 0 they bound the number of entries
 *    present in the file (an absent, non-required list takes its default or
 *    stays empty). A list default is YAML text, e.g. "[a.test, b.test]".
 *  - check runs on every scalar (each list element too) after conversion.
 *  - A CFG_TABLE takes no default; its keys' defaults apply when it is
 *    absent, and its required keys make it required.
 *
 * Schema mistakes (table without sub, min > max, a default that does not
 * convert, a key listed twice) are checked on every load before the file is
 * read, and returned as -EINVAL with "schema error: <key.path>: ..." in
 * err->msg; obj is then left untouched.
 *
 * Ownership: strings and lists in the target struct are heap-allocated by the
 * loader and owned by the struct; release them with cfg_free(). On failure
 * every field the schema describes is left freed and zeroed (safe to
 * cfg_free again).
 * Thread rules: none; pure functions over caller-owned memory.
 */
#ifndef IMS_CONFIG_H
#define IMS_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum cfg_type {
	CFG_END = 0,
	CFG_STR,        /* char *; NULL when absent and no default            */
	CFG_INT,        /* long long; bounded by min/max                      */
	CFG_BOOL,       /* bool; true/false/yes/no/on/off                     */
	CFG_PORT,       /* uint16_t; 0..65535 further bounded by min/max      */
	CFG_DURATION,   /* long long milliseconds; "250ms", "30s", "5m", "1h", bare number = seconds */
	CFG_ENUM,       /* int; index into enum_names                         */
	CFG_STR_LIST,   /* struct cfg_strv; YAML sequence of scalars          */
	CFG_TABLE,      /* nested mapping; struct at offset, described by sub */
	CFG_TABLE_LIST, /* struct cfg_list; sequence of mappings, each elem_size bytes, described by sub */
};

struct cfg_strv {
	char **v;
	size_t n;
};

struct cfg_list {
	void *items; /* array of n elements of the field's elem_size */
	size_t n;
};

/* Extra check on a scalar value: return 0 if fine, else write why (short, no
 * position; the loader adds file:line:column and the key path). */
typedef int (*cfg_check_fn)(const char *value, char *why, size_t whylen);

struct cfg_field {
	const char *key;
	enum cfg_type type;
	size_t offset;
	const char *def;       /* default as text; NULL = no default          */
	long long min, max;    /* CFG_INT/CFG_PORT/CFG_DURATION/list length bounds; both 0 = unbounded */
	bool required;
	const char *help;
	const struct cfg_field *sub;     /* CFG_TABLE, CFG_TABLE_LIST       */
	size_t elem_size;                /* CFG_TABLE_LIST                  */
	const char *const *enum_names;   /* CFG_ENUM, NULL-terminated       */
	cfg_check_fn check;              /* optional, on scalars            */
};

#define CFG_FIELD_END { .key = NULL, .type = CFG_END }

struct cfg_error {
	char msg[512];
};

/* Load a YAML file into obj (which must be zeroed or previously cfg_free'd).
 * Defaults are applied to absent keys (recursively for CFG_TABLE).
 * Returns 0, -EINVAL (bad file content or schema; err->msg says where),
 * -errno when the file cannot be read ("path: cannot read: reason"; -ENOENT,
 * -EACCES, -EISDIR, -EFBIG above 16 MiB) or -ENOMEM. err may be NULL. */
int cfg_load_file(const char *path, const struct cfg_field *schema, void *obj,
		  struct cfg_error *err);

/* Same, from memory; name is used in error messages as the file name. */
int cfg_load_string(const char *name, const char *text, size_t len,
		    const struct cfg_field *schema, void *obj, struct cfg_error *err);

/* Release every string and list owned by obj and zero every field the
 * schema describes (recursively). NULL schema or obj: no-op. */
void cfg_free(const struct cfg_field *schema, void *obj);

/* Write obj back as YAML (for --print-config) that cfg_load_string reads to
 * an equal struct: strings double-quoted and escaped, durations in the
 * largest exact unit, NULL strings left out. Secrets are not special-cased,
 * schemas mark none today. */
void cfg_print(FILE *out, const struct cfg_field *schema, const void *obj);

/* Write a human-readable reference of the schema: one line per key with
 * path ("diameter.peers[].port"), type and bounds, default (or
 * "(required)"), help. */
void cfg_describe(FILE *out, const struct cfg_field *schema);

/* Ready-made checks for CFG_STR fields; 0 or -EINVAL with why filled. */
int cfg_check_ip(const char *value, char *why, size_t whylen);       /* IPv4 or IPv6 literal */
/* IP literal ("[v6]" too) or RFC 1123 host name (labels 1..63 of letters,
 * digits, '-'; 253 in all; last label not all digits). */
int cfg_check_host(const char *value, char *why, size_t whylen);
/* "sip:" or "sips:" (any case), no whitespace or control characters, a
 * valid non-empty host after any userinfo, a port 1..65535 if given.
 * Parameters and headers are not checked. */
int cfg_check_sip_uri(const char *value, char *why, size_t whylen);

#endif
