/* ims-shctl: building UDR/PUR/SNR and printing answers (shctl.h). */
#include "shctl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>

#include "ims/diameter.h"
#include "store/store_sh.h"

long shctl_ref(const char *s)
{
	char *end;
	long v;
	int r = store_sh_dref_parse(s);

	if (r >= 0)
		return r;
	v = strtol(s, &end, 10);
	return (*s && !*end && v >= 0 && v < 64) ? v : -1;
}

/* digits -> TBCD (TS 29.329 6.3.2), low nibble first, 0xF filler. */
static int tbcd(const char *digits, uint8_t *out, size_t *len)
{
	size_t n = strlen(digits);

	if (n == 0 || (n + 1) / 2 > *len)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (digits[i] < '0' || digits[i] > '9')
			return -EINVAL;
	}
	for (size_t i = 0; i < (n + 1) / 2; i++) {
		uint8_t lo = (uint8_t)(digits[2 * i] - '0');
		uint8_t hi = 2 * i + 1 < n ? (uint8_t)(digits[2 * i + 1] - '0') : 0xf;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	*len = (n + 1) / 2;
	return 0;
}

static int add_user_identity(struct msg *req, const struct shctl_opts *o)
{
	struct avp *ui = NULL;
	uint8_t b[16];
	size_t n = sizeof b;
	int ret;

	if (o->no_identity)
		return 0;   /* for the malformed-request test */
	ret = dia_add_group(req, SH_AVP_USER_IDENTITY, &ui);
	if (ret == 0 && o->msisdn) {
		ret = tbcd(o->msisdn, b, &n);
		if (ret == 0)
			ret = dia_add_octets(ui, SH_AVP_MSISDN, b, n);
	} else if (ret == 0) {
		ret = dia_add_utf8(ui, CX_AVP_PUBLIC_IDENTITY, o->user);
	}
	return ret;
}

int shctl_build(uint32_t cmd, const struct shctl_opts *o, struct msg *req)
{
	int ret = add_user_identity(req, o);

	for (size_t i = 0; ret == 0 && i < o->n_si; i++)
		ret = dia_add_octets(req, SH_AVP_SERVICE_INDICATION, (const uint8_t *)o->si[i],
				     strlen(o->si[i]));
	for (size_t i = 0; ret == 0 && i < o->n_tags; i++)
		ret = dia_add_octets(req, SH_AVP_DSAI_TAG, (const uint8_t *)o->dsai_tags[i],
				     strlen(o->dsai_tags[i]));
	if (ret == 0 && o->server_name)
		ret = dia_add_utf8(req, CX_AVP_SERVER_NAME, o->server_name);
	if (ret == 0 && cmd == SH_CMD_SNR)
		ret = dia_add_i32(req, SH_AVP_SUBS_REQ_TYPE,
				  o->unsubscribe ? SH_UNSUBSCRIBE : SH_SUBSCRIBE);
	for (size_t i = 0; ret == 0 && i < o->n_refs; i++)
		ret = dia_add_i32(req, SH_AVP_DATA_REFERENCE, (int32_t)o->refs[i]);
	for (size_t i = 0; ret == 0 && i < o->n_sets; i++)
		ret = dia_add_i32(req, SH_AVP_IDENTITY_SET, (int32_t)o->sets[i]);
	if (ret == 0 && cmd == SH_CMD_SNR && o->one_time)
		ret = dia_add_i32(req, SH_AVP_ONE_TIME_NOTIFICATION,
				  SH_ONE_TIME_NOTIFICATION_REQUESTED);
	if (ret == 0 && cmd == SH_CMD_SNR && o->send_data)
		ret = dia_add_i32(req, SH_AVP_SEND_DATA_INDICATION, SH_USER_DATA_REQUESTED);
	if (ret == 0 && cmd == SH_CMD_SNR && o->expiry_s > 0) {
		/* Time: NTP seconds (RFC 6733 4.3.1). */
		uint32_t ntp = (uint32_t)((uint64_t)time(NULL) + (uint64_t)o->expiry_s + 2208988800u);
		uint8_t b[4] = { ntp >> 24, ntp >> 16, ntp >> 8, ntp };
		ret = dia_add_octets(req, SH_AVP_EXPIRY_TIME, b, 4);
	}
	if (ret == 0 && cmd == SH_CMD_PUR && o->data)
		ret = dia_add_octets(req, SH_AVP_USER_DATA, (const uint8_t *)o->data, o->data_len);
	return ret;
}

/* Octets printed as text with line breaks folded to spaces. */
static void print_text(FILE *out, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fputc(p[i] == '\n' || p[i] == '\r' ? ' ' : p[i], out);
	fputc('\n', out);
}

uint32_t shctl_print(FILE *out, struct msg *ans, bool *exp)
{
	const uint8_t *p;
	size_t n;
	uint32_t code = 0;

	*exp = false;
	if (dia_answer_result(ans, &code, exp) == 0)
		fprintf(out, "result=%s:%u\n", *exp ? "exp" : "base", code);
	else
		fprintf(out, "result=none\n");
	if (dia_find_octets(ans, SH_AVP_EXPIRY_TIME, &p, &n) == 0 && n == 4) {
		uint32_t ntp = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
		fprintf(out, "Expiry-Time=%lu\n", (unsigned long)(ntp - 2208988800u));
	}
	if (dia_find_octets(ans, SH_AVP_USER_DATA, &p, &n) == 0) {
		fputs("User-Data=", out);
		print_text(out, p, n);
	}
	return code;
}
