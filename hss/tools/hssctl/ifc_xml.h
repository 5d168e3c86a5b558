/*
 * ifc_xml: initial filter criteria read from the TS 29.228 XML form
 * (Annex B.2.2 / D, CxDataType.xsd): an <IMSSubscription> with one
 * <ServiceProfile>, a <ServiceProfile>, one <InitialFilterCriteria>, or a
 * bare list of <InitialFilterCriteria> elements; a ServiceProfile's
 * SharedIFCSetIDs (B.2.1, in its <Extension>) are kept too. Parsed with libxml2
 * (no network, no entity substitution, no DTD) and validated; every
 * problem is printed as "file:line: what is wrong".
 * The result owns its strings; free it with ifc_xml_free().
 */
#ifndef HSSCTL_IFC_XML_H
#define HSSCTL_IFC_XML_H

#include <stddef.h>
#include <stdint.h>

#include "store/store_admin.h"

#define IFC_XML_SHARED_MAX 32   /* SharedIFCSetIDs of a profile (the S-CSCF's bound) */

struct ifc_xml {
	struct store_admin_ifc *ifcs;   /* in file order; name and impu unset */
	size_t n;
	char **strs;                    /* every string the ifcs point to */
	size_t n_strs, cap_strs;
	/* SharedIFCSetID of the ServiceProfile (its <Extension>), file order */
	uint32_t shared[IFC_XML_SHARED_MAX];
	long shared_lines[IFC_XML_SHARED_MAX];          /* where each was, for messages */
	size_t n_shared;
};

/* Load path into *out. 0, or the number of errors printed to stderr
 * (> 0), or -errno for an I/O or memory failure (also printed). */
int ifc_xml_load(const char *path, struct ifc_xml *out);
void ifc_xml_free(struct ifc_xml *x);

#endif
