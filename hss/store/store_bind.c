/* store_bind: MYSQL_BIND helpers and row fetching for the store_*.c files. */
#include "store_db.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ims/log.h"

static void bind_reset(MYSQL_BIND *b, enum enum_field_types type)
{
	memset(b, 0, sizeof(*b));
	b->buffer_type = type;
	b->length = &b->length_value;
	b->is_null = &b->is_null_value;
	b->error = &b->error_value;
}

void sdb_in_str(MYSQL_BIND *b, const char *s)
{
	if (!s) {
		bind_reset(b, MYSQL_TYPE_NULL);
		return;
	}
	bind_reset(b, MYSQL_TYPE_STRING);
	b->buffer = (void *)s;
	b->buffer_length = strlen(s);
	b->length_value = b->buffer_length;
}

void sdb_in_blob(MYSQL_BIND *b, const void *p, size_t len)
{
	if (!p) {
		bind_reset(b, MYSQL_TYPE_NULL);
		return;
	}
	bind_reset(b, MYSQL_TYPE_BLOB);
	b->buffer = (void *)p;
	b->buffer_length = len;
	b->length_value = len;
}

void sdb_in_u64(MYSQL_BIND *b, const uint64_t *v)
{
	bind_reset(b, MYSQL_TYPE_LONGLONG);
	b->buffer = (void *)v;
	b->is_unsigned = 1;
}

void sdb_in_int(MYSQL_BIND *b, const int *v)
{
	bind_reset(b, MYSQL_TYPE_LONG);
	b->buffer = (void *)v;
}

/* String results: one byte is kept for the NUL added by sdb_fetch. */
void sdb_out_str(MYSQL_BIND *b, char *buf, size_t size)
{
	bind_reset(b, MYSQL_TYPE_STRING);
	b->buffer = buf;
	b->buffer_length = size - 1;
}

void sdb_out_blob(MYSQL_BIND *b, void *buf, size_t size)
{
	bind_reset(b, MYSQL_TYPE_BLOB);
	b->buffer = buf;
	b->buffer_length = size;
}

void sdb_out_u64(MYSQL_BIND *b, uint64_t *v)
{
	bind_reset(b, MYSQL_TYPE_LONGLONG);
	b->buffer = v;
	b->is_unsigned = 1;
}

void sdb_out_int(MYSQL_BIND *b, int *v)
{
	bind_reset(b, MYSQL_TYPE_LONG);
	b->buffer = v;
}

int sdb_fetch(MYSQL_STMT *s, MYSQL_BIND *res, size_t n_res)
{
	int rc = mysql_stmt_fetch(s);

	if (rc == MYSQL_NO_DATA)
		return 0;
	if (rc == 1) {
		log_err("store: fetch failed (%u %s)", mysql_stmt_errno(s),
			mysql_stmt_error(s));
		return -EIO;
	}
	for (size_t i = 0; i < n_res; i++) {
		MYSQL_BIND *b = &res[i];
		if (b->is_null_value) {
			/* NULL: numbers and blobs read as zero, strings as "". */
			if (b->buffer_type == MYSQL_TYPE_LONGLONG)
				*(uint64_t *)b->buffer = 0;
			else if (b->buffer_type == MYSQL_TYPE_LONG)
				*(int *)b->buffer = 0;
			else
				memset(b->buffer, 0, b->buffer_length);
			continue;
		}
		if (b->error_value)
			return -EOVERFLOW;
		if ((b->buffer_type == MYSQL_TYPE_STRING || b->buffer_type == MYSQL_TYPE_BLOB) &&
		    b->length_value > b->buffer_length)
			return -EOVERFLOW;
		if (b->buffer_type == MYSQL_TYPE_STRING)
			((char *)b->buffer)[b->length_value] = '\0';
	}
	return rc == MYSQL_DATA_TRUNCATED ? -EOVERFLOW : 1;
}

void sdb_done(MYSQL_STMT *s)
{
	if (s)
		mysql_stmt_free_result(s);
}

int sdb_collect(MYSQL_STMT *s, MYSQL_BIND *res, size_t n_res, void *row, size_t row_size,
		void (*fix)(void *row, void *ctx), void *ctx, void **out, size_t *n)
{
	unsigned char *v = NULL;
	size_t cnt = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	while ((rc = sdb_fetch(s, res, n_res)) == 1) {
		if (cnt == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			unsigned char *nv = reallocarray(v, ncap, row_size);

			if (!nv) {
				rc = -ENOMEM;
				break;
			}
			v = nv;
			cap = ncap;
		}
		if (fix)
			fix(row, ctx);
		memcpy(v + cnt * row_size, row, row_size);
		cnt++;
	}
	sdb_done(s);
	if (rc < 0) {
		free(v);
		return rc;
	}
	*out = v;
	*n = cnt;
	return 0;
}

void store_strv_free(struct store_strv *sv)
{
	if (!sv)
		return;
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = 0;
}
