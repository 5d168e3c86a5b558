/* ims-hssctl db: schema migrations and version (deploy/db/migrations). */
#include "hssctl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef IMS_DB_MIGRATIONS_DIR
#define IMS_DB_MIGRATIONS_DIR "/usr/share/ims-core/db/migrations"
#endif

/* Parse the db options (and --migrations when wanted); no positionals. */
static int db_args(struct hssctl *h, int argc, char **argv, const char **migrations)
{
	static const struct option opts[] = {
		HSSCTL_DB_OPTIONS,
		{ "migrations", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'm' && migrations) {
			*migrations = optarg;
			continue;
		}
		rc = hssctl_db_option(h, c, optarg);
		if (rc < 0)
			return HSSCTL_USAGE;
		if (rc == 0)
			return hssctl_usage_error(h, "unexpected option");
	}
	if (optind != argc)
		return hssctl_usage_error(h, "unexpected argument '%s'", argv[optind]);
	return 0;
}

static int db_migrate(struct hssctl *h, int argc, char **argv)
{
	const char *dir = getenv("IMS_DB_MIGRATIONS");
	struct store *st = NULL;
	unsigned int from = 0, to = 0;
	char msg[512];
	int rc;

	if (!dir)
		dir = IMS_DB_MIGRATIONS_DIR;
	if ((rc = db_args(h, argc, argv, &dir)))
		return rc;
	if (hssctl_connect(h, &st))
		return HSSCTL_FAIL;
	rc = store_admin_migrate(st, dir, &from, &to, msg, sizeof(msg));
	store_close(st);
	if (rc) {
		fprintf(stderr, "ims-hssctl: db migrate: %s\n", msg);
		return HSSCTL_FAIL;
	}
	if (from == to)
		printf("schema is up to date at version %u\n", to);
	else
		printf("schema migrated from version %u to %u\n", from, to);
	return HSSCTL_OK;
}

static int db_version(struct hssctl *h, int argc, char **argv)
{
	struct store *st = NULL;
	char msg[512];
	int rc;

	if ((rc = db_args(h, argc, argv, NULL)))
		return rc;
	if (hssctl_connect(h, &st))
		return HSSCTL_FAIL;
	rc = store_schema_check(st, msg, sizeof(msg));
	store_close(st);
	printf("%s\n", msg);
	return rc ? HSSCTL_FAIL : HSSCTL_OK;
}

int hssctl_cmd_db(struct hssctl *h, int argc, char **argv)
{
	if (strcmp(argv[0], "migrate") == 0)
		return db_migrate(h, argc, argv);
	if (strcmp(argv[0], "version") == 0)
		return db_version(h, argc, argv);
	return hssctl_usage_error(h, "unknown subcommand (migrate, version)");
}
