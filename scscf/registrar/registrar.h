/*
 * registrar: the S-CSCF registrar (TS 24.229 5.4.1, TS 29.228 6.1.1-6.1.3,
 * TS 33.203 6.1): REGISTER over Mw -> MAR -> 401 challenge -> verified
 * REGISTER -> SAR -> 200 OK with Service-Route, P-Associated-URI and Path;
 * AKA resync; re-registration; de-registration; binding and challenge
 * expiry (SAR TIMEOUT_DEREGISTRATION / AUTHENTICATION_TIMEOUT); the reg
 * event package (reg_event.h); HSS-initiated RTR and PPR (reg_hss.c);
 * third-party REGISTERs to the ASs of the REGISTER iFCs (reg_third.c);
 * bindings kept across restarts in cfg->state_file (reg_persist.h) or in
 * MariaDB (registrar.store: mariadb, reg_db.h).
 *
 * Every REGISTER gets exactly one final response: the Cx exchanges run
 * through the dia_bridge (answers on the loop thread) bounded by cx_timeout.
 * Thread rules: create, use and destroy on the loop thread.
 * Ownership: borrows params' cfg, root and bridge (they must outlive it; the
 * bridge must be destroyed BEFORE registrar_destroy so no answer arrives
 * for a freed exchange). Strings in params are copied.
 */
#ifndef SCSCF_REGISTRAR_H
#define SCSCF_REGISTRAR_H

#include <sofia-sip/nta.h>
#include <sofia-sip/sip.h>
#include <sofia-sip/su_wait.h>

#include "ims/diameter.h"
#include "ims/sipagent.h"

#include "scscf.h"

#include "reg_profile.h"

struct registrar;

struct registrar_params {
	const struct scscf_registrar_config *cfg;
	const char *realm;        /* resolved: registrar.realm or diameter.realm */
	const char *server_name;  /* resolved Server-Name */
	const char *hostport;     /* ours, for Service-Route */
	const char *hss_realm;
	const char *hss_host;     /* may be NULL */
	su_root_t *root;
	struct dia_bridge *cx;
	nta_agent_t *agent;       /* sends reg-event NOTIFYs; NULL: SUBSCRIBE gets 501 */
	struct sipagent *sip;     /* agent's owner (name resolution), or NULL */
};

int registrar_create(const struct registrar_params *p, struct registrar **out);
/* Answers every REGISTER still waiting with 503 and frees everything. */
void registrar_destroy(struct registrar *r);
/* Handle a REGISTER (leg callback convention of sipagent: returns 0, the
 * request is answered now or later). */
int registrar_on_register(struct registrar *r, nta_incoming_t *irq, const sip_t *sip);

/* Handle a SUBSCRIBE with Event: reg (RFC 3680, TS 24.229 5.4.2.1),
 * initial or in-dialog; same convention as registrar_on_register. */
int registrar_on_subscribe(struct registrar *r, nta_incoming_t *irq, const sip_t *sip);

/*
 * ---- for session control (scscf/session) ----
 * impu arguments are canonical (reg_uri_canon of reg_request.h:
 * "sip:user@host[:port]" or "tel:number"). Returned pointers are borrowed:
 * valid until control returns to the loop (a REGISTER, RTR, PPR or timer
 * may change them afterwards); copy what must live longer.
 */
enum registrar_impu_state {
	REGISTRAR_NOT_REGISTERED, /* no binding here (maybe unknown) */
	REGISTRAR_REGISTERED,     /* in a registered implicit set, not barred */
	REGISTRAR_BARRED,         /* registered set, but this IMPU is barred */
};
enum registrar_impu_state registrar_impu_state(const struct registrar *r, const char *impu);

struct registrar_contact {
	const char *uri;          /* Contact URI (the request target) */
	const char *path;         /* Path to reach it: "<a>, <b>" or NULL (RFC 3327) */
	const char *received;     /* "host:port" the UE sent from, or NULL */
	const char *instance;     /* +sip.instance (RFC 5626), or NULL */
	uint32_t reg_id;          /* RFC 5626 reg-id, 0 = none */
	unsigned q;               /* q-value x1000 */
	int64_t expires_in;       /* seconds left */
};
/* The live contacts of impu's set, highest q first (RFC 3261 16.6):
 * fills out[0..cap) and returns how many were filled (0 when the IMPU is
 * not registered). */
size_t registrar_contacts(const struct registrar *r, const char *impu,
			  struct registrar_contact *out, size_t cap);
/* The profile of impu's registered set (IMPUs with barring, per
 * ServiceProfile the iFC XML: profile->ifc_xml[profile->ids[i].profile]),
 * or NULL when not registered here. */
const struct reg_profile *registrar_profile(const struct registrar *r, const char *impu);

/* SAR UNREGISTERED_USER (TS 29.228 6.1.2, TS 24.229 5.4.3.3 terminating
 * to an unregistered user): cb runs exactly once on the loop thread, with
 * status 0 and the parsed profile (borrowed, valid during cb), or the SIP
 * status to answer (404 unknown user, 403, 480, 500, 504...) and NULL.
 * When the registrar is destroyed first, cb gets 503 and NULL. Returns 0
 * (cb will run) or -errno (cb will not run). */
typedef void (*registrar_profile_cb)(void *ctx, int status, const struct reg_profile *profile);
int registrar_sar_unregistered(struct registrar *r, const char *impu, registrar_profile_cb cb,
			       void *ctx);

/* Bindings going away (the UE's de-registration, expiry, RTR or an
 * administrative de-registration): fn runs for every IMPU of the set with
 * the Contact URI that went, or NULL when the whole set is no longer
 * registered, so that session control releases the sessions (TS 24.229
 * 5.4.1.4, 5.4.1.5). fn NULL: nobody is told. */
typedef void (*registrar_gone_fn)(void *ctx, const char *impu, const char *contact);
void registrar_on_gone(struct registrar *r, registrar_gone_fn fn, void *ctx);

/* Counters for tests and status lines. */
size_t registrar_count_users(const struct registrar *r);
size_t registrar_count_challenges(const struct registrar *r);
size_t registrar_count_subscriptions(const struct registrar *r);

#endif
