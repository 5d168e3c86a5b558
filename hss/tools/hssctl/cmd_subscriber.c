/* ims-hssctl subscriber: add, show, del a private identity with its public
 * identities and authentication data (TS 33.203, TS 29.228 6.3.13). */
#include "hssctl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_IMPUS 32

enum { OPT_IMPI = 1, OPT_IMPU, OPT_IMSU, OPT_K, OPT_OP, OPT_OPC, OPT_AMF, OPT_SQN,
       OPT_PASSWORD, OPT_HA1, OPT_REALM, OPT_AUTH };

static int parse_schemes(const char *s, uint32_t *out)
{
	char buf[128], *save = NULL;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	*out = 0;
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (strcmp(t, "aka") == 0 || strcmp(t, "akav1") == 0)
			*out |= STORE_AUTH_AKAV1_MD5;
		else if (strcmp(t, "digest") == 0)
			*out |= STORE_AUTH_DIGEST_MD5;
		else
			return -1;
	}
	return *out ? 0 : -1;
}

struct sub_opts {
	struct store_admin_subscriber sub;
	const char *impus[MAX_IMPUS];
	const char *auth;
	bool has_auth_data;
	char realm[STORE_IDENTITY_MAX];
};

static int sub_option(struct hssctl *h, struct sub_opts *o, int c, const char *arg)
{
	struct store_admin_subscriber *s = &o->sub;
	uint64_t v;

	switch (c) {
	case OPT_IMPI:
		if (!hssctl_valid_impi(arg))
			return hssctl_usage_error(h, "--impi: not a NAI (user@realm): %s", arg);
		s->impi = arg;
		return 0;
	case OPT_IMPU:
		if (!hssctl_valid_impu(arg))
			return hssctl_usage_error(h, "--impu: not a SIP or tel URI: %s", arg);
		if (s->n_impus == MAX_IMPUS)
			return hssctl_usage_error(h, "at most %d --impu", MAX_IMPUS);
		o->impus[s->n_impus++] = arg;
		return 0;
	case OPT_IMSU: s->imsu = arg; return 0;
	case OPT_K:
		if (hssctl_hex(arg, s->k, 16))
			return hssctl_usage_error(h, "--k: expected 32 hex digits (16 bytes)");
		s->has_k = true;
		return 0;
	case OPT_OP: case OPT_OPC:
		if (s->has_op)
			return hssctl_usage_error(h, "give one of --op and --opc");
		if (hssctl_hex(arg, s->op, 16))
			return hssctl_usage_error(h, "--%s: expected 32 hex digits (16 bytes)",
						  c == OPT_OP ? "op" : "opc");
		s->has_op = true;
		s->op_is_opc = c == OPT_OPC;
		return 0;
	case OPT_AMF:
		if (hssctl_hex(arg, s->amf, 2))
			return hssctl_usage_error(h, "--amf: expected 4 hex digits (2 bytes)");
		return 0;
	case OPT_SQN:
		if (hssctl_u64(arg, STORE_SQN_MAX, &v))
			return hssctl_usage_error(h, "--sqn: expected 0..2^48-1");
		s->sqn = v;
		return 0;
	case OPT_PASSWORD: s->password = arg; return 0;
	case OPT_HA1: {
		uint8_t tmp[16];
		if (hssctl_hex(arg, tmp, 16))
			return hssctl_usage_error(h, "--ha1: expected 32 hex digits");
		s->ha1 = arg;
		return 0;
	}
	case OPT_REALM: s->realm = arg; return 0;
	case OPT_AUTH: o->auth = arg; return 0;
	default: {
		int rc = hssctl_db_option(h, c, arg);
		return rc < 0 ? HSSCTL_USAGE : rc == 0 ? hssctl_usage_error(h, "unexpected option") : 0;
	}
	}
}

/* Cross-option checks and defaults once all options are read. */
static int sub_finish(struct hssctl *h, struct sub_opts *o)
{
	struct store_admin_subscriber *s = &o->sub;

	if (!s->impi || s->n_impus == 0)
		return hssctl_usage_error(h, "--impi and at least one --impu are required");
	if (s->password && s->ha1)
		return hssctl_usage_error(h, "give one of --password and --ha1");
	if (o->auth) {
		if (parse_schemes(o->auth, &s->schemes))
			return hssctl_usage_error(h, "--auth: a list of aka, digest");
	} else {
		s->schemes = (s->has_k ? STORE_AUTH_AKAV1_MD5 : 0) |
			     (s->password || s->ha1 ? STORE_AUTH_DIGEST_MD5 : 0);
	}
	if ((s->schemes & STORE_AUTH_AKAV1_MD5) && (!s->has_k || !s->has_op))
		return hssctl_usage_error(h, "AKA needs --k and --op or --opc");
	if ((s->schemes & STORE_AUTH_DIGEST_MD5) && !s->password && !s->ha1)
		return hssctl_usage_error(h, "digest needs --password or --ha1");
	if (!s->schemes)
		return hssctl_usage_error(h, "no authentication data (--k/--op or --password)");
	if (!s->realm) {
		snprintf(o->realm, sizeof(o->realm), "%s", strchr(s->impi, '@') + 1);
		s->realm = o->realm;
	}
	s->impus = o->impus;
	return 0;
}

static int sub_add(struct hssctl *h, int argc, char **argv)
{
	static const struct option opts[] = {
		HSSCTL_DB_OPTIONS,
		{ "impi", required_argument, NULL, OPT_IMPI },
		{ "impu", required_argument, NULL, OPT_IMPU },
		{ "imsu", required_argument, NULL, OPT_IMSU },
		{ "k", required_argument, NULL, OPT_K },
		{ "op", required_argument, NULL, OPT_OP },
		{ "opc", required_argument, NULL, OPT_OPC },
		{ "amf", required_argument, NULL, OPT_AMF },
		{ "sqn", required_argument, NULL, OPT_SQN },
		{ "password", required_argument, NULL, OPT_PASSWORD },
		{ "ha1", required_argument, NULL, OPT_HA1 },
		{ "realm", required_argument, NULL, OPT_REALM },
		{ "auth", required_argument, NULL, OPT_AUTH },
		{ NULL, 0, NULL, 0 },
	};
	struct sub_opts o = { .sub.amf = { 0x80, 0x00 } };
	struct store *st = NULL;
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if (c == '?' || (rc = sub_option(h, &o, c, optarg)))
			return c == '?' ? HSSCTL_USAGE : rc;
	if (optind != argc)
		return hssctl_usage_error(h, "unexpected argument '%s'", argv[optind]);
	if ((rc = sub_finish(h, &o)))
		return rc;
	if (hssctl_connect(h, &st))
		return HSSCTL_FAIL;
	rc = store_admin_subscriber_add(st, &o.sub);
	store_close(st);
	explicit_bzero(o.sub.k, sizeof(o.sub.k));
	explicit_bzero(o.sub.op, sizeof(o.sub.op));
	if (rc)
		return hssctl_fail(h, rc == -EEXIST ? "the IMPI or one of the IMPUs" : o.sub.impi, rc);
	printf("added %s with %zu public identit%s\n", o.sub.impi, o.sub.n_impus,
	       o.sub.n_impus == 1 ? "y" : "ies");
	return HSSCTL_OK;
}

static const char *const type_names[] = { "public", "psi", "wildcard-psi" };
static const char *const state_names[] = { "not-registered", "registered", "unregistered" };

static void show_impu(struct store *st, const char *id)
{
	struct store_impu u;
	int rc = store_impu_get(st, id, &u);

	if (rc) {
		printf("  %s (unreadable: %d)\n", id, rc);
		return;
	}
	printf("  %s type=%s barred=%s can-register=%s implicit-set=%llu#%u "
	       "profile=%llu state=%s scscf=%s\n", u.identity,
	       type_names[u.type <= 2 ? u.type : 0], u.barred ? "yes" : "no",
	       u.can_register ? "yes" : "no", (unsigned long long)u.implicit_set_id,
	       u.implicit_set_pos, (unsigned long long)u.service_profile_id,
	       state_names[u.reg_state <= 2 ? u.reg_state : 0],
	       u.scscf_name[0] ? u.scscf_name : "-");
}

static int sub_show(struct hssctl *h, int argc, char **argv)
{
	struct store_auth a;
	struct store_strv impus = { 0 };
	struct store *st = NULL;
	const char *impi = NULL;
	int rc;

	if ((rc = hssctl_one_arg(h, argc, argv, &impi)))
		return rc;
	if (hssctl_connect(h, &st))
		return HSSCTL_FAIL;
	rc = store_auth_get(st, impi, &a);
	if (rc == 0)
		rc = store_impi_impus(st, impi, &impus);
	if (rc) {
		store_close(st);
		store_auth_wipe(&a);
		return hssctl_fail(h, impi, rc);
	}
	/* Never print K, OP/OPc, password or HA1: only whether they are set. */
	printf("impi: %s\nauth: %s%s%s\nk: %s\n%s: %s\namf: %02x%02x\nsqn: %llu\n"
	       "realm: %s\npassword: %s\nha1: %s\nimpus:\n", impi,
	       a.schemes & STORE_AUTH_AKAV1_MD5 ? "aka" : "",
	       (a.schemes & STORE_AUTH_AKAV1_MD5) && (a.schemes & STORE_AUTH_DIGEST_MD5) ? "," : "",
	       a.schemes & STORE_AUTH_DIGEST_MD5 ? "digest" : "",
	       a.has_k ? "set" : "not set", a.op_is_opc ? "opc" : "op",
	       a.has_op ? "set" : "not set", a.amf[0], a.amf[1],
	       (unsigned long long)a.sqn, a.realm[0] ? a.realm : "-",
	       a.has_password ? "set" : "not set", a.has_ha1 ? "set" : "not set");
	store_auth_wipe(&a);
	for (size_t i = 0; i < impus.n; i++)
		show_impu(st, impus.v[i]);
	store_strv_free(&impus);
	store_close(st);
	return HSSCTL_OK;
}

static int sub_del(struct hssctl *h, int argc, char **argv)
{
	struct store *st = NULL;
	const char *impi = NULL;
	int rc;

	if ((rc = hssctl_one_arg(h, argc, argv, &impi)))
		return rc;
	if (hssctl_connect(h, &st))
		return HSSCTL_FAIL;
	rc = store_admin_subscriber_del(st, impi);
	store_close(st);
	if (rc)
		return hssctl_fail(h, impi, rc);
	printf("deleted %s\n", impi);
	return HSSCTL_OK;
}

int hssctl_cmd_subscriber(struct hssctl *h, int argc, char **argv)
{
	int rc;

	if (strcmp(argv[0], "add") == 0)
		return sub_add(h, argc, argv);
	if (strcmp(argv[0], "show") == 0)
		return sub_show(h, argc, argv);
	if (strcmp(argv[0], "del") == 0)
		return sub_del(h, argc, argv);
	rc = hssctl_cmd_subscriber_bulk(h, argc, argv);  /* import, list */
	if (rc >= 0)
		return rc;
	return hssctl_usage_error(h, "unknown subcommand (add, show, del, list, import, "
				     "deregister, push-profile)");
}
