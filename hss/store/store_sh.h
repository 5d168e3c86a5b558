/*
 * store_sh: what the Sh interface (TS 29.328) needs from the HSS database,
 * on the tables of migration 0002_sh.sql: application servers and their
 * permissions, transparent (repository) data, subscriptions to
 * notifications, PSI activation and charging addresses.
 *
 * Same conventions as store.h (one struct store per thread, 0 or -errno,
 * -ENOENT unknown row). Service-Indication values are handled as text
 * (no NUL; TS 29.329 6.3.5 allows octets, every AS we know sends text).
 * -EAGAIN means a compare-and-set on a sequence number lost (the caller
 * answers DIAMETER_ERROR_TRANSPARENT_DATA_OUT_OF_SYNC).
 */
#ifndef HSS_STORE_SH_H
#define HSS_STORE_SH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

#define STORE_SH_DATA_MAX (64 * 1024)  /* bytes of one ServiceData content */
#define STORE_SH_SI_MAX 256            /* Service-Indication + NUL */

/* ---- application servers ---- */
struct store_sh_as {
	uint64_t id;
	char name[STORE_IDENTITY_MAX];
	char host[STORE_IDENTITY_MAX];    /* Diameter identity (Origin-Host) */
	char realm[STORE_IDENTITY_MAX];
	/* bit n = Data-Reference n allowed (TS 29.329 6.3.4, values < 64) */
	uint64_t udr_refs, pur_refs, snr_refs;
};

int store_sh_as_by_host(struct store *st, const char *host, struct store_sh_as *out);
int store_sh_as_by_id(struct store *st, uint64_t id, struct store_sh_as *out);
/* New AS (as->id ignored); -EEXIST when the name or the host is taken. */
int store_sh_as_add(struct store *st, const struct store_sh_as *as);
int store_sh_as_del(struct store *st, const char *name);
/* Every AS ordered by name; *out malloc'd, free() it. */
int store_sh_as_list(struct store *st, struct store_sh_as **out, size_t *n);

/* Permission lists as text (store_sh_perm.c), for ims-hssctl:
 * "udr:RepositoryData,pur:RepositoryData,snr:IMSUserState,udr:*" where the
 * names are the Data-Reference names of TS 29.329 6.3.4 and * is every
 * value. Parsing adds to as's masks; -EINVAL names the bad item in why. */
const char *store_sh_dref_name(int dref);      /* NULL if unknown */
int store_sh_dref_parse(const char *name);     /* value or -EINVAL */
int store_sh_perms_parse(const char *list, struct store_sh_as *as,
			 char *why, size_t whylen);
/* "udr:RepositoryData,pur:..." into buf (truncated to len). */
void store_sh_perms_format(const struct store_sh_as *as, char *buf, size_t len);

/* ---- repository data (TS 29.328 7.6, transparent data) ---- */
/* -ENOENT when nothing is stored for (impu, si). *data malloc'd, NUL
 * terminated, free() it. */
int store_sh_repo_get(struct store *st, const char *impu, const char *si,
		      uint32_t *seq, char **data, size_t *len);
/* Create (expect_seq < 0: -EAGAIN if it already exists) or replace the
 * data whose stored sequence is expect_seq (-EAGAIN if it is not). -ENOENT
 * unknown impu, -EINVAL len > STORE_SH_DATA_MAX or seq > 65535. */
int store_sh_repo_put(struct store *st, const char *impu, const char *si,
		      long expect_seq, uint32_t new_seq, const char *data, size_t len);
/* Delete when the stored sequence is expect_seq; -EAGAIN otherwise. */
int store_sh_repo_del(struct store *st, const char *impu, const char *si,
		      uint32_t expect_seq);

/* ---- PSI activation (TS 29.328 7.6.6), no row = inactive ---- */
int store_sh_psi_get(struct store *st, const char *impu, bool *active);
int store_sh_psi_set(struct store *st, const char *impu, bool active);

/* ---- charging addresses of impu's subscription (TS 29.328 7.6.5) ---- */
struct store_sh_charging {
	char pri_ecf[STORE_IDENTITY_MAX], sec_ecf[STORE_IDENTITY_MAX];
	char pri_ccf[STORE_IDENTITY_MAX], sec_ccf[STORE_IDENTITY_MAX];
};
int store_sh_charging_get(struct store *st, const char *impu, struct store_sh_charging *out);

/* ---- subscriptions to notifications (TS 29.328 6.1.3) ---- */
struct store_sh_sub {
	uint64_t id;
	uint64_t as_id;
	char as_name[STORE_IDENTITY_MAX];
	char as_host[STORE_IDENTITY_MAX];
	char as_realm[STORE_IDENTITY_MAX];
	char impu[STORE_IDENTITY_MAX];
	int dref;                            /* Data-Reference */
	char si[STORE_SH_SI_MAX];            /* "" unless RepositoryData */
	char server_name[STORE_IDENTITY_MAX];/* "" unless InitialFilterCriteria */
	uint64_t expires_at;                 /* Unix time, 0 = never */
	bool one_time;                       /* One-Time-Notification (0004) */
};

/* Add or refresh (same AS, impu, dref, si). si/server_name NULL = "". */
int store_sh_sub_add(struct store *st, uint64_t as_id, const char *impu, int dref,
		     const char *si, const char *server_name, uint64_t expires_at,
		     bool one_time);
/* Remove the subscription with this id; -ENOENT when already gone. */
int store_sh_sub_del_id(struct store *st, uint64_t id);
/* Subscriptions to dref of every IMPU whose service profile is sp_id, not
 * expired at now (iFC changes). Same as store_sh_sub_find otherwise. */
int store_sh_sub_find_profile(struct store *st, uint64_t sp_id, int dref, uint64_t now,
			      struct store_sh_sub **out, size_t *n);
/* Remove; -ENOENT when there was none. */
int store_sh_sub_del(struct store *st, uint64_t as_id, const char *impu, int dref,
		     const char *si);
/* Drop every subscription of an AS (it stopped answering PNRs). */
int store_sh_sub_del_as(struct store *st, uint64_t as_id);
/* Subscriptions to (impu, dref[, si]) not expired at now; si NULL = any.
 * *out malloc'd (free()), may be NULL with *n = 0. */
int store_sh_sub_find(struct store *st, const char *impu, int dref, const char *si,
		      uint64_t now, struct store_sh_sub **out, size_t *n);
/* *any = whether some subscription to dref_a or dref_b exists for an IMPU
 * of impu's implicit registration set (expired ones count: a cheap
 * pre-check before the per-IMPU lookups). 0 or -errno. */
int store_sh_sub_any_in_set(struct store *st, const char *impu, int dref_a, int dref_b,
			    bool *any);
/* Delete the subscriptions expired at now; *n (may be NULL) = how many. */
int store_sh_sub_expire(struct store *st, uint64_t now, uint64_t *n);
/* Every subscription (expired ones too), for ims-hssctl. */
int store_sh_sub_list(struct store *st, struct store_sh_sub **out, size_t *n);

/* ---- DSAI (TS 29.328 7.6.9; store_sh_dsai.c, 0004_sh_dsai.sql) ---- */
#define STORE_SH_DSAI_ACTIVE 0
#define STORE_SH_DSAI_INACTIVE 1
struct store_sh_dsai {
	char tag[STORE_SH_SI_MAX];   /* DSAI-Tag as text */
	int value;                   /* STORE_SH_DSAI_* */
};
/* The DSAI-Tags configured for (impu, AS), ordered by tag. *out malloc'd
 * (free()), may be NULL with *n = 0 (also on a database without 0004). */
int store_sh_dsai_list(struct store *st, const char *impu, uint64_t as_id,
		       struct store_sh_dsai **out, size_t *n);
/* Set the value of a configured tag (PUR); -ENOENT when (impu, AS, tag) is
 * not configured, -EINVAL for a value other than 0/1. */
int store_sh_dsai_update(struct store *st, const char *impu, uint64_t as_id,
			 const char *tag, int value);
/* Configure a tag or change its value (ims-hssctl); -ENOENT unknown impu. */
int store_sh_dsai_put(struct store *st, const char *impu, uint64_t as_id,
		      const char *tag, int value);
/* Remove a tag; -ENOENT when it was not configured. */
int store_sh_dsai_del(struct store *st, const char *impu, uint64_t as_id, const char *tag);

/* ---- change log (store_sh_dsai.c): changes ims-hss did not make ---- */
struct store_sh_change {
	uint64_t id;
	int dref;                          /* Data-Reference */
	char impu[STORE_IDENTITY_MAX];     /* "" when by service profile */
	uint64_t service_profile_id;       /* 0 when by impu */
	uint64_t as_id;                    /* 0 = any AS */
};
/* Record a change of impu's dref (as_id 0 = not AS specific). */
int store_sh_change_add(struct store *st, const char *impu, int dref, uint64_t as_id);
/* The oldest changes made at least settle_ms ago (several statements of
 * one provisioning command come together), at most max. */
int store_sh_change_pending(struct store *st, unsigned int settle_ms, size_t max,
			    struct store_sh_change **out, size_t *n);
/* Take a change (delete it): 0, or -ENOENT when another ims-hss took it. */
int store_sh_change_take(struct store *st, uint64_t id);
/* A mark of the change log: its highest id and its row count (0, 0 when
 * empty). Any change logged or taken since an earlier mark makes it differ
 * while the row is in the log (cache invalidation, prov_watch.h). */
int store_sh_change_mark(struct store *st, uint64_t *max_id, uint64_t *rows);

#endif
