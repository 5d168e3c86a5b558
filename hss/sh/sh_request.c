/* sh_request: reading what every Sh request carries (Origin-Host,
 * User-Identity) and writing outcomes; see sh_internal.h. */
#include "sh/sh_internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ims/diameter.h"
#include "ims/log.h"

int sh_get_text(void *parent, uint32_t code, char *buf, size_t len)
{
	const uint8_t *p;
	size_t n;
	int ret = dia_find_octets(parent, code, &p, &n);

	if (ret != 0)
		return ret;
	if (n == 0 || n >= len || memchr(p, '\0', n))
		return -EINVAL;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return 0;
}

int sh_get_texts(void *parent, uint32_t code, char (*v)[STORE_SH_SI_MAX], size_t max,
		 size_t *n)
{
	const uint8_t *p;
	size_t len;

	*n = 0;
	for (struct avp *a = dia_find(parent, code); a; a = dia_next_same(a)) {
		if (*n == max || dia_get_octets(a, &p, &len) != 0 || len == 0 ||
		    len >= STORE_SH_SI_MAX || memchr(p, '\0', len))
			return -EINVAL;
		memcpy(v[*n], p, len);
		v[*n][len] = '\0';
		(*n)++;
	}
	return 0;
}

int sh_msisdn_to_tel(const uint8_t *p, size_t n, char *buf, size_t len)
{
	size_t o = 0;

	/* TBCD (TS 29.329 6.3.2 -> TS 23.003 / TS 29.002): two digits per
	 * octet, low nibble first, 0xF filler in the last high nibble. */
	if (n == 0 || len < 6)
		return -EINVAL;
	memcpy(buf, "tel:+", 5);
	o = 5;
	for (size_t i = 0; i < n; i++) {
		unsigned int d[2] = { p[i] & 0x0fu, p[i] >> 4 };
		for (int k = 0; k < 2; k++) {
			if (d[k] == 0xf && i == n - 1 && k == 1)
				break;
			if (d[k] > 9 || o + 1 >= len)
				return -EINVAL;
			buf[o++] = (char)('0' + d[k]);
		}
	}
	buf[o] = '\0';
	return 0;
}

struct sh_result sh_result_of_store(int err, const char *proc)
{
	if (err == -ENOENT)
		return SH_EXP(SH_EXP_USER_UNKNOWN);
	log_err("%s: database error: %s", proc, strerror(-err));
	return SH_BASE(DIA_UNABLE_TO_COMPLY);
}

int sh_result_set(struct msg *ans, struct sh_result r, uint32_t failed_avp)
{
	struct avp *failed = NULL;
	int ret = r.exp ? dia_set_experimental(ans, r.code) : dia_set_result(ans, r.code);

	/* RFC 6733 7.5: Failed-AVP carries an example of the missing AVP. */
	if (ret == 0 && failed_avp && !r.exp && r.code == DIA_MISSING_AVP &&
	    dia_add_group(ans, DIA_AVP_FAILED_AVP, &failed) == 0) {
		if (failed_avp == SH_AVP_USER_IDENTITY || failed_avp == SH_AVP_DATA_REFERENCE) {
			struct avp *g = NULL;
			if (failed_avp == SH_AVP_USER_IDENTITY)
				(void)dia_add_group(failed, failed_avp, &g);
			else
				(void)dia_add_i32(failed, failed_avp, 0);
		} else {
			(void)dia_add_utf8(failed, failed_avp, "");
		}
	}
	return ret;
}

/* User-Identity {Public-Identity | MSISDN} (TS 29.329 6.3.1) -> impu. */
static int user_identity(struct msg *req, char *impu, size_t len)
{
	struct avp *ui = dia_find(req, SH_AVP_USER_IDENTITY);
	const uint8_t *p;
	size_t n;

	if (!ui)
		return -ENOENT;
	if (sh_get_text(ui, CX_AVP_PUBLIC_IDENTITY, impu, len) == 0)
		return 0;
	if (dia_find_octets(ui, SH_AVP_MSISDN, &p, &n) == 0)
		return sh_msisdn_to_tel(p, n, impu, len);
	return -ENOENT;
}

bool sh_req_read(struct store *st, struct msg *req, const char *proc,
		 struct sh_req *r, struct sh_result *res)
{
	int ret;

	memset(r, 0, sizeof(*r));
	if (sh_get_text(req, DIA_AVP_ORIGIN_HOST, r->origin, sizeof r->origin) != 0) {
		*res = SH_BASE(DIA_MISSING_AVP);
		return false;
	}
	ret = user_identity(req, r->pu.identity, sizeof r->pu.identity);
	if (ret != 0) {
		log_notice("%s from %s: no usable User-Identity", proc, r->origin);
		*res = SH_BASE(ret == -ENOENT ? DIA_MISSING_AVP : DIA_INVALID_AVP_VALUE);
		return false;
	}
	char impu[STORE_IDENTITY_MAX];
	memcpy(impu, r->pu.identity, sizeof impu);
	ret = store_impu_get(st, impu, &r->pu);
	if (ret == -ENOENT)   /* TS 29.328 6.1.1.1: a wildcarded PSI matches too */
		ret = store_wildcard_psi_find(st, impu, &r->pu);
	if (ret != 0) {
		log_info("%s from %s impu=%s: %s", proc, r->origin, impu,
			 ret == -ENOENT ? "unknown user" : strerror(-ret));
		*res = sh_result_of_store(ret, proc);
		return false;
	}
	ret = store_sh_as_by_host(st, r->origin, &r->as);
	if (ret == 0) {
		r->as_known = true;
	} else if (ret == -ENOENT) {
		memset(&r->as, 0, sizeof r->as);   /* no permissions at all */
	} else {
		*res = sh_result_of_store(ret, proc);
		return false;
	}
	return true;
}
