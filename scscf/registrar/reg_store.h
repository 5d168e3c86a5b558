/*
 * reg_store: the registrar's bindings, in memory (TS 24.229 5.4.1.2,
 * RFC 3261 10.3).
 *
 * One record per registered implicit registration set: the IMPI, the user
 * profile (every IMPU of the set in HSS order, barring, iFC XML) and the
 * contacts bound to the set with their expiry, Path, Call-ID and CSeq.
 * Every IMPU of the set finds the record in O(1) (reg_htab); records are
 * also chained in a list for the expiry sweep.
 *
 * Time is a caller-supplied clock in seconds (monotonic in the daemon), so
 * tests drive expiry without sleeping.
 * Ownership: the store owns records, contacts and profiles handed to it.
 * Thread rules: the loop thread only. Returns 0 or -errno.
 */
#ifndef SCSCF_REG_STORE_H
#define SCSCF_REG_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "reg_htab.h"
#include "reg_profile.h"

/* Last event of a contact, for the reg event package (RFC 3680 5.3). */
enum reg_contact_event { REG_EV_REGISTERED, REG_EV_REFRESHED };

struct reg_contact {
	char *uri;        /* Contact URI text */
	char *path;       /* Path values as received ("<a>, <b>"), or NULL */
	char *call_id;
	char *received;   /* "host:port" the UE sent from (its Via received/rport), or NULL */
	char *instance;   /* +sip.instance value (RFC 5626 4.1), or NULL */
	uint32_t reg_id;  /* reg-id (RFC 5626), 0 = none */
	uint16_t q;       /* q-value x1000 (RFC 3261 20.10); 1000 when absent */
	uint8_t event;    /* enum reg_contact_event */
	uint32_t cseq;
	int64_t expires;  /* absolute time on the store clock */
};

struct reg_record {
	struct reg_record *prev, *next;
	char *impi;
	struct reg_profile *profile;  /* the implicit set and its iFC */
	struct reg_contact *contacts;
	size_t n_contacts;
	int64_t next_expiry;          /* earliest contact expiry */
};

struct reg_store {
	struct reg_htab by_impu;
	struct reg_record *head;
	size_t n_records;
	size_t max_contacts;
	/* Called whenever a record changes or goes (before the change of its
	 * profile and after, so both its old and new first IMPU are seen);
	 * NULL: nobody listens. Not called by reg_store_restore. The MariaDB
	 * write-back (reg_sync.c) listens. */
	void (*touch)(void *ctx, const struct reg_record *rec);
	void *touch_ctx;
};

/* One binding change of a REGISTER: expires 0 removes the contact. */
struct reg_binding {
	const char *uri;
	const char *path;
	const char *call_id;
	const char *received, *instance; /* may be NULL */
	uint32_t reg_id;
	uint16_t q;        /* x1000; 0 means 1000 */
	uint32_t cseq;
	int64_t expires;   /* relative seconds */
};

int reg_store_init(struct reg_store *st, size_t max_contacts);
void reg_store_free(struct reg_store *st);

struct reg_record *reg_store_find(const struct reg_store *st, const char *impu);

/* The record of the set containing impu is created or, when one exists,
 * given the new IMPI and profile (re-indexed; other records holding any of
 * the new IMPUs are dropped). *profile is taken (set NULL) on success.
 * -EINVAL when impu is not in the profile. */
int reg_store_put(struct reg_store *st, const char *impu, const char *impi,
		  struct reg_profile **profile, struct reg_record **out);

/* Contacts the record would hold after applying b[0..n) (without changing
 * anything): -EMLINK above max_contacts, -EALREADY when a contact's Call-ID
 * is unchanged and its CSeq not higher (RFC 3261 10.3 step 7). rec may be
 * NULL (no bindings yet). *remaining gets the count. */
int reg_store_check(const struct reg_store *st, const struct reg_record *rec,
		    const struct reg_binding *b, size_t n, bool remove_all,
		    size_t *remaining);
/* Apply the changes (after reg_store_check). remove_all drops every contact
 * first ("Contact: *", RFC 3261 10.2.2). A record left with no contact stays
 * (the caller removes it after its SAR). */
int reg_store_apply(struct reg_store *st, struct reg_record *rec,
		    const struct reg_binding *b, size_t n, bool remove_all, int64_t now);

void reg_store_remove(struct reg_store *st, struct reg_record *rec);

/* Drop the contacts expired at `now`; each record left without contacts is
 * passed to gone(ctx, rec) and then freed. Returns the number of records
 * removed. */
size_t reg_store_expire(struct reg_store *st, int64_t now,
			void (*gone)(void *ctx, const struct reg_record *rec), void *ctx);

/* Drop rec's contacts expired at now; returns how many are left (the
 * caller removes an empty record). */
size_t reg_store_expire_record(struct reg_store *st, struct reg_record *rec, int64_t now);

/* Give rec a new profile (PPR, TS 29.228 6.1.4), re-indexed as in
 * reg_store_put. *profile is taken on success; -EINVAL when the new
 * profile keeps none of rec's IMPUs (rec unchanged). */
int reg_store_set_profile(struct reg_store *st, struct reg_record *rec,
			  struct reg_profile **profile);

/* Insert a restored record (reg_persist): impi, profile and contacts are
 * taken (contacts: malloc'd array of n). -EEXIST when an IMPU of the
 * profile is held already. On failure nothing is taken. */
int reg_store_restore(struct reg_store *st, char *impi, struct reg_profile *profile,
		      struct reg_contact *contacts, size_t n);
void reg_contact_clear(struct reg_contact *c);

#endif
