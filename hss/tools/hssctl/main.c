/* ims-hssctl: command line entry — global options, dispatch, usage. */
#include "hssctl.h"
#include "admin.h"

#include <stdio.h>
#include <string.h>

#include "ims/log.h"

static const char usage_text[] =
"usage: ims-hssctl [DB OPTIONS] COMMAND ...\n"
"\n"
"Database (flags anywhere, or IMS_DB_HOST IMS_DB_PORT IMS_DB_SOCKET IMS_DB_USER\n"
"IMS_DB_PASSWORD IMS_DB_NAME; prefer IMS_DB_PASSWORD: flags show in ps):\n"
"  --db-host H (localhost = Unix socket) --db-port P --db-socket PATH\n"
"  --db-user U (ims_hss) --db-password P --db-name D (ims_hss)\n"
"\n"
"Commands:\n"
"  db migrate [--migrations DIR]   apply missing deploy/db/migrations (env IMS_DB_MIGRATIONS)\n"
"  db version                      print the schema version; exit 1 if not current\n"
"  subscriber add --impi NAI --impu URI [--impu URI ...] [--imsu NAME]\n"
"                 [--k HEX32] [--op HEX32 | --opc HEX32] [--amf HEX4 (8000)] [--sqn N (0)]\n"
"                 [--password P | --ha1 HEX32] [--realm R (domain of the IMPI)]\n"
"                 [--auth aka,digest (default: aka if --k, digest if --password/--ha1)]\n"
"                 the IMPUs form one implicit registration set, the first is the default\n"
"  subscriber show IMPI            identities and auth data (secrets shown as set/not set)\n"
"  subscriber del IMPI             delete the IMPI and the IMPUs only it uses\n"
"  subscriber list [--after IMPI] [--limit N]   IMPIs in order, one a line\n"
"  subscriber import FILE.csv      bulk add; CSV columns impi,impu[;impu...],k,op,amf,sqn,password\n"
"                                  (header line \"impi,impus,k,opc,...\" makes column 4 OPc;\n"
"                                  whole file checked first; one transaction per 1000 lines)\n"
"  subscriber deregister IMPI [--impu URI] [--reason R] [--reason-info T] [--wait S]\n"
"                                  queue an RTR to the serving S-CSCF (through ims-hss)\n"
"  deregister IMPU [--reason R] [--wait S]   the same for the IMPI of IMPU\n"
"  subscriber push-profile URI | impu bar|unbar URI [--wait S]   queue a PPR\n"
"  sqn show IMPI                   the stored (highest reserved) SQN with SEQ/IND\n"
"  sqn set IMPI N                  set it (ims-hss sees it within cx.auth_cache_ttl)\n"
"  impu add --impi NAI --impu URI [--implicit-with URI] [--barred] [--no-register]\n"
"           [--type public|psi|wildcard-psi --regex REGEX]\n"
"                                  new IMPU, or share an existing one with another IMPI\n"
"  impu del URI\n"
"  ifc add --impu URI --priority N --as SIP-URI [--name NAME]\n"
"          [--default-handling continued|terminated] [--service-info TEXT]\n"
"          [--include-register-request] [--include-register-response]\n"
"          [--ppi registered|unregistered] [--match all|any (all)]\n"
"          triggers (repeatable; prefix the value with ! to negate):\n"
"          [--method M] [--ruri REGEX] [--header NAME=REGEX] [--sdp LINE=REGEX]\n"
"          [--session-case 0..4 (0 orig, 1 term reg, 2 term unreg, 3 orig unreg, 4 orig cdiv)]\n"
"  profile set IMPU --ifc FILE.xml  replace the iFCs of IMPU's service profile by those of\n"
"                                  a TS 29.228 XML file (IMSSubscription, ServiceProfile or\n"
"                                  InitialFilterCriteria elements) and its shared iFC sets by the\n"
"                                  <Extension><SharedIFCSetID>s (each must exist); checked first,\n"
"                                  one transaction\n"
"  profile show IMPU               the IMSSubscription XML a SAR for IMPU gets\n"
"  shared-ifc set ID [--name NAME] --ifc FILE.xml   create shared iFC set ID (TS 29.228\n"
"                                  SharedIFCSetID) or replace its iFCs, one transaction\n"
"  shared-ifc show ID | export [ID ...]   the set(s) as the S-CSCF's registrar.shared_ifc_sets\n"
"                                  file (export without ID: every set)\n"
"  shared-ifc list                 id, name, iFCs and linking profiles of every set\n"
"  shared-ifc del ID [--force]     delete a set (--force: also when profiles link it)\n"
"  scscf-caps set [--set NAME (default)] [--mandatory 1,2] [--optional 3] [--name SIP-URI ...]\n"
"  visited-network add NAME [--impi NAI]   create it; with --impi allow it for that subscription\n";

static int usage(FILE *f, int code)
{
	fputs(usage_text, f);
	return code;
}

int hssctl_cmd_as(struct hssctl *h, int argc, char **argv);

struct command {
	const char *name;
	int (*fn)(struct hssctl *h, int argc, char **argv);
};

static const struct command commands[] = {
	{ "db", hssctl_cmd_db },
	{ "subscriber", hssctl_cmd_subscriber },
	{ "impu", hssctl_cmd_impu },
	{ "ifc", hssctl_cmd_ifc },
	{ "profile", hssctl_cmd_profile },
	{ "shared-ifc", hssctl_cmd_shared_ifc },
	{ "scscf-caps", hssctl_cmd_caps },
	{ "visited-network", hssctl_cmd_visited },
	{ "as", hssctl_cmd_as }, /* cmd_as.c: Sh application servers */
	{ "sqn", hssctl_cmd_sqn },
	{ "deregister", hssctl_cmd_deregister_impu },
};

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		HSSCTL_DB_OPTIONS,
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct hssctl h = { .cmd = "options" };
	static char cmd[64];
	int c, rc;

	ims_log_init("ims-hssctl", NULL);
	hssctl_db_defaults(&h);
	while ((c = getopt_long(argc, argv, "+hV", opts, NULL)) != -1) {
		if (c == 'h')
			return usage(stdout, HSSCTL_OK);
		if (c == 'V') {
			printf("ims-hssctl %s (schema version %d)\n", IMS_VERSION,
			       IMS_STORE_SCHEMA_VERSION);
			return HSSCTL_OK;
		}
		rc = hssctl_db_option(&h, c, optarg);
		if (rc < 0)
			return HSSCTL_USAGE;
		if (rc == 0)
			return usage(stderr, HSSCTL_USAGE);
	}
	if (optind + 1 >= argc)
		return usage(stderr, HSSCTL_USAGE);
	if ((rc = hssctl_admin_dispatch(&h, argc - optind, argv + optind)) >= 0)
		return rc;
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[optind], commands[i].name) != 0)
			continue;
		snprintf(cmd, sizeof(cmd), "%s %s", argv[optind], argv[optind + 1]);
		h.cmd = cmd;
		if (store_library_init()) {
			fprintf(stderr, "ims-hssctl: cannot initialise the MariaDB client\n");
			return HSSCTL_FAIL;
		}
		/* The command sees argv from its verb on ("add", "--impi", ...). */
		int first = optind + 1;
		optind = 0;  /* 0: glibc re-initialises (permuting again) */
		rc = commands[i].fn(&h, argc - first, argv + first);
		store_library_end();
		return rc;
	}
	fprintf(stderr, "ims-hssctl: unknown command '%s'\n", argv[optind]);
	return usage(stderr, HSSCTL_USAGE);
}
