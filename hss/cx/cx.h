/*
 * cx: the HSS side of Cx (TS 29.228 6.1, 6.3 procedures; TS 29.229 protocol).
 *
 * cx_server_start() registers UAR, SAR, LIR and MAR handlers with
 * dia_serve_direct() (after dia_start()); the handlers run on freeDiameter
 * dispatch threads, each with its own store (database connection) opened
 * lazily on first use and kept in a thread-local pointer. cx_server_stop()
 * closes every store; call it after dia_stop() (no handler can run then).
 * Every request gets an answer: a handler sets a Result-Code or an
 * Experimental-Result and returns 0; it returns -errno only when it cannot
 * build an answer at all (the glue then answers 5012).
 * One log line per procedure names the subscriber, never a secret: at info
 * for a success, at notice for any other outcome (cx_log_level).
 */
#ifndef HSS_CX_H
#define HSS_CX_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cx/prov_watch.h"
#include "hss_config.h"
#include "ims/log.h"
#include "store/store.h"

struct msg;
struct auth_cache;

struct cx_server {
	const struct hss_config *cfg;   /* borrowed; outlives the server */
	struct store_config db;         /* borrows cfg's strings */
	pthread_mutex_t lock;           /* protects stores */
	struct store **stores;          /* every thread's store, for closing */
	size_t n_stores, cap_stores;
	struct auth_cache *auth;        /* auth data + SQN ranges (auth_cache.h) */
	struct prov_watch watch;        /* clears the profile cache (prov_watch.h) */
};

int cx_server_start(struct cx_server *srv, const struct hss_config *cfg);
void cx_server_stop(struct cx_server *srv);

/* ---- shared by the command files (cx_common.c) ---- */

/* An answer outcome: base Result-Code or 3GPP Experimental-Result-Code. */
struct cx_result {
	uint32_t code;
	bool exp;
};
#define CX_BASE(c) ((struct cx_result){ (c), false })
#define CX_EXP(c) ((struct cx_result){ (c), true })

/* The calling thread's store, opened on first use. NULL if the database is
 * unreachable (logged). */
struct store *cx_store(struct cx_server *srv);
/* Outcome for a store error: -ENOENT -> 5001 USER_UNKNOWN, -EACCES -> 5002
 * IDENTITIES_DONT_MATCH, else 5012 UNABLE_TO_COMPLY (logged with proc). */
struct cx_result cx_result_of_store(int err, const char *proc);
/* Put the outcome into ans; 0 or -errno. */
int cx_result_set(struct msg *ans, struct cx_result r);
/* "2001" or "2002(exp)" for log lines. */
const char *cx_result_str(struct cx_result r, char buf[24]);
/* Level of a procedure's log line: info for a success (2xxx), notice for
 * anything else. One line per request at the shipped level (notice) cost
 * a write(2) and its formatting per answer; successes show at info. */
enum ims_log_level cx_log_level(struct cx_result r);

/* Copy the UTF8String AVP code (first at top level) to buf as a C string.
 * 0, -ENOENT (absent), -EINVAL (too long, empty or holding NUL). */
int cx_get_str(void *parent, uint32_t code, char *buf, size_t len);
/* Answer 5005 DIAMETER_MISSING_AVP with Failed-AVP naming code (RFC 6733
 * 7.5: an AVP of that code with an empty value). 0 or -errno. */
int cx_missing_avp(struct msg *ans, uint32_t code);
/* Server-Capabilities for impi (NULL = default set), TS 29.228 6.3.4. */
int cx_add_capabilities(struct store *st, struct msg *ans, const char *impi);
/* The same from capabilities already read (store_impu_get_caps). */
int cx_add_caps(struct msg *ans, const struct store_caps *caps);
/* true if visited is the home network (the realm or a configured name). */
bool cx_is_home_network(const struct cx_server *srv, const char *visited);

/* ---- the commands (one file each) ---- */
int cx_uar(void *srv, struct msg *req, struct msg *ans);
int cx_mar(void *srv, struct msg *req, struct msg *ans);
int cx_sar(void *srv, struct msg *req, struct msg *ans);
int cx_lir(void *srv, struct msg *req, struct msg *ans);

/* ---- user_data.c: the IMSSubscription document (TS 29.228 Annex D/E) ---- */
/* XML for impi (PrivateID) with every service profile of impu's implicit set
 * and, in each, the IMPUs of the set that use it. *xml malloc'd (free()),
 * *len its length. 0, -ENOENT (unknown impu) or -errno. */
int cx_user_data_build(struct store *st, const char *impi, const char *impu,
		       char **xml, size_t *len);
/* The same for an implicit set already read (store_implicit_set_checked);
 * service profiles come through profile_cache.h. */
int cx_user_data_build_from(struct store *st, const char *impi, const struct store_impu *set,
			    size_t n, char **xml, size_t *len);
/* The document itself, without the database (cx_user_data_build loads, this
 * writes): set[] in stored order (default IMPU first); profiles[] the
 * service profiles set[] refers to (found by id; an id without one gives a
 * ServiceProfile without iFCs). Every text is escaped. */
int cx_user_data_write(const char *impi, const struct store_impu *set, size_t n,
		       struct store_service_profile *const *profiles, size_t n_profiles,
		       char **xml, size_t *len);
/* cx.expand_shared_ifc_sets: from now on cx_user_data_build(_from) write
 * the iFCs of a profile's shared iFC sets inline (merged by Priority, the
 * profile's own first on a tie) instead of the SharedIFCSetIDs, for an
 * S-CSCF that does not hold the sets. Process-wide; call before the Cx
 * handlers run (cx_server_start). */
void cx_user_data_expand_shared(bool on);
/* Shared iFC sets (store_shared_set_get: id = set id) as the S-CSCF's
 * registrar.shared_ifc_sets file: <SharedIFCSets><SharedIFCSet>
 * <SharedIFCSetID/><Name/><InitialFilterCriteria/>... (ims-hssctl
 * shared-ifc show/export). *xml malloc'd. 0 or -errno. */
int cx_shared_sets_write(struct store_service_profile *const *sets, size_t n,
			 char **xml, size_t *len);

#endif
