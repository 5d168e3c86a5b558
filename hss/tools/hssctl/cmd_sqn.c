/* ims-hssctl sqn show|set IMPI and deregister IMPU (an alias of
 * `subscriber deregister IMPI --impu IMPU` for the IMPI of the IMPU).
 *
 * The stored SQN is the highest one reserved by an ims-hss (TS 33.102 C.3,
 * hss/cx/auth_cache.h); a running ims-hss sees a change at its next
 * auth-data refresh (cx.auth_cache_ttl) and continues above the new value. */
#include "hssctl.h"
#include "admin.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int sqn_show(struct hssctl *h, int argc, char **argv)
{
	struct store_auth a;
	struct store *st = NULL;
	const char *impi = NULL;
	int rc;

	if ((rc = hssctl_one_arg(h, argc, argv, &impi)))
		return rc;
	if (hssctl_connect(h, &st))
		return HSSCTL_FAIL;
	rc = store_auth_get(st, impi, &a);
	store_close(st);
	if (rc == 0)   /* SEQ/IND split with the default 5 IND bits (C.1.2) */
		printf("%s sqn=%llu seq=%llu ind=%llu\n", impi, (unsigned long long)a.sqn,
		       (unsigned long long)(a.sqn >> 5), (unsigned long long)(a.sqn & 31));
	store_auth_wipe(&a);
	return rc ? hssctl_fail(h, impi, rc) : HSSCTL_OK;
}

static int sqn_set(struct hssctl *h, int argc, char **argv)
{
	static const struct option opts[] = { HSSCTL_DB_OPTIONS, { NULL, 0, NULL, 0 } };
	struct store *st = NULL;
	uint64_t v = 0;
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		rc = c == '?' ? 0 : hssctl_db_option(h, c, optarg);
		if (rc <= 0)
			return HSSCTL_USAGE;
	}
	if (argc - optind != 2)
		return hssctl_usage_error(h, "expected IMPI and SQN");
	if (!hssctl_valid_impi(argv[optind]))
		return hssctl_usage_error(h, "not a NAI (user@realm): %s", argv[optind]);
	if (hssctl_u64(argv[optind + 1], STORE_SQN_MAX, &v))
		return hssctl_usage_error(h, "SQN: expected 0..2^48-1");
	if (hssctl_connect(h, &st))
		return HSSCTL_FAIL;
	rc = store_sqn_set(st, argv[optind], v);
	store_close(st);
	if (rc)
		return hssctl_fail(h, argv[optind], rc);
	printf("%s sqn=%llu\n", argv[optind], (unsigned long long)v);
	return HSSCTL_OK;
}

int hssctl_cmd_sqn(struct hssctl *h, int argc, char **argv)
{
	if (strcmp(argv[0], "show") == 0)
		return sqn_show(h, argc, argv);
	if (strcmp(argv[0], "set") == 0)
		return sqn_set(h, argc, argv);
	return hssctl_usage_error(h, "unknown subcommand (show, set)");
}

/* argv[0] is the IMPU, then the options of subscriber deregister. */
int hssctl_cmd_deregister_impu(struct hssctl *h, int argc, char **argv)
{
	struct store_strv impis = { 0 };
	struct store *st = NULL;
	char **av = NULL;
	int rc;

	if (!hssctl_valid_impu(argv[0]))
		return hssctl_usage_error(h, "not a SIP or tel URI: %s", argv[0]);
	if (hssctl_connect(h, &st))
		return HSSCTL_FAIL;
	rc = store_impu_impis(st, argv[0], &impis);
	store_close(st);
	if (rc)
		return hssctl_fail(h, argv[0], rc);
	av = calloc((size_t)argc + 5, sizeof *av);
	if (!av || impis.n == 0) {
		rc = hssctl_fail(h, argv[0], impis.n ? -ENOMEM : -ENOENT);
		goto out;
	}
	/* The first IMPI sharing it: the RTR names the IMPU (TS 29.228 6.1.3). */
	av[0] = "subscriber";
	av[1] = "deregister";
	av[2] = impis.v[0];
	av[3] = "--impu";
	av[4] = argv[0];
	for (int i = 1; i < argc; i++)
		av[4 + i] = argv[i];
	rc = hssctl_admin_dispatch(h, argc + 4, av);
out:
	free(av);
	store_strv_free(&impis);
	return rc;
}
