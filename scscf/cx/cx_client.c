/* cx_client: MAR/SAR building and MAA/SAA reading; see cx_client.h. */
#include "cx_client.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdproto.h>

static int str_ok(const char *s)
{
	return s && *s;
}

int cxc_mar_build(const struct cxc_dest *dst, const struct cxc_mar *m, struct msg **out)
{
	struct msg *req = NULL;
	struct avp *item = NULL;
	int rc;

	*out = NULL;
	if (!str_ok(m->impi) || !str_ok(m->impu) || !str_ok(m->server_name) || !str_ok(m->scheme))
		return -EINVAL;
	rc = dia_new_request(DIA_APP_CX, CX_CMD_MAR, dst->realm, dst->host, &req);
	if (rc < 0)
		return rc;
	if ((rc = dia_add_utf8(req, DIA_AVP_USER_NAME, m->impi)) < 0 ||
	    (rc = dia_add_utf8(req, CX_AVP_PUBLIC_IDENTITY, m->impu)) < 0 ||
	    (rc = dia_add_u32(req, CX_AVP_SIP_NUMBER_AUTH_ITEMS, 1)) < 0 ||
	    (rc = dia_add_group(req, CX_AVP_SIP_AUTH_DATA_ITEM, &item)) < 0 ||
	    (rc = dia_add_utf8(item, CX_AVP_SIP_AUTHENTICATION_SCHEME, m->scheme)) < 0)
		goto out;
	if (m->resync &&
	    (rc = dia_add_octets(item, CX_AVP_SIP_AUTHORIZATION, m->resync, m->resync_len)) < 0)
		goto out;
	if ((rc = dia_add_utf8(req, CX_AVP_SERVER_NAME, m->server_name)) < 0)
		goto out;
	*out = req;
	req = NULL;
out:
	if (req)
		fd_msg_free(req);
	return rc;
}

static int copy_fixed(struct avp *parent, uint32_t code, uint8_t *dst, size_t want)
{
	const uint8_t *p;
	size_t len;
	int rc = dia_find_octets(parent, code, &p, &len);

	if (rc < 0)
		return rc;
	if (len != want)
		return -EBADMSG;
	memcpy(dst, p, want);
	return 0;
}

static int parse_digest(struct avp *item, struct cxc_auth_item *it)
{
	struct avp *g = dia_find(item, CX_AVP_SIP_DIGEST_AUTHENTICATE);
	const uint8_t *p;
	size_t len, i;

	if (!g)
		return -ENOENT;
	if (dia_find_octets(g, DIA_AVP_DIGEST_HA1, &p, &len) < 0 || len != 32)
		return -EBADMSG;
	for (i = 0; i < len; i++) {
		if (!isxdigit(p[i]))
			return -EBADMSG;
		it->ha1[i] = (char)tolower(p[i]);
	}
	it->ha1[len] = '\0';
	if (dia_find_octets(g, DIA_AVP_DIGEST_REALM, &p, &len) == 0 && len < sizeof it->realm &&
	    !memchr(p, '\0', len)) {
		memcpy(it->realm, p, len);
		it->realm[len] = '\0';
	}
	return 0;
}

int cxc_maa_parse(struct msg *maa, struct cxc_auth_item *it)
{
	struct avp *item = dia_find(maa, CX_AVP_SIP_AUTH_DATA_ITEM);
	const uint8_t *p;
	size_t len;
	int rc;

	memset(it, 0, sizeof *it);
	if (!item)
		return -ENOENT;
	rc = dia_find_octets(item, CX_AVP_SIP_AUTHENTICATION_SCHEME, &p, &len);
	if (rc < 0)
		return -EBADMSG;
	if (len == strlen(CX_AUTH_SCHEME_SIP_DIGEST) &&
	    memcmp(p, CX_AUTH_SCHEME_SIP_DIGEST, len) == 0)
		return parse_digest(item, it) < 0 ? -EBADMSG : 0;
	if (len != strlen(CX_AUTH_SCHEME_AKAV1_MD5) || memcmp(p, CX_AUTH_SCHEME_AKAV1_MD5, len) != 0)
		return -EBADMSG;
	it->aka = true;
	/* SIP-Authenticate = RAND || AUTN (TS 29.229 6.3.12). */
	if (dia_find_octets(item, CX_AVP_SIP_AUTHENTICATE, &p, &len) < 0 ||
	    len < DIGEST_AKA_RAND_LEN + DIGEST_AKA_AUTN_LEN)
		return -EBADMSG;
	memcpy(it->rand, p, DIGEST_AKA_RAND_LEN);
	memcpy(it->autn, p + DIGEST_AKA_RAND_LEN, DIGEST_AKA_AUTN_LEN);
	/* SIP-Authorization = XRES, 4..16 octets (TS 33.102 6.3.7). */
	if (dia_find_octets(item, CX_AVP_SIP_AUTHORIZATION, &p, &len) < 0 ||
	    len < DIGEST_AKA_RES_MIN || len > DIGEST_AKA_RES_MAX)
		return -EBADMSG;
	memcpy(it->xres, p, len);
	it->xres_len = len;
	if (copy_fixed(item, CX_AVP_CONFIDENTIALITY_KEY, it->ck, sizeof it->ck) == 0 &&
	    copy_fixed(item, CX_AVP_INTEGRITY_KEY, it->ik, sizeof it->ik) == 0)
		it->has_keys = true;
	return 0;
}

int cxc_sar_build(const struct cxc_dest *dst, const struct cxc_sar *s, struct msg **out)
{
	struct msg *req = NULL;
	int rc;

	*out = NULL;
	if (!str_ok(s->impu) || !str_ok(s->server_name))
		return -EINVAL;
	rc = dia_new_request(DIA_APP_CX, CX_CMD_SAR, dst->realm, dst->host, &req);
	if (rc < 0)
		return rc;
	if (str_ok(s->impi) && (rc = dia_add_utf8(req, DIA_AVP_USER_NAME, s->impi)) < 0)
		goto out;
	if ((rc = dia_add_utf8(req, CX_AVP_PUBLIC_IDENTITY, s->impu)) < 0 ||
	    (rc = dia_add_utf8(req, CX_AVP_SERVER_NAME, s->server_name)) < 0 ||
	    (rc = dia_add_i32(req, CX_AVP_SERVER_ASSIGNMENT_TYPE, (int32_t)s->type)) < 0 ||
	    (rc = dia_add_i32(req, CX_AVP_USER_DATA_ALREADY_AVAILABLE,
			      s->data_available ? CX_USER_DATA_ALREADY_AVAILABLE
						: CX_USER_DATA_NOT_AVAILABLE)) < 0)
		goto out;
	*out = req;
	req = NULL;
out:
	if (req)
		fd_msg_free(req);
	return rc;
}

int cxc_saa_user_data(struct msg *saa, const char **xml, size_t *len)
{
	const uint8_t *p;
	int rc = dia_find_octets(saa, CX_AVP_USER_DATA, &p, len);

	if (rc < 0)
		return rc;
	*xml = (const char *)p;
	return 0;
}
