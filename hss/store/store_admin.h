/*
 * store_admin: provisioning and schema migration for ims-hssctl. The HSS
 * daemon never calls these; they write what store.h reads.
 * Same conventions as store.h: 0 or -errno (-EEXIST duplicate identity,
 * -ENOENT unknown identity, -EINVAL bad argument or constraint), each call
 * one transaction. Inputs are borrowed; nothing to free.
 */
#ifndef HSS_STORE_ADMIN_H
#define HSS_STORE_ADMIN_H

#include "store.h"

struct store_admin_subscriber {
	const char *impi;
	const char *imsu;            /* subscription name; NULL = impi */
	const char *const *impus;    /* one implicit set, first = default */
	size_t n_impus;
	bool has_k;
	uint8_t k[16];
	bool has_op;
	bool op_is_opc;
	uint8_t op[16];
	uint8_t amf[2];
	uint64_t sqn;
	uint32_t schemes;            /* enum store_auth_scheme bits */
	const char *realm;           /* digest realm; NULL = none */
	const char *password;        /* NULL = none */
	const char *ha1;             /* 32 hex; NULL = none */
};

/* Creates the subscription if needed, the IMPI, one service profile named
 * after the IMPI and one implicit set holding the IMPUs in order. */
int store_admin_subscriber_add(struct store *st, const struct store_admin_subscriber *sub);
/* Bulk provisioning (store_admin_bulk.c, ims-hssctl subscriber import):
 * subs[0..n) in ONE transaction with multi-row INSERTs, each as
 * store_admin_subscriber_add would make it (own subscription, service
 * profile and implicit set). Ids follow the current maxima, read FOR UPDATE
 * so a concurrent importer waits. -EEXIST: an identity exists (msg has the
 * server's text naming it); -EINVAL: more than STORE_ADMIN_IMPORT_IMPUS_MAX
 * IMPUs or a bad SQN. Nothing of the batch stays on error. */
#define STORE_ADMIN_IMPORT_IMPUS_MAX 8
int store_admin_import(struct store *st, const struct store_admin_subscriber *subs, size_t n,
		       char *msg, size_t msglen);
/* Up to max IMPIs in identity order after `after` ("" or NULL: from the
 * first). store_strv_free(out). */
int store_admin_impi_list(struct store *st, const char *after, size_t max,
			  struct store_strv *out);

/* Deletes the IMPI, the IMPUs only it used, then an emptied subscription,
 * service profile and implicit sets. */
int store_admin_subscriber_del(struct store *st, const char *impi);

struct store_admin_impu {
	const char *impu;
	const char *impi;            /* associate with this IMPI */
	enum store_impu_type type;
	const char *wildcard_regex;  /* WILDCARD_PSI only */
	bool barred;
	bool can_register;
	const char *implicit_with;   /* join this IMPU's implicit set; NULL = new set */
};
/* New IMPU, or (if it exists) one more IMPI sharing it. */
int store_admin_impu_add(struct store *st, const struct store_admin_impu *u);
int store_admin_impu_del(struct store *st, const char *impu);

struct store_admin_spt {
	enum store_spt_type type;
	bool negated;
	unsigned int group;
	const char *value;
	const char *header;
	int session_case;            /* -1 = none */
	unsigned int registration_type;
};

struct store_admin_ifc {
	const char *impu;            /* added to this IMPU's service profile */
	const char *name;            /* unique */
	int priority;
	int profile_part_indicator;  /* -1 = absent */
	bool condition_type_cnf;
	const char *as_server_name;  /* application server, created or updated */
	int default_handling;
	const char *service_info;
	bool include_register_request;
	bool include_register_response;
	const struct store_admin_spt *spts;
	size_t n_spts;
};
int store_admin_ifc_add(struct store *st, const struct store_admin_ifc *f);
/* Replace every iFC of impu's service profile (created if it has none) by
 * ifcs[0..n) (their impu is not used) and its shared iFC set links
 * (SharedIFCSetID) by shared[0..n_shared), in one transaction: on error
 * nothing changed. Old iFCs used by no other profile or shared set are
 * deleted. 0, -ENOENT (no such IMPU, or no such shared set: check with
 * store_admin_shared_set_exists first to tell), -EEXIST (an iFC name is
 * taken), -EINVAL (a set listed twice), -errno. */
int store_admin_profile_ifcs_replace(struct store *st, const char *impu,
				     const struct store_admin_ifc *ifcs, size_t n,
				     const uint32_t *shared, size_t n_shared);

/* Shared iFC sets (TS 29.228 B.2.1 SharedIFCSetID, store_admin_shared.c). */
struct store_admin_shared_set {
	uint32_t id;
	char name[STORE_IDENTITY_MAX];
	uint64_t n_ifcs;
	uint64_t n_profiles;         /* service profiles linking it */
};
/* Create set id or replace its iFCs by ifcs[0..n) (their impu is not used;
 * names must be unique), one transaction. name NULL: keep the current one
 * ("set-<id>" for a new set). Old iFCs used nowhere else are deleted.
 * 0, -EEXIST (another set has that name, or an iFC name is taken), -errno. */
int store_admin_shared_set_replace(struct store *st, uint32_t id, const char *name,
				   const struct store_admin_ifc *ifcs, size_t n);
/* Delete set id with its iFCs. -ENOENT; -EBUSY when a profile links it
 * and !force (with force the links go too). */
int store_admin_shared_set_del(struct store *st, uint32_t id, bool force);
/* Every set by id (free(*out)). */
int store_admin_shared_set_list(struct store *st, struct store_admin_shared_set **out, size_t *n);
/* 1 when set id exists, 0 when not, -errno. */
int store_admin_shared_set_exists(struct store *st, uint32_t id);

/* Replace the content of capability set set_name (created if missing;
 * "default" is the one used by subscriptions without their own). */
int store_admin_caps_set(struct store *st, const char *set_name,
			 const uint32_t *mandatory, size_t n_mandatory,
			 const uint32_t *optional, size_t n_optional,
			 const char *const *names, size_t n_names);

/* Create the visited network; with impi, allow it for impi's subscription. */
int store_admin_visited_network_add(struct store *st, const char *name, const char *impi);

/* Apply the NNNN_*.sql files of dir newer than the recorded version, in
 * order, recording each in schema_version. *from and *to: versions before and
 * after. msg explains a failure (file and server error). */
int store_admin_migrate(struct store *st, const char *dir, unsigned int *from,
			unsigned int *to, char *msg, size_t msglen);

#endif
