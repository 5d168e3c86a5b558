/*
 * ifc: the initial Filter Criteria engine of the S-CSCF (TS 29.228 Annex B
 * and F, TS 23.218 6, 6.4). A pure library: no sofia, no Cx, no state.
 *
 * Compile once: ifc_profile_parse() reads the iFCs of one ServiceProfile
 * (from an IMSSubscription, a ServiceProfile document, or the concatenated
 * InitialFilterCriteria elements the registrar keeps) into an immutable
 * struct ifc_profile: regexes compiled once (POSIX ERE, REG_NOSUB), iFCs
 * sorted by Priority (stable: equal priorities keep document order),
 * SharedIFCSetIDs kept as numbers (ifc_profile_shared_sets) and, when the
 * caller gives its table (ifc_profile_parse_shared), merged in.
 *
 * Evaluate often: ifc_next() walks the sorted iFCs from a position and
 * returns the next one whose trigger point matches the request, so the
 * S-CSCF resumes after each Application Server round trip (TS 23.218 6.4).
 * struct ifc_request is a thin view the caller fills (ifc_sip.h fills it
 * from a sofia sip_t).
 *
 * Hostile input: XML_PARSE_NONET, never XML_PARSE_NOENT; any document
 * with a DTD (<!DOCTYPE, hence any entity declaration) is refused before
 * parsing; sizes and counts are bounded (IFC_MAX_*). An invalid regex
 * (or one with a back-reference, which could take exponential time) is
 * logged and makes that SPT false (even when negated); it never fails the
 * profile.
 *
 * Ownership: *out of ifc_profile_parse belongs to the caller
 * (ifc_profile_free). Pointers returned by ifc_next live as long as the
 * profile. Thread rules: a parsed profile is read-only, so any number of
 * threads may evaluate it at once; parsing from several threads needs
 * xmlInitParser() called once first (the daemon's main). Returns
 * 0/position or -errno.
 */
#ifndef SCSCF_IFC_H
#define SCSCF_IFC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IFC_MAX_XML (256 * 1024)
#define IFC_MAX_FILTERS 64        /* iFCs of a profile, shared sets included */
#define IFC_MAX_SPTS 32           /* SPTs per TriggerPoint */
#define IFC_MAX_GROUPS 8          /* Group values per SPT */
#define IFC_MAX_REGEX 512         /* bytes of one regex / method / header name */
#define IFC_MAX_SHARED_SETS 32
#define IFC_START (-1)            /* position before the first iFC */

/* SessionCase values, TS 29.228 B.2.2 tSessionCase. */
enum ifc_session_case {
	IFC_SC_ORIGINATING = 0,
	IFC_SC_TERMINATING_REGISTERED = 1,
	IFC_SC_TERMINATING_UNREGISTERED = 2,
	IFC_SC_ORIGINATING_UNREGISTERED = 3,
	IFC_SC_ORIGINATING_CDIV = 4,
};

/* RegistrationType of a REGISTER (TS 29.228 Annex F); bit values. */
enum ifc_reg_type {
	IFC_REG_NONE = 0,
	IFC_REG_INITIAL = 1 << 0,
	IFC_REG_RE = 1 << 1,
	IFC_REG_DE = 1 << 2,
};

/* Registration state of the served user (ProfilePartIndicator, B.2.2). */
enum ifc_user_state {
	IFC_USER_REGISTERED = 0,
	IFC_USER_UNREGISTERED = 1,
};

enum ifc_profile_part {
	IFC_PART_ANY = -1,             /* ProfilePartIndicator absent */
	IFC_PART_REGISTERED = 0,
	IFC_PART_UNREGISTERED = 1,
};

/* DefaultHandling, TS 29.228 B.2.3 (absent: SESSION_CONTINUED). */
enum ifc_default_handling {
	IFC_SESSION_CONTINUED = 0,
	IFC_SESSION_TERMINATED = 1,
};

struct ifc_as {
	const char *server_name;       /* SIP URI of the AS, never NULL */
	enum ifc_default_handling default_handling;
	const char *service_info;      /* NULL when absent */
	bool include_register_request;  /* Rel-9 Extension (TS 29.228 B.2.3) */
	bool include_register_response;
};

/* One compiled iFC as the caller sees it. */
struct ifc_filter {
	int priority;
	enum ifc_profile_part part;
	bool has_trigger;              /* false: the iFC always matches */
	struct ifc_as as;
};

/* One header instance: name as received (full or compact), value without
 * the name. Several instances of a header are several entries. */
struct ifc_header {
	const char *name;
	const char *value;
};

/* What the engine looks at; every pointer may be NULL (then that SPT kind
 * sees nothing). Strings are NUL-terminated; body is body_len bytes. */
struct ifc_request {
	const char *method;
	const char *request_uri;
	const struct ifc_header *headers;
	size_t n_headers;
	const char *content_type;      /* Content-Type value: application/sdp, or
					* multipart/mixed|related|alternative
					* with boundary (first SDP part used) */
	const char *body;
	size_t body_len;
	enum ifc_reg_type reg_type;    /* REGISTER only; the registrar knows */
};

/* The evaluation context of one walk. */
struct ifc_context {
	enum ifc_session_case session_case;
	enum ifc_user_state user_state;
};

struct ifc_profile;

/*
 * Parse xml (len bytes, need not be NUL-terminated) into *out.
 * Accepted roots: IMSSubscription (its ServiceProfile number sp_index,
 * 0-based), ServiceProfile (sp_index 0), InitialFilterCriteria; or, when
 * the text starts with "<InitialFilterCriteria", a sequence of them
 * (reg_profile's ifc_xml). Elements are matched by local name, so a
 * namespaced document works too.
 * Returns 0, -EBADMSG (not well-formed, DTD, wrong schema), -E2BIG (over a
 * bound), -ENOENT (no such ServiceProfile), -ENOMEM, -EINVAL.
 */
int ifc_profile_parse(const char *xml, size_t len, unsigned sp_index,
		      struct ifc_profile **out);
void ifc_profile_free(struct ifc_profile *p);

/*
 * Shared iFC sets (TS 29.228 B.2.1 SharedIFCSetID; TS 29.229 6.3.11): the
 * HSS sends only the set numbers, the S-CSCF holds the sets. lookup returns
 * the XML of set id in any form ifc_profile_parse accepts (typically
 * concatenated InitialFilterCriteria) and its length, or NULL when unknown
 * (then the set is skipped with a warning). The returned text must stay
 * valid during the call only.
 */
struct ifc_shared_sets {
	const char *(*lookup)(void *ctx, uint32_t id, size_t *len);
	void *ctx;
};

/* ifc_profile_parse, then the iFCs of every known shared set are merged
 * in; all are sorted together by Priority (equal priorities: the
 * profile's own iFCs first). A set that does not parse fails the whole
 * call with its error. sets may be NULL (= ifc_profile_parse). */
int ifc_profile_parse_shared(const char *xml, size_t len, unsigned sp_index,
			     const struct ifc_shared_sets *sets, struct ifc_profile **out);

size_t ifc_profile_count(const struct ifc_profile *p);
/* The iFC at position pos (0..count-1) in priority order, or NULL. */
const struct ifc_filter *ifc_profile_at(const struct ifc_profile *p, size_t pos);
/* SharedIFCSetID values of the ServiceProfile (TS 29.228 B.2.1 Extension),
 * unresolved: the caller looks them up in its own table. */
const uint32_t *ifc_profile_shared_sets(const struct ifc_profile *p, size_t *n);

/*
 * The next iFC strictly after position `after` (IFC_START to begin) that
 * applies to ctx (ProfilePartIndicator) and whose trigger point matches
 * req. Returns its position (>= 0, pass it back as `after` on the next
 * call) and sets *out; -ENOENT when no further iFC matches; -EINVAL.
 */
int ifc_next(const struct ifc_profile *p, const struct ifc_request *req,
	     const struct ifc_context *ctx, int after,
	     const struct ifc_filter **out);

/*
 * Position to resume from when all iFCs up to priority `priority` were
 * handled, e.g. after the profile was replaced (PPR, re-registration)
 * between two AS round trips: the last position whose priority is <=
 * priority, or IFC_START.
 */
int ifc_position_after_priority(const struct ifc_profile *p, int priority);

/* Does this one iFC (at pos) match? 1 yes, 0 no, -EINVAL. Ignores the
 * ProfilePartIndicator; for tests and diagnostics. */
int ifc_trigger_matches(const struct ifc_profile *p, size_t pos,
			const struct ifc_request *req, enum ifc_session_case sc);

#endif
