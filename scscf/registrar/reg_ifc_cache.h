/*
 * reg_ifc_cache: compiled iFCs shared by every registered user with the
 * same service profile. Operators give thousands of users one service
 * profile; compiling its iFCs (XML parse, regcomp of every SPT) per user
 * cost ~15 KB of heap and ~150 us per user with five iFCs. Here each
 * distinct ServiceProfile (its children other than PublicIdentity, as
 * serialised, and the shared iFC set generation it was compiled with) is
 * compiled once and reference-counted; an entry goes with its last user.
 *
 * Compiled profiles are immutable (ifc.h), so sharing them is safe.
 * Thread rules: any thread (one mutex). Ownership: an entry returned holds
 * a reference for the caller, given back with reg_ifc_cache_put.
 */
#ifndef SCSCF_REG_IFC_CACHE_H
#define SCSCF_REG_IFC_CACHE_H

#include <stddef.h>

struct ifc_profile;

struct reg_ifc_entry {
	char *key;                 /* "GENERATION|serialised ServiceProfile" */
	char *ifc_xml;             /* its InitialFilterCriteria, or NULL */
	struct ifc_profile *ifc;   /* compiled, or NULL (none, or unusable) */
	size_t refs;
};

/* The entry of key with a new reference, or NULL when there is none. */
struct reg_ifc_entry *reg_ifc_cache_find(const char *key);
/* Add (or, when another thread added it meanwhile, find) the entry of
 * key; ifc_xml and ifc are taken in any case (freed when an entry existed
 * already or on error). 0 with *out referenced, or -ENOMEM. */
int reg_ifc_cache_add(const char *key, char *ifc_xml, struct ifc_profile *ifc,
		      struct reg_ifc_entry **out);
/* Give a reference back (NULL: nothing). */
void reg_ifc_cache_put(struct reg_ifc_entry *e);
/* Distinct entries alive (tests, status). */
size_t reg_ifc_cache_count(void);

#endif
