/*
 * reg_row: one database row of the MariaDB store (reg_db.h) built from, and
 * read back into, the registrar's memory.
 *
 * A row is one registration set (kind 'R', key = the set's first IMPU) or
 * one reg-event subscription (kind 'U', key = its Call-ID). Its `data` is
 * the item in reg_persist's format (reg_persist.h: impi, profile XML,
 * contacts with wall-clock expiry, Path, Call-ID, CSeq, instance, reg-id,
 * q; or the subscription's dialog), so the file and the database share one
 * encoder and one decoder, with the decoder's hostile-input rules. `impi`
 * (the set's IMPI, or the subscribed IMPU) and `expires_wall` (when the
 * last contact or the subscription ends, Unix time) are columns of their
 * own for operators and for dropping expired rows in SQL.
 * A row with data NULL is a deletion of kind/key.
 * Ownership: a row owns its strings (reg_row_clear). Thread rules: build
 * and load on the loop thread (reg_row_read: any thread); a built row may be
 * handed to another thread.
 * Returns 0 or -errno.
 */
#ifndef SCSCF_REG_ROW_H
#define SCSCF_REG_ROW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "reg_event.h"
#include "reg_persist.h"
#include "reg_store.h"

#define REG_ROW_SET 'R'
#define REG_ROW_SUB 'U'

struct reg_row {
	char kind;            /* REG_ROW_SET or REG_ROW_SUB */
	char *key;
	char *impi;           /* NULL for a deletion */
	int64_t expires_wall;
	char *data;           /* NULL: delete the row */
	size_t len;
};

/* The key a set's row has: its first IMPU (HSS order). */
const char *reg_row_set_key(const struct reg_record *rec);

/* now: the store clock, wall: time(NULL) at the same instant. */
int reg_row_from_set(struct reg_row *row, const struct reg_record *rec, int64_t now, int64_t wall);
int reg_row_from_sub(struct reg_row *row, const struct reg_sub *s, int64_t now, int64_t wall);
int reg_row_delete(struct reg_row *row, char kind, const char *key);
void reg_row_clear(struct reg_row *row);

/* Adds the row's data (a set to st, a subscription to ev) as reg_persist
 * loads it; *kept true when a live set was added. -EBADMSG for a damaged
 * row; a set whose IMPUs are held already is dropped (0, *kept false). */
int reg_row_load(const char *data, size_t len, struct reg_store *st, struct reg_events *ev,
		 int64_t now, int64_t wall, bool *kept);
/* The first half of reg_row_load (reg_persist_read_item): any thread. */
int reg_row_read(const char *data, size_t len, int64_t now, int64_t wall, struct reg_item *it);

#endif
