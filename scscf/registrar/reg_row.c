/* reg_row: see reg_row.h for the contract. */
#include "reg_row.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reg_persist.h"

const char *reg_row_set_key(const struct reg_record *rec)
{
	return rec->profile && rec->profile->n_ids ? rec->profile->ids[0].uri : NULL;
}

void reg_row_clear(struct reg_row *row)
{
	free(row->key);
	free(row->impi);
	free(row->data);
	memset(row, 0, sizeof *row);
}

int reg_row_delete(struct reg_row *row, char kind, const char *key)
{
	memset(row, 0, sizeof *row);
	row->kind = kind;
	row->key = strdup(key);
	return row->key ? 0 : -ENOMEM;
}

/* Fill row->data through a memory stream: put writes one item. */
static int encode(struct reg_row *row, int (*put)(FILE *, const void *, int64_t, int64_t),
		  const void *item, int64_t now, int64_t wall)
{
	FILE *f = open_memstream(&row->data, &row->len);
	int rc;

	if (!f)
		return -ENOMEM;
	rc = put(f, item, now, wall);
	if (fclose(f) != 0 && rc == 0)
		rc = -ENOMEM;
	return rc;
}

/* Both write their own "R" / "U" line. */
static int put_set(FILE *f, const void *item, int64_t now, int64_t wall)
{
	return reg_persist_put_record(f, item, now, wall);
}

static int put_sub(FILE *f, const void *item, int64_t now, int64_t wall)
{
	return reg_persist_put_sub(f, item, now, wall);
}

int reg_row_from_set(struct reg_row *row, const struct reg_record *rec, int64_t now, int64_t wall)
{
	const char *key = reg_row_set_key(rec);
	int64_t last = now;
	size_t i;
	int rc;

	memset(row, 0, sizeof *row);
	if (!key || !rec->profile->xml)
		return -EINVAL;
	row->kind = REG_ROW_SET;
	for (i = 0; i < rec->n_contacts; i++)
		if (rec->contacts[i].expires > last)
			last = rec->contacts[i].expires;
	row->expires_wall = last - now + wall;
	row->key = strdup(key);
	row->impi = strdup(rec->impi);
	rc = row->key && row->impi ? encode(row, put_set, rec, now, wall) : -ENOMEM;
	if (rc < 0)
		reg_row_clear(row);
	return rc;
}

int reg_row_from_sub(struct reg_row *row, const struct reg_sub *s, int64_t now, int64_t wall)
{
	int rc;

	memset(row, 0, sizeof *row);
	row->kind = REG_ROW_SUB;
	row->expires_wall = s->expires - now + wall;
	row->key = strdup(s->call_id);
	row->impi = strdup(s->impu);
	rc = row->key && row->impi ? encode(row, put_sub, s, now, wall) : -ENOMEM;
	if (rc < 0)
		reg_row_clear(row);
	return rc;
}

int reg_row_read(const char *data, size_t len, int64_t now, int64_t wall, struct reg_item *it)
{
	FILE *f;
	int rc;

	memset(it, 0, sizeof *it);
	if (!data || len == 0)
		return -EBADMSG;
	f = fmemopen((void *)data, len, "r");
	if (!f)
		return -ENOMEM;
	rc = reg_persist_read_item(f, now, wall, it);
	if (rc == -ENODATA)
		rc = -EBADMSG;
	fclose(f);
	return rc;
}

int reg_row_load(const char *data, size_t len, struct reg_store *st, struct reg_events *ev,
		 int64_t now, int64_t wall, bool *kept)
{
	struct reg_item it;
	int rc = reg_row_read(data, len, now, wall, &it);

	*kept = false;
	if (rc < 0) {
		reg_item_clear(&it);
		return rc;
	}
	return reg_persist_add_item(&it, st, ev, kept);
}
