/*
 * store_admin_ifc: iFC writing shared by store_admin_svc.c (`ifc add`) and
 * store_admin_profile.c (`profile set --ifc`). Internal to hss/store; call
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

#endif
