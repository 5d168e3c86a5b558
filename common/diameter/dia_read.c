/*
 * dia_read: find AVPs in a parsed message or grouped AVP and read values.
 *
 * Works on the AVP headers (code + vendor), so it needs no dictionary
 * search; values are available once fd_msg_parse_dict ran (freeDiameter
 * does it for every received message). Never trusts the peer: a missing
 * or unparsed value is -ENOENT, never a crash.
 */
#include <errno.h>

#include "dia_internal.h"

static uint32_t implied_vendor(uint32_t code)
{
	return (code >= 600 && code <= 799) ? DIA_VENDOR_3GPP : 0;
}

static bool avp_is(struct avp *avp, uint32_t vendor, uint32_t code)
{
	struct avp_hdr *h = NULL;

	if (fd_msg_avp_hdr(avp, &h) != 0 || !h)
		return false;
	return h->avp_code == code && h->avp_vendor == vendor;
}

struct avp *dia_find(void *parent, uint32_t code)
{
	uint32_t vendor = implied_vendor(code);
	struct avp *avp = NULL;

	if (!parent || fd_msg_browse(parent, MSG_BRW_FIRST_CHILD, &avp, NULL) != 0)
		return NULL;
	while (avp && !avp_is(avp, vendor, code)) {
		if (fd_msg_browse(avp, MSG_BRW_NEXT, &avp, NULL) != 0)
			return NULL;
	}
	return avp;
}

struct avp *dia_find_deep(void *parent, uint32_t code)
{
	uint32_t vendor = implied_vendor(code);
	struct avp *avp = NULL;
	int depth = 0;

	/* MSG_BRW_WALK visits the whole tree depth first. */
	if (!parent || fd_msg_browse(parent, MSG_BRW_FIRST_CHILD, &avp, &depth) != 0)
		return NULL;
	while (avp && !avp_is(avp, vendor, code)) {
		if (fd_msg_browse(avp, MSG_BRW_WALK, &avp, &depth) != 0 || depth <= 0)
			return NULL;
	}
	return avp;
}

struct avp *dia_next_same(struct avp *avp)
{
	struct avp_hdr *h = NULL;
	uint32_t vendor, code;

	if (!avp || fd_msg_avp_hdr(avp, &h) != 0 || !h)
		return NULL;
	vendor = h->avp_vendor;
	code = h->avp_code;
	do {
		if (fd_msg_browse(avp, MSG_BRW_NEXT, &avp, NULL) != 0)
			return NULL;
	} while (avp && !avp_is(avp, vendor, code));
	return avp;
}

static int value_of(struct avp *avp, union avp_value **v)
{
	struct avp_hdr *h = NULL;

	if (!avp)
		return -ENOENT;
	if (fd_msg_avp_hdr(avp, &h) != 0 || !h)
		return -EINVAL;
	if (!h->avp_value)
		return -ENOENT;
	*v = h->avp_value;
	return 0;
}

int dia_get_octets(struct avp *avp, const uint8_t **p, size_t *len)
{
	union avp_value *v = NULL;
	int ret = value_of(avp, &v);

	if (ret == 0) {
		*p = v->os.data;
		*len = v->os.len;
	}
	return ret;
}

int dia_get_u32(struct avp *avp, uint32_t *out)
{
	union avp_value *v = NULL;
	int ret = value_of(avp, &v);

	if (ret == 0)
		*out = v->u32; /* Integer32/Enumerated share the storage */
	return ret;
}

int dia_get_u64(struct avp *avp, uint64_t *out)
{
	union avp_value *v = NULL;
	int ret = value_of(avp, &v);

	if (ret == 0)
		*out = v->u64;
	return ret;
}

int dia_find_u32(void *parent, uint32_t code, uint32_t *v)
{
	return dia_get_u32(dia_find(parent, code), v);
}

int dia_find_octets(void *parent, uint32_t code, const uint8_t **p, size_t *len)
{
	return dia_get_octets(dia_find(parent, code), p, len);
}

int dia_answer_result(struct msg *ans, uint32_t *code, bool *experimental)
{
	struct avp *er;

	if (dia_find_u32(ans, DIA_AVP_RESULT_CODE, code) == 0) {
		*experimental = false;
		return 0;
	}
	er = dia_find(ans, DIA_AVP_EXPERIMENTAL_RESULT);
	if (er && dia_find_u32(er, DIA_AVP_EXPERIMENTAL_RESULT_CODE, code) == 0) {
		*experimental = true;
		return 0;
	}
	return -ENOENT;
}
