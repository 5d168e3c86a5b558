/*
 * cfg_print: the struct back as YAML that cfg_load_string reads to an equal
 * struct (strings always double-quoted and escaped; durations in the largest
 * exact unit; absent strings left out so they stay absent).
 * cfg_describe: one line per key: path, type and bounds, default, help.
 */
#include "cfg_internal.h"

#include <string.h>

static void put_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		default:
			/* YAML reads NEL, LS and PS as line breaks even inside
			 * quotes (YAML 1.1 5.4): escape them. */
			if (p[0] == 0xc2 && p[1] == 0x85) {
				fputs("\\N", out);
				p++;
				break;
			}
			if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
				fputs(p[2] == 0xa8 ? "\\L" : "\\P", out);
				p += 2;
				break;
			}
			/* Other UTF-8 passes through: libyaml validated it. */
			if (*p < 0x20 || *p == 0x7f)
				fprintf(out, "\\x%02x", *p);
			else
				fputc(*p, out);
		}
	}
	fputc('"', out);
}

/* Would print_fields write at least one line? (NULL strings are skipped.) */
static bool has_output(const struct cfg_field *schema, const void *base)
{
	for (const struct cfg_field *f = schema; f->key; f++)
		if (f->type != CFG_STR ||
		    *(char *const *)((const char *)base + f->offset))
			return true;
	return false;
}

/* Start a "key: " line; the first line of a list element carries "- ". */
static void key_start(FILE *out, int indent, bool *dash, const char *key)
{
	if (*dash) {
		fprintf(out, "%*s- %s:", indent - 2, "", key);
		*dash = false;
	} else {
		fprintf(out, "%*s%s:", indent, "", key);
	}
}

static void print_fields(FILE *out, const struct cfg_field *schema,
			 const void *base, int indent, bool dash);

static void print_lists(FILE *out, const struct cfg_field *f, const void *v,
			int indent)
{
	if (f->type == CFG_STR_LIST) {
		const struct cfg_strv *sv = v;

		if (!sv->n) {
			fputs(" []\n", out);
			return;
		}
		fputc('\n', out);
		for (size_t i = 0; i < sv->n; i++) {
			fprintf(out, "%*s- ", indent + 2, "");
			put_str(out, sv->v[i] ? sv->v[i] : "");
			fputc('\n', out);
		}
		return;
	}
	const struct cfg_list *l = v;

	if (!l->n) {
		fputs(" []\n", out);
		return;
	}
	fputc('\n', out);
	for (size_t i = 0; i < l->n; i++) {
		const char *e = (const char *)l->items + i * f->elem_size;

		if (has_output(f->sub, e))
			print_fields(out, f->sub, e, indent + 4, true);
		else
			fprintf(out, "%*s- {}\n", indent + 2, "");
	}
}

static void print_value(FILE *out, const struct cfg_field *f, const void *v,
			int indent)
{
	char buf[32];
	int e;

	switch (f->type) {
	case CFG_STR:
		fputc(' ', out);
		put_str(out, *(char *const *)v);
		break;
	case CFG_INT:
		fprintf(out, " %lld", *(const long long *)v);
		break;
	case CFG_BOOL:
		fputs(*(const bool *)v ? " true" : " false", out);
		break;
	case CFG_PORT:
		fprintf(out, " %u", (unsigned)*(const uint16_t *)v);
		break;
	case CFG_DURATION:
		cfg_format_duration(*(const long long *)v, buf, sizeof(buf));
		fprintf(out, " %s", buf);
		break;
	case CFG_ENUM:
		e = *(const int *)v;
		for (int i = 0; f->enum_names[i]; i++)
			if (i == e) {
				fprintf(out, " %s", f->enum_names[i]);
				break;
			}
		break;
	case CFG_TABLE:
		if (!has_output(f->sub, v)) {
			fputs(" {}\n", out);
			return;
		}
		fputc('\n', out);
		print_fields(out, f->sub, v, indent + 2, false);
		return;
	default:
		print_lists(out, f, v, indent);
		return;
	}
	fputc('\n', out);
}

static void print_fields(FILE *out, const struct cfg_field *schema,
			 const void *base, int indent, bool dash)
{
	for (const struct cfg_field *f = schema; f->key; f++) {
		const void *v = (const char *)base + f->offset;

		if (f->type == CFG_STR && !*(char *const *)v)
			continue;
		key_start(out, indent, &dash, f->key);
		print_value(out, f, v, indent);
	}
}

void cfg_print(FILE *out, const struct cfg_field *schema, const void *obj)
{
	if (!out || !schema || !obj)
		return;
	print_fields(out, schema, obj, 0, false);
}

static void type_text(const struct cfg_field *f, char *buf, size_t len)
{
	char lo[32], hi[32];
	size_t o;

	if (f->type == CFG_ENUM) {
		o = (size_t)snprintf(buf, len, "enum ");
		for (int i = 0; f->enum_names && f->enum_names[i] && o < len; i++)
			o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? "|" : "",
					      f->enum_names[i]);
		return;
	}
	if (!f->min && !f->max) {
		snprintf(buf, len, "%s", cfg_type_name(f->type));
		return;
	}
	if (f->type == CFG_DURATION) {
		cfg_format_duration(f->min, lo, sizeof(lo));
		cfg_format_duration(f->max, hi, sizeof(hi));
	} else {
		snprintf(lo, sizeof(lo), "%lld", f->min);
		snprintf(hi, sizeof(hi), "%lld", f->max);
	}
	snprintf(buf, len, "%s %s..%s", cfg_type_name(f->type), lo, hi);
}

static void describe(FILE *out, const struct cfg_field *schema,
		     const char *parent)
{
	for (const struct cfg_field *f = schema; f->key; f++) {
		char path[CFG_PATH_MAX], type[160];

		cfg_path_key(path, sizeof(path), parent, f->key);
		type_text(f, type, sizeof(type));
		fprintf(out, "%-32s %-24s %-12s %s\n", path, type,
			f->required ? "(required)" : f->def ? f->def : "-",
			f->help ? f->help : "");
		if (f->type == CFG_TABLE && f->sub) {
			describe(out, f->sub, path);
		} else if (f->type == CFG_TABLE_LIST && f->sub) {
			char sub[CFG_PATH_MAX + 2];

			snprintf(sub, sizeof(sub), "%s[]", path);
			describe(out, f->sub, sub);
		}
	}
}

void cfg_describe(FILE *out, const struct cfg_field *schema)
{
	if (out && schema)
		describe(out, schema, "");
}
