/*
 * sh_internal: what the Sh command files (udr.c pur.c snr.c pnr.c) share:
 * request reading and outcome mapping (sh_request.c), the Sh-Data document
 * (sh_data.c: writer and reader, TS 29.328 Annex D), its assembly from the
 * store (sh_build.c), permissions (sh_permissions.c) and the notifier queue
 * (sh_subscriptions.c). Not for use outside hss/sh.
 */
#ifndef HSS_SH_INTERNAL_H
#define HSS_SH_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sh/sh.h"
#include "store/store.h"
#include "store/store_sh.h"

struct msg;

/* ---- outcome: base Result-Code or 3GPP Experimental-Result-Code ---- */
struct sh_result {
	uint32_t code;
	bool exp;
};
#define SH_BASE(c) ((struct sh_result){ (c), false })
#define SH_EXP(c) ((struct sh_result){ (c), true })
#define SH_OK SH_BASE(2001)

/* Data-Reference 20 (TS 29.329 6.3.4 up to Rel-11; "Reserved" in ims/sh.h). */
#define SH_DREF_ALIASES_REPOSITORY_DATA 20u

/* Service-Indications / DSAI-Tags accepted in one request. */
#define SH_MAX_TEXTS 16

/* TS 29.329 6.2 / TS 29.230: the Sh experimental result codes we send. */
enum {
	SH_EXP_USER_DATA_NOT_AVAILABLE = 4100,
	SH_EXP_USER_UNKNOWN = 5001,
	SH_EXP_TOO_MUCH_DATA = 5008,
	SH_EXP_USER_DATA_NOT_RECOGNIZED = 5100,
	SH_EXP_OPERATION_NOT_ALLOWED = 5101,
	SH_EXP_USER_DATA_CANNOT_BE_READ = 5102,
	SH_EXP_USER_DATA_CANNOT_BE_MODIFIED = 5103,
	SH_EXP_USER_DATA_CANNOT_BE_NOTIFIED = 5104,
	SH_EXP_TRANSPARENT_DATA_OUT_OF_SYNC = 5105,
	SH_EXP_SUBS_DATA_ABSENT = 5106,
	SH_EXP_NO_SUBSCRIPTION_TO_DATA = 5107,
	SH_EXP_DSAI_NOT_AVAILABLE = 5108,
};

/* ---- settings and the notifier (sh_register.c, sh_subscriptions.c) ---- */
const struct sh_config *sh_settings(void);

/* ---- request reading (sh_request.c) ---- */
struct sh_req {
	char origin[STORE_IDENTITY_MAX];   /* Origin-Host of the AS */
	bool as_known;
	struct store_sh_as as;             /* zero permissions when unknown */
	struct store_impu pu;              /* the identity addressed */
};
/* Origin-Host, User-Identity {Public-Identity | MSISDN} and the AS record.
 * false with *res set when the request cannot go on (5005 missing
 * User-Identity, 5001 USER_UNKNOWN, 5012 database). */
bool sh_req_read(struct store *st, struct msg *req, const char *proc,
		 struct sh_req *r, struct sh_result *res);
/* Put the outcome into ans; for 5005 with a Failed-AVP naming failed_avp
 * (0 = none). 0 or -errno. */
int sh_result_set(struct msg *ans, struct sh_result r, uint32_t failed_avp);
/* Copy a UTF8String/OctetString AVP holding text (no NUL) into buf.
 * 0, -ENOENT absent, -EINVAL empty/too long/NUL. */
int sh_get_text(void *parent, uint32_t code, char *buf, size_t len);
/* Every AVP code directly in parent, as text (rules of sh_get_text), into
 * v[0..*n). 0 (*n may be 0), -EINVAL bad value or more than max. */
int sh_get_texts(void *parent, uint32_t code, char (*v)[STORE_SH_SI_MAX], size_t max,
		 size_t *n);
/* TBCD MSISDN (TS 29.329 6.3.2) -> "tel:+digits". 0 or -EINVAL. */
int sh_msisdn_to_tel(const uint8_t *p, size_t n, char *buf, size_t len);
/* Outcome for a store error (logged): -ENOENT 5001, else 5012. */
struct sh_result sh_result_of_store(int err, const char *proc);

/* ---- permissions (sh_permissions.c) ---- */
enum sh_op { SH_OP_UDR, SH_OP_PUR, SH_OP_SNR };
/* 2001 when the AS may do op on dref; else the TS 29.328 error for it:
 * 5102 (read), 5103 (update), 5104 (notify); 5004 INVALID_AVP_VALUE for a
 * Data-Reference value outside TS 29.329 6.3.4. */
struct sh_result sh_perm_check(const struct store_sh_as *as, enum sh_op op, uint32_t dref);
/* Data-References this HSS can serve for op (bit n = value n). */
uint64_t sh_perm_supported(enum sh_op op);

/* ---- Sh-Data document (sh_data.c) ---- */
struct sh_data_repo {
	const char *si;             /* ServiceIndication */
	uint32_t seq;               /* SequenceNumber */
	const char *service_data;   /* serialised children of ServiceData; NULL = none */
};

struct sh_data {
	const char *const *impus;  size_t n_impus;   /* PublicIdentifiers */
	const char *const *msisdns; size_t n_msisdns;
	const struct sh_data_repo *repo; size_t n_repo;
	const struct sh_data_repo *alias_repo; size_t n_alias_repo; /* Extension/AliasesRepositoryData */
	const struct store_sh_dsai *dsai; size_t n_dsai; /* Sh-IMS-Data/Extension/Extension/DSAI */
	const char *scscf_name;        /* Sh-IMS-Data/S-CSCFName, NULL = absent */
	const struct store_ifc *const *ifcs; size_t n_ifcs; bool has_ifcs;
	int ims_user_state;            /* 0..3, -1 = absent */
	const struct store_sh_charging *charging;  /* NULL = absent */
	int psi_activation;            /* 0/1, -1 = absent */
};
/* Serialise d as an Sh-Data document (escaped by xmlTextWriter). *xml
 * malloc'd and NUL terminated, free() it. 0 or -errno. */
int sh_data_write(const struct sh_data *d, char **xml, size_t *len);

struct sh_data_dsai {
	char tag[STORE_SH_SI_MAX];
	int value;                  /* 0 ACTIVE, 1 INACTIVE */
};

struct sh_data_in {
	bool has_repo;
	bool repo_alias;            /* it was Extension/AliasesRepositoryData */
	char si[STORE_SH_SI_MAX];
	uint32_t seq;
	char *service_data;         /* malloc'd; NULL = no ServiceData (deletion) */
	size_t service_len;
	int psi_activation;         /* -1 = absent */
	struct sh_data_dsai dsai[SH_MAX_TEXTS];
	size_t n_dsai;
};
/* Parse an Sh-Data document sent in a PUR (no network, no entities).
 * -EBADMSG not well formed or not <Sh-Data>, -EINVAL bad values. */
int sh_data_read(const char *xml, size_t len, struct sh_data_in *out);
void sh_data_in_free(struct sh_data_in *in);

/* Transparent data sequence numbers (TS 29.328 7.6.1): 0 only on creation,
 * then n+1, 65535 is followed by 1. */
uint32_t sh_seq_next(uint32_t stored);
/* Whether a PUR carrying seq may apply to data stored with *stored (NULL =
 * nothing stored). */
bool sh_seq_acceptable(const uint32_t *stored, uint32_t seq);

/* ---- Sh-Data from the store (sh_build.c) ---- */
struct sh_query {
	const struct store_impu *pu;
	uint64_t drefs;             /* bit n = Data-Reference n */
	const char *const *sis;     /* RepositoryData, AliasesRepositoryData: */
	size_t n_sis;               /* the Service-Indications */
	const char *server_name;    /* InitialFilterCriteria */
	uint64_t as_id;             /* DSAI: the AS whose tags are read */
	const char *const *dsai_tags; size_t n_dsai_tags; /* DSAI: 0 = every tag */
	unsigned int identity_sets; /* IMSPublicIdentity: bit n = Identity-Set n */
	const struct sh_data_repo *gone; /* RepositoryData just deleted: reported
					  * without ServiceData (PNR) */
};
/* One User-Data for the Data-References. 2001 with *xml set, or an error
 * outcome (4100 not available, 5108 DSAI-Tag not configured for the AS,
 * 5012) with *xml NULL. */
struct sh_result sh_build(struct store *st, const struct sh_query *q, char **xml, size_t *len);

/* ---- notifications (sh_subscriptions.c, pnr.c) ---- */
/* Queue PNRs to the ASs subscribed to (impu, dref[, si]), except the AS
 * with id skip_as (0 = none); gone: see struct sh_query. Never blocks on
 * the network. One-time subscriptions are removed once queued. */
void sh_notify_change(struct store *st, const char *impu, uint32_t dref, const char *si,
		      uint64_t skip_as, const struct sh_data_repo *gone);
/* The same for subscriptions already found (subs[i].impu, dref); only_as
 * != 0 keeps those of that AS. */
void sh_notify_subs(struct store *st, const struct store_sh_sub *subs, size_t n, uint32_t dref,
		    uint64_t skip_as, uint64_t only_as, const struct sh_data_repo *gone);
/* Poll the change log (store_sh_change_*) once: notify what ims-hssctl
 * changed (sh_changes.c). Called by the notifier thread. */
void sh_changes_poll(struct store *st);
/* Send one PNR (pnr.c). The answer or error arrives in w->cb on a
 * freeDiameter thread: err 0 and the result code, or -errno. w belongs to
 * the caller and must stay valid until then (exactly once when
 * sh_pnr_send returned 0; never otherwise). */
typedef void (*sh_pnr_cb)(void *ctx, int err, uint32_t code, bool exp);
struct sh_pnr_wait {
	sh_pnr_cb cb;
	void *ctx;
};
int sh_pnr_send(const char *host, const char *realm, const char *impu, const char *xml,
		size_t len, unsigned int timeout_ms, struct sh_pnr_wait *w);
int sh_notifier_start(void);
void sh_notifier_stop(void);

/* ---- the commands ---- */
int sh_udr(struct store *st, struct msg *req, struct msg *ans);
int sh_pur(struct store *st, struct msg *req, struct msg *ans);
int sh_snr(struct store *st, struct msg *req, struct msg *ans);

#endif
