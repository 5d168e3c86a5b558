/* cxctl build: the AVPs of UAR, MAR, SAR, LIR (TS 29.229 6.1). */
#include "cxctl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ims/diameter.h"

static int hex_decode(const char *hex, uint8_t *out, size_t cap, size_t *len)
{
	size_t n = strlen(hex);

	if (n % 2 || n / 2 > cap)
		return -EINVAL;
	for (size_t i = 0; i < n / 2; i++) {
		char b[3] = { hex[2 * i], hex[2 * i + 1], 0 };
		char *end;
		out[i] = (uint8_t)strtoul(b, &end, 16);
		if (*end)
			return -EINVAL;
	}
	*len = n / 2;
	return 0;
}

static int add_opt_str(struct msg *req, uint32_t code, const char *s)
{
	return s ? dia_add_utf8(req, code, s) : 0;
}

static int build_mar(const struct cxctl_opts *o, struct msg *req)
{
	struct avp *item = NULL;
	uint8_t auth[64];
	size_t len = 0;
	int ret = dia_add_u32(req, CX_AVP_SIP_NUMBER_AUTH_ITEMS, (uint32_t)o->items);

	if (ret == 0)
		ret = dia_add_group(req, CX_AVP_SIP_AUTH_DATA_ITEM, &item);
	if (ret == 0)
		ret = dia_add_utf8(item, CX_AVP_SIP_AUTHENTICATION_SCHEME,
				   o->scheme ? o->scheme : CX_AUTH_SCHEME_UNKNOWN);
	if (ret == 0 && o->auth_hex) {
		ret = hex_decode(o->auth_hex, auth, sizeof auth, &len);
		if (ret == 0)
			ret = dia_add_octets(item, CX_AVP_SIP_AUTHORIZATION, auth, len);
	}
	if (ret == 0)
		ret = add_opt_str(req, CX_AVP_SERVER_NAME, o->server);
	return ret;
}

int cxctl_build(uint32_t cmd, const struct cxctl_opts *o, struct msg *req)
{
	int ret = 0;

	if (cmd != CX_CMD_LIR)
		ret = add_opt_str(req, DIA_AVP_USER_NAME, o->impi);
	if (ret == 0)
		ret = add_opt_str(req, CX_AVP_PUBLIC_IDENTITY, o->impu);
	if (ret != 0)
		return ret;
	switch (cmd) {
	case CX_CMD_UAR:
		if (!o->no_visited)
			ret = dia_add_utf8(req, CX_AVP_VISITED_NETWORK_IDENTIFIER,
					   o->visited ? o->visited : "open-ims.test");
		if (ret == 0 && o->type >= 0)
			ret = dia_add_i32(req, CX_AVP_USER_AUTHORIZATION_TYPE, (int32_t)o->type);
		return ret;
	case CX_CMD_MAR:
		return build_mar(o, req);
	case CX_CMD_SAR:
		ret = add_opt_str(req, CX_AVP_SERVER_NAME, o->server);
		if (ret == 0)
			ret = dia_add_i32(req, CX_AVP_SERVER_ASSIGNMENT_TYPE,
					  (int32_t)(o->type >= 0 ? o->type : CX_SAT_REGISTRATION));
		if (ret == 0)
			ret = dia_add_i32(req, CX_AVP_USER_DATA_ALREADY_AVAILABLE,
					  o->data_available ? 1 : 0);
		return ret;
	case CX_CMD_LIR:
		return 0;
	default:
		return -EINVAL;
	}
}
