/* cxctl print: one "Path=value" line per AVP of an answer. */
#include "cxctl.h"

#include <string.h>

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>

#include "ims/diameter.h"

/* Octets that are text print as text (control characters escaped);
 * anything else as 0x-prefixed hex. */
static void print_octets(FILE *out, const uint8_t *p, size_t n, bool text)
{
	if (!text) {
		fputs("0x", out);
		for (size_t i = 0; i < n; i++)
			fprintf(out, "%02x", p[i]);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\n')
			fputs("\\n", out);
		else if (p[i] < 0x20 || p[i] == 0x7f || p[i] == '\\')
			fprintf(out, "\\x%02x", p[i]);
		else
			fputc(p[i], out);
	}
}

/* AVPs whose OctetString carries binary data (TS 29.229 6.3). */
static bool is_binary(uint32_t vendor, uint32_t code)
{
	return vendor == DIA_VENDOR_3GPP &&
	       (code == CX_AVP_SIP_AUTHENTICATE || code == CX_AVP_SIP_AUTHORIZATION ||
		code == CX_AVP_CONFIDENTIALITY_KEY || code == CX_AVP_INTEGRITY_KEY);
}

static void print_avp(FILE *out, struct avp *avp, const char *prefix, const char *ud_out)
{
	struct dict_avp_data dd = { 0 };
	struct dict_object *model = NULL;
	struct avp_hdr *h = NULL;
	char path[256], name[64];

	if (fd_msg_avp_hdr(avp, &h) != 0)
		return;
	if (fd_msg_model(avp, &model) == 0 && model && fd_dict_getval(model, &dd) == 0)
		snprintf(name, sizeof name, "%s", dd.avp_name);
	else
		snprintf(name, sizeof name, "AVP-%u-%u", h->avp_vendor, h->avp_code);
	snprintf(path, sizeof path, "%s%s%s", prefix, prefix[0] ? "." : "", name);
	if (!h->avp_value) {  /* grouped */
		struct avp *c = NULL;
		if (fd_msg_browse(avp, MSG_BRW_FIRST_CHILD, &c, NULL) != 0)
			return;
		if (!c)
			fprintf(out, "%s={}\n", path);
		for (; c; fd_msg_browse(c, MSG_BRW_NEXT, &c, NULL))
			print_avp(out, c, path, ud_out);
		return;
	}
	fprintf(out, "%s=", path);
	switch (dd.avp_basetype) {
	case AVP_TYPE_INTEGER32:
		fprintf(out, "%d", h->avp_value->i32);
		break;
	case AVP_TYPE_UNSIGNED32:
		fprintf(out, "%u", h->avp_value->u32);
		break;
	case AVP_TYPE_UNSIGNED64:
		fprintf(out, "%llu", (unsigned long long)h->avp_value->u64);
		break;
	default:
		print_octets(out, h->avp_value->os.data, h->avp_value->os.len,
			     !is_binary(h->avp_vendor, h->avp_code));
		if (ud_out && h->avp_vendor == DIA_VENDOR_3GPP && h->avp_code == CX_AVP_USER_DATA) {
			FILE *f = fopen(ud_out, "w");
			if (f) {
				fwrite(h->avp_value->os.data, 1, h->avp_value->os.len, f);
				fclose(f);
			}
		}
		break;
	}
	fputc('\n', out);
}

/* freeDiameter 1.2.1 appends Route-Record = <sending peer> to every message
 * it receives (fd_msg_source_setrr, for its own routing), answers included;
 * that AVP was never on the wire (checked with tshark), so it is not shown. */
static bool added_on_receipt(struct msg *msg, struct avp *avp)
{
	struct avp_hdr *h = NULL;
	DiamId_t src = NULL;
	size_t len = 0;

	if (fd_msg_avp_hdr(avp, &h) != 0 || h->avp_code != DIA_AVP_ROUTE_RECORD ||
	    h->avp_vendor != 0 || !h->avp_value)
		return false;
	if (fd_msg_source_get(msg, &src, &len) != 0 || !src)
		return false;
	return h->avp_value->os.len == len && memcmp(h->avp_value->os.data, src, len) == 0;
}

void cxctl_print_avps(FILE *out, struct msg *msg, const char *user_data_out)
{
	struct avp *avp = NULL;

	if (fd_msg_browse(msg, MSG_BRW_FIRST_CHILD, &avp, NULL) != 0)
		return;
	for (; avp; fd_msg_browse(avp, MSG_BRW_NEXT, &avp, NULL)) {
		if (!added_on_receipt(msg, avp))
			print_avp(out, avp, "", user_data_out);
	}
}

/* "header=CODE/APP" and the E bit (RFC 6733 3: set on protocol errors). */
static void print_header(FILE *out, struct msg *ans)
{
	struct msg_hdr *h = NULL;

	if (fd_msg_hdr(ans, &h) != 0)
		return;
	fprintf(out, "header=%u/%u%s\n", (unsigned)h->msg_code, (unsigned)h->msg_appl,
		(h->msg_flags & CMD_FLAG_ERROR) ? " E" : "");
}

void cxctl_print(FILE *out, struct msg *ans, const char *user_data_out)
{
	uint32_t code = 0;
	bool exp = false;

	if (dia_answer_result(ans, &code, &exp) == 0)
		fprintf(out, "result=%s:%u\n", exp ? "exp" : "base", code);
	else
		fprintf(out, "result=none\n");
	print_header(out, ans);
	cxctl_print_avps(out, ans, user_data_out);
}
