/* ims-hssctl shared-ifc set|show|export|list|del: shared iFC sets
 * (TS 29.228 B.2.1 SharedIFCSetID). The HSS sends a profile's set numbers;
 * the S-CSCF holds the sets' iFCs in its registrar.shared_ifc_sets file,
 * which `shared-ifc export` writes from the database. */
#include "hssctl.h"
#include "ifc_xml.h"
#include "cx/cx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_IFC = 1, OPT_NAME, OPT_FORCE };

static int parse_id(const struct hssctl *h, const char *s, uint32_t *id)
{
	uint64_t v = 0;

	if (hssctl_u64(s, UINT32_MAX, &v) != 0)
		return hssctl_usage_error(h, "not a set id (0..4294967295): %s", s);
	*id = (uint32_t)v;
	return 0;
}

/* shared-ifc set ID [--name NAME] --ifc FILE.xml */
static int shared_set(struct hssctl *h, int argc, char **argv)
{
	static const struct option opts[] = {
		HSSCTL_DB_OPTIONS,
		{ "ifc", required_argument, NULL, OPT_IFC },
		{ "name", required_argument, NULL, OPT_NAME },
		{ NULL, 0, NULL, 0 },
	};
	const char *file = NULL, *name = NULL;
	struct ifc_xml x = { 0 };
	struct store *st = NULL;
	char (*names)[64] = NULL;
	uint32_t id = 0;
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == OPT_IFC || c == OPT_NAME) {
			*(c == OPT_IFC ? &file : &name) = optarg;
			continue;
		}
		rc = c == '?' ? -1 : hssctl_db_option(h, c, optarg);
		if (rc <= 0)
			return rc < 0 ? HSSCTL_USAGE : hssctl_usage_error(h, "unexpected option");
	}
	if (argc - optind != 1 || !file)
		return hssctl_usage_error(h, "expected ID [--name NAME] --ifc FILE.xml");
	if ((rc = parse_id(h, argv[optind], &id)))
		return rc;
	if (name && (!*name || strlen(name) > 255))
		return hssctl_usage_error(h, "--name: 1 to 255 characters");
	rc = ifc_xml_load(file, &x);
	if (rc != 0) {
		if (rc > 0)
			fprintf(stderr, "ims-hssctl: %s: %d error%s, nothing changed\n", file, rc,
				rc == 1 ? "" : "s");
		return HSSCTL_FAIL;
	}
	rc = HSSCTL_FAIL;
	if (x.n_shared) {
		/* A set is a list of iFCs: it cannot pull in other sets. */
		fprintf(stderr, "%s:%ld: SharedIFCSetID inside a shared iFC set is not allowed,"
			" nothing changed\n", file, x.shared_lines[0]);
		goto out;
	}
	if (!x.n) {
		fprintf(stderr, "%s:1: no <InitialFilterCriteria>: a shared set needs at least one,"
			" nothing changed\n", file);
		goto out;
	}
	/* iFC names: shared-ifc:ID#priority (priorities are unique in a file). */
	names = calloc(x.n, sizeof *names);
	if (!names) {
		rc = hssctl_fail(h, argv[optind], -ENOMEM);
		goto out;
	}
	for (size_t i = 0; i < x.n; i++) {
		snprintf(names[i], sizeof names[i], "shared-ifc:%u#%d", id, x.ifcs[i].priority);
		x.ifcs[i].name = names[i];
	}
	if (hssctl_connect(h, &st))
		goto out;
	rc = store_admin_shared_set_replace(st, id, name, x.ifcs, x.n);
	store_close(st);
	if (rc) {
		if (rc == -EEXIST)
			fprintf(stderr, "ims-hssctl: %s: another set is named %s, or an iFC named"
				" shared-ifc:%u#<priority> is used elsewhere\n", h->cmd,
				name ? name : "-", id);
		rc = hssctl_fail(h, argv[optind], rc);
		goto out;
	}
	printf("shared iFC set %u: %zu iFC%s loaded from %s\n", id, x.n, x.n == 1 ? "" : "s",
	       file);
	rc = HSSCTL_OK;
out:
	free(names);
	ifc_xml_free(&x);
	return rc;
}

/* Print sets ids[0..n) (every set when n is 0) as the S-CSCF's file. */
static int print_sets(struct hssctl *h, struct store *st, const uint32_t *ids, size_t n)
{
	struct store_admin_shared_set *all = NULL;
	struct store_service_profile **sets = NULL;
	size_t n_all = 0, n_sets = 0, len = 0;
	char *xml = NULL;
	int rc = 0;

	if (!n) {
		if ((rc = store_admin_shared_set_list(st, &all, &n_all)))
			return hssctl_fail(h, "shared iFC sets", rc);
		n = n_all;
	}
	if (n && !(sets = calloc(n, sizeof *sets))) {
		rc = -ENOMEM;
		goto out;
	}
	for (; n_sets < n; n_sets++) {
		uint32_t id = all ? all[n_sets].id : ids[n_sets];
		if ((rc = store_shared_set_get(st, id, &sets[n_sets]))) {
			if (rc == -ENOENT)
				fprintf(stderr, "ims-hssctl: %s: no shared iFC set %u\n", h->cmd, id);
			goto out;
		}
	}
	if ((rc = cx_shared_sets_write(sets, n_sets, &xml, &len)) == 0)
		fwrite(xml, 1, len, stdout);
out:
	for (size_t i = 0; i < n_sets; i++)
		store_service_profile_free(sets[i]);
	free(sets);
	free(all);
	free(xml);
	if (rc == -ENOENT)
		return HSSCTL_FAIL;
	return rc ? hssctl_fail(h, "shared iFC sets", rc) : HSSCTL_OK;
}

/* shared-ifc show ID | export [ID ...] */
static int shared_print(struct hssctl *h, int argc, char **argv, bool one)
{
	static const struct option opts[] = { HSSCTL_DB_OPTIONS, { NULL, 0, NULL, 0 } };
	struct store *st = NULL;
	uint32_t *ids = NULL;
	size_t n = 0;
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		rc = c == '?' ? -1 : hssctl_db_option(h, c, optarg);
		if (rc <= 0)
			return rc < 0 ? HSSCTL_USAGE : hssctl_usage_error(h, "unexpected option");
	}
	if (one && argc - optind != 1)
		return hssctl_usage_error(h, "expected one set ID");
	n = (size_t)(argc - optind);
	if (n && !(ids = calloc(n, sizeof *ids)))
		return hssctl_fail(h, "set ids", -ENOMEM);
	for (size_t i = 0; i < n; i++) {
		if ((rc = parse_id(h, argv[optind + (int)i], &ids[i]))) {
			free(ids);
			return rc;
		}
	}
	rc = HSSCTL_FAIL;
	if (hssctl_connect(h, &st) == 0) {
		rc = print_sets(h, st, ids, n);
		store_close(st);
	}
	free(ids);
	return rc;
}

static int shared_list(struct hssctl *h, int argc, char **argv)
{
	static const struct option opts[] = { HSSCTL_DB_OPTIONS, { NULL, 0, NULL, 0 } };
	struct store_admin_shared_set *v = NULL;
	struct store *st = NULL;
	size_t n = 0;
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		rc = c == '?' ? -1 : hssctl_db_option(h, c, optarg);
		if (rc <= 0)
			return rc < 0 ? HSSCTL_USAGE : hssctl_usage_error(h, "unexpected option");
	}
	if (argc != optind)
		return hssctl_usage_error(h, "no argument expected");
	if (hssctl_connect(h, &st))
		return HSSCTL_FAIL;
	rc = store_admin_shared_set_list(st, &v, &n);
	store_close(st);
	if (rc)
		return hssctl_fail(h, "shared iFC sets", rc);
	for (size_t i = 0; i < n; i++)
		printf("%u\t%s\t%llu iFC%s\t%llu profile%s\n", v[i].id, v[i].name,
		       (unsigned long long)v[i].n_ifcs, v[i].n_ifcs == 1 ? "" : "s",
		       (unsigned long long)v[i].n_profiles, v[i].n_profiles == 1 ? "" : "s");
	free(v);
	return HSSCTL_OK;
}

/* shared-ifc del ID [--force] */
static int shared_del(struct hssctl *h, int argc, char **argv)
{
	static const struct option opts[] = {
		HSSCTL_DB_OPTIONS,
		{ "force", no_argument, NULL, OPT_FORCE },
		{ NULL, 0, NULL, 0 },
	};
	struct store *st = NULL;
	bool force = false;
	uint32_t id = 0;
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == OPT_FORCE) {
			force = true;
			continue;
		}
		rc = c == '?' ? -1 : hssctl_db_option(h, c, optarg);
		if (rc <= 0)
			return rc < 0 ? HSSCTL_USAGE : hssctl_usage_error(h, "unexpected option");
	}
	if (argc - optind != 1)
		return hssctl_usage_error(h, "expected one set ID");
	if ((rc = parse_id(h, argv[optind], &id)))
		return rc;
	if (hssctl_connect(h, &st))
		return HSSCTL_FAIL;
	rc = store_admin_shared_set_del(st, id, force);
	store_close(st);
	if (rc == -EBUSY) {
		fprintf(stderr, "ims-hssctl: %s: %u: service profiles link this set (profile set"
			" without it, or --force to unlink them)\n", h->cmd, id);
		return HSSCTL_FAIL;
	}
	if (rc)
		return hssctl_fail(h, argv[optind], rc);
	printf("shared iFC set %u deleted\n", id);
	return HSSCTL_OK;
}

int hssctl_cmd_shared_ifc(struct hssctl *h, int argc, char **argv)
{
	if (strcmp(argv[0], "set") == 0)
		return shared_set(h, argc, argv);
	if (strcmp(argv[0], "show") == 0)
		return shared_print(h, argc, argv, true);
	if (strcmp(argv[0], "export") == 0)
		return shared_print(h, argc, argv, false);
	if (strcmp(argv[0], "list") == 0)
		return shared_list(h, argc, argv);
	if (strcmp(argv[0], "del") == 0)
		return shared_del(h, argc, argv);
	return hssctl_usage_error(h, "unknown subcommand (set, show, export, list, del)");
}
