/*
 * YAML text -> cfg_node tree, through libyaml's event parser.
 *
 * libyaml marks are 0-based (line and column, counted in characters); we
 * store them 1-based. Aliases are rejected (a config file has no need for
 * them and they would let one node appear under two keys); anchors and tags
 * are accepted and ignored. Exactly one document per file.
 */
#include "cfg_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

struct tree_parser {
	yaml_parser_t p;
	const char *name;
	const char *text;
	size_t len;
	struct cfg_error *err;
};

static struct cfg_pos mark_pos(yaml_mark_t m)
{
	return (struct cfg_pos){ (unsigned)m.line + 1, (unsigned)m.column + 1 };
}

static int tree_fail(struct tree_parser *tp, yaml_mark_t m, const char *what)
{
	struct cfg_pos at = mark_pos(m);

	snprintf(tp->err->msg, sizeof(tp->err->msg), "%s:%u:%u: %s", tp->name,
		 at.line, at.col, what);
	return -EINVAL;
}

/* Does line line0 (0-based) start with whitespace holding a tab? libyaml's
 * message for that case ("found character that cannot start any token")
 * does not say "tab", so we add it. */
static bool tab_in_indent(const struct tree_parser *tp, size_t line0)
{
	const char *p = tp->text, *end = tp->text + tp->len;

	for (size_t l = 0; l < line0 && p < end; p++)
		if (*p == '\n')
			l++;
	for (; p < end && (*p == ' ' || *p == '\t'); p++)
		if (*p == '\t')
			return true;
	return false;
}

/* Format libyaml's own error: problem at its mark, plus the context. */
static int syntax_error(struct tree_parser *tp)
{
	yaml_parser_t *p = &tp->p;
	const char *problem = p->problem ? p->problem : "syntax error";
	struct cfg_pos at = mark_pos(p->problem_mark);
	struct cfg_pos cx = mark_pos(p->context_mark);
	char *m = tp->err->msg;
	size_t len = sizeof(tp->err->msg);
	const char *hint = "";

	if (p->error == YAML_SCANNER_ERROR && !strstr(problem, "tab") &&
	    tab_in_indent(tp, p->problem_mark.line))
		hint = "; tabs cannot be used for indentation";
	switch (p->error) {
	case YAML_MEMORY_ERROR:
		snprintf(m, len, "%s: out of memory", tp->name);
		return -ENOMEM;
	case YAML_READER_ERROR:
		/* Reader errors (bad encoding) carry a byte offset, no mark. */
		if (p->problem_value != -1)
			snprintf(m, len, "%s: byte %zu: %s (0x%02x)", tp->name,
				 p->problem_offset + 1, problem,
				 (unsigned)p->problem_value & 0xffu);
		else
			snprintf(m, len, "%s: byte %zu: %s", tp->name,
				 p->problem_offset + 1, problem);
		return -EINVAL;
	default:
		break;
	}
	/* context can be NULL while context_mark still holds a value. */
	if (p->context)
		snprintf(m, len, "%s:%u:%u: %s (%s at %u:%u)%s", tp->name, at.line,
			 at.col, problem, p->context, cx.line, cx.col, hint);
	else
		snprintf(m, len, "%s:%u:%u: %s%s", tp->name, at.line, at.col,
			 problem, hint);
	return -EINVAL;
}

static int next_event(struct tree_parser *tp, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&tp->p, ev))
		return syntax_error(tp);
	return 0;
}

static int append_kid(struct cfg_node *n, struct cfg_node *kid)
{
	if (n->n == n->cap) {
		size_t cap = n->cap ? n->cap * 2 : 8;
		struct cfg_node **k = realloc(n->kids, cap * sizeof(*k));

		if (!k)
			return -ENOMEM;
		n->kids = k;
		n->cap = cap;
	}
	n->kids[n->n++] = kid;
	return 0;
}

static int build(struct tree_parser *tp, yaml_event_t *ev, int depth,
		 struct cfg_node **out);

/* Children of a sequence or mapping until the matching end event. */
static int build_children(struct tree_parser *tp, struct cfg_node *n,
			  yaml_event_type_t end, int depth)
{
	int rc = 0;

	for (;;) {
		yaml_event_t ev;
		struct cfg_node *kid = NULL;

		rc = next_event(tp, &ev);
		if (rc)
			return rc;
		if (ev.type == end) {
			yaml_event_delete(&ev);
			return 0;
		}
		/* Mapping keys: even positions. Only scalars make sense as keys. */
		if (n->kind == CFG_N_MAP && n->n % 2 == 0 &&
		    ev.type != YAML_SCALAR_EVENT && ev.type != YAML_ALIAS_EVENT)
			rc = tree_fail(tp, ev.start_mark,
				       "mapping keys must be scalars");
		else
			rc = build(tp, &ev, depth + 1, &kid);
		yaml_event_delete(&ev);
		if (!rc) {
			rc = append_kid(n, kid);
			if (rc)
				cfg_tree_free(kid);
		}
		if (rc)
			return rc;
	}
}

static int build(struct tree_parser *tp, yaml_event_t *ev, int depth,
		 struct cfg_node **out)
{
	struct cfg_node *n;
	int rc = 0;

	*out = NULL;
	if (ev->type == YAML_ALIAS_EVENT) {
		char what[160];

		snprintf(what, sizeof(what),
			 "aliases are not supported (*%.100s)",
			 (const char *)ev->data.alias.anchor);
		return tree_fail(tp, ev->start_mark, what);
	}
	if (depth > CFG_MAX_DEPTH)
		return tree_fail(tp, ev->start_mark, "nesting is too deep");
	n = calloc(1, sizeof(*n));
	if (!n)
		return -ENOMEM;
	n->pos = mark_pos(ev->start_mark);
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		n->kind = CFG_N_SCALAR;
		n->len = ev->data.scalar.length;
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		n->text = malloc(n->len + 1);
		if (!n->text) {
			rc = -ENOMEM;
			goto out;
		}
		memcpy(n->text, ev->data.scalar.value, n->len);
		n->text[n->len] = '\0';
		break;
	case YAML_SEQUENCE_START_EVENT:
		n->kind = CFG_N_SEQ;
		rc = build_children(tp, n, YAML_SEQUENCE_END_EVENT, depth);
		break;
	case YAML_MAPPING_START_EVENT:
		n->kind = CFG_N_MAP;
		rc = build_children(tp, n, YAML_MAPPING_END_EVENT, depth);
		break;
	default:
		rc = tree_fail(tp, ev->start_mark, "unexpected YAML event");
		break;
	}
out:
	if (rc)
		cfg_tree_free(n);
	else
		*out = n;
	return rc;
}

/* Expect an event of type want; anything else is reported with what. */
static int expect(struct tree_parser *tp, yaml_event_type_t want,
		  const char *what)
{
	yaml_event_t ev;
	int rc = next_event(tp, &ev);

	if (rc)
		return rc;
	if (ev.type != want)
		rc = tree_fail(tp, ev.start_mark, what);
	yaml_event_delete(&ev);
	return rc;
}

int cfg_tree_parse(const char *name, const char *text, size_t len,
		   struct cfg_node **root, struct cfg_error *err)
{
	struct tree_parser tp = { .name = name, .text = text ? text : "",
				  .len = text ? len : 0, .err = err };
	yaml_event_t ev;
	int rc;

	*root = NULL;
	if (!yaml_parser_initialize(&tp.p)) {
		snprintf(err->msg, sizeof(err->msg), "%s: out of memory", name);
		return -ENOMEM;
	}
	yaml_parser_set_input_string(&tp.p, (const unsigned char *)tp.text, tp.len);
	rc = expect(&tp, YAML_STREAM_START_EVENT, "expected a YAML stream");
	if (rc)
		goto out;
	rc = next_event(&tp, &ev);
	if (rc)
		goto out;
	if (ev.type == YAML_STREAM_END_EVENT) { /* empty file */
		yaml_event_delete(&ev);
		goto out;
	}
	yaml_event_delete(&ev); /* DOCUMENT_START */
	rc = next_event(&tp, &ev);
	if (rc)
		goto out;
	rc = build(&tp, &ev, 0, root);
	yaml_event_delete(&ev);
	if (rc)
		goto out;
	rc = expect(&tp, YAML_DOCUMENT_END_EVENT, "expected the end of the document");
	if (rc)
		goto out;
	rc = expect(&tp, YAML_STREAM_END_EVENT,
		    "only one YAML document per file is supported");
out:
	yaml_parser_delete(&tp.p);
	if (rc) {
		cfg_tree_free(*root);
		*root = NULL;
	}
	return rc;
}

void cfg_tree_free(struct cfg_node *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n; i++)
		cfg_tree_free(n->kids[i]);
	free(n->kids);
	free(n->text);
	free(n);
}

bool cfg_node_is_null(const struct cfg_node *n)
{
	if (!n || n->kind != CFG_N_SCALAR || !n->plain || n->literal)
		return false;
	return n->len == 0 || strcmp(n->text, "~") == 0 ||
	       strcasecmp(n->text, "null") == 0;
}

const char *cfg_node_kind_name(const struct cfg_node *n)
{
	if (cfg_node_is_null(n))
		return "nothing";
	switch (n->kind) {
	case CFG_N_SEQ:
		return "a sequence";
	case CFG_N_MAP:
		return "a mapping";
	default:
		return "a scalar";
	}
}
