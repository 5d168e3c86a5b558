/*
 * kv_blocks: reader for the test-vector files in tests/data/vectors
 * ("key=value" lines, '#' comments, blocks separated by blank lines).
 * Test helper only: aborts the test (cmocka fail) on a malformed file.
 */
#ifndef TEST_KV_BLOCKS_H
#define TEST_KV_BLOCKS_H

#include <stddef.h>
#include <stdint.h>

struct kv_pair {
	char *key, *value;
};

struct kv_block {
	struct kv_pair *pairs;
	size_t n;
};

struct kv_file {
	struct kv_block *blocks;
	size_t n;
	char *text;
};

/* path relative to IMS_SHARED_DIR ("vectors/milenage.txt"). 0 or -errno. */
int kv_load(const char *rel_path, struct kv_file *f);
void kv_free(struct kv_file *f);
/* Value of key in block, or NULL. */
const char *kv_get(const struct kv_block *b, const char *key);
/* Block whose key equals value (e.g. "case", "aka-7-resync"), or NULL. */
const struct kv_block *kv_find(const struct kv_file *f, const char *key, const char *value);
/* Decode hex value of key into exactly len octets; fails the test otherwise. */
void kv_hex(const struct kv_block *b, const char *key, uint8_t *out, size_t len);
/* Like kv_hex, but returns 0 when the key is absent, 1 when decoded. */
int kv_hex_opt(const struct kv_block *b, const char *key, uint8_t *out, size_t len);
/* Decode a hex string; returns octets written or -1. */
long hex_decode(const char *hex, uint8_t *out, size_t cap);

#endif
