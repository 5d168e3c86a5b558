/*
 * ifc_shared: the S-CSCF's own table of shared iFC sets (TS 29.228 B.2.1
 * SharedIFCSetID, TS 29.229 6.3.11: with the SharedIFCSets feature the HSS
 * sends only set numbers and the S-CSCF knows what each set holds).
 *
 * The table comes from an XML file (config registrar.shared_ifc_sets):
 *
 *   <SharedIFCSets>
 *     <SharedIFCSet>
 *       <SharedIFCSetID>7</SharedIFCSetID>
 *       <Name>voicemail</Name>                     (optional, for logs)
 *       <InitialFilterCriteria>...</InitialFilterCriteria>   (1 or more,
 *                                    TS 29.228 B.2.2 form)
 *     </SharedIFCSet>
 *   </SharedIFCSets>
 *
 * `ims-hssctl shared-ifc export` prints this form from the HSS database.
 * Every set is compiled once at load (ifc_profile_parse), so a set that
 * the engine would refuse fails the load; the whole file is then refused
 * with "file:line:column: what is wrong" (column 0 when libxml2 gives
 * none, i.e. for errors found after parsing). Same hostile-input rules as
 * ifc.h (NONET, no DTD, bounded sizes).
 *
 * Ownership: a table is immutable once loaded; the caller frees it
 * (ifc_shared_table_free). ifc_shared_table_sets() returns the lookup
 * struct ifc_profile_parse_shared takes; it borrows the table. Returns 0
 * or -errno.
 */
#ifndef SCSCF_IFC_SHARED_H
#define SCSCF_IFC_SHARED_H

#include <stddef.h>
#include <stdint.h>

#include "ifc.h"

#define IFC_SHARED_MAX_FILE (4 << 20)
#define IFC_SHARED_MAX_SETS 4096

struct ifc_shared_table;

/* Parse xml (len bytes; name is the file name used in messages) into *out.
 * On error *out is NULL and err holds one line "name:line:column: what".
 * -EBADMSG (not well-formed, wrong structure, a set that does not
 * compile), -EEXIST (an id twice), -E2BIG, -ENOMEM, -EINVAL. */
int ifc_shared_table_parse(const char *xml, size_t len, const char *name,
			   struct ifc_shared_table **out, char *err, size_t errlen);
/* The same from a file (-errno of open/read, -EFBIG above the bound). */
int ifc_shared_table_load(const char *path, struct ifc_shared_table **out,
			  char *err, size_t errlen);
void ifc_shared_table_free(struct ifc_shared_table *t);

size_t ifc_shared_table_count(const struct ifc_shared_table *t);
/* The concatenated InitialFilterCriteria of set id and their length, or
 * NULL when the table (may be NULL) has no such set. */
const char *ifc_shared_table_lookup(const struct ifc_shared_table *t, uint32_t id, size_t *len);
/* The callback struct for ifc_profile_parse_shared (t may be NULL: every
 * set is then unknown). */
struct ifc_shared_sets ifc_shared_table_sets(const struct ifc_shared_table *t);

/* A cfg_check_fn (ims/config.h) for the config key naming the file:
 * loads it and, if bad, writes the load error into why. */
int ifc_shared_check_file(const char *path, char *why, size_t whylen);

#endif
