/*
 * dia_avp: thin, error-returning helpers that add AVPs to a message or a
 * grouped AVP. The dictionary object comes from the dia_dict caches, so the
 * AVP flags and vendor are those of our tables.
 */
#include <errno.h>
#include <string.h>

#include "dia_internal.h"

/* Create an AVP for code, set its value (if val), append it to parent. */
static int add_avp(void *parent, uint32_t code, union avp_value *val, struct avp **out)
{
	struct dict_object *model = dia_avp(code);
	struct avp *avp = NULL;
	int ret;

	if (!parent || !model)
		return -EINVAL;
	ret = fd_msg_avp_new(model, 0, &avp);
	if (ret != 0)
		return dia_neg(ret);
	if (val) {
		ret = fd_msg_avp_setvalue(avp, val);
		if (ret != 0)
			goto out;
	}
	ret = fd_msg_avp_add(parent, MSG_BRW_LAST_CHILD, avp);
	if (ret != 0)
		goto out;
	if (out)
		*out = avp;
	avp = NULL;
out:
	if (avp)
		fd_msg_free(avp);
	return dia_neg(ret);
}

int dia_add_octets(void *parent, uint32_t code, const uint8_t *p, size_t len)
{
	union avp_value v = { .os = { .data = (uint8_t *)p, .len = len } };

	if (!p && len)
		return -EINVAL;
	return add_avp(parent, code, &v, NULL); /* the value is copied */
}

int dia_add_utf8(void *parent, uint32_t code, const char *s)
{
	if (!s)
		return -EINVAL;
	return dia_add_octets(parent, code, (const uint8_t *)s, strlen(s));
}

int dia_add_u32(void *parent, uint32_t code, uint32_t v)
{
	union avp_value val = { .u32 = v };
	return add_avp(parent, code, &val, NULL);
}

int dia_add_u64(void *parent, uint32_t code, uint64_t v)
{
	union avp_value val = { .u64 = v };
	return add_avp(parent, code, &val, NULL);
}

int dia_add_i32(void *parent, uint32_t code, int32_t v)
{
	union avp_value val = { .i32 = v };
	return add_avp(parent, code, &val, NULL);
}

int dia_add_address(void *parent, uint32_t code, const struct sockaddr *sa)
{
	struct dict_object *model = dia_avp(code);
	struct avp *avp = NULL;
	int ret;

	if (!parent || !model || !sa)
		return -EINVAL;
	ret = fd_msg_avp_new(model, 0, &avp);
	if (ret == 0) /* the Address type's encoder handles v4 and v6 */
		ret = fd_msg_avp_value_encode((void *)sa, avp);
	if (ret == 0)
		ret = fd_msg_avp_add(parent, MSG_BRW_LAST_CHILD, avp);
	if (ret != 0 && avp)
		fd_msg_free(avp);
	return dia_neg(ret);
}

int dia_add_group(void *parent, uint32_t code, struct avp **group)
{
	if (!group)
		return -EINVAL;
	*group = NULL;
	return add_avp(parent, code, NULL, group);
}

int dia_add_app_ids(struct msg *msg, unsigned app)
{
	struct avp *vsai = NULL;
	uint32_t id = dia_app_id(app);
	int ret;

	if (!id)
		return -EINVAL;
	ret = dia_add_group(msg, DIA_AVP_VENDOR_SPECIFIC_APPLICATION_ID, &vsai);
	if (ret == 0)
		ret = dia_add_u32(vsai, DIA_AVP_VENDOR_ID, DIA_VENDOR_3GPP);
	if (ret == 0)
		ret = dia_add_u32(vsai, DIA_AVP_AUTH_APPLICATION_ID, id);
	if (ret == 0) /* NO_STATE_MAINTAINED, TS 29.229 6.1 */
		ret = dia_add_i32(msg, DIA_AVP_AUTH_SESSION_STATE, 1);
	return ret;
}

int dia_set_result(struct msg *ans, uint32_t result_code)
{
	struct msg_hdr *hdr = NULL;
	int ret = dia_add_u32(ans, DIA_AVP_RESULT_CODE, result_code);

	/* Protocol errors (3xxx) are sent with the E bit, RFC 6733 7.1.3. */
	if (ret == 0 && result_code >= 3000 && result_code < 4000) {
		ret = dia_neg(fd_msg_hdr(ans, &hdr));
		if (ret == 0)
			hdr->msg_flags |= CMD_FLAG_ERROR;
	}
	return ret;
}

int dia_set_experimental(struct msg *ans, uint32_t exp_code)
{
	struct avp *er = NULL;
	int ret = dia_add_group(ans, DIA_AVP_EXPERIMENTAL_RESULT, &er);

	if (ret == 0)
		ret = dia_add_u32(er, DIA_AVP_VENDOR_ID, DIA_VENDOR_3GPP);
	if (ret == 0)
		ret = dia_add_u32(er, DIA_AVP_EXPERIMENTAL_RESULT_CODE, exp_code);
	return ret;
}
