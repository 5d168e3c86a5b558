/* ims-hssctl profile set|show: an IMPU's service profile as TS 29.228 XML —
 * its iFCs and SharedIFCSetIDs replaced from a file (ifc_xml.c), or the
 * IMSSubscription document the HSS sends in a SAA printed. */
#include "hssctl.h"
#include "ifc_xml.h"
#include "cx/cx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_IFC = 1 };

static int profile_set(struct hssctl *h, int argc, char **argv)
{
	static const struct option opts[] = {
		HSSCTL_DB_OPTIONS,
		{ "ifc", required_argument, NULL, OPT_IFC },
		{ NULL, 0, NULL, 0 },
	};
	const char *file = NULL, *impu;
	struct ifc_xml x = { 0 };
	struct store *st = NULL;
	char (*names)[STORE_IDENTITY_MAX + 16] = NULL;
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == OPT_IFC) {
			file = optarg;
			continue;
		}
		rc = c == '?' ? -1 : hssctl_db_option(h, c, optarg);
		if (rc <= 0)
			return rc < 0 ? HSSCTL_USAGE : hssctl_usage_error(h, "unexpected option");
	}
	if (argc - optind != 1 || !file)
		return hssctl_usage_error(h, "expected IMPU --ifc FILE.xml");
	impu = argv[optind];
	if (!hssctl_valid_impu(impu))
		return hssctl_usage_error(h, "not a SIP or tel URI: %s", impu);
	rc = ifc_xml_load(file, &x);
	if (rc != 0) {
		if (rc > 0)
			fprintf(stderr, "ims-hssctl: %s: %d error%s, nothing changed\n", file, rc,
				rc == 1 ? "" : "s");
		return HSSCTL_FAIL;
	}
	/* Names as `ifc add` gives them: IMPU#priority (priorities are unique). */
	names = x.n ? calloc(x.n, sizeof *names) : NULL;
	if (x.n && !names) {
		rc = hssctl_fail(h, impu, -ENOMEM);
		goto out;
	}
	for (size_t i = 0; i < x.n; i++) {
		snprintf(names[i], sizeof names[i], "%s#%d", impu, x.ifcs[i].priority);
		x.ifcs[i].name = names[i];
		x.ifcs[i].impu = impu;
	}
	if (hssctl_connect(h, &st)) {
		rc = HSSCTL_FAIL;
		goto out;
	}
	/* Every SharedIFCSetID must name a provisioned set (shared-ifc set). */
	rc = 0;
	for (size_t i = 0; i < x.n_shared; i++) {
		int e = store_admin_shared_set_exists(st, x.shared[i]);
		if (e == 0)
			fprintf(stderr, "%s:%ld: SharedIFCSetID %u: no such shared iFC set"
				" (see ims-hssctl shared-ifc list)\n", file, x.shared_lines[i],
				x.shared[i]);
		if (e <= 0 && rc == 0)
			rc = e ? e : -ENOENT;
	}
	if (rc) {
		store_close(st);
		if (rc == -ENOENT)
			fprintf(stderr, "ims-hssctl: %s: nothing changed\n", file);
		rc = rc == -ENOENT ? HSSCTL_FAIL : hssctl_fail(h, impu, rc);
		goto out;
	}
	rc = store_admin_profile_ifcs_replace(st, impu, x.ifcs, x.n, x.shared, x.n_shared);
	store_close(st);
	if (rc) {
		if (rc == -EEXIST)
			fprintf(stderr, "ims-hssctl: %s: an iFC named %s#<priority> exists and is"
				" used elsewhere (shared set or another profile)\n", h->cmd, impu);
		rc = hssctl_fail(h, impu, rc);
		goto out;
	}
	printf("service profile of %s: %zu iFC%s loaded from %s", impu, x.n,
	       x.n == 1 ? "" : "s", file);
	for (size_t i = 0; i < x.n_shared; i++)
		printf("%s%u", i ? "," : "; shared iFC sets ", x.shared[i]);
	putchar('\n');
	rc = HSSCTL_OK;
out:
	free(names);
	ifc_xml_free(&x);
	return rc;
}

/* The User-Data of a SAR for impu: PrivateID is its first IMPI. */
static int profile_show(struct hssctl *h, int argc, char **argv)
{
	struct store_strv impis = { 0 };
	struct store *st = NULL;
	const char *impu;
	char *xml = NULL;
	size_t len = 0;
	int rc;

	if ((rc = hssctl_one_arg(h, argc, argv, &impu)))
		return rc;
	if (hssctl_connect(h, &st))
		return HSSCTL_FAIL;
	rc = store_impu_impis(st, impu, &impis);
	if (rc == 0)
		rc = cx_user_data_build(st, impis.n ? impis.v[0] : "", impu, &xml, &len);
	store_close(st);
	store_strv_free(&impis);
	if (rc)
		return hssctl_fail(h, impu, rc);
	fwrite(xml, 1, len, stdout);
	if (len && xml[len - 1] != '\n')
		putchar('\n');
	free(xml);
	return HSSCTL_OK;
}

int hssctl_cmd_profile(struct hssctl *h, int argc, char **argv)
{
	if (strcmp(argv[0], "set") == 0)
		return profile_set(h, argc, argv);
	if (strcmp(argv[0], "show") == 0)
		return profile_show(h, argc, argv);
	return hssctl_usage_error(h, "unknown subcommand (set, show)");
}
