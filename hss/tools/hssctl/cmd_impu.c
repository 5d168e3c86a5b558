/* ims-hssctl impu: add or delete a public identity (TS 23.228 4.3.3.2);
 * shared IMPUs, implicit sets and PSIs. */
#include "hssctl.h"

#include <stdio.h>
#include <string.h>

enum { OPT_IMPI = 1, OPT_IMPU, OPT_WITH, OPT_BARRED, OPT_NOREG, OPT_TYPE, OPT_REGEX };

static int impu_option(struct hssctl *h, struct store_admin_impu *u, int c, const char *arg)
{
	switch (c) {
	case OPT_IMPI:
		if (!hssctl_valid_impi(arg))
			return hssctl_usage_error(h, "--impi: not a NAI (user@realm): %s", arg);
		u->impi = arg;
		return 0;
	case OPT_IMPU: case OPT_WITH:
		if (!hssctl_valid_impu(arg))
			return hssctl_usage_error(h, "--%s: not a SIP or tel URI: %s",
						  c == OPT_IMPU ? "impu" : "implicit-with", arg);
		*(c == OPT_IMPU ? &u->impu : &u->implicit_with) = arg;
		return 0;
	case OPT_BARRED: u->barred = true; return 0;
	case OPT_NOREG: u->can_register = false; return 0;
	case OPT_TYPE:
		if (strcmp(arg, "public") == 0)
			u->type = STORE_IMPU_PUBLIC_USER;
		else if (strcmp(arg, "psi") == 0)
			u->type = STORE_IMPU_DISTINCT_PSI;
		else if (strcmp(arg, "wildcard-psi") == 0)
			u->type = STORE_IMPU_WILDCARD_PSI;
		else
			return hssctl_usage_error(h, "--type: public, psi or wildcard-psi");
		return 0;
	case OPT_REGEX: u->wildcard_regex = arg; return 0;
	default: {
		int rc = c == '?' ? -1 : hssctl_db_option(h, c, arg);
		return rc < 0 ? HSSCTL_USAGE : rc == 0 ? hssctl_usage_error(h, "unexpected option") : 0;
	}
	}
}

static int impu_add(struct hssctl *h, int argc, char **argv)
{
	static const struct option opts[] = {
		HSSCTL_DB_OPTIONS,
		{ "impi", required_argument, NULL, OPT_IMPI },
		{ "impu", required_argument, NULL, OPT_IMPU },
		{ "implicit-with", required_argument, NULL, OPT_WITH },
		{ "barred", no_argument, NULL, OPT_BARRED },
		{ "no-register", no_argument, NULL, OPT_NOREG },
		{ "type", required_argument, NULL, OPT_TYPE },
		{ "regex", required_argument, NULL, OPT_REGEX },
		{ NULL, 0, NULL, 0 },
	};
	struct store_admin_impu u = { .can_register = true };
	struct store *st = NULL;
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if ((rc = impu_option(h, &u, c, optarg)))
			return rc;
	if (optind != argc)
		return hssctl_usage_error(h, "unexpected argument '%s'", argv[optind]);
	if (!u.impi || !u.impu)
		return hssctl_usage_error(h, "--impi and --impu are required");
	if ((u.type == STORE_IMPU_WILDCARD_PSI) != (u.wildcard_regex != NULL))
		return hssctl_usage_error(h, "--regex goes with --type wildcard-psi, and only there");
	if (hssctl_connect(h, &st))
		return HSSCTL_FAIL;
	rc = store_admin_impu_add(st, &u);
	store_close(st);
	if (rc)
		return hssctl_fail(h, u.impu, rc);
	printf("%s associated with %s\n", u.impu, u.impi);
	return HSSCTL_OK;
}

static int impu_del(struct hssctl *h, int argc, char **argv)
{
	struct store *st = NULL;
	const char *impu = NULL;
	int rc;

	if ((rc = hssctl_one_arg(h, argc, argv, &impu)))
		return rc;
	if (hssctl_connect(h, &st))
		return HSSCTL_FAIL;
	rc = store_admin_impu_del(st, impu);
	store_close(st);
	if (rc)
		return hssctl_fail(h, impu, rc);
	printf("deleted %s\n", impu);
	return HSSCTL_OK;
}

int hssctl_cmd_impu(struct hssctl *h, int argc, char **argv)
{
	if (strcmp(argv[0], "add") == 0)
		return impu_add(h, argc, argv);
	if (strcmp(argv[0], "del") == 0)
		return impu_del(h, argc, argv);
	return hssctl_usage_error(h, "unknown subcommand (add, del)");
}
