/*
 * dia_dict: builds the Cx/Sh dictionary from the data tables (dict_*.c)
 * into a freeDiameter dictionary, and caches the objects for O(1) lookup.
 *
 * Caches are written once by dia_dict_init(), before freeDiameter's threads
 * use them (dia_start calls it before fd_core_start); afterwards read-only.
 * Redefinition: freeDiameter returns 0 for identical data, so running this
 * after dict_dcca_3gpp was loaded is fine; a conflicting AVP definition is
 * an error, a conflicting rule (other ABNF in another dictionary) a warning.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dia_internal.h"
#include "ims/log.h"

#define BASE_MAX 512
#define TGPP_FIRST 600
#define TGPP_LAST 799

static struct dict_object *g_base[BASE_MAX];
static struct dict_object *g_tgpp[TGPP_LAST - TGPP_FIRST + 1];
static struct dict_object *g_etsi_line;
static struct dict_object *g_cmd[10][2]; /* [code-300][request?] */
static struct dict_object *g_app_obj[2];
static struct dict_object *g_vendor_3gpp;
static struct dictionary *g_done; /* dictionary already defined */

/* Base AVPs freeDiameter defines and the helpers use. */
static const uint32_t base_codes[] = {
	DIA_AVP_USER_NAME, DIA_AVP_HOST_IP_ADDRESS, DIA_AVP_AUTH_APPLICATION_ID,
	DIA_AVP_ACCT_APPLICATION_ID, DIA_AVP_VENDOR_SPECIFIC_APPLICATION_ID,
	DIA_AVP_SESSION_ID, DIA_AVP_ORIGIN_HOST, DIA_AVP_VENDOR_ID,
	DIA_AVP_RESULT_CODE, DIA_AVP_AUTH_SESSION_STATE, DIA_AVP_FAILED_AVP,
	DIA_AVP_ROUTE_RECORD, DIA_AVP_DESTINATION_REALM, DIA_AVP_PROXY_INFO,
	DIA_AVP_REDIRECT_HOST, DIA_AVP_DESTINATION_HOST, DIA_AVP_ORIGIN_REALM,
	DIA_AVP_EXPERIMENTAL_RESULT, DIA_AVP_EXPERIMENTAL_RESULT_CODE,
	DIA_AVP_PRODUCT_NAME, DIA_AVP_DISCONNECT_CAUSE,
};

static struct dict_object **slot(uint32_t vendor, uint32_t code)
{
	if (vendor == DIA_VENDOR_3GPP && code >= TGPP_FIRST && code <= TGPP_LAST)
		return &g_tgpp[code - TGPP_FIRST];
	if (vendor == DIA_VENDOR_ETSI && code == DIA_ETSI_AVP_LINE_IDENTIFIER)
		return &g_etsi_line;
	if (vendor == 0 && code < BASE_MAX)
		return &g_base[code];
	return NULL;
}

static uint32_t implied_vendor(uint32_t code)
{
	return (code >= TGPP_FIRST && code <= TGPP_LAST) ? DIA_VENDOR_3GPP : 0;
}

struct dict_object *dia_avp_vendor(uint32_t vendor, uint32_t code)
{
	struct dict_object **s = slot(vendor, code);
	return s ? *s : NULL;
}

struct dict_object *dia_avp(uint32_t code)
{
	return dia_avp_vendor(implied_vendor(code), code);
}

struct dict_object *dia_cmd(uint32_t code, bool request)
{
	if (code < 300 || code > 309)
		return NULL;
	return g_cmd[code - 300][request ? 1 : 0];
}

struct dict_object *dia_app(unsigned app)
{
	return app == DIA_APP_CX ? g_app_obj[0] : app == DIA_APP_SH ? g_app_obj[1] : NULL;
}

uint32_t dia_app_id(unsigned app)
{
	return app == DIA_APP_CX ? CX_APP_ID : app == DIA_APP_SH ? SH_APP_ID : 0;
}

/* Look an AVP up in dict and cache it. */
static struct dict_object *resolve(struct dictionary *dict, uint32_t vendor, uint32_t code)
{
	struct dict_object **s = slot(vendor, code);
	struct dict_avp_request q = { .avp_vendor = vendor, .avp_code = code };
	struct dict_object *o = NULL;

	if (s && *s)
		return *s;
	if (fd_dict_search(dict, DICT_AVP, AVP_BY_CODE_AND_VENDOR, &q, &o, ENOENT) != 0)
		return NULL;
	if (s)
		*s = o;
	return o;
}

static const char *derived_type_name(enum dia_type t)
{
	switch (t) {
	case DT_UTF8: return "UTF8String";
	case DT_URI: return "DiameterURI";
	case DT_IDENTITY: return "DiameterIdentity";
	case DT_TIME: return "Time";
	case DT_ADDRESS: return "Address";
	default: return NULL;
	}
}

static enum dict_avp_basetype base_type(enum dia_type t)
{
	switch (t) {
	case DT_U32: return AVP_TYPE_UNSIGNED32;
	case DT_U64: return AVP_TYPE_UNSIGNED64;
	case DT_I32:
	case DT_ENUM: return AVP_TYPE_INTEGER32;
	case DT_GROUPED: return AVP_TYPE_GROUPED;
	default: return AVP_TYPE_OCTETSTRING;
	}
}

/* Enumerated types get our own type name ("Enumerated(IMS/<AVP>)") so a
 * later dict_dcca_3gpp, whose names differ, never collides with it. */
static int define_enum_type(struct dictionary *dict, const struct dia_avp_def *d,
			    struct dict_object **type)
{
	char name[128];
	struct dict_type_data td = { .type_base = AVP_TYPE_INTEGER32, .type_name = name };
	int ret;

	snprintf(name, sizeof name, "Enumerated(IMS/%s)", d->name);
	ret = fd_dict_new(dict, DICT_TYPE, &td, NULL, type);
	if (ret != 0)
		goto out;
	for (const struct dia_enum_def *e = d->enums; e && e->name; e++) {
		struct dict_enumval_data ev = { .enum_name = (char *)e->name };
		ev.enum_value.i32 = e->value;
		ret = fd_dict_new(dict, DICT_ENUMVAL, &ev, *type, NULL);
		if (ret != 0)
			goto out;
	}
out:
	if (ret != 0)
		log_err("diameter: dictionary: enumerated type of %s: %s", d->name, strerror(ret));
	return -ret;
}

static int define_avp(struct dictionary *dict, const struct dia_avp_def *d)
{
	struct dict_avp_data ad = {
		.avp_code = d->code, .avp_vendor = d->vendor, .avp_name = (char *)d->name,
		.avp_basetype = base_type(d->type),
	};
	struct dict_object *type = NULL, *obj = NULL;
	const char *tname = derived_type_name(d->type);
	int ret = 0;

	switch (d->flags) {
	case DF_MV:
		ad.avp_flag_mask = AVP_FLAG_VENDOR | AVP_FLAG_MANDATORY;
		ad.avp_flag_val = AVP_FLAG_VENDOR | AVP_FLAG_MANDATORY;
		break;
	case DF_V:
		ad.avp_flag_mask = AVP_FLAG_VENDOR | AVP_FLAG_MANDATORY;
		ad.avp_flag_val = AVP_FLAG_VENDOR;
		break;
	case DF_V_MMAY:
		ad.avp_flag_mask = AVP_FLAG_VENDOR;
		ad.avp_flag_val = AVP_FLAG_VENDOR;
		break;
	case DF_M:
		ad.avp_flag_mask = AVP_FLAG_VENDOR | AVP_FLAG_MANDATORY;
		ad.avp_flag_val = AVP_FLAG_MANDATORY;
		break;
	}
	if (tname) {
		ret = fd_dict_search(dict, DICT_TYPE, TYPE_BY_NAME, tname, &type, ENOENT);
		if (ret != 0) {
			log_err("diameter: dictionary: no type %s for %s", tname, d->name);
			return -ret;
		}
	} else if (d->type == DT_ENUM) {
		ret = define_enum_type(dict, d, &type);
		if (ret != 0)
			return ret;
	}
	ret = fd_dict_new(dict, DICT_AVP, &ad, type, &obj);
	if (ret != 0) {
		log_err("diameter: dictionary: AVP %s (%u/%u): %s", d->name, d->vendor,
			d->code, strerror(ret));
		return -ret;
	}
	if (slot(d->vendor, d->code))
		*slot(d->vendor, d->code) = obj;
	return 0;
}

static int define_rules(struct dictionary *dict, struct dict_object *parent,
			const char *parent_name, const struct dia_rule_def *rules)
{
	unsigned head = 0;

	for (const struct dia_rule_def *r = rules; r->kind; r++) {
		struct dict_rule_data rd = { .rule_min = r->min, .rule_max = r->max };
		int ret;

		rd.rule_avp = resolve(dict, implied_vendor(r->code), r->code);
		if (!rd.rule_avp) {
			log_err("diameter: dictionary: %s: rule for unknown AVP %u", parent_name, r->code);
			return -ENOENT;
		}
		if (r->kind == '<') {
			rd.rule_position = RULE_FIXED_HEAD;
			rd.rule_order = ++head;
		} else {
			rd.rule_position = r->kind == '{' ? RULE_REQUIRED : RULE_OPTIONAL;
		}
		ret = fd_dict_new(dict, DICT_RULE, &rd, parent, NULL);
		if (ret == EEXIST) {
			log_warn("diameter: dictionary: %s: another rule for AVP %u exists, kept",
				 parent_name, r->code);
		} else if (ret != 0) {
			log_err("diameter: dictionary: %s: rule for AVP %u: %s", parent_name,
				r->code, strerror(ret));
			return -ret;
		}
	}
	return 0;
}

static int define_table_avps(struct dictionary *dict, const struct dia_table *t)
{
	for (const struct dia_avp_def *d = t->avps; d->name; d++) {
		int ret = define_avp(dict, d);
		if (ret != 0)
			return ret;
	}
	return 0;
}

static int define_table_rules(struct dictionary *dict, const struct dia_table *t)
{
	int ret = 0;

	for (const struct dia_group_def *g = t->groups; g->rules; g++) {
		struct dict_object *o = dia_avp_vendor(g->vendor, g->code);
		if (!o)
			return -ENOENT;
		ret = define_rules(dict, o, "grouped AVP", g->rules);
		if (ret != 0)
			return ret;
	}
	for (const struct dia_cmd_def *c = t->cmds; c->req_name; c++) {
		struct dict_cmd_data rq = {
			.cmd_code = c->code, .cmd_name = (char *)c->req_name,
			.cmd_flag_mask = CMD_FLAG_REQUEST | CMD_FLAG_PROXIABLE | CMD_FLAG_ERROR,
			.cmd_flag_val = CMD_FLAG_REQUEST | CMD_FLAG_PROXIABLE,
		};
		struct dict_cmd_data an = {
			.cmd_code = c->code, .cmd_name = (char *)c->ans_name,
			.cmd_flag_mask = CMD_FLAG_REQUEST | CMD_FLAG_PROXIABLE,
			.cmd_flag_val = CMD_FLAG_PROXIABLE,
		};
		struct dict_object *app = dia_app(c->app), *req = NULL, *ans = NULL;

		ret = fd_dict_new(dict, DICT_COMMAND, &rq, app, &req);
		if (ret == 0)
			ret = fd_dict_new(dict, DICT_COMMAND, &an, app, &ans);
		if (ret != 0) {
			log_err("diameter: dictionary: command %u: %s", c->code, strerror(ret));
			return -ret;
		}
		g_cmd[c->code - 300][1] = req;
		g_cmd[c->code - 300][0] = ans;
		ret = define_rules(dict, req, c->req_name, c->req_rules);
		if (ret == 0)
			ret = define_rules(dict, ans, c->ans_name, c->ans_rules);
		if (ret != 0)
			return ret;
	}
	return 0;
}

static int define_roots(struct dictionary *dict)
{
	struct dict_vendor_data v3 = { DIA_VENDOR_3GPP, (char *)"3GPP" };
	struct dict_vendor_data ve = { DIA_VENDOR_ETSI, (char *)"ETSI" };
	struct dict_application_data cx = { CX_APP_ID, (char *)"3GPP Cx" };
	struct dict_application_data sh = { SH_APP_ID, (char *)"3GPP Sh" };
	int ret;

	ret = fd_dict_new(dict, DICT_VENDOR, &v3, NULL, &g_vendor_3gpp);
	if (ret == 0)
		ret = fd_dict_new(dict, DICT_VENDOR, &ve, NULL, NULL);
	if (ret == 0)
		ret = fd_dict_new(dict, DICT_APPLICATION, &cx, g_vendor_3gpp, &g_app_obj[0]);
	if (ret == 0)
		ret = fd_dict_new(dict, DICT_APPLICATION, &sh, g_vendor_3gpp, &g_app_obj[1]);
	if (ret != 0)
		log_err("diameter: dictionary: vendor/application: %s", strerror(ret));
	return -ret;
}

int dia_dict_init(struct dictionary *dict)
{
	const struct dia_table *tables[] = { &dia_table_base, &dia_table_cx, &dia_table_sh };
	int ret;

	if (!dict)
		return -EINVAL;
	/* fd_dict_new accepts identical data again but leaks the copied name
	 * (freeDiameter 1.2.1), so define once per dictionary. */
	if (g_done == dict)
		return 0;
	ret = define_roots(dict);
	if (ret != 0)
		return ret;
	for (size_t i = 0; i < sizeof base_codes / sizeof base_codes[0]; i++) {
		if (!resolve(dict, 0, base_codes[i])) {
			log_err("diameter: dictionary: base AVP %u missing", base_codes[i]);
			return -ENOENT;
		}
	}
	/* All AVPs first: grouped rules and commands refer across tables. */
	for (size_t i = 0; i < 3; i++) {
		ret = define_table_avps(dict, tables[i]);
		if (ret != 0)
			return ret;
	}
	for (size_t i = 0; i < 3; i++) {
		ret = define_table_rules(dict, tables[i]);
		if (ret != 0)
			return ret;
	}
	g_done = dict;
	return 0;
}
