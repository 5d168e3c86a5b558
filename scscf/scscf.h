/*
 * S-CSCF (registrar and session control): configuration and life cycle.
 * scscf_schema describes the YAML file; scscf_start/scscf_stop are the
 * daemon callbacks (see ims/daemon.h). Everything runs on the loop thread.
 */
#ifndef SCSCF_H
#define SCSCF_H

#include "ims/config.h"
#include "ims/diameter.h"
#include "ims/daemon.h"
#include "ims/log.h"
#include "ims/sipagent.h"

/* Where the registrar keeps its bindings across restarts. */
enum scscf_reg_store {
	SCSCF_STORE_FILE = 0,       /* snapshot in registrar.state_file (reg_persist.h) */
	SCSCF_STORE_MARIADB,        /* rows in registrar.database (reg_db.h) */
};

/* Section "registrar.database:" (registrar.store: mariadb). */
struct scscf_db_config {
	char *host;                 /* "localhost" = Unix socket */
	uint16_t port;
	char *socket;
	char *user;
	char *password;
	char *name;
	long long connect_timeout;  /* ms */
	long long read_timeout;     /* ms */
	char *owner;                /* scscf_name of our rows; default: server_name */
	char *takeover;             /* another owner whose rows we adopt at start, or NULL */
	long long flush_interval;   /* ms: write-back window */
};

/* Section "registrar:" (TS 24.229 5.4.1, TS 29.228 6.1). */
struct scscf_registrar_config {
	char *server_name;          /* our SIP URI for Server-Name; default sip:<sip hostport> */
	char *realm;                /* digest realm / home domain; default diameter.realm */
	struct cfg_strv domains;    /* domains served; empty = the realm */
	char *hss_realm;            /* Destination-Realm of MAR/SAR; default diameter.realm */
	char *hss_host;             /* Destination-Host, optional */
	long long default_expires;  /* s */
	long long min_expires;      /* s; below: 423 */
	long long max_expires;      /* s; above: lowered */
	long long max_contacts;     /* per implicit set */
	long long challenge_timeout; /* ms */
	long long max_challenges;   /* pending at once; beyond: 503 */
	long long cx_timeout;       /* ms, MAR/SAR answer wait */
	bool reauth_protected;      /* challenge integrity-protected re-registrations too */
	bool digest_without_credentials; /* no Authorization header: try SIP Digest first */
	long long max_challenges_per_impi; /* pending per IMPI; beyond: 503 */
	char *state_file;           /* bindings snapshot (survives restarts); NULL = off */
	long long state_interval;   /* ms between snapshots while bindings change */
	int store;                  /* enum scscf_reg_store */
	struct scscf_db_config database;
	long long max_subscriptions; /* reg-event subscriptions at once (RFC 3680) */
	long long subscribe_max_expires; /* s, reg-event subscription lifetime cap */
	long long third_party_max;  /* third-party REGISTERs in flight (TS 24.229 5.4.1.7) */
	long long third_party_timeout; /* ms an AS has to answer one */
	char *shared_ifc_sets;      /* shared iFC set file (ifc/ifc_shared.h), or NULL */
};

/* One entry of the session number table: an E.164 number (visual
 * separators allowed) and the SIP URIs it translates to (first used). */
struct scscf_number {
	char *number;
	struct cfg_strv uris;
};

/* How a terminating request reaches the user's contacts (RFC 3261 16.6,
 * RFC 3841): q classes in turn, a class at once (parallel); one contact at
 * a time (sequential); or only the best contact (highest-q, no forking). */
enum scscf_fork_mode {
	SCSCF_FORK_PARALLEL = 0,
	SCSCF_FORK_SEQUENTIAL,
	SCSCF_FORK_HIGHEST_Q,
};

/* Section "session:" (TS 24.229 5.4.3, TS 23.218 6). */
struct scscf_session_config {
	char *icscf;                /* next hop toward the terminating side (LIR) */
	bool route_local;           /* callee registered here: terminate directly */
	char *breakout;             /* tel URI not in the table (BGCF), optional */
	struct cfg_list numbers;    /* struct scscf_number */
	long long max_isc;          /* AS round trips in flight (ODI entries) */
	long long odi_linger;       /* ms an ODI stays valid after its AS answered */
	int fork;                   /* enum scscf_fork_mode */
	long long max_branches;     /* contacts tried per request */
	long long branch_timeout;   /* ms without a sign of life (1xx > 100, final) */
	long long ring_timeout;     /* ms a ringing branch may stay unanswered */
	long long unknown_number;   /* status for a number without a route: 404 or 604 */
	long long max_pending;      /* initial requests in flight (forks, forwards); beyond: 503 */
	long long overload_latency; /* ms: smoothed downstream latency above it sheds new ones */
	long long max_dialogs;      /* INVITE dialogs recorded (release on de-registration) */
	long long dialog_max_age;   /* ms: a record no BYE removed goes then */
};

struct scscf_config {
	struct ims_log_config log;
	struct sipagent_config sip;
	struct dia_config diameter;
	struct scscf_registrar_config registrar;
	struct scscf_session_config session;
};

extern const struct cfg_field scscf_schema[];

int scscf_start(struct ims_daemon *d, void *cfg);
void scscf_stop(struct ims_daemon *d);
/* SIGHUP: re-read registrar.shared_ifc_sets only; returns 1 (the running
 * config stays, see ims/daemon.h) or -errno. */
int scscf_reload(struct ims_daemon *d, void *new_cfg);

#endif
