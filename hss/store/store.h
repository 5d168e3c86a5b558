/*
 * store: the HSS subscriber store — what the Cx (and later Sh) handlers need
 * from the database (TS 29.228, TS 23.228 4.3.3). Backed by MariaDB
 * (store_*.c), schema in deploy/db/migrations.
 *
 * Threads: a struct store is one database connection; use one per thread
 * (freeDiameter dispatch threads open theirs lazily). Never share one between
 * threads at the same time. Call mysql_library_init() once in main before
 * threads start (see store_library_init).
 * Connection loss (MariaDB 2006, 2013, 1243) is handled inside: the
 * connection is reopened, statements re-prepared and the call retried once.
 * Returns: 0 on success, -ENOENT for an unknown identity, other -errno:
 *   -EACCES  identities exist but are not associated / network not allowed
 *   -EAGAIN  compare-and-set lost (store_sqn_advance)
 *   -EDEADLK a write still deadlocked after being run again (store_db.h)
 *   -ENOTCONN database unreachable, -EIO other database error,
 *   -EOVERFLOW a stored value does not fit its C field, -EINVAL bad argument.
 * Ownership: caller-provided fixed structs need no free except where a
 * store_*_free exists; the *_free functions accept NULL. Secrets (K, OP/OPc,
 * password, HA1) are never logged; wipe them with store_auth_wipe().
 */
#ifndef HSS_STORE_H
#define HSS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STORE_IDENTITY_MAX 256  /* identities are VARCHAR(255) + NUL */
#define STORE_SECRET_MAX 256

struct store;

enum store_reg_state {  /* TS 29.228 6.1.2 */
	STORE_NOT_REGISTERED = 0,
	STORE_REGISTERED = 1,
	STORE_UNREGISTERED = 2,
};

struct store_config {
	const char *host;      /* "localhost" = Unix socket; NULL = localhost */
	unsigned int port;     /* 0 = default 3306 */
	const char *socket;    /* NULL = client default */
	const char *user;
	const char *password;
	const char *database;
	unsigned int connect_timeout_s; /* 0 = library default */
	unsigned int read_timeout_s;    /* 0 = library default */
};

/* Once per process before any thread opens a store; pair with
 * store_library_end() at exit. */
int store_library_init(void);
void store_library_end(void);

/* Connect; the config strings are copied. *out owned by the caller. */
int store_open(const struct store_config *cfg, struct store **out);
void store_close(struct store *st);
/* Server-side connection id (for log lines; tests KILL it). */
unsigned long store_connection_id(const struct store *st);

/* ---- schema version (store_schema.c) ---- */
#define IMS_STORE_SCHEMA_VERSION 5   /* 0001 initial, 0002 sh, 0003 admin queue, 0004 sh dsai,
                                        0005 scscf registrar (S-CSCF bindings) */
/* Version recorded in schema_version, 0 when the table is missing/empty. */
int store_schema_version(struct store *st, unsigned int *version);
/* 0 when the database has IMS_STORE_SCHEMA_VERSION; else -EPROTO (or the
 * database error) with msg = "database schema is version 0, this ims-hss
 * needs 3: apply deploy/db/migrations/0001_initial.sql" (the first one
 * missing; `ims-hssctl db migrate` applies them all). */
int store_schema_check(struct store *st, char *msg, size_t msglen);

/* ---- authentication data (store_auth.c) ---- */
enum store_auth_scheme {
	STORE_AUTH_AKAV1_MD5 = 1u << 0,   /* Digest-AKAv1-MD5, TS 33.203 */
	STORE_AUTH_DIGEST_MD5 = 1u << 1,  /* SIP Digest, RFC 2617 / TS 29.228 6.3.13 */
	STORE_AUTH_EARLY_IMS = 1u << 2,   /* TS 33.978 (not yet used) */
	STORE_AUTH_NASS_BUNDLED = 1u << 3,/* TS 33.203 annex R (not yet used) */
};

#define STORE_SQN_MAX ((UINT64_C(1) << 48) - 1)

struct store_auth {
	bool has_k;
	uint8_t k[16];
	bool has_op;
	bool op_is_opc;     /* op[] holds OPc; else OP (caller derives OPc) */
	uint8_t op[16];
	uint8_t amf[2];
	uint64_t sqn;       /* 48 bits */
	uint32_t schemes;   /* enum store_auth_scheme bits */
	char realm[STORE_IDENTITY_MAX];      /* digest realm, "" = none */
	bool has_password;
	char password[STORE_SECRET_MAX];
	bool has_ha1;
	char ha1[33];       /* hex MD5(user:realm:password) */
};

int store_auth_get(struct store *st, const char *impi, struct store_auth *out);
/* What the MAR needs of its IMPU besides the association (TS 29.228
 * 6.3.1.1): the registration state and the stored S-CSCF name. */
struct store_impu_reg {
	enum store_reg_state reg_state;
	char scscf_name[STORE_IDENTITY_MAX];  /* "" = none assigned */
};
/* The MAR read in one statement: store_auth_get() of impi and, of impu,
 * the check of store_impi_impu_check() and its registration. 0 (both
 * filled), -ENOENT (impi or impu unknown), -EACCES (not associated) or
 * -errno, with nothing returned (*out wiped) on error. */
int store_auth_get_checked(struct store *st, const char *impi, const char *impu,
			   struct store_auth *out, struct store_impu_reg *reg);
/* Zero the secrets (explicit_bzero). */
void store_auth_wipe(struct store_auth *a);
/* Compare-and-set of the SQN (TS 33.102 C.3): sets new_sqn only if the
 * stored value still is expected_old. -EAGAIN if another thread moved it
 * first, -ENOENT for an unknown IMPI, -EINVAL if new_sqn > 48 bits. */
int store_sqn_advance(struct store *st, const char *impi, uint64_t expected_old,
		      uint64_t new_sqn);
/* store_sqn_advance and, in the same statement, the state and S-CSCF name
 * of impu's implicit set as store_reg_set(st, impu, NULL, state,
 * scscf_name) writes them (a MAR storing the S-CSCF name, TS 29.228
 * 6.3.1.1, while it reserves SQNs). 0 when both were written; -EAGAIN
 * when nothing was (the SQN moved, an identity is gone, or it still
 * deadlocked): the caller then makes the two calls. -EINVAL, -errno. */
int store_sqn_advance_reg(struct store *st, const char *impi, uint64_t expected_old,
			  uint64_t new_sqn, const char *impu, enum store_reg_state state,
			  const char *scscf_name);
/* Unconditional set (resynchronisation, TS 33.102 6.3.5). */
int store_sqn_set(struct store *st, const char *impi, uint64_t sqn);

/* ---- identities (store_identity.c) ---- */
enum store_impu_type {
	STORE_IMPU_PUBLIC_USER = 0,
	STORE_IMPU_DISTINCT_PSI = 1,
	STORE_IMPU_WILDCARD_PSI = 2,  /* TS 29.228 6.3.56 Identity-Type values */
};

struct store_impu {
	char identity[STORE_IDENTITY_MAX];
	enum store_impu_type type;
	char wildcard_regex[1025];   /* "" unless type is WILDCARD_PSI */
	bool barred;
	bool can_register;
	uint64_t implicit_set_id;
	unsigned int implicit_set_pos;   /* 0 = the default IMPU of its set */
	uint64_t service_profile_id;     /* 0 = none */
	enum store_reg_state reg_state;
	char scscf_name[STORE_IDENTITY_MAX];  /* "" = none assigned */
	char last_impi[STORE_IDENTITY_MAX];   /* "" = none */
};

struct store_strv {
	char **v;
	size_t n;
};
struct store_caps;   /* below, with store_caps_get */
void store_strv_free(struct store_strv *sv);  /* frees the items, zeroes sv */

int store_impu_get(struct store *st, const char *impu, struct store_impu *out);
/* 0 if impi and impu are associated; -ENOENT if either is unknown; -EACCES
 * if both exist but are not associated (DIAMETER_ERROR_IDENTITIES_DONT_MATCH). */
int store_impi_impu_check(struct store *st, const char *impi, const char *impu);
/* The UAR read (TS 29.228 6.1.1.1): store_impu_get() and
 * store_impi_impu_check() in one statement and, when want_caps or impu has
 * no S-CSCF name stored, the capability set of impi's subscription as
 * store_caps_get() gives it (one more; else *caps empty). 0 (out filled),
 * -ENOENT (either unknown), -EACCES (not associated; out filled) or -errno;
 * *caps is the caller's (store_caps_free; empty on error). */
int store_impu_get_caps(struct store *st, const char *impu, const char *impi, bool want_caps,
			struct store_impu *out, struct store_caps *caps);
/* The SAR read in one statement: the implicit set of impu (as
 * store_implicit_set_get) with the identities check of
 * store_impi_impu_check when impi is not NULL. 0 with *out (malloc'd,
 * free()), *n, *pos (index of impu in it) and *n_impis (IMPIs sharing impu,
 * if not NULL); -ENOENT, -EACCES or -errno with nothing returned. */
int store_implicit_set_checked(struct store *st, const char *impu, const char *impi,
			       struct store_impu **out, size_t *n, size_t *pos,
			       unsigned int *n_impis);
/* The implicit registration set of impu in stored order (default first).
 * *out is a malloc'd array of *n records, free() it. */
int store_implicit_set_get(struct store *st, const char *impu,
			   struct store_impu **out, size_t *n);
/* IMPIs associated with impu (ordered by identity). -ENOENT: unknown impu. */
int store_impu_impis(struct store *st, const char *impu, struct store_strv *out);
/* IMPUs associated with impi (by set, then position). -ENOENT: unknown impi. */
int store_impi_impus(struct store *st, const char *impi, struct store_strv *out);
/* The first (lowest id) wildcarded PSI whose regex matches impu (REGEXP,
 * TS 23.003 13.5). -ENOENT if none. */
int store_wildcard_psi_find(struct store *st, const char *impu, struct store_impu *out);
/* 0 if the subscription of impi allows visited_network; -EACCES if not,
 * -ENOENT unknown impi. The home network is the caller's check (always
 * allowed, TS 29.228 6.1.1). */
int store_visited_network_allowed(struct store *st, const char *impi,
				  const char *visited_network);

/* ---- registration state (store_reg.c) ---- */
/* For every IMPU of impu's implicit set, in one transaction: set reg_state,
 * scscf_name (NULL clears it) and the last IMPI (NULL leaves it). */
int store_reg_set(struct store *st, const char *impu, const char *impi,
		  enum store_reg_state state, const char *scscf_name);
/* store_reg_set for a SAR that must tell Sh of the change (TS 29.328
 * IMSUserState, S-CSCFName): n_set is the size of impu's implicit set as
 * just read. When no IMPU of the set has a subscription to dref_a or
 * dref_b, the set is written in one statement that also checks that (no
 * separate look-up needed) and *watched = false. Otherwise the IMPUs
 * without one were written first and the whole set is written again as
 * store_reg_set does (a reader may see the set half written in between),
 * *watched = true: the caller queues the notification. A set that gained
 * exactly as many IMPUs as it has watched ones between the caller's read
 * and this write would pass for unwatched (provisioning racing a SAR).
 * 0, -ENOENT (no such IMPU) or -errno. */
int store_reg_set_unwatched(struct store *st, const char *impu, const char *impi,
			    enum store_reg_state state, const char *scscf_name, size_t n_set,
			    int dref_a, int dref_b, bool *watched);
/* Clear the S-CSCF name of impu's implicit set (state unchanged). */
int store_scscf_clear(struct store *st, const char *impu);

/* ---- service profile and capabilities (store_profile.c) ---- */
enum store_spt_type {  /* TS 29.228 B.2.2 SPT choice */
	STORE_SPT_REQUEST_URI = 0,
	STORE_SPT_METHOD = 1,
	STORE_SPT_SIP_HEADER = 2,
	STORE_SPT_SESSION_CASE = 3,
	STORE_SPT_SESSION_DESCRIPTION = 4,
};

struct store_spt {
	unsigned int group;
	bool negated;
	enum store_spt_type type;
	char *value;    /* URI, method, header/SDP content; NULL if none */
	char *header;   /* header name (SIP_HEADER) or SDP line; NULL if none */
	int session_case;             /* 0..4 for SESSION_CASE, else -1 */
	unsigned int registration_type;  /* bits 1 INITIAL, 2 RE, 4 DE */
};

struct store_ifc {
	int priority;
	int profile_part_indicator;  /* 0 REGISTERED, 1 UNREGISTERED, -1 absent */
	bool condition_type_cnf;
	struct store_spt *spts;
	size_t n_spts;
	char *as_server_name;
	int default_handling;        /* 0 SESSION_CONTINUED, 1 SESSION_TERMINATED */
	char *service_info;          /* NULL if none */
	bool include_register_request;
	bool include_register_response;
};

struct store_service_profile {
	uint64_t id;
	char *name;
	struct store_ifc *ifcs;      /* ordered by priority */
	size_t n_ifcs;
	uint32_t *shared_ifc_sets;   /* SharedIFCSetID values */
	size_t n_shared_ifc_sets;
};

int store_service_profile_get(struct store *st, uint64_t id,
			      struct store_service_profile **out);
/* Shared iFC set id (TS 29.228 B.2.1 SharedIFCSetID) in the same form:
 * id = the set id, name = its name, ifcs by priority, no shared sets.
 * -ENOENT when there is no such set. */
int store_shared_set_get(struct store *st, uint32_t id, struct store_service_profile **out);
void store_service_profile_free(struct store_service_profile *sp);

struct store_caps {   /* TS 29.228 6.3.4 Server-Capabilities */
	uint32_t *mandatory;
	size_t n_mandatory;
	uint32_t *optional;
	size_t n_optional;
	struct store_strv server_names;
};
/* The capability set of impi's subscription, or the "default" set when it
 * has none or impi is NULL/unknown. */
int store_caps_get(struct store *st, const char *impi, struct store_caps *out);
void store_caps_free(struct store_caps *caps);

#endif
