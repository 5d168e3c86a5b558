/*
 * reg_profile: the IMSSubscription document of a SAA User-Data
 * (TS 29.228 Annex B / E, TS 29.229 6.3.11) read into what the registrar
 * keeps: the PrivateID, every PublicIdentity (Identity, BarringIndication)
 * in document order — the implicit registration set in HSS order — and the
 * raw InitialFilterCriteria XML of each ServiceProfile, and those iFCs
 * compiled once (ifc.h) here, at SAR/PPR time, so session control never
 * parses XML per request.
 *
 * Users with the same ServiceProfile share its compiled iFCs
 * (reg_ifc_cache.h): only the first one compiles them.
 *
 * Hostile input: the document is parsed with XML_PARSE_NONET and without
 * XML_PARSE_NOENT; a document carrying a DTD (internal or external subset,
 * hence any entity declaration) is refused, so neither entity expansion
 * (billion laughs) nor external entities can happen. Size and counts are
 * bounded (REG_PROFILE_MAX_*).
 *
 * Ownership: *out is heap memory owned by the caller (reg_profile_free).
 * Thread rules: none. Returns 0, -EBADMSG (not a usable IMSSubscription),
 * -E2BIG (over a bound), -ENOMEM, -EINVAL.
 */
#ifndef SCSCF_REG_PROFILE_H
#define SCSCF_REG_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

#define REG_PROFILE_MAX_XML (256 * 1024)
#define REG_PROFILE_MAX_IDENTITIES 64
#define REG_PROFILE_MAX_PROFILES 16

struct ifc_profile;

struct reg_identity {
	char *uri;
	bool barred;       /* BarringIndication 1 (TS 29.228 B.2.2) */
	unsigned profile;  /* index of its ServiceProfile */
};

struct reg_profile {
	char *private_id;
	struct reg_identity *ids;
	size_t n_ids;
	char **ifc_xml;    /* per ServiceProfile: its InitialFilterCriteria, or NULL */
	struct ifc_profile **ifc; /* per ServiceProfile: ifc_xml compiled, or NULL
				   * (none, or unusable: logged at parse time) */
	/* Per ServiceProfile: the shared compiled iFCs (reg_ifc_cache.h) that
	 * ifc_xml[i] and ifc[i] point into, or NULL when those are owned
	 * (profiles built by hand). reg_profile_parse always shares. */
	struct reg_ifc_entry **ifc_ref;
	size_t n_profiles;
	char *xml;         /* the whole document as received (kept for restarts) */
	size_t xml_len;
};

int reg_profile_parse(const char *xml, size_t len, struct reg_profile **out);
void reg_profile_free(struct reg_profile *p);
/* The persisted form of ServiceProfile sp's share of the iFC cache (its
 * key without the process-local generation), or NULL when it has none. */
const char *reg_profile_key_digest(const struct reg_profile *p, unsigned sp);
/* What reg_profile_parse(xml) builds, from parts read from that document
 * earlier (PrivateID, PublicIdentities in order with their ServiceProfile
 * index, each ServiceProfile's reg_profile_key_digest), without parsing
 * the XML: for a restart, where thousands of users share a few profiles.
 * -ENOENT when a ServiceProfile's compiled iFCs are not in the cache (then
 * parse the document: it compiles them once for the others); -EINVAL for
 * inconsistent parts. Copies what it keeps. */
int reg_profile_restore(const char *xml, size_t len, const char *private_id,
			const struct reg_identity *ids, size_t n_ids, const char *const *digests,
			size_t n_profiles, struct reg_profile **out);
/* Index of uri among p->ids, or -1. */
int reg_profile_find(const struct reg_profile *p, const char *uri);

/* The local table of shared iFC sets (ifc/ifc_shared.h) that profiles
 * parsed from now on merge in; NULL: none (every SharedIFCSetID is then
 * logged as unknown and skipped). Borrowed: keep t alive until replaced.
 * Profiles already compiled keep the sets they were compiled with until
 * their next SAR/PPR/re-registration. Loop thread only. */
struct ifc_shared_table;
void reg_profile_use_shared_sets(const struct ifc_shared_table *t);

#endif
