/*
 * registrations: the P-CSCF's store of registered UEs (TS 24.229 5.2.2.1,
 * "store the ... public user identities, Service-Route, contact").
 *
 * One entry per flow (struct flow: the transport address the REGISTER
 * really came from). It holds the registered contact, the IMPU set from
 * P-Associated-URI (first = default identity, TS 24.229 5.2.2.1), the
 * Service-Route list and the absolute expiry. Lookups by flow (requests from
 * the UE), by contact (terminating requests) and by IMPU. Expired entries
 * are never returned, and reg_store_expire() drops them.
 *
 * Bounded: at most `max` entries; saving a new flow when full gives -ENOSPC
 * (an existing flow is always refreshed). Time is a caller-given number of
 * seconds (monotonic clock in the daemon), so tests control it.
 * Ownership: the store owns the entries and their strings; a struct reg *
 * is valid until the next save/remove/expire/destroy call.
 * Thread rules: none (loop thread only in the daemon).
 */
#ifndef PCSCF_REGISTRATIONS_H
#define PCSCF_REGISTRATIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "flow.h"

struct reg {
	struct flow flow;
	char *impi;             /* may be NULL (no Authorization seen) */
	char *contact;          /* the Contact URI as registered */
	char **impus;           /* P-Associated-URI order; impus[0] = default */
	size_t n_impus;
	char **service_route;   /* Service-Route URIs in order */
	size_t n_service_route;
	long long expires_at;   /* seconds, same clock as `now` */
	char *sub_call_id;      /* our reg event subscription (TS 24.229 5.2.3), or NULL;
				 * kept across refreshes of the same flow */
	struct reg *next;       /* internal: hash chain */
};

/* What reg_store_save copies in. */
struct reg_info {
	struct flow flow;
	const char *impi;
	const char *contact;
	const char *const *impus;
	size_t n_impus;
	const char *const *service_route;
	size_t n_service_route;
	long long expires;      /* seconds from now, > 0 */
};

struct reg_store;

int reg_store_create(size_t max, struct reg_store **out);
void reg_store_destroy(struct reg_store *s);

/* Insert or refresh (same flow) an entry. 0, -EINVAL (no contact, no
 * IMPU, expires <= 0), -ENOSPC (full), -ENOMEM. */
int reg_store_save(struct reg_store *s, const struct reg_info *info, long long now);
/* Drop the entry of a flow (de-registration). 0 or -ENOENT. */
int reg_store_remove(struct reg_store *s, const struct flow *f);

struct reg *reg_store_by_flow(struct reg_store *s, const struct flow *f, long long now);
/* Contact match on user, host (case-insensitive) and port (5060 when
 * absent); URI parameters are ignored. */
struct reg *reg_store_by_contact(struct reg_store *s, const char *uri, long long now);
struct reg *reg_store_by_impu(struct reg_store *s, const char *impu, long long now);
bool reg_has_impu(const struct reg *r, const char *uri);
/* The contact comparison reg_store_by_contact uses, on two URI strings. */
bool reg_contact_match(const char *a, const char *b);

/* Remember the Call-ID of the reg event subscription for r. 0 or -ENOMEM. */
int reg_set_subscription(struct reg *r, const char *call_id);
/* The entry whose subscription has this Call-ID (a NOTIFY), or NULL. */
struct reg *reg_store_by_subscription(struct reg_store *s, const char *call_id, long long now);

/* Drop expired entries; returns how many. */
size_t reg_store_expire(struct reg_store *s, long long now);
size_t reg_store_count(const struct reg_store *s);
/* True when saving a new flow would fail with -ENOSPC. */
bool reg_store_full(const struct reg_store *s, const struct flow *f);

#endif
