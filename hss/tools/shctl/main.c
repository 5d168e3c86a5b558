/* ims-shctl: command line, Diameter node, send and wait, PNR receiver
 * (shctl.h). */
#include "shctl.h"

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>

#include "ims/diameter.h"
#include "ims/log.h"

static const char usage_text[] =
"usage: ims-shctl [NODE OPTIONS] udr|pur|snr [REQUEST OPTIONS]\n"
"Node: --config FILE (YAML of the diameter section: identity, realm, peers;\n"
"      the first peer is the HSS) or --identity ID (as.open-ims.test)\n"
"      --realm R (open-ims.test) --hss-identity ID (hss.open-ims.test)\n"
"      --hss-address IP (127.0.0.1) --hss-port P (3868); --timeout SEC (5) --verbose\n"
"Request: --user URI | --msisdn DIGITS; --ref NAME|N (repeatable; RepositoryData,\n"
"      IMSPublicIdentity, IMSUserState, S-CSCFName, InitialFilterCriteria, ...)\n"
"      --service-indication SI (repeatable) --server-name URI\n"
"      --identity-set N (repeatable) --dsai-tag TAG (repeatable)\n"
"      pur: --data FILE | --data-string XML\n"
"      snr: --unsubscribe --expiry SEC --send-data --one-time\n"
"      --wait SEC (stay up, print PNRs) --expect-pnr N (exit 3 if fewer came)\n"
"      --no-identity (omit User-Identity: a malformed request)\n";

struct waiter {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct msg *ans;
	bool done;
	long pnrs;
};

static struct waiter g_wait = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
				NULL, false, 0 };

static void on_answer(void *data, struct msg **ans)
{
	struct waiter *w = data;

	pthread_mutex_lock(&w->lock);
	w->ans = *ans;
	*ans = NULL;
	w->done = true;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

/* PNR from the HSS (TS 29.329 6.1.7): print it, answer 2001. */
static int on_pnr(void *ctx, struct msg *req, struct msg *ans)
{
	struct waiter *w = ctx;
	struct avp *ui = dia_find(req, SH_AVP_USER_IDENTITY);
	const uint8_t *id = NULL, *data = NULL;
	size_t idn = 0, datan = 0;

	if (ui)
		(void)dia_find_octets(ui, CX_AVP_PUBLIC_IDENTITY, &id, &idn);
	(void)dia_find_octets(req, SH_AVP_USER_DATA, &data, &datan);
	pthread_mutex_lock(&w->lock);
	printf("pnr impu=%.*s User-Data=", (int)idn, id ? (const char *)id : "");
	for (size_t i = 0; i < datan; i++)
		putchar(data[i] == '\n' || data[i] == '\r' ? ' ' : data[i]);
	putchar('\n');
	fflush(stdout);
	w->pnrs++;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
	return dia_set_result(ans, DIA_SUCCESS);
}

static struct timespec deadline(long seconds)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += seconds;
	return until;
}

static struct msg *wait_answer(struct waiter *w, long timeout_s)
{
	struct timespec until = deadline(timeout_s);
	struct msg *ans;

	pthread_mutex_lock(&w->lock);
	while (!w->done && pthread_cond_timedwait(&w->cond, &w->lock, &until) == 0)
		;
	ans = w->ans;
	w->ans = NULL;
	pthread_mutex_unlock(&w->lock);
	return ans;
}

/* Until expect PNRs came (expect 0: the whole time). Returns the count. */
static long wait_pnrs(struct waiter *w, long seconds, long expect)
{
	struct timespec until = deadline(seconds);
	long n;

	pthread_mutex_lock(&w->lock);
	while ((expect <= 0 || w->pnrs < expect) &&
	       pthread_cond_timedwait(&w->cond, &w->lock, &until) == 0)
		;
	n = w->pnrs;
	pthread_mutex_unlock(&w->lock);
	return n;
}

struct node_opts {
	const char *config, *identity, *realm, *hss_identity, *hss_address;
	long hss_port, timeout, wait, expect_pnr;
	bool verbose;
};

static int node_start(const struct node_opts *n, struct dia_config *dc, const char **hss)
{
	struct cfg_error err = { "" };
	char text[1024];
	int len, ret;

	if (n->config) {
		ret = cfg_load_file(n->config, dia_schema, dc, &err);
	} else {
		len = snprintf(text, sizeof text,
			       "identity: \"%s\"\nrealm: \"%s\"\nport: 0\npeers:\n"
			       "  - identity: \"%s\"\n    address: \"%s\"\n    port: %ld\n",
			       n->identity, n->realm, n->hss_identity, n->hss_address, n->hss_port);
		ret = len < 0 || (size_t)len >= sizeof text ? -EINVAL :
			cfg_load_string("shctl", text, (size_t)len, dia_schema, dc, &err);
	}
	if (ret != 0) {
		fprintf(stderr, "ims-shctl: bad node configuration: %s\n", err.msg);
		return ret;
	}
	if (dc->peers.n == 0) {
		fprintf(stderr, "ims-shctl: the configuration names no peer (the HSS)\n");
		return -EINVAL;
	}
	*hss = ((struct dia_peer_config *)dc->peers.items)[0].identity;
	return dia_start(dc, DIA_APP_SH);
}

static int read_file(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = malloc(1 << 20);
	int ret = 0;

	if (!f || !buf) {
		ret = -errno;
		goto out;
	}
	*len = fread(buf, 1, 1 << 20, f);
	if (ferror(f) || *len == 1 << 20) {
		ret = -EFBIG;
		goto out;
	}
	*out = buf;
	buf = NULL;
out:
	if (f)
		fclose(f);
	free(buf);
	return ret;
}

static int cmd_of(const char *name, uint32_t *cmd)
{
	if (strcmp(name, "udr") == 0)
		*cmd = SH_CMD_UDR;
	else if (strcmp(name, "pur") == 0)
		*cmd = SH_CMD_PUR;
	else if (strcmp(name, "snr") == 0)
		*cmd = SH_CMD_SNR;
	else
		return -EINVAL;
	return 0;
}

static int parse(int argc, char **argv, struct node_opts *n, struct shctl_opts *o,
		 uint32_t *cmd, char **file_data)
{
	enum { O_CONFIG = 1000, O_ID, O_REALM, O_HID, O_HADDR, O_HPORT, O_TIMEOUT, O_VERBOSE,
	       O_USER, O_MSISDN, O_REF, O_SI, O_SERVER, O_SET, O_DATA, O_DATASTR, O_UNSUB,
	       O_EXPIRY, O_SEND, O_WAIT, O_EXPECT, O_NOID, O_TAG, O_ONCE };
	static const struct option opts[] = {
		{ "config", 1, NULL, O_CONFIG }, { "identity", 1, NULL, O_ID },
		{ "realm", 1, NULL, O_REALM }, { "hss-identity", 1, NULL, O_HID },
		{ "hss-address", 1, NULL, O_HADDR }, { "hss-port", 1, NULL, O_HPORT },
		{ "timeout", 1, NULL, O_TIMEOUT }, { "verbose", 0, NULL, O_VERBOSE },
		{ "user", 1, NULL, O_USER }, { "msisdn", 1, NULL, O_MSISDN },
		{ "ref", 1, NULL, O_REF }, { "service-indication", 1, NULL, O_SI },
		{ "server-name", 1, NULL, O_SERVER }, { "identity-set", 1, NULL, O_SET },
		{ "data", 1, NULL, O_DATA }, { "data-string", 1, NULL, O_DATASTR },
		{ "unsubscribe", 0, NULL, O_UNSUB }, { "expiry", 1, NULL, O_EXPIRY },
		{ "send-data", 0, NULL, O_SEND }, { "wait", 1, NULL, O_WAIT },
		{ "expect-pnr", 1, NULL, O_EXPECT }, { "no-identity", 0, NULL, O_NOID },
		{ "dsai-tag", 1, NULL, O_TAG }, { "one-time", 0, NULL, O_ONCE },
		{ "help", 0, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	long v;
	int c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case O_CONFIG: n->config = optarg; break;
		case O_ID: n->identity = optarg; break;
		case O_REALM: n->realm = optarg; break;
		case O_HID: n->hss_identity = optarg; break;
		case O_HADDR: n->hss_address = optarg; break;
		case O_HPORT: n->hss_port = strtol(optarg, NULL, 10); break;
		case O_TIMEOUT: n->timeout = strtol(optarg, NULL, 10); break;
		case O_VERBOSE: n->verbose = true; break;
		case O_WAIT: n->wait = strtol(optarg, NULL, 10); break;
		case O_EXPECT: n->expect_pnr = strtol(optarg, NULL, 10); break;
		case O_USER: o->user = optarg; break;
		case O_MSISDN: o->msisdn = optarg; break;
		case O_REF:
			if ((v = shctl_ref(optarg)) < 0 || o->n_refs == SHCTL_MAX_REFS)
				return -EINVAL;
			o->refs[o->n_refs++] = (uint32_t)v;
			break;
		case O_SET:
			v = strtol(optarg, NULL, 10);
			if (v < 0 || v > 3 || o->n_sets == 4)
				return -EINVAL;
			o->sets[o->n_sets++] = (uint32_t)v;
			break;
		case O_SI:
			if (o->n_si == SHCTL_MAX_REFS)
				return -EINVAL;
			o->si[o->n_si++] = optarg;
			break;
		case O_TAG:
			if (o->n_tags == SHCTL_MAX_REFS)
				return -EINVAL;
			o->dsai_tags[o->n_tags++] = optarg;
			break;
		case O_ONCE: o->one_time = true; break;
		case O_SERVER: o->server_name = optarg; break;
		case O_DATA:
			if (read_file(optarg, file_data, &o->data_len) != 0)
				return -EIO;
			o->data = *file_data;
			break;
		case O_DATASTR: o->data = optarg; o->data_len = strlen(optarg); break;
		case O_UNSUB: o->unsubscribe = true; break;
		case O_EXPIRY: o->expiry_s = strtol(optarg, NULL, 10); break;
		case O_SEND: o->send_data = true; break;
		case O_NOID: o->no_identity = true; break;
		default: return -EINVAL;
		}
	}
	if (optind + 1 != argc || cmd_of(argv[optind], cmd) != 0)
		return -EINVAL;
	if ((!o->user && !o->msisdn && !o->no_identity) || n->timeout <= 0 || n->wait < 0 ||
	    n->hss_port <= 0 || n->hss_port > 65535)
		return -EINVAL;
	return 0;
}

int main(int argc, char **argv)
{
	struct node_opts n = { NULL, "as.open-ims.test", "open-ims.test", "hss.open-ims.test",
			       "127.0.0.1", 3868, 5, 0, 0, false };
	struct shctl_opts o = { 0 };
	struct ims_log_config lc = { .level = IMS_LOG_WARN };
	struct dia_config dc = { 0 };
	struct msg *req = NULL, *ans = NULL;
	const char *hss = NULL;
	char *file_data = NULL;
	uint32_t cmd = 0, code;
	bool exp = false;
	int ret, status = 1;

	if (parse(argc, argv, &n, &o, &cmd, &file_data) != 0) {
		fputs(usage_text, stderr);
		free(file_data);
		return 2;
	}
	if (n.verbose)
		lc.level = IMS_LOG_DEBUG;
	ims_log_init("ims-shctl", &lc);
	ret = node_start(&n, &dc, &hss);
	if (ret == 0)
		ret = dia_serve_direct(DIA_APP_SH, SH_CMD_PNR, on_pnr, &g_wait);
	if (ret != 0) {
		fprintf(stderr, "ims-shctl: cannot start the Diameter node: %s\n", strerror(-ret));
		goto out;
	}
	ret = dia_peer_wait_open(hss, (int)n.timeout * 1000);
	if (ret != 0) {
		fprintf(stderr, "ims-shctl: %s not reachable: %s\n", hss, strerror(-ret));
		goto out;
	}
	ret = dia_new_request(DIA_APP_SH, cmd, dc.realm, hss, &req);
	if (ret == 0)
		ret = shctl_build(cmd, &o, req);
	if (ret == 0)
		ret = fd_msg_send(&req, on_answer, &g_wait) ? -EIO : 0;
	if (ret != 0) {
		fprintf(stderr, "ims-shctl: cannot send the request: %s\n", strerror(-ret));
		goto out;
	}
	ans = wait_answer(&g_wait, n.timeout);
	if (!ans) {
		fprintf(stderr, "ims-shctl: no answer within %ld s\n", n.timeout);
		goto out;
	}
	pthread_mutex_lock(&g_wait.lock);
	code = shctl_print(stdout, ans, &exp);
	fflush(stdout);
	pthread_mutex_unlock(&g_wait.lock);
	status = code == DIA_SUCCESS && !exp ? 0 : 1;
	if (n.wait > 0 && wait_pnrs(&g_wait, n.wait, n.expect_pnr) < n.expect_pnr)
		status = 3;
out:
	if (req)
		fd_msg_free(req);
	if (ans)
		fd_msg_free(ans);
	dia_stop();
	cfg_free(dia_schema, &dc);
	free(file_data);
	return status;
}
