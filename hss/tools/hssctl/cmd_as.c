/* ims-hssctl as: application servers allowed on Sh and what each may read
 * (udr), update (pur) and subscribe to (snr) per Data-Reference
 * (TS 29.328 6.2); their subscriptions to notifications. */
#include "hssctl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ims/sh.h"
#include "store/store_sh.h"

static const char as_usage[] =
"  as add NAME --host DIAMETER-IDENTITY [--realm R (domain of the host)]\n"
"         --allow OP:DATA-REFERENCE[,...] (repeatable; OP udr|pur|snr; * = all)\n"
"         e.g. --allow udr:RepositoryData,udr:IMSUserState,pur:RepositoryData,snr:RepositoryData\n"
"  as del NAME\n"
"  as list                         NAME host=... realm=... allow=...\n"
"  as subscriptions                AS IMPU Data-Reference [si=...] [expires=...] [one-time]\n"
"  as dsai NAME --impu URI --tag DSAI-TAG [--value active|inactive | --del]\n"
"         configure a DSAI-Tag of the AS for the IMPU (TS 29.328 7.6.9); ims-hss\n"
"         notifies the ASs subscribed to DSAI (PNR)\n"
"  as dsai NAME --impu URI         list: TAG active|inactive\n";

enum { OPT_HOST = 1, OPT_REALM, OPT_ALLOW, OPT_IMPU, OPT_TAG, OPT_VALUE, OPT_DEL };

static int as_usage_error(const struct hssctl *h, const char *what)
{
	hssctl_usage_error(h, "%s", what);
	fputs(as_usage, stderr);
	return HSSCTL_USAGE;
}

static int as_add(struct hssctl *h, int argc, char **argv)
{
	static const struct option opts[] = {
		HSSCTL_DB_OPTIONS,
		{ "host", required_argument, NULL, OPT_HOST },
		{ "realm", required_argument, NULL, OPT_REALM },
		{ "allow", required_argument, NULL, OPT_ALLOW },
		{ NULL, 0, NULL, 0 },
	};
	struct store_sh_as as = { 0 };
	struct store *st = NULL;
	const char *host = NULL, *realm = NULL, *dot;
	char why[256], perms[1024];
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == OPT_HOST) {
			host = optarg;
		} else if (c == OPT_REALM) {
			realm = optarg;
		} else if (c == OPT_ALLOW) {
			if (store_sh_perms_parse(optarg, &as, why, sizeof why) != 0)
				return as_usage_error(h, why);
		} else {
			rc = c == '?' ? -1 : hssctl_db_option(h, c, optarg);
			if (rc <= 0)
				return rc < 0 ? HSSCTL_USAGE : as_usage_error(h, "unexpected option");
		}
	}
	if (argc - optind != 1 || !host)
		return as_usage_error(h, "expected NAME and --host");
	dot = strchr(host, '.');
	if (!realm && (!dot || !dot[1]))
		return as_usage_error(h, "--realm needed: the host has no domain");
	snprintf(as.name, sizeof as.name, "%s", argv[optind]);
	snprintf(as.host, sizeof as.host, "%s", host);
	snprintf(as.realm, sizeof as.realm, "%s", realm ? realm : dot + 1);
	if (hssctl_connect(h, &st))
		return HSSCTL_FAIL;
	rc = store_sh_as_add(st, &as);
	store_close(st);
	if (rc)
		return hssctl_fail(h, as.name, rc);
	store_sh_perms_format(&as, perms, sizeof perms);
	printf("application server %s (%s) allowed %s\n", as.name, as.host,
	       perms[0] ? perms : "nothing");
	return HSSCTL_OK;
}

static int as_del(struct hssctl *h, int argc, char **argv)
{
	struct store *st = NULL;
	const char *name = NULL;
	int rc;

	if ((rc = hssctl_one_arg(h, argc, argv, &name)))
		return rc;
	if (hssctl_connect(h, &st))
		return HSSCTL_FAIL;
	rc = store_sh_as_del(st, name);
	store_close(st);
	if (rc)
		return hssctl_fail(h, name, rc);
	printf("deleted application server %s\n", name);
	return HSSCTL_OK;
}

/* No positional arguments, only the db options. */
static int no_args(struct hssctl *h, int argc, char **argv)
{
	static const struct option opts[] = { HSSCTL_DB_OPTIONS, { NULL, 0, NULL, 0 } };
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		rc = c == '?' ? -1 : hssctl_db_option(h, c, optarg);
		if (rc <= 0)
			return HSSCTL_USAGE;
	}
	return optind == argc ? 0 : as_usage_error(h, "unexpected argument");
}

static int as_list(struct hssctl *h, int argc, char **argv)
{
	struct store_sh_as *v = NULL;
	struct store *st = NULL;
	char perms[1024];
	size_t n = 0;
	int rc;

	if ((rc = no_args(h, argc, argv)))
		return rc;
	if (hssctl_connect(h, &st))
		return HSSCTL_FAIL;
	rc = store_sh_as_list(st, &v, &n);
	store_close(st);
	if (rc)
		return hssctl_fail(h, "list", rc);
	for (size_t i = 0; i < n; i++) {
		store_sh_perms_format(&v[i], perms, sizeof perms);
		printf("%s host=%s realm=%s allow=%s\n", v[i].name, v[i].host, v[i].realm,
		       perms[0] ? perms : "-");
	}
	free(v);
	return HSSCTL_OK;
}

static int as_subscriptions(struct hssctl *h, int argc, char **argv)
{
	struct store_sh_sub *v = NULL;
	struct store *st = NULL;
	size_t n = 0;
	int rc;

	if ((rc = no_args(h, argc, argv)))
		return rc;
	if (hssctl_connect(h, &st))
		return HSSCTL_FAIL;
	rc = store_sh_sub_list(st, &v, &n);
	store_close(st);
	if (rc)
		return hssctl_fail(h, "subscriptions", rc);
	for (size_t i = 0; i < n; i++) {
		const char *ref = store_sh_dref_name(v[i].dref);
		printf("%s %s %s", v[i].as_name, v[i].impu, ref ? ref : "?");
		if (v[i].si[0])
			printf(" si=%s", v[i].si);
		if (v[i].server_name[0])
			printf(" server=%s", v[i].server_name);
		if (v[i].expires_at) {
			char when[32];
			time_t t = (time_t)v[i].expires_at;
			struct tm tm;
			strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
			printf(" expires=%s", when);
		}
		if (v[i].one_time)
			fputs(" one-time", stdout);
		putchar('\n');
	}
	free(v);
	return HSSCTL_OK;
}

static int dsai_list(struct store *st, const char *impu, uint64_t as_id)
{
	struct store_sh_dsai *v = NULL;
	size_t n = 0;
	int rc = store_sh_dsai_list(st, impu, as_id, &v, &n);

	for (size_t i = 0; rc == 0 && i < n; i++)
		printf("%s %s\n", v[i].tag,
		       v[i].value == STORE_SH_DSAI_ACTIVE ? "active" : "inactive");
	free(v);
	return rc;
}

/* Set or remove one tag and log the change for ims-hss (PNR). */
static int dsai_change(struct store *st, const char *impu, uint64_t as_id, const char *tag,
		       int value, bool del)
{
	int rc = del ? store_sh_dsai_del(st, impu, as_id, tag)
		     : store_sh_dsai_put(st, impu, as_id, tag, value);

	if (rc == 0)
		rc = store_sh_change_add(st, impu, SH_DREF_DSAI, as_id);
	return rc;
}

static int as_dsai(struct hssctl *h, int argc, char **argv)
{
	static const struct option opts[] = {
		HSSCTL_DB_OPTIONS,
		{ "impu", required_argument, NULL, OPT_IMPU },
		{ "tag", required_argument, NULL, OPT_TAG },
		{ "value", required_argument, NULL, OPT_VALUE },
		{ "del", no_argument, NULL, OPT_DEL },
		{ NULL, 0, NULL, 0 },
	};
	struct store_sh_as as;
	struct store_sh_as *all = NULL;
	struct store *st = NULL;
	const char *impu = NULL, *tag = NULL;
	int value = STORE_SH_DSAI_ACTIVE, c, rc;
	bool del = false, found = false;
	size_t n = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == OPT_IMPU) {
			impu = optarg;
		} else if (c == OPT_TAG) {
			tag = optarg;
		} else if (c == OPT_VALUE) {
			if (strcmp(optarg, "active") == 0)
				value = STORE_SH_DSAI_ACTIVE;
			else if (strcmp(optarg, "inactive") == 0)
				value = STORE_SH_DSAI_INACTIVE;
			else
				return as_usage_error(h, "--value is active or inactive");
		} else if (c == OPT_DEL) {
			del = true;
		} else {
			rc = c == '?' ? -1 : hssctl_db_option(h, c, optarg);
			if (rc <= 0)
				return rc < 0 ? HSSCTL_USAGE : as_usage_error(h, "unexpected option");
		}
	}
	if (argc - optind != 1 || !impu || (del && !tag))
		return as_usage_error(h, "expected NAME and --impu (and --tag with --del)");
	if (hssctl_connect(h, &st))
		return HSSCTL_FAIL;
	rc = store_sh_as_list(st, &all, &n);
	for (size_t i = 0; rc == 0 && i < n && !found; i++) {
		if (strcmp(all[i].name, argv[optind]) == 0) {
			as = all[i];
			found = true;
		}
	}
	free(all);
	if (rc == 0 && !found)
		rc = -ENOENT;
	if (rc == 0)
		rc = tag ? dsai_change(st, impu, as.id, tag, value, del) : dsai_list(st, impu, as.id);
	store_close(st);
	if (rc)
		return hssctl_fail(h, tag ? tag : argv[optind], rc);
	if (tag)
		printf("%s DSAI %s of %s: %s\n", argv[optind], tag, impu,
		       del ? "removed" : value == STORE_SH_DSAI_ACTIVE ? "active" : "inactive");
	return HSSCTL_OK;
}

int hssctl_cmd_as(struct hssctl *h, int argc, char **argv)
{
	if (strcmp(argv[0], "add") == 0)
		return as_add(h, argc, argv);
	if (strcmp(argv[0], "del") == 0)
		return as_del(h, argc, argv);
	if (strcmp(argv[0], "list") == 0)
		return as_list(h, argc, argv);
	if (strcmp(argv[0], "subscriptions") == 0)
		return as_subscriptions(h, argc, argv);
	if (strcmp(argv[0], "dsai") == 0)
		return as_dsai(h, argc, argv);
	return as_usage_error(h, "unknown subcommand (add, del, list, subscriptions, dsai)");
}
