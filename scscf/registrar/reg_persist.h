/*
 * reg_persist: the registrar's bindings kept in a local file so a restart
 * does not forget who is registered (the HSS still names this S-CSCF, and
 * TS 23.380 restoration is not assumed of the peers).
 *
 * Snapshot, not a log: reg_persist_save writes every record to
 * "<path>.tmp", fsyncs it, renames it over path and fsyncs the directory,
 * so a crash leaves the old or the new file, never a mix. Expiry is stored
 * as wall-clock time (the store's monotonic clock does not survive a
 * reboot). reg_persist_load drops what expired meanwhile; a damaged file
 * (truncated, garbage) keeps the records read before the damage, logs it
 * and never crashes. The profile is rebuilt from the parts kept beside its
 * XML when the compiled iFCs they name are in memory already (users of one
 * service profile: parsed once per restart, not once per user), else
 * re-parsed from its stored XML with the same hostile-input rules as an
 * SAA.
 *
 * Format (text framing, length-prefixed strings so any byte fits):
 *   "IMSREG 1\n", then per record "R\n" str(impi) str(xml), optionally
 *   "K <profiles> <ids>\n" str(private_id), per ServiceProfile
 *   str(reg_profile_key_digest), per PublicIdentity "I <barred> <profile>\n"
 *   str(uri) (written since 2026-11; older rows have no "K"), "N <n>\n",
 *   per contact str(uri) str(path) str(call_id) str(received) str(instance)
 *   "C <reg_id> <q> <event> <cseq> <expires_wall>\n", then "E\n";
 *   then per reg-event subscription "U\n" str(call_id) str(impu)
 *   str(subscriber) str(local_tag) str(local_uri) str(remote) str(target)
 *   str(routes) str(next_hop) "V <cseq> <remote_cseq> <version>
 *   <expires_wall>\n" "E\n" (so a P-CSCF still hears of an RTR after a
 *   restart; the NOTIFY CSeq restarts REG_PERSIST_CSEQ_GAP higher, since
 *   the last ones may not have been saved);
 *   str = "S <len>\n<bytes>\n" or "S -\n" (NULL).
 * Thread rules: the loop thread, but reg_persist_read_item (any thread).
 * Returns 0 or -errno.
 */
#ifndef SCSCF_REG_PERSIST_H
#define SCSCF_REG_PERSIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "reg_event.h"
#include "reg_store.h"

#define REG_PERSIST_CSEQ_GAP 1000

/* now: the store clock; wall: time(NULL) at the same instant. ev may be
 * NULL (no subscriptions kept). */
int reg_persist_save(const struct reg_store *st, const struct reg_events *ev, const char *path,
		     int64_t now, int64_t wall);
/* Adds the file's live records to st (and live subscriptions to ev when
 * not NULL); *loaded gets the number of records. -ENOENT when there is no
 * file (a first start). A damaged part is skipped (returns 0 with what was
 * good; *damaged set true). */
int reg_persist_load(struct reg_store *st, struct reg_events *ev, const char *path, int64_t now,
		     int64_t wall, size_t *loaded, bool *damaged);

/* One record ("R" ...) or subscription ("U" ...) in the format above;
 * the MariaDB store (reg_row.h) keeps each as one row in this form. */
int reg_persist_put_record(FILE *f, const struct reg_record *rec, int64_t now, int64_t wall);
int reg_persist_put_sub(FILE *f, const struct reg_sub *s, int64_t now, int64_t wall);
/* Reads one "R" or "U" item into st / ev (same rules as reg_persist_load:
 * expired contacts and subscriptions dropped; *kept true when a record was
 * added). -ENODATA at the end of f, -EBADMSG for a damaged item. */
int reg_persist_get_item(FILE *f, struct reg_store *st, struct reg_events *ev, int64_t now,
			 int64_t wall, bool *kept);

/* reg_persist_get_item in two steps, so that the costly one (the profile's
 * XML parse) may run on another thread: reg_persist_read_item reads and
 * parses an item and touches no registrar state (any thread; it->kind 0
 * when the item expired: nothing to add); reg_persist_add_item adds it to
 * st / ev (the loop thread) and clears it in any case. A failed read
 * leaves it cleared. */
struct reg_item {
	char kind;                   /* 'R' a set, 'U' a subscription, 0 none */
	char *impi;
	struct reg_profile *prof;
	struct reg_contact *contacts; /* live ones only */
	size_t n_contacts;
	struct reg_sub *sub;
};
int reg_persist_read_item(FILE *f, int64_t now, int64_t wall, struct reg_item *it);
int reg_persist_add_item(struct reg_item *it, struct reg_store *st, struct reg_events *ev,
			 bool *kept);
void reg_item_clear(struct reg_item *it);

#endif
