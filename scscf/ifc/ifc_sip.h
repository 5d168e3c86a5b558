/*
 * ifc_sip: fill a struct ifc_request from a sofia-sip request, for the
 * S-CSCF (the engine itself does not depend on sofia).
 *
 * Every header line of the message becomes one (name, value) entry in
 * message order: the full name from sofia's header class (unknown headers:
 * the name as received) and the value as received (the raw text after the
 * colon; "Route: <a>, <b>" is one entry "<a>, <b>"), or, for a header added
 * after parsing, the value as sofia encodes it. Needs a message parsed with
 * MSG_DO_EXTRACT_COPY (sip_msg_parse, or nta with that flag) for the raw
 * text; without it values are re-encoded. The Request-URI is encoded as a
 * string; the body and Content-Type point into the sip_t.
 *
 * Ownership: strings live in r->home, released by ifc_sip_request_release;
 * r->req also points into sip, so sip must outlive r.
 * The registrar decides reg_type for a REGISTER (INITIAL when the IMPU was
 * not registered, RE when it was, DE when every binding is being removed,
 * TS 29.228 Annex F); pass IFC_REG_NONE otherwise.
 * Returns 0, -EINVAL (not a request), -E2BIG (over IFC_SIP_MAX_HEADERS
 * header instances), -ENOMEM. On error r needs no release.
 */
#ifndef SCSCF_IFC_SIP_H
#define SCSCF_IFC_SIP_H

#include <sofia-sip/sip.h>
#include <sofia-sip/su_alloc.h>

#include "ifc.h"

#define IFC_SIP_MAX_HEADERS 256

struct ifc_sip_request {
	struct ifc_request req;
	su_home_t home[1];
};

int ifc_sip_request_init(struct ifc_sip_request *r, const sip_t *sip,
			 enum ifc_reg_type reg_type);
void ifc_sip_request_release(struct ifc_sip_request *r);

#endif
