/*
 * reg_sync: the loop side of the MariaDB store (registrar.store: mariadb;
 * reg_db.h says why write-back and what the window is). The store and the
 * reg-event table call touch() on every change; the keys are coalesced in
 * a reg_dirty set; every flush_interval the rows of those keys are built
 * (what the key holds now, or a deletion when it holds nothing) and handed
 * to the writer thread in one batch, unless it is still busy with the
 * previous one (a slow or absent database), in which case the set keeps
 * coalescing. Nothing here waits for the database, except at start (load)
 * and at stop (the last batch, bounded).
 */
#include "reg_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ims/log.h"

#include "reg_db.h"
#include "reg_dirty.h"
#include "reg_row.h"

/* Keys held between two batches; beyond, the next batch rewrites all. */
#define SYNC_MAX_DIRTY (1u << 20)
/* At stop: how long the writer may take to be free for the last batch,
 * then to write it (a database that is down costs at most these). */
#define SYNC_STOP_WAIT_MS 2000
#define SYNC_CLOSE_WAIT_MS 1000

struct reg_sync {
	struct reg_db *db;
	struct reg_dirty dirty;
	su_timer_t *timer;
};

static void touch_set(void *ctx, const struct reg_record *rec)
{
	struct reg_sync *s = ctx;
	const char *key = reg_row_set_key(rec);

	if (key)
		reg_dirty_add(&s->dirty, REG_ROW_SET, key);
}

static void touch_sub(void *ctx, const struct reg_sub *sub)
{
	struct reg_sync *s = ctx;

	reg_dirty_add(&s->dirty, REG_ROW_SUB, sub->call_id);
}

/* The row for one changed key: its current state, or a deletion. */
static int row_for(struct registrar *r, const char *key, struct reg_row *row, int64_t now,
		   int64_t wall)
{
	const char *id = key + 1;

	if (key[0] == REG_ROW_SET) {
		const struct reg_record *rec = reg_store_find(&r->store, id);
		const char *cur = rec ? reg_row_set_key(rec) : NULL;

		/* Found through a later IMPU of its set: the row lives under
		 * its first IMPU (noted too), this key's row goes. */
		if (cur && strcmp(cur, id) == 0 && rec->n_contacts > 0 && rec->profile->xml)
			return reg_row_from_set(row, rec, now, wall);
		return reg_row_delete(row, REG_ROW_SET, id);
	}
	{
		const struct reg_sub *sub = reg_htab_find(&r->events.by_call_id, id);

		if (sub)
			return reg_row_from_sub(row, sub, now, wall);
		return reg_row_delete(row, REG_ROW_SUB, id);
	}
}

/* Every set and subscription, for a full rewrite. */
static int rows_all(struct registrar *r, struct reg_row **out, size_t *n, int64_t now,
		    int64_t wall)
{
	size_t cap = r->store.n_records + r->events.count, k = 0;
	struct reg_row *rows = calloc(cap ? cap : 1, sizeof *rows);
	const struct reg_record *rec;
	const struct reg_sub *sub;
	int rc = 0;

	if (!rows)
		return -ENOMEM;
	for (rec = r->store.head; rc == 0 && rec; rec = rec->next)
		if (rec->n_contacts > 0 && rec->profile && rec->profile->xml)
			rc = reg_row_from_set(&rows[k++], rec, now, wall);
	for (sub = r->events.head; rc == 0 && sub; sub = sub->next)
		rc = reg_row_from_sub(&rows[k++], sub, now, wall);
	*out = rows;
	*n = k;
	return rc;
}

static void rows_free(struct reg_row *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		reg_row_clear(&rows[i]);
	free(rows);
}

/* Hand what changed to the writer; false when it is still busy or nothing
 * changed. */
static bool flush(struct registrar *r)
{
	struct reg_sync *s = r->sync;
	int64_t now = reg_now(), wall = (int64_t)time(NULL);
	struct reg_row *rows = NULL;
	char **keys = NULL;
	size_t n_keys = 0, n = 0, i;
	bool full = false;
	int rc = 0;

	if ((reg_dirty_count(&s->dirty) == 0 && !s->dirty.overflow) || reg_db_busy(s->db))
		return false;
	reg_dirty_take(&s->dirty, &keys, &n_keys, &full);
	if (full) {
		rc = rows_all(r, &rows, &n, now, wall);
	} else {
		rows = calloc(n_keys, sizeof *rows);
		rc = rows ? 0 : -ENOMEM;
		for (i = 0; rc == 0 && i < n_keys; i++)
			if ((rc = row_for(r, keys[i], &rows[n], now, wall)) == 0)
				n++;
	}
	reg_dirty_keys_free(keys, n_keys);
	if (rc == 0)
		rc = reg_db_submit(s->db, rows, n, full);
	if (rc < 0) {
		/* Out of memory: rewrite everything next time. */
		log_warn("registrar db: batch of %zu change(s) not built (%s), full rewrite next",
			 n, strerror(-rc));
		rows_free(rows, n);
		s->dirty.overflow = true;
		return false;
	}
	return true;
}

static void on_flush(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	(void)magic;
	(void)t;
	flush((struct registrar *)arg);
}

int reg_sync_start(struct registrar *r)
{
	const struct scscf_db_config *c = &r->cfg->database;
	const char *owner = c->owner ? c->owner : r->server_name;
	struct reg_sync *s;
	struct reg_sub *sub, *next;
	size_t loaded = 0, damaged = 0;
	int rc;

	if (r->cfg->store != SCSCF_STORE_MARIADB)
		return 0;
	s = calloc(1, sizeof *s);
	if (!s)
		return -ENOMEM;
	r->sync = s;
	if ((rc = reg_dirty_init(&s->dirty, SYNC_MAX_DIRTY)) < 0)
		return rc;
	rc = reg_db_open(c, owner, &s->db);
	if (rc == 0)
		rc = reg_db_load(s->db, c->takeover, &r->store, &r->events, reg_now(),
				 (int64_t)time(NULL), &loaded, &damaged);
	if (rc < 0) {
		log_err("registrar db %s: cannot load the bindings of %s: %s", c->name, owner,
			strerror(-rc));
		return rc;
	}
	r->store.touch = touch_set;
	r->store.touch_ctx = s;
	r->events.touch = touch_sub;
	r->events.touch_ctx = s;
	/* A subscription to a set that did not come back has nothing to say
	 * (its row goes with the first batch). */
	for (sub = r->events.head; sub; sub = next) {
		next = sub->next;
		if (!reg_store_find(&r->store, sub->impu))
			reg_sub_remove(&r->events, sub);
	}
	log_notice("registrar db %s: %zu registration set(s) and %zu subscription(s) of %s "
		   "restored%s", c->name, loaded, r->events.count, owner,
		   damaged ? " (damaged rows skipped)" : "");
	/* A take-over or a damaged row: make the rows match memory. */
	if (c->takeover || damaged)
		s->dirty.overflow = true;
	s->timer = su_timer_create(su_root_task(r->root), (su_duration_t)c->flush_interval);
	if (!s->timer || su_timer_run(s->timer, on_flush, (su_timer_arg_t *)r) < 0)
		return -ENOMEM;
	return 0;
}

void reg_sync_stop(struct registrar *r)
{
	struct reg_sync *s = r->sync;
	int waited;

	if (!s)
		return;
	if (s->timer)
		su_timer_destroy(s->timer);
	/* The last changes: wait (bounded) for the writer to take them. */
	for (waited = 0; s->db && waited < SYNC_STOP_WAIT_MS; waited += 10) {
		if (!reg_db_busy(s->db) && !flush(r) && !reg_db_busy(s->db))
			break;
		usleep(10 * 1000);
	}
	reg_db_close(s->db, SYNC_CLOSE_WAIT_MS);
	r->store.touch = NULL;
	r->events.touch = NULL;
	reg_dirty_free(&s->dirty);
	free(s);
	r->sync = NULL;
}
