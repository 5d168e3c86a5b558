/* ims-hssctl ifc / scscf-caps / visited-network: service provisioning —
 * initial filter criteria (TS 29.228 B.2.2), S-CSCF capabilities (6.3.4)
 * and roaming permissions (6.1.1). */
#include "hssctl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SPTS 32

enum { OPT_IMPU = 1, OPT_PRIO, OPT_AS, OPT_NAME, OPT_DH, OPT_INFO, OPT_INCREQ,
       OPT_INCRESP, OPT_PPI, OPT_MATCH, OPT_METHOD, OPT_RURI, OPT_HEADER, OPT_SDP,
       OPT_SC, OPT_SET, OPT_MAND, OPT_OPT, OPT_IMPI };

struct ifc_opts {
	struct store_admin_ifc f;
	struct store_admin_spt spts[MAX_SPTS];
	char name[STORE_IDENTITY_MAX + 16];
	bool has_prio;
};

/* One trigger: "!" negates; NAME=REGEX splits for header and SDP line. */
static int ifc_spt(struct hssctl *h, struct ifc_opts *o, enum store_spt_type type,
		   char *arg)
{
	struct store_admin_spt *p;
	uint64_t sc;

	if (o->f.n_spts == MAX_SPTS)
		return hssctl_usage_error(h, "at most %d triggers", MAX_SPTS);
	p = &o->spts[o->f.n_spts];
	memset(p, 0, sizeof(*p));
	p->type = type;
	p->session_case = -1;
	p->group = (unsigned int)o->f.n_spts;  /* one SPT per group, see --match */
	if (arg[0] == '!') {
		p->negated = true;
		arg++;
	}
	if (type == STORE_SPT_SESSION_CASE) {
		if (hssctl_u64(arg, 4, &sc))
			return hssctl_usage_error(h, "--session-case: 0..4");
		p->session_case = (int)sc;
	} else if (type == STORE_SPT_SIP_HEADER || type == STORE_SPT_SESSION_DESCRIPTION) {
		char *eq = strchr(arg, '=');
		if (!eq || eq == arg)
			return hssctl_usage_error(h, "expected NAME=REGEX: %s", arg);
		*eq = '\0';
		p->header = arg;
		p->value = eq[1] ? eq + 1 : NULL;
	} else {
		if (!*arg)
			return hssctl_usage_error(h, "empty trigger value");
		p->value = arg;
	}
	o->f.n_spts++;
	return 0;
}

static int ifc_option(struct hssctl *h, struct ifc_opts *o, int c, char *arg)
{
	uint64_t v;

	switch (c) {
	case OPT_IMPU:
		if (!hssctl_valid_impu(arg))
			return hssctl_usage_error(h, "--impu: not a SIP or tel URI: %s", arg);
		o->f.impu = arg;
		return 0;
	case OPT_PRIO:
		if (hssctl_u64(arg, INT32_MAX, &v))
			return hssctl_usage_error(h, "--priority: a number >= 0");
		o->f.priority = (int)v;
		o->has_prio = true;
		return 0;
	case OPT_AS:
		if (!hssctl_valid_sip_uri(arg))
			return hssctl_usage_error(h, "--as: not a SIP URI: %s", arg);
		o->f.as_server_name = arg;
		return 0;
	case OPT_NAME: o->f.name = arg; return 0;
	case OPT_DH:
		if (strcmp(arg, "continued") && strcmp(arg, "terminated"))
			return hssctl_usage_error(h, "--default-handling: continued or terminated");
		o->f.default_handling = strcmp(arg, "terminated") == 0;
		return 0;
	case OPT_INFO: o->f.service_info = arg; return 0;
	case OPT_INCREQ: o->f.include_register_request = true; return 0;
	case OPT_INCRESP: o->f.include_register_response = true; return 0;
	case OPT_PPI:
		if (strcmp(arg, "registered") && strcmp(arg, "unregistered"))
			return hssctl_usage_error(h, "--ppi: registered or unregistered");
		o->f.profile_part_indicator = strcmp(arg, "unregistered") == 0;
		return 0;
	case OPT_MATCH:
		if (strcmp(arg, "all") && strcmp(arg, "any"))
			return hssctl_usage_error(h, "--match: all or any");
		/* One SPT per group: CNF ANDs the groups, DNF ORs them. */
		o->f.condition_type_cnf = strcmp(arg, "all") == 0;
		return 0;
	case OPT_METHOD: return ifc_spt(h, o, STORE_SPT_METHOD, arg);
	case OPT_RURI: return ifc_spt(h, o, STORE_SPT_REQUEST_URI, arg);
	case OPT_HEADER: return ifc_spt(h, o, STORE_SPT_SIP_HEADER, arg);
	case OPT_SDP: return ifc_spt(h, o, STORE_SPT_SESSION_DESCRIPTION, arg);
	case OPT_SC: return ifc_spt(h, o, STORE_SPT_SESSION_CASE, arg);
	default: {
		int rc = c == '?' ? -1 : hssctl_db_option(h, c, arg);
		return rc < 0 ? HSSCTL_USAGE : rc == 0 ? hssctl_usage_error(h, "unexpected option") : 0;
	}
	}
}

static int ifc_add(struct hssctl *h, int argc, char **argv)
{
	static const struct option opts[] = {
		HSSCTL_DB_OPTIONS,
		{ "impu", required_argument, NULL, OPT_IMPU },
		{ "priority", required_argument, NULL, OPT_PRIO },
		{ "as", required_argument, NULL, OPT_AS },
		{ "name", required_argument, NULL, OPT_NAME },
		{ "default-handling", required_argument, NULL, OPT_DH },
		{ "service-info", required_argument, NULL, OPT_INFO },
		{ "include-register-request", no_argument, NULL, OPT_INCREQ },
		{ "include-register-response", no_argument, NULL, OPT_INCRESP },
		{ "ppi", required_argument, NULL, OPT_PPI },
		{ "match", required_argument, NULL, OPT_MATCH },
		{ "method", required_argument, NULL, OPT_METHOD },
		{ "ruri", required_argument, NULL, OPT_RURI },
		{ "header", required_argument, NULL, OPT_HEADER },
		{ "sdp", required_argument, NULL, OPT_SDP },
		{ "session-case", required_argument, NULL, OPT_SC },
		{ NULL, 0, NULL, 0 },
	};
	struct ifc_opts o = { .f.profile_part_indicator = -1, .f.condition_type_cnf = true };
	struct store *st = NULL;
	int c, rc;

	o.f.spts = o.spts;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if ((rc = ifc_option(h, &o, c, optarg)))
			return rc;
	if (optind != argc)
		return hssctl_usage_error(h, "unexpected argument '%s'", argv[optind]);
	if (!o.f.impu || !o.has_prio || !o.f.as_server_name)
		return hssctl_usage_error(h, "--impu, --priority and --as are required");
	if (!o.f.name) {
		snprintf(o.name, sizeof(o.name), "%s#%d", o.f.impu, o.f.priority);
		o.f.name = o.name;
	}
	if (hssctl_connect(h, &st))
		return HSSCTL_FAIL;
	rc = store_admin_ifc_add(st, &o.f);
	store_close(st);
	if (rc)
		return hssctl_fail(h, o.f.name, rc);
	printf("iFC %s (priority %d, %zu trigger%s) added to the profile of %s\n", o.f.name,
	       o.f.priority, o.f.n_spts, o.f.n_spts == 1 ? "" : "s", o.f.impu);
	return HSSCTL_OK;
}

int hssctl_cmd_ifc(struct hssctl *h, int argc, char **argv)
{
	if (strcmp(argv[0], "add") == 0)
		return ifc_add(h, argc, argv);
	return hssctl_usage_error(h, "unknown subcommand (add)");
}

static int caps_set(struct hssctl *h, int argc, char **argv)
{
	static const struct option opts[] = {
		HSSCTL_DB_OPTIONS,
		{ "set", required_argument, NULL, OPT_SET },
		{ "mandatory", required_argument, NULL, OPT_MAND },
		{ "optional", required_argument, NULL, OPT_OPT },
		{ "name", required_argument, NULL, OPT_NAME },
		{ NULL, 0, NULL, 0 },
	};
	const char *set = "default", *names[16];
	uint32_t *mand = NULL, *opt = NULL;
	size_t n_mand = 0, n_opt = 0, n_names = 0;
	struct store *st = NULL;
	int c, rc = HSSCTL_OK;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == OPT_SET) {
			set = optarg;
		} else if (c == OPT_MAND || c == OPT_OPT) {
			uint32_t **v = c == OPT_MAND ? &mand : &opt;
			size_t *n = c == OPT_MAND ? &n_mand : &n_opt;
			free(*v);
			*v = NULL;
			if (hssctl_u32_list(optarg, v, n)) {
				rc = hssctl_usage_error(h, "--%s: a list like 1,2,3",
							c == OPT_MAND ? "mandatory" : "optional");
				goto out;
			}
		} else if (c == OPT_NAME) {
			if (!hssctl_valid_sip_uri(optarg) || n_names == 16) {
				rc = hssctl_usage_error(h, "--name: a SIP URI (at most 16): %s", optarg);
				goto out;
			}
			names[n_names++] = optarg;
		} else if ((rc = c == '?' ? -1 : hssctl_db_option(h, c, optarg)) <= 0) {
			rc = rc < 0 ? HSSCTL_USAGE : hssctl_usage_error(h, "unexpected option");
			goto out;
		} else {
			rc = HSSCTL_OK;
		}
	}
	if (optind != argc) {
		rc = hssctl_usage_error(h, "unexpected argument '%s'", argv[optind]);
		goto out;
	}
	if (hssctl_connect(h, &st)) {
		rc = HSSCTL_FAIL;
		goto out;
	}
	rc = store_admin_caps_set(st, set, mand, n_mand, opt, n_opt, names, n_names);
	store_close(st);
	if (rc) {
		rc = hssctl_fail(h, set, rc);
		goto out;
	}
	printf("capability set %s: %zu mandatory, %zu optional, %zu server name%s\n",
	       set, n_mand, n_opt, n_names, n_names == 1 ? "" : "s");
out:
	free(mand);
	free(opt);
	return rc;
}

int hssctl_cmd_caps(struct hssctl *h, int argc, char **argv)
{
	if (strcmp(argv[0], "set") == 0)
		return caps_set(h, argc, argv);
	return hssctl_usage_error(h, "unknown subcommand (set)");
}

static int visited_add(struct hssctl *h, int argc, char **argv)
{
	static const struct option opts[] = {
		HSSCTL_DB_OPTIONS,
		{ "impi", required_argument, NULL, OPT_IMPI },
		{ NULL, 0, NULL, 0 },
	};
	const char *impi = NULL, *name;
	struct store *st = NULL;
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == OPT_IMPI) {
			impi = optarg;
			continue;
		}
		rc = c == '?' ? -1 : hssctl_db_option(h, c, optarg);
		if (rc <= 0)
			return rc < 0 ? HSSCTL_USAGE : hssctl_usage_error(h, "unexpected option");
	}
	if (argc - optind != 1)
		return hssctl_usage_error(h, "expected one visited network name");
	name = argv[optind];
	if (strlen(name) >= STORE_IDENTITY_MAX || strpbrk(name, " \t\r\n"))
		return hssctl_usage_error(h, "not a network identifier: %s", name);
	if (hssctl_connect(h, &st))
		return HSSCTL_FAIL;
	rc = store_admin_visited_network_add(st, name, impi);
	store_close(st);
	if (rc)
		return hssctl_fail(h, impi ? impi : name, rc);
	printf("visited network %s%s%s\n", name, impi ? " allowed for the subscription of " : " added",
	       impi ? impi : "");
	return HSSCTL_OK;
}

int hssctl_cmd_visited(struct hssctl *h, int argc, char **argv)
{
	if (strcmp(argv[0], "add") == 0)
		return visited_add(h, argc, argv);
	return hssctl_usage_error(h, "unknown subcommand (add)");
}
