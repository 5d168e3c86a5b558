/*
 * store_admin_ifc: iFC writing shared by store_admin_svc.c (`ifc add`),
 * store_admin_profile.c (`profile set --ifc`) and store_admin_shared.c
 * (`shared-ifc set`). Internal to hss/store; call
 * inside sdb_tx() only.
 */
#ifndef HSS_STORE_ADMIN_IFC_H
#define HSS_STORE_ADMIN_IFC_H

#include <stdint.h>

#include "store_admin.h"

/* The service profile id of impu (row locked), created and named after impu
 * if it has none. 0, -ENOENT (no such IMPU) or -errno. */
int sadm_ifc_profile(struct store *st, const char *impu, uint64_t *sp_id);
/* Insert f (its application server created or updated, its SPTs) and link
 * it to service profile sp_id; f->impu is not used. 0 or -errno
 * (-EEXIST: an iFC of that name exists). */
int sadm_ifc_insert(struct store *st, uint64_t sp_id, const struct store_admin_ifc *f);
/* Insert f (application server, SPTs) without linking it: *ifc_id is its
 * new id (store_admin_shared.c links it to a shared iFC set). */
int sadm_ifc_create(struct store *st, const struct store_admin_ifc *f, uint64_t *ifc_id);

/* Delete the iFCs ids[0..n) that no profile and no shared set links any
 * more (store_admin_profile.c). */
int sadm_ifc_delete_orphans(struct store *st, const uint64_t *ids, size_t n);

#endif
