/*
 * reg_event: the S-CSCF as notifier of the reg event package (RFC 3680,
 * RFC 6665, TS 24.229 5.4.2.1).
 *
 * A SUBSCRIBE with Event: reg to a registered IMPU is accepted from the
 * user (P-Asserted-Identity one of the IMPU's implicit set) or from the
 * P-CSCF on the Path of one of its contacts; the subscription is a dialog
 * (Call-ID, our tag = the 200's To tag, route set = Record-Route of the
 * SUBSCRIBE, remote target = its Contact). Each NOTIFY carries the full
 * state (reg_reginfo) of every non-barred IMPU of the set; one is sent at
 * once, then on every change of the bindings (registration, refresh,
 * expiry, de-registration, RTR, PPR), on refresh and on unsubscribe
 * (Expires: 0 -> Subscription-State: terminated). When the set is no
 * longer registered its subscriptions end (terminated;reason=noresource).
 * At most cfg->max_subscriptions exist (503 beyond).
 *
 * Changes are reported as snapshot-before / record-after pairs, so every
 * caller in the registrar says only "this set is about to change" and
 * "this is what it became".
 * Thread rules: the loop thread. Ownership: subscriptions belong to the
 * table; a snapshot to its taker (reg_ev_snap_free).
 */
#ifndef SCSCF_REG_EVENT_H
#define SCSCF_REG_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sofia-sip/nta.h>
#include <sofia-sip/sip.h>

#include "reg_htab.h"
#include "reg_store.h"

struct registrar;
struct reg_notify_tx;

struct reg_sub {
	struct reg_sub *prev, *next;
	char *call_id;
	char *impu;          /* the AOR subscribed to (canonical) */
	char *subscriber;    /* P-Asserted-Identity of the SUBSCRIBE */
	char *local_tag;     /* our tag: From of our NOTIFYs */
	char *local_uri;     /* "<uri>" from the SUBSCRIBE's To */
	char *remote;        /* the SUBSCRIBE's From (with its tag): our To */
	char *target;        /* remote target: the SUBSCRIBE's Contact URI */
	char *routes;        /* route set "<a>, <b>" or NULL */
	char *next_hop;      /* first route or the target */
	uint32_t cseq;       /* of our last NOTIFY */
	uint32_t remote_cseq;
	unsigned version;    /* reginfo version (RFC 3680 5.3.1) */
	int64_t expires;     /* store clock */
};

struct reg_events {
	struct reg_htab by_call_id;
	struct reg_sub *head;
	size_t count, max;
	int64_t max_expires;
	struct reg_notify_tx *txs;   /* NOTIFYs waiting for their answer */
	/* Called when a subscription's stored state changes (a NOTIFY sent:
	 * new CSeq, version, expiry) or it goes; NULL: nobody listens
	 * (reg_sync.c, the MariaDB write-back). */
	void (*touch)(void *ctx, const struct reg_sub *s);
	void *touch_ctx;
};

/* What a set looked like before a change (contacts copied). */
struct reg_ev_snap {
	bool taken;
	char **impus;
	size_t n_impus;
	struct reg_contact *contacts;
	size_t n_contacts;
};

int reg_events_init(struct reg_events *e, size_t max, int64_t max_expires);
/* Frees subscriptions and forgets NOTIFYs in flight (no more NOTIFY). */
void reg_events_free(struct reg_events *e);

/* Add a subscription read back from the state file (reg_persist); the
 * table takes s on success. -EEXIST (same Call-ID, or full), -ENOMEM. */
int reg_events_restore(struct reg_events *e, struct reg_sub *s);
void reg_sub_free(struct reg_sub *s);

/* Handle a SUBSCRIBE (Event: reg), initial or in-dialog. Returns 0 (irq
 * answered and destroyed). */
int reg_event_on_subscribe(struct registrar *r, nta_incoming_t *irq, const sip_t *sip);

/* Snapshot rec before changing it; nothing is copied while nobody is
 * subscribed. 0 or -ENOMEM (then the change is not notified). */
int reg_ev_snap_take(struct registrar *r, const struct reg_record *rec, struct reg_ev_snap *s);
void reg_ev_snap_free(struct reg_ev_snap *s);
/* Notify the subscribers of the set: after NULL (or without contacts)
 * when the set is no longer registered; gone_event is the RFC 3680 event
 * of the contacts of before missing from after ("unregistered",
 * "expired", "deactivated", "rejected"). Frees nothing. */
void reg_event_changed(struct registrar *r, const struct reg_ev_snap *before,
		       const struct reg_record *after, const char *gone_event);

/* End the subscriptions expired at now (NOTIFY terminated;reason=timeout). */
void reg_event_expire(struct registrar *r, int64_t now);

#endif
