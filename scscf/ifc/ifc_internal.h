/*
 * ifc_internal: the compiled form shared by ifc_parse.c (builds it) and
 * ifc_eval.c (reads it). Not for callers outside scscf/ifc/.
 */
#ifndef SCSCF_IFC_INTERNAL_H
#define SCSCF_IFC_INTERNAL_H

#include <regex.h>

#include <libxml/tree.h>

#include "ifc.h"

/* SPT kinds, TS 29.228 B.2.2 tSePoTri choice. */
enum ifc_spt_kind {
	IFC_SPT_REQUEST_URI,
	IFC_SPT_METHOD,
	IFC_SPT_SIP_HEADER,
	IFC_SPT_SESSION_CASE,
	IFC_SPT_SESSION_DESCRIPTION,
};

struct ifc_spt {
	enum ifc_spt_kind kind;
	bool negated;
	bool broken;            /* invalid regex or value: never matches */
	bool has_regex;
	regex_t re;             /* RequestURI, SIPHeader/Content, SessionDescription/Content */
	char *name;             /* Method; canonical header name; SDP line type */
	unsigned reg_types;     /* enum ifc_reg_type bits; 0 = any (Method REGISTER) */
	int session_case;
	int groups[IFC_MAX_GROUPS];
	unsigned n_groups;
};

struct ifc_filter_c {
	struct ifc_filter pub;  /* what ifc_next hands out */
	bool cnf;               /* ConditionTypeCNF */
	struct ifc_spt *spts;
	unsigned n_spts;
	int *groups;            /* distinct Group values of the SPTs */
	unsigned n_groups;
	unsigned doc_order;
};

struct ifc_profile {
	struct ifc_filter_c *filters;
	size_t n_filters;
	uint32_t shared[IFC_MAX_SHARED_SETS];
	size_t n_shared;
};

/* Compile one InitialFilterCriteria element into *f (zeroed by the
 * caller). On error *f may hold partial state: ifc_filter_release it.
 * Returns 0, -EBADMSG, -E2BIG, -ENOMEM. (ifc_compile.c) */
int ifc_compile_filter(const xmlNode *n, struct ifc_filter_c *f);
void ifc_filter_release(struct ifc_filter_c *f);

/* Element-by-local-name helpers (ifc_compile.c). */
bool ifc_xml_is(const xmlNode *n, const char *name);
const xmlNode *ifc_xml_child(const xmlNode *n, const char *name);
/* Trimmed text of n as a heap string (free()), NULL on -ENOMEM;
 * -E2BIG-worthy lengths are the caller's business. */
char *ifc_xml_text(const xmlNode *n);
/* Trimmed text of n as an integer in [min, max]: 0 or -EBADMSG. */
int ifc_xml_int(const xmlNode *n, long min, long max, long *v);

/* Full lower-case name for a SIP header name given full or compact
 * (RFC 3261 7.3.3 and later RFCs); writes into buf (size >= 64).
 * Returns buf, or NULL when the name is too long. */
const char *ifc_header_canon(const char *name, char *buf, size_t size);

/* The SDP of req: the body, or its first application/sdp part of a
 * multipart body. false when there is none. (ifc_body.c) */
bool ifc_body_sdp(const struct ifc_request *req, const char **sdp, size_t *len);

#endif
