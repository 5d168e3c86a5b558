/*
 * registrar: the S-CSCF registrar (TS 24.229 5.4.1, TS 29.228 6.1.1-6.1.3,
 * TS 33.203 6.1): REGISTER over Mw -> MAR -> 401 challenge -> verified
 * REGISTER -> SAR -> 200 OK with Service-Route, P-Associated-URI and Path;
 * AKA resync; re-registration; de-registration; binding and challenge
 * expiry (SAR TIMEOUT_DEREGISTRATION / AUTHENTICATION_TIMEOUT).
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

#include "scscf.h"

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
};

int registrar_create(const struct registrar_params *p, struct registrar **out);
/* Answers every REGISTER still waiting with 503 and frees everything. */
void registrar_destroy(struct registrar *r);
/* Handle a REGISTER (leg callback convention of sipagent: returns 0, the
 * request is answered now or later). */
int registrar_on_register(struct registrar *r, nta_incoming_t *irq, const sip_t *sip);

/* Counters for tests and status lines. */
size_t registrar_count_users(const struct registrar *r);
size_t registrar_count_challenges(const struct registrar *r);

#endif
