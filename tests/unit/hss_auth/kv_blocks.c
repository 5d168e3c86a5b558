#include "kv_blocks.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static int add_pair(struct kv_block *b, char *key, char *value)
{
	struct kv_pair *p = realloc(b->pairs, (b->n + 1) * sizeof(*p));

	if (!p)
		return -ENOMEM;
	b->pairs = p;
	b->pairs[b->n].key = key;
	b->pairs[b->n].value = value;
	b->n++;
	return 0;
}

static int new_block(struct kv_file *f)
{
	struct kv_block *b = realloc(f->blocks, (f->n + 1) * sizeof(*b));

	if (!b)
		return -ENOMEM;
	f->blocks = b;
	memset(&f->blocks[f->n], 0, sizeof(f->blocks[0]));
	f->n++;
	return 0;
}

static int read_all(const char *path, char **text)
{
	FILE *fp = fopen(path, "rb");
	long size;
	int rc = 0;

	*text = NULL;
	if (!fp)
		return -errno;
	if (fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET) != 0) {
		rc = -EIO;
		goto out;
	}
	*text = malloc((size_t)size + 1);
	if (!*text) {
		rc = -ENOMEM;
		goto out;
	}
	if (fread(*text, 1, (size_t)size, fp) != (size_t)size) {
		free(*text);
		*text = NULL;
		rc = -EIO;
		goto out;
	}
	(*text)[size] = '\0';
out:
	fclose(fp);
	return rc;
}

int kv_load(const char *rel_path, struct kv_file *f)
{
	char path[4096];
	char *line;
	int in_block = 0, rc;

	memset(f, 0, sizeof(*f));
	snprintf(path, sizeof(path), "%s/%s", IMS_SHARED_DIR, rel_path);
	rc = read_all(path, &f->text);
	if (rc)
		return rc;
	/* Line by line in place; a blank line ends a block. */
	for (char *p = f->text; p && *p;) {
		char *nl = strchr(p, '\n');
		char *eq;

		line = p;
		if (nl)
			*nl = '\0';
		p = nl ? nl + 1 : NULL;
		if (line[0] && line[strlen(line) - 1] == '\r')
			line[strlen(line) - 1] = '\0';
		if (line[0] == '#')
			continue;
		if (line[0] == '\0') {
			in_block = 0;
			continue;
		}
		eq = strchr(line, '=');
		if (!eq)
			return -EINVAL;
		*eq = '\0';
		if (!in_block) {
			rc = new_block(f);
			if (rc)
				return rc;
			in_block = 1;
		}
		rc = add_pair(&f->blocks[f->n - 1], line, eq + 1);
		if (rc)
			return rc;
	}
	return 0;
}

void kv_free(struct kv_file *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->blocks[i].pairs);
	free(f->blocks);
	free(f->text);
	memset(f, 0, sizeof(*f));
}

const char *kv_get(const struct kv_block *b, const char *key)
{
	for (size_t i = 0; i < b->n; i++)
		if (strcmp(b->pairs[i].key, key) == 0)
			return b->pairs[i].value;
	return NULL;
}

const struct kv_block *kv_find(const struct kv_file *f, const char *key, const char *value)
{
	for (size_t i = 0; i < f->n; i++) {
		const char *v = kv_get(&f->blocks[i], key);

		if (v && strcmp(v, value) == 0)
			return &f->blocks[i];
	}
	return NULL;
}

static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long hex_decode(const char *hex, uint8_t *out, size_t cap)
{
	size_t len = strlen(hex);

	if (len % 2 || len / 2 > cap)
		return -1;
	for (size_t i = 0; i < len / 2; i++) {
		int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return (long)(len / 2);
}

void kv_hex(const struct kv_block *b, const char *key, uint8_t *out, size_t len)
{
	const char *v = kv_get(b, key);

	if (!v)
		fail_msg("missing key %s", key);
	if (hex_decode(v, out, len) != (long)len)
		fail_msg("key %s: want %zu hex octets, got \"%s\"", key, len, v);
}

int kv_hex_opt(const struct kv_block *b, const char *key, uint8_t *out, size_t len)
{
	if (!kv_get(b, key))
		return 0;
	kv_hex(b, key, out, len);
	return 1;
}
