/* ims-hssctl admin commands: queue RTR/PPR for ims-hss (admin.h). */
#include "admin.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store_queue.h"

static const char *const kinds[] = { "?", "RTR", "PPR" };
static const char *const states[] = { "pending", "sending", "done", "failed" };

/* TS 29.229 6.3.17 Reason-Code values, in order. */
static const char *const reasons[] = { "permanent", "new-server", "server-change",
				       "remove-scscf" };

static void queue_print(const struct store_queue_item *q)
{
	printf("request %llu: %s impi=%s impu=%s state=%s attempts=%u result=%u detail=%s\n",
	       (unsigned long long)q->id, kinds[q->kind <= 2 ? q->kind : 0], q->impi,
	       q->impu[0] ? q->impu : "*", states[q->state <= 3 ? q->state : 0], q->attempts,
	       q->result_code, q->detail[0] ? q->detail : "-");
}

/* Poll the row until done/failed or wait_s passes: exit status. */
static int queue_wait(struct hssctl *h, struct store *st, uint64_t id, long wait_s)
{
	struct timespec nap = { 0, 100 * 1000000L };
	struct store_queue_item q;
	long rounds = wait_s * 10;
	int rc;

	for (;;) {
		if ((rc = store_queue_get(st, id, &q)) != 0)
			return hssctl_fail(h, "admin request", rc);
		if (q.state == STORE_QUEUE_DONE || q.state == STORE_QUEUE_FAILED || rounds-- <= 0)
			break;
		nanosleep(&nap, NULL);
	}
	queue_print(&q);
	return q.state == STORE_QUEUE_DONE ? HSSCTL_OK : HSSCTL_FAIL;
}

/* Queue a PPR for impu if an S-CSCF serves it; prints what happened. */
static int queue_ppr(struct hssctl *h, struct store *st, const char *impu, uint64_t *id)
{
	struct store_queue_item q = { .kind = STORE_QUEUE_PPR };
	struct store_impu pu;
	struct store_strv impis = { 0 };
	int rc = store_impu_get(st, impu, &pu);

	*id = 0;
	if (rc)
		return hssctl_fail(h, impu, rc);
	if (!pu.scscf_name[0]) {
		printf("%s: no S-CSCF assigned, no Push-Profile needed\n", impu);
		return HSSCTL_OK;
	}
	if (pu.last_impi[0]) {
		snprintf(q.impi, sizeof q.impi, "%s", pu.last_impi);
	} else if ((rc = store_impu_impis(st, impu, &impis)) == 0 && impis.n) {
		snprintf(q.impi, sizeof q.impi, "%s", impis.v[0]);
	}
	store_strv_free(&impis);
	if (!q.impi[0])
		return hssctl_fail(h, impu, rc ? rc : -ENOENT);
	snprintf(q.impu, sizeof q.impu, "%s", impu);
	if ((rc = store_queue_add(st, &q, id)))
		return hssctl_fail(h, "queueing the Push-Profile", rc);
	printf("%s: Push-Profile to %s queued (request %llu)\n", impu, pu.scscf_name,
	       (unsigned long long)*id);
	return HSSCTL_OK;
}

enum { OPT_IMPU = 1, OPT_REASON, OPT_INFO, OPT_WAIT };

static int opt_common(struct hssctl *h, int c, const char *arg, long *wait_s)
{
	char *end;
	int rc;

	if (c == OPT_WAIT) {
		*wait_s = strtol(arg, &end, 10);
		if (*end || *wait_s < 0 || *wait_s > 3600)
			return hssctl_usage_error(h, "--wait: seconds 0..3600");
		return 0;
	}
	rc = c == '?' ? -1 : hssctl_db_option(h, c, arg);
	return rc < 0 ? HSSCTL_USAGE : rc == 0 ? hssctl_usage_error(h, "unexpected option") : 0;
}

static int reason_of(const char *s, unsigned int *code)
{
	for (unsigned int i = 0; i < sizeof reasons / sizeof reasons[0]; i++) {
		if (strcmp(s, reasons[i]) == 0) {
			*code = i;
			return 0;
		}
	}
	return -EINVAL;
}

static int cmd_deregister(struct hssctl *h, int argc, char **argv)
{
	static const struct option opts[] = {
		HSSCTL_DB_OPTIONS,
		{ "impu", required_argument, NULL, OPT_IMPU },
		{ "reason", required_argument, NULL, OPT_REASON },
		{ "reason-info", required_argument, NULL, OPT_INFO },
		{ "wait", required_argument, NULL, OPT_WAIT },
		{ NULL, 0, NULL, 0 },
	};
	struct store_queue_item q = { .kind = STORE_QUEUE_RTR };
	struct store_strv impus = { 0 };
	struct store *st = NULL;
	uint64_t id = 0;
	long wait_s = 0;
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == OPT_IMPU) {
			if (!hssctl_valid_impu(optarg))
				return hssctl_usage_error(h, "--impu: not a SIP or tel URI: %s", optarg);
			snprintf(q.impu, sizeof q.impu, "%s", optarg);
		} else if (c == OPT_REASON) {
			if (reason_of(optarg, &q.reason_code))
				return hssctl_usage_error(h, "--reason: permanent, new-server, "
							  "server-change or remove-scscf");
		} else if (c == OPT_INFO) {
			if (strlen(optarg) >= sizeof q.reason_info)
				return hssctl_usage_error(h, "--reason-info: too long");
			snprintf(q.reason_info, sizeof q.reason_info, "%s", optarg);
		} else if ((rc = opt_common(h, c, optarg, &wait_s))) {
			return rc;
		}
	}
	if (argc - optind != 1 || !hssctl_valid_impi(argv[optind]))
		return hssctl_usage_error(h, "expected one IMPI (user@realm)");
	snprintf(q.impi, sizeof q.impi, "%s", argv[optind]);
	if (hssctl_connect(h, &st))
		return HSSCTL_FAIL;
	rc = q.impu[0] ? store_impi_impu_check(st, q.impi, q.impu)
		       : store_impi_impus(st, q.impi, &impus);
	store_strv_free(&impus);
	if (rc == 0)
		rc = store_queue_add(st, &q, &id);
	if (rc) {
		rc = hssctl_fail(h, q.impi, rc);
		goto out;
	}
	printf("%s: Registration-Termination (%s) queued (request %llu)\n", q.impi,
	       reasons[q.reason_code], (unsigned long long)id);
	rc = wait_s ? queue_wait(h, st, id, wait_s) : HSSCTL_OK;
out:
	store_close(st);
	return rc;
}

/* impu bar|unbar URI [--wait S], subscriber push-profile URI [--wait S]. */
static int cmd_profile(struct hssctl *h, int argc, char **argv, int barring)
{
	static const struct option opts[] = {
		HSSCTL_DB_OPTIONS,
		{ "wait", required_argument, NULL, OPT_WAIT },
		{ NULL, 0, NULL, 0 },
	};
	struct store *st = NULL;
	const char *impu;
	uint64_t id = 0;
	long wait_s = 0;
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if ((rc = opt_common(h, c, optarg, &wait_s)))
			return rc;
	}
	if (argc - optind != 1 || !hssctl_valid_impu(argv[optind]))
		return hssctl_usage_error(h, "expected one IMPU (SIP or tel URI)");
	impu = argv[optind];
	if (hssctl_connect(h, &st))
		return HSSCTL_FAIL;
	if (barring >= 0 && (rc = store_impu_set_barring(st, impu, barring == 1))) {
		rc = hssctl_fail(h, impu, rc);
		goto out;
	}
	if (barring >= 0)
		printf("%s %s\n", impu, barring ? "barred" : "no longer barred");
	rc = queue_ppr(h, st, impu, &id);
	if (rc == HSSCTL_OK && id && wait_s)
		rc = queue_wait(h, st, id, wait_s);
out:
	store_close(st);
	return rc;
}

/* The value of --impu in argv (before getopt permutes it). */
static const char *find_impu(int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--impu") == 0 && i + 1 < argc)
			return argv[i + 1];
		if (strncmp(argv[i], "--impu=", 7) == 0)
			return argv[i] + 7;
	}
	return NULL;
}

/* ifc add as before, then a PPR if the IMPU is served (TS 29.228 6.1.6). */
static int cmd_ifc_add(struct hssctl *h, int argc, char **argv)
{
	const char *impu = find_impu(argc, argv);
	struct store *st = NULL;
	uint64_t id = 0;
	int rc = hssctl_cmd_ifc(h, argc, argv);

	if (rc != HSSCTL_OK || !impu)
		return rc;
	if (hssctl_connect(h, &st))
		return HSSCTL_FAIL;
	rc = queue_ppr(h, st, impu, &id);
	store_close(st);
	return rc;
}

static int cmd_request_show(struct hssctl *h, int argc, char **argv)
{
	struct store_queue_item q;
	struct store *st = NULL;
	const char *arg = NULL;
	uint64_t id;
	int rc = hssctl_one_arg(h, argc, argv, &arg);

	if (rc)
		return rc;
	if (hssctl_u64(arg, UINT64_MAX, &id))
		return hssctl_usage_error(h, "expected a request number");
	if (hssctl_connect(h, &st))
		return HSSCTL_FAIL;
	rc = store_queue_get(st, id, &q);
	store_close(st);
	if (rc)
		return hssctl_fail(h, arg, rc);
	queue_print(&q);
	return HSSCTL_OK;
}

enum { CMD_DEREG, CMD_PUSH, CMD_BAR, CMD_UNBAR, CMD_IFC, CMD_SHOW };

static int admin_run(struct hssctl *h, int which, int argc, char **argv)
{
	switch (which) {
	case CMD_DEREG: return cmd_deregister(h, argc, argv);
	case CMD_PUSH: return cmd_profile(h, argc, argv, -1);
	case CMD_BAR: return cmd_profile(h, argc, argv, 1);
	case CMD_UNBAR: return cmd_profile(h, argc, argv, 0);
	case CMD_IFC: return cmd_ifc_add(h, argc, argv);
	default: return cmd_request_show(h, argc, argv);
	}
}

int hssctl_admin_dispatch(struct hssctl *h, int argc, char **argv)
{
	static const struct { const char *noun, *verb; int which; } t[] = {
		{ "subscriber", "deregister", CMD_DEREG },
		{ "subscriber", "push-profile", CMD_PUSH },
		{ "impu", "bar", CMD_BAR },
		{ "impu", "unbar", CMD_UNBAR },
		{ "ifc", "add", CMD_IFC },
		{ "admin-request", "show", CMD_SHOW },
	};
	static char cmd[64];
	int rc;

	if (argc < 2)
		return -1;
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		if (strcmp(argv[0], t[i].noun) != 0 || strcmp(argv[1], t[i].verb) != 0)
			continue;
		snprintf(cmd, sizeof cmd, "%s %s", t[i].noun, t[i].verb);
		h->cmd = cmd;
		if (store_library_init()) {
			fprintf(stderr, "ims-hssctl: cannot initialise the MariaDB client\n");
			return HSSCTL_FAIL;
		}
		optind = 0;  /* the command parses argv from its verb on */
		rc = admin_run(h, t[i].which, argc - 1, argv + 1);
		store_library_end();
		return rc;
	}
	return -1;
}
