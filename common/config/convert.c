/*
 * One YAML scalar -> one typed value at dst, with bounds and the field's
 * optional check. Schema defaults go through the same code (as synthetic
 * "literal" nodes), so a default can never hold what a file could not.
 *
 * Choices: numbers may be quoted ("1" is read as 1: the value matters, not
 * the YAML style); booleans may not (a quoted "yes" is a string, and taking
 * it as true would hide a mistake). Integers are decimal only.
 */
#include "cfg_internal.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *cfg_type_name(enum cfg_type t)
{
	switch (t) {
	case CFG_STR:
		return "string";
	case CFG_INT:
		return "integer";
	case CFG_BOOL:
		return "boolean";
	case CFG_PORT:
		return "port";
	case CFG_DURATION:
		return "duration";
	case CFG_ENUM:
		return "enum";
	case CFG_STR_LIST:
		return "list of strings";
	case CFG_TABLE:
		return "table";
	case CFG_TABLE_LIST:
		return "list of tables";
	default:
		return "?";
	}
}

static const char *a_type(enum cfg_type t)
{
	switch (t) {
	case CFG_INT:
		return "an integer";
	case CFG_BOOL:
		return "a boolean";
	case CFG_PORT:
		return "a port number";
	case CFG_DURATION:
		return "a duration";
	case CFG_ENUM:
		return "a name";
	default:
		return "a string";
	}
}

void cfg_describe_node(const struct cfg_node *n, char *buf, size_t len)
{
	size_t o = 0;

	if (!n || n->kind != CFG_N_SCALAR || cfg_node_is_null(n)) {
		snprintf(buf, len, "%s", cfg_node_kind_name(n));
		return;
	}
	/* Quoted and escaped, cut after 40 bytes: messages stay one line. */
	o += (size_t)snprintf(buf + o, len - o, "\"");
	for (size_t i = 0; i < n->len && o + 8 < len; i++) {
		unsigned char ch = (unsigned char)n->text[i];

		if (i == 40) {
			o += (size_t)snprintf(buf + o, len - o, "...");
			break;
		}
		if (ch == '"' || ch == '\\')
			o += (size_t)snprintf(buf + o, len - o, "\\%c", ch);
		else if (ch < 0x20 || ch == 0x7f)
			o += (size_t)snprintf(buf + o, len - o, "\\x%02x", ch);
		else
			buf[o++] = (char)ch;
	}
	snprintf(buf + o, len - o, "\"");
}

/* Decimal integer, optional sign, nothing else. */
static int parse_ll(const char *s, long long *v)
{
	const char *p = s;
	char *end;

	if (*p == '+' || *p == '-')
		p++;
	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	errno = 0;
	*v = strtoll(s, &end, 10);
	if (*end)
		return -EINVAL;
	return errno == ERANGE ? -ERANGE : 0;
}

int cfg_parse_duration(const char *s, long long *ms)
{
	static const struct { const char *unit; long long ms; } units[] = {
		{ "ms", 1 }, { "s", 1000 }, { "", 1000 }, { "m", 60000 },
		{ "h", 3600000 }, { "d", 86400000 },
	};
	const char *p = s;
	unsigned long long v = 0;

	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		if (v > (ULLONG_MAX - 9) / 10)
			return -ERANGE;
		v = v * 10 + (unsigned)(*p - '0');
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(p, units[i].unit) != 0)
			continue;
		if (v > (unsigned long long)(LLONG_MAX / units[i].ms))
			return -ERANGE;
		*ms = (long long)v * units[i].ms;
		return 0;
	}
	return -EINVAL;
}

void cfg_format_duration(long long ms, char *buf, size_t len)
{
	if (ms != 0 && ms % 3600000 == 0)
		snprintf(buf, len, "%lldh", ms / 3600000);
	else if (ms != 0 && ms % 60000 == 0)
		snprintf(buf, len, "%lldm", ms / 60000);
	else if (ms % 1000 == 0)
		snprintf(buf, len, "%llds", ms / 1000);
	else
		snprintf(buf, len, "%lldms", ms);
}

static int out_of_range(struct cfg_ctx *c, const struct cfg_field *f,
			const struct cfg_node *n, const char *path,
			long long v, long long lo, long long hi)
{
	char a[32], b[32], d[32];

	if (f->type != CFG_DURATION)
		return cfg_fail(c, n->pos, path, "%lld is out of range %lld..%lld",
				v, lo, hi);
	cfg_format_duration(v, a, sizeof(a));
	cfg_format_duration(lo, b, sizeof(b));
	cfg_format_duration(hi, d, sizeof(d));
	return cfg_fail(c, n->pos, path, "%s is out of range %s..%s", a, b, d);
}

static int conv_number(struct cfg_ctx *c, const struct cfg_field *f,
		       const struct cfg_node *n, const char *path, void *dst)
{
	long long v, lo = LLONG_MIN, hi = LLONG_MAX;
	char got[64];
	int rc;

	if (f->type == CFG_DURATION)
		rc = cfg_parse_duration(n->text, &v);
	else
		rc = parse_ll(n->text, &v);
	if (rc == -EINVAL) {
		cfg_describe_node(n, got, sizeof(got));
		if (f->type == CFG_DURATION)
			return cfg_fail(c, n->pos, path,
					"expected a duration (250ms, 30s, 5m, 1h; bare number = seconds), got %s",
					got);
		return cfg_fail(c, n->pos, path, "expected %s, got %s",
				f->type == CFG_PORT ? "a port number" : "an integer",
				got);
	}
	if (rc == -ERANGE) {
		cfg_describe_node(n, got, sizeof(got));
		return cfg_fail(c, n->pos, path, "%s is too large", got);
	}
	if (f->type == CFG_PORT) {
		lo = 0;
		hi = 65535;
	} else if (f->type == CFG_DURATION) {
		lo = 0;
	}
	if (f->min || f->max) {
		lo = f->min > lo ? f->min : lo;
		hi = f->max < hi ? f->max : hi;
	}
	if (v < lo || v > hi)
		return out_of_range(c, f, n, path, v, lo, hi);
	if (f->type == CFG_PORT)
		*(uint16_t *)dst = (uint16_t)v;
	else
		*(long long *)dst = v;
	return 0;
}

static int conv_bool(struct cfg_ctx *c, const struct cfg_node *n,
		     const char *path, bool *dst)
{
	static const char *const yes[] = { "true", "yes", "on" };
	static const char *const no[] = { "false", "no", "off" };
	char got[64];

	for (size_t i = 0; n->plain && i < 3; i++) {
		if (strcasecmp(n->text, yes[i]) == 0) {
			*dst = true;
			return 0;
		}
		if (strcasecmp(n->text, no[i]) == 0) {
			*dst = false;
			return 0;
		}
	}
	cfg_describe_node(n, got, sizeof(got));
	return cfg_fail(c, n->pos, path,
			"expected a boolean (true/false, yes/no, on/off), got %s%s",
			n->plain ? "" : "the quoted string ", got);
}

static int conv_enum(struct cfg_ctx *c, const struct cfg_field *f,
		     const struct cfg_node *n, const char *path, int *dst)
{
	char names[256], got[64];
	size_t o = 0;

	for (int i = 0; f->enum_names[i]; i++) {
		if (strcasecmp(n->text, f->enum_names[i]) == 0) {
			*dst = i;
			return 0;
		}
	}
	names[0] = '\0';
	for (int i = 0; f->enum_names[i] && o < sizeof(names); i++)
		o += (size_t)snprintf(names + o, sizeof(names) - o, "%s%s",
				      i ? ", " : "", f->enum_names[i]);
	cfg_describe_node(n, got, sizeof(got));
	return cfg_fail(c, n->pos, path, "expected one of %s, got %s", names, got);
}

int cfg_run_check(struct cfg_ctx *c, const struct cfg_field *f,
		  const struct cfg_node *n, const char *path)
{
	char why[200] = "", got[64];

	if (!f->check || f->check(n->text, why, sizeof(why)) == 0)
		return 0;
	cfg_describe_node(n, got, sizeof(got));
	return cfg_fail(c, n->pos, path, "invalid value %s: %s", got,
			why[0] ? why : "rejected");
}

int cfg_conv_scalar(struct cfg_ctx *c, const struct cfg_field *f,
		    const struct cfg_node *n, const char *path, void *dst)
{
	char *s;
	int rc;

	if (n->kind != CFG_N_SCALAR)
		return cfg_fail(c, n->pos, path, "expected %s, got %s",
				a_type(f->type), cfg_node_kind_name(n));
	if (cfg_node_is_null(n))
		return cfg_fail(c, n->pos, path, "missing value");
	if (strlen(n->text) != n->len)
		return cfg_fail(c, n->pos, path, "value contains a NUL character");
	switch (f->type) {
	case CFG_STR:
		rc = cfg_run_check(c, f, n, path);
		if (rc)
			return rc;
		s = strdup(n->text);
		if (!s)
			return -ENOMEM;
		free(*(char **)dst);
		*(char **)dst = s;
		return 0;
	case CFG_INT:
	case CFG_PORT:
	case CFG_DURATION:
		rc = conv_number(c, f, n, path, dst);
		break;
	case CFG_BOOL:
		rc = conv_bool(c, n, path, dst);
		break;
	case CFG_ENUM:
		rc = conv_enum(c, f, n, path, dst);
		break;
	default:
		return cfg_fail(c, n->pos, path, "not a scalar type");
	}
	return rc ? rc : cfg_run_check(c, f, n, path);
}
