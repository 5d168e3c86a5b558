/*
 * reg_hss: the HSS-initiated Cx procedures served by the registrar, on the
 * loop thread through the dia_bridge:
 *  - RTR (TS 29.228 6.1.3, TS 29.229 6.1.9): the listed IMPUs' implicit
 *    sets, or every set of the IMPI (and of Associated-Identities), are
 *    de-registered here without an SAR; their reg-event subscribers get a
 *    NOTIFY (TS 24.229 5.4.1.5): contacts "rejected" for a permanent
 *    termination or a new S-CSCF, "deactivated" when the UE is expected to
 *    register again (server change, S-CSCF removal). RTA 2001 also when
 *    nothing was registered here: the HSS's wish (no binding) holds.
 *  - PPR (TS 29.228 6.1.6 / 6.2.2, TS 29.229 6.1.10): the User-Data
 *    replaces the stored profile of the IMPI's sets (re-parsed with the SAA
 *    rules); PPA 2001, DIAMETER_ERROR_USER_UNKNOWN (5001) when the IMPI has
 *    nothing registered here, 5012 for unusable User-Data.
 */
#include "reg_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdproto.h>

#include "ims/log.h"

#define RTR_MAX_IDS 64

/* A Diameter UTF8String AVP as a C string (bounded copy). */
static int avp_str(struct avp *a, char *out, size_t cap)
{
	const uint8_t *p;
	size_t len;

	if (dia_get_octets(a, &p, &len) < 0 || len == 0 || len >= cap || memchr(p, 0, len))
		return -EBADMSG;
	memcpy(out, p, len);
	out[len] = '\0';
	return 0;
}

static const char *gone_event_for(uint32_t reason)
{
	switch (reason) {
	case CX_REASON_SERVER_CHANGE:
	case CX_REASON_REMOVE_SCSCF:
		return "deactivated"; /* re-register, TS 24.229 5.4.1.5 */
	default:
		return "rejected";    /* permanent termination, new S-CSCF */
	}
}

/* Remove rec: third-party de-registration to the ASs, NOTIFY its
 * subscribers, persist. */
void reg_deregister_set(struct registrar *r, struct reg_record *rec, const char *event)
{
	struct reg_ev_snap snap;

	reg_ev_snap_take(r, rec, &snap);
	reg_third_deregister(r, rec);
	reg_gone(r, rec, NULL);
	reg_store_remove(&r->store, rec);
	reg_event_changed(r, &snap, NULL, event);
	reg_ev_snap_free(&snap);
	r->dirty = true;
}

static size_t deregister_impi(struct registrar *r, const char *impi, const char *event)
{
	struct reg_record *rec, *next;
	size_t n = 0;

	for (rec = r->store.head; rec; rec = next) {
		next = rec->next;
		if (strcmp(rec->impi, impi) == 0) {
			reg_deregister_set(r, rec, event);
			n++;
		}
	}
	return n;
}

static int on_rtr(void *ctx, struct msg **ans)
{
	struct registrar *r = ctx;
	struct msg *req = dia_answer_request(*ans);
	char impi[REG_URI_MAX] = "", id[REG_URI_MAX];
	struct avp *a, *reason, *assoc;
	uint32_t code = CX_REASON_PERMANENT_TERMINATION;
	const char *event;
	size_t n = 0, listed = 0;

	avp_str(dia_find(req, DIA_AVP_USER_NAME), impi, sizeof impi);
	reason = dia_find(req, CX_AVP_DEREGISTRATION_REASON);
	if (!reason || dia_find_u32(reason, CX_AVP_REASON_CODE, &code) < 0 || !impi[0])
		return dia_set_result(*ans, DIA_MISSING_AVP);
	event = gone_event_for(code);
	for (a = dia_find(req, CX_AVP_PUBLIC_IDENTITY); a && listed < RTR_MAX_IDS;
	     a = dia_next_same(a), listed++) {
		struct reg_record *rec;

		if (avp_str(a, id, sizeof id) < 0)
			continue;
		rec = reg_store_find(&r->store, id);
		if (rec) {
			reg_deregister_set(r, rec, event);
			n++;
		}
	}
	if (listed == 0) {
		/* TS 29.228 6.1.3.1: no Public-Identity = every IMPU of the IMPI
		 * and of the Associated-Identities. */
		n += deregister_impi(r, impi, event);
		assoc = dia_find(req, CX_AVP_ASSOCIATED_IDENTITIES);
		for (a = assoc ? dia_find(assoc, DIA_AVP_USER_NAME) : NULL; a; a = dia_next_same(a))
			if (avp_str(a, id, sizeof id) == 0)
				n += deregister_impi(r, id, event);
	}
	log_notice("RTR impi=%s reason=%u: %zu registration set(s) removed", impi, code, n);
	return dia_set_result(*ans, DIA_SUCCESS);
}

/* Give the set holding impu the new profile (skipped when it has it). */
static int ppr_one(struct registrar *r, const char *impu, const char *impi, const uint8_t *xml,
		   size_t len)
{
	struct reg_record *rec = reg_store_find(&r->store, impu);
	struct reg_profile *p = NULL;
	struct reg_ev_snap snap;
	int rc;

	if (!rec || strcmp(rec->impi, impi) != 0 ||
	    (rec->profile->xml_len == len && memcmp(rec->profile->xml, xml, len) == 0))
		return 0;
	rc = reg_profile_parse((const char *)xml, len, &p);
	if (rc < 0)
		return rc;
	reg_ev_snap_take(r, rec, &snap);
	rc = reg_store_set_profile(&r->store, rec, &p);
	if (rc == 0)
		reg_event_changed(r, &snap, rec, NULL);
	else if (rc == -EINVAL)
		rc = 0; /* lost every IMPU: the HSS sends an RTR for those (6.5.2.2) */
	reg_ev_snap_free(&snap);
	reg_profile_free(p);
	return rc;
}

static int on_ppr(void *ctx, struct msg **ans)
{
	struct registrar *r = ctx;
	struct msg *req = dia_answer_request(*ans);
	struct reg_record *rec;
	char impi[REG_URI_MAX] = "", **impus = NULL;
	const uint8_t *xml;
	size_t len, found = 0, i;
	int rc = 0;

	if (avp_str(dia_find(req, DIA_AVP_USER_NAME), impi, sizeof impi) < 0)
		return dia_set_result(*ans, DIA_MISSING_AVP);
	for (rec = r->store.head; rec; rec = rec->next)
		found += strcmp(rec->impi, impi) == 0;
	if (!found) {
		log_notice("PPR impi=%s: not registered here", impi);
		return dia_set_experimental(*ans, DIA_EXP_ERROR_USER_UNKNOWN);
	}
	if (dia_find_octets(req, CX_AVP_USER_DATA, &xml, &len) < 0) {
		log_info("PPR impi=%s: no User-Data (charging/auth data only)", impi);
		return dia_set_result(*ans, DIA_SUCCESS);
	}
	/* Updating one set may drop another holding the same IMPUs, so the
	 * sets are found again by a first IMPU of each, copied beforehand. */
	impus = calloc(found, sizeof *impus);
	for (rec = r->store.head, i = 0; impus && rec && i < found; rec = rec->next)
		if (strcmp(rec->impi, impi) == 0 && !(impus[i++] = strdup(rec->profile->ids[0].uri)))
			rc = -ENOMEM;
	if (!impus)
		rc = -ENOMEM;
	for (i = 0; rc == 0 && i < found; i++)
		rc = ppr_one(r, impus[i], impi, xml, len);
	for (i = 0; impus && i < found; i++)
		free(impus[i]);
	free(impus);
	r->dirty = true;
	if (rc < 0) {
		log_warn("PPR impi=%s: unusable User-Data: %s", impi, strerror(-rc));
		return dia_set_result(*ans, DIA_UNABLE_TO_COMPLY);
	}
	log_notice("PPR impi=%s: profile replaced in %zu set(s)", impi, found);
	return dia_set_result(*ans, DIA_SUCCESS);
}

int reg_hss_serve(struct registrar *r)
{
	int rc = dia_bridge_serve(r->cx, DIA_APP_CX, CX_CMD_RTR, on_rtr, r);

	if (rc == 0)
		rc = dia_bridge_serve(r->cx, DIA_APP_CX, CX_CMD_PPR, on_ppr, r);
	return rc;
}
