/*
 * reg_db: the registrar's bindings in MariaDB (tables scscf_reg_set and
 * scscf_reg_sub of deploy/db/migrations/0005_scscf_registrar.sql), so a
 * restart of ims-scscf, even kill -9, keeps every registration, and a
 * standby S-CSCF can take the rows of a failed one over.
 *
 * Write-back with a bounded window, not write-through: a write-through
 * REGISTER would wait for a commit (a disk flush on the database) before
 * its 200 OK, on the single SIP loop thread, and every refresh of every UE
 * would be its own transaction. Instead the loop notes which sets and
 * subscriptions changed (reg_dirty.h, coalesced by key) and every
 * registrar.database.flush_interval (default 100 ms) hands the changed
 * rows to this module's writer thread, which writes them in ONE
 * transaction over its own connection. The window: a kill -9 loses at most
 * the changes of the last flush_interval plus the batch being committed; a
 * UE whose registration was lost that way is challenged again at its next
 * REGISTER. A SIGTERM writes everything before exit.
 *
 * The loop never waits for the database: reg_db_submit only swaps a
 * pointer under a mutex the writer never holds during I/O, and refuses
 * (-EBUSY) while the writer is still on the previous batch; the loop then
 * keeps coalescing. A database outage is logged once; the writer keeps the
 * batch, reconnects every second and retries; changes meanwhile pile up
 * coalesced in the loop and go out in the batch after.
 *
 * Rows: owner (scscf_name) + key; each S-CSCF writes, deletes and loads
 * only rows carrying its own name (registrar.database.owner).
 * Thread rules: reg_db_open, reg_db_load, reg_db_submit, reg_db_busy and
 * reg_db_close on one thread (the loop's); the writer is internal.
 * Ownership: reg_db_submit takes the rows. Returns 0 or -errno.
 */
#ifndef SCSCF_REG_DB_H
#define SCSCF_REG_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scscf.h"

#include "reg_event.h"
#include "reg_row.h"
#include "reg_store.h"

struct reg_db;

/* Connects (the daemon does not start without its bindings: -EIO when the
 * database cannot be reached) and starts the writer. cfg is borrowed and
 * must outlive the handle; owner is copied. */
int reg_db_open(const struct scscf_db_config *cfg, const char *owner, struct reg_db **out);

/* At start, before serving: adopts the rows of takeover (may be NULL),
 * deletes our expired rows and adds the live ones to st / ev (*loaded:
 * sets added, *damaged: rows that could not be read, skipped). */
int reg_db_load(struct reg_db *db, const char *takeover, struct reg_store *st,
		struct reg_events *ev, int64_t now, int64_t wall, size_t *loaded, size_t *damaged);

/* Whether the writer still holds a batch (submit would refuse). */
bool reg_db_busy(struct reg_db *db);
/* Hands rows[0..n) to the writer (taken on success). full: first delete
 * every row of ours, then write these (a complete rewrite). -EBUSY while
 * the previous batch is not written; rows are not taken then. */
int reg_db_submit(struct reg_db *db, struct reg_row *rows, size_t n, bool full);

/* Waits up to wait_ms for the writer to write what it holds, then stops it
 * and closes. */
void reg_db_close(struct reg_db *db, int wait_ms);

#endif
