/* ims-cxctl: command line, Diameter node set-up, send and wait (cxctl.h). */
#include "cxctl.h"

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
"usage: ims-cxctl [NODE OPTIONS] uar|mar|sar|lir|serve [REQUEST OPTIONS]\n"
"Node: --identity ID (cxctl.open-ims.test) --realm R (open-ims.test)\n"
"      --hss-identity ID (hss.open-ims.test) --hss-address IP (127.0.0.1)\n"
"      --hss-port P (3868) --timeout SEC (5) --verbose\n"
"Request: --impi NAI --impu URI --server SIP-URI --visited NAME --no-visited\n"
"      --type N (User-Authorization-Type for uar, Server-Assignment-Type for sar)\n"
"      --scheme S (mar; default Unknown) --items N (mar; 1)\n"
"      --auth-hex HEX (mar: SIP-Authorization = RAND||AUTS)\n"
"      --data-available (sar) --user-data-out FILE (write User-Data)\n"
"      --command-code N / --app-id N: send the request built for the command\n"
"      with this Command-Code / header Application-Id (base protocol error paths)\n"
"Load (uar, mar, sar, lir): --repeat N --concurrency C (16) --users M (1): %d in --impi and\n"
"      --impu becomes the request number modulo M; prints rate and latency\n"
"      --raw: over a connection of our own instead of freeDiameter's peer threads\n"
"      --dump FILE (mar): \"RAND||AUTN XRES\" hex of every 2001 answer\n"
"Serve (play an S-CSCF): --answer-rtr CODE (2001) --answer-ppr CODE (2001)\n"
"      --count N (1): exit 0 after N RTR/PPR, 1 if not within --timeout\n";

struct waiter {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct msg *ans;
	bool done;
};

static struct waiter g_wait = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, false };

static void on_answer(void *data, struct msg **ans)
{
	struct waiter *w = data;

	pthread_mutex_lock(&w->lock);
	w->ans = *ans;
	*ans = NULL;
	w->done = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

static struct msg *wait_answer(struct waiter *w, int timeout_s)
{
	struct timespec until;
	struct msg *ans;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += timeout_s;
	pthread_mutex_lock(&w->lock);
	while (!w->done && pthread_cond_timedwait(&w->cond, &w->lock, &until) == 0)
		;
	ans = w->ans;
	w->ans = NULL;
	pthread_mutex_unlock(&w->lock);
	return ans;
}

struct node_opts {
	const char *identity, *realm, *hss_identity, *hss_address;
	long hss_port, timeout;
	bool verbose;
};

/* With a peer, freeDiameter connects to the HSS; without (raw load mode)
 * the node only gives the dictionary and our identity. */
static int node_start(const struct node_opts *n, bool with_peer, struct dia_config *dc)
{
	struct cfg_error err;
	char text[1024];
	int len = with_peer ?
		snprintf(text, sizeof text,
			 "identity: \"%s\"\nrealm: \"%s\"\nport: 0\npeers:\n"
			 "  - identity: \"%s\"\n    address: \"%s\"\n    port: %ld\n",
			 n->identity, n->realm, n->hss_identity, n->hss_address, n->hss_port) :
		snprintf(text, sizeof text, "identity: \"%s\"\nrealm: \"%s\"\nport: 0\n",
			 n->identity, n->realm);

	if (len < 0 || (size_t)len >= sizeof text ||
	    cfg_load_string("cxctl", text, (size_t)len, dia_schema, dc, &err) != 0) {
		fprintf(stderr, "ims-cxctl: bad node options: %s\n", err.msg);
		return -EINVAL;
	}
	return dia_start(dc, DIA_APP_CX);
}

/* --command-code / --app-id: the header says what the body does not
 * (RFC 6733 7.1.3 3001 COMMAND_UNSUPPORTED, 7.1.3 3007 APPLICATION_UNSUPPORTED). */
static int patch_header(struct msg *req, const struct cxctl_opts *o)
{
	struct msg_hdr *hdr = NULL;

	if (o->command_code == 0 && o->app_id == 0)
		return 0;
	if (fd_msg_hdr(req, &hdr) != 0)
		return -EINVAL;
	if (o->command_code > 0)
		hdr->msg_code = (command_code_t)o->command_code;
	if (o->app_id > 0)
		hdr->msg_appl = (application_id_t)o->app_id;
	return 0;
}

/* Our dictionary must know a --command-code to parse its answer (the
 * peer's 3001 comes back with that code and the E bit). */
static int dict_add_command(uint32_t code)
{
	struct dict_cmd_data req = { code, "Test-Request", CMD_FLAG_REQUEST | CMD_FLAG_ERROR,
				     CMD_FLAG_REQUEST };
	struct dict_cmd_data ans = { code, "Test-Answer", CMD_FLAG_REQUEST, 0 };
	struct dict_object *found = NULL;

	if (fd_dict_search(fd_g_config->cnf_dict, DICT_COMMAND, CMD_BY_CODE_R, &code, &found,
			   0) == 0 && found)
		return 0;
	if (fd_dict_new(fd_g_config->cnf_dict, DICT_COMMAND, &req, NULL, NULL) != 0 ||
	    fd_dict_new(fd_g_config->cnf_dict, DICT_COMMAND, &ans, NULL, NULL) != 0)
		return -EINVAL;
	return 0;
}

static int cmd_of(const char *name, uint32_t *cmd)
{
	static const struct { const char *n; uint32_t c; } t[] = {
		{ "uar", CX_CMD_UAR }, { "mar", CX_CMD_MAR }, { "sar", CX_CMD_SAR }, { "lir", CX_CMD_LIR },
		{ "serve", 0 },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		if (strcmp(name, t[i].n) == 0) {
			*cmd = t[i].c;
			return 0;
		}
	}
	return -EINVAL;
}

static int parse(int argc, char **argv, struct node_opts *n, struct cxctl_opts *o,
		 struct cxctl_serve_opts *so, uint32_t *cmd)
{
	enum { O_ID = 1000, O_REALM, O_HID, O_HADDR, O_HPORT, O_TIMEOUT, O_VERBOSE, O_IMPI,
	       O_IMPU, O_SERVER, O_VISITED, O_NOVISITED, O_TYPE, O_SCHEME, O_ITEMS, O_AUTH,
	       O_AVAIL, O_UDOUT, O_REPEAT, O_CONC, O_USERS, O_ARTR, O_APPR, O_COUNT, O_DUMP, O_CCODE, O_APPID,
	       O_RAW };
	static const struct option opts[] = {
		{ "identity", 1, NULL, O_ID }, { "realm", 1, NULL, O_REALM },
		{ "hss-identity", 1, NULL, O_HID }, { "hss-address", 1, NULL, O_HADDR },
		{ "hss-port", 1, NULL, O_HPORT }, { "timeout", 1, NULL, O_TIMEOUT },
		{ "verbose", 0, NULL, O_VERBOSE }, { "impi", 1, NULL, O_IMPI },
		{ "impu", 1, NULL, O_IMPU }, { "server", 1, NULL, O_SERVER },
		{ "visited", 1, NULL, O_VISITED }, { "no-visited", 0, NULL, O_NOVISITED },
		{ "type", 1, NULL, O_TYPE }, { "scheme", 1, NULL, O_SCHEME },
		{ "items", 1, NULL, O_ITEMS }, { "auth-hex", 1, NULL, O_AUTH },
		{ "data-available", 0, NULL, O_AVAIL }, { "user-data-out", 1, NULL, O_UDOUT },
		{ "repeat", 1, NULL, O_REPEAT }, { "concurrency", 1, NULL, O_CONC },
		{ "users", 1, NULL, O_USERS }, { "answer-rtr", 1, NULL, O_ARTR },
		{ "answer-ppr", 1, NULL, O_APPR }, { "count", 1, NULL, O_COUNT },
		{ "dump", 1, NULL, O_DUMP }, { "command-code", 1, NULL, O_CCODE },
		{ "app-id", 1, NULL, O_APPID }, { "raw", 0, NULL, O_RAW },
		{ "help", 0, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	const char *cmdname = NULL;
	int c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case O_ID: n->identity = optarg; break;
		case O_REALM: n->realm = optarg; break;
		case O_HID: n->hss_identity = optarg; break;
		case O_HADDR: n->hss_address = optarg; break;
		case O_HPORT: n->hss_port = strtol(optarg, NULL, 10); break;
		case O_TIMEOUT: n->timeout = strtol(optarg, NULL, 10); break;
		case O_VERBOSE: n->verbose = true; break;
		case O_IMPI: o->impi = optarg; break;
		case O_IMPU: o->impu = optarg; break;
		case O_SERVER: o->server = optarg; break;
		case O_VISITED: o->visited = optarg; break;
		case O_NOVISITED: o->no_visited = true; break;
		case O_TYPE: o->type = strtol(optarg, NULL, 10); break;
		case O_SCHEME: o->scheme = optarg; break;
		case O_ITEMS: o->items = strtol(optarg, NULL, 10); break;
		case O_AUTH: o->auth_hex = optarg; break;
		case O_AVAIL: o->data_available = true; break;
		case O_UDOUT: o->user_data_out = so->user_data_out = optarg; break;
		case O_REPEAT: o->repeat = strtol(optarg, NULL, 10); break;
		case O_CONC: o->concurrency = strtol(optarg, NULL, 10); break;
		case O_USERS: o->users = strtol(optarg, NULL, 10); break;
		case O_ARTR: so->answer_rtr = strtol(optarg, NULL, 10); break;
		case O_APPR: so->answer_ppr = strtol(optarg, NULL, 10); break;
		case O_COUNT: so->count = strtol(optarg, NULL, 10); break;
		case O_DUMP: o->dump = optarg; break;
		case O_CCODE: o->command_code = strtol(optarg, NULL, 0); break;
		case O_APPID: o->app_id = strtol(optarg, NULL, 0); break;
		case O_RAW: o->raw = true; break;
		default: return -EINVAL;
		}
	}
	if (optind < argc)
		cmdname = argv[optind++];
	if (!cmdname || optind != argc || cmd_of(cmdname, cmd) != 0)
		return -EINVAL;
	if (n->hss_port <= 0 || n->hss_port > 65535 || n->timeout <= 0 || o->items < 0 ||
	    o->repeat < 0 || o->repeat > 10000000 || o->concurrency < 1 ||
	    o->concurrency > 100000 || o->users < 1 || so->count < 1 ||
	    so->answer_rtr < 1000 || so->answer_rtr > 5999 || so->answer_ppr < 1000 ||
	    so->answer_ppr > 5999 || o->command_code < 0 || o->command_code > 0xffffff ||
	    o->app_id < 0 || o->app_id > 0xffffffffL ||
	    (o->raw && (o->repeat == 0 || o->dump)))
		return -EINVAL;
	return 0;
}

int main(int argc, char **argv)
{
	struct node_opts n = { "cxctl.open-ims.test", "open-ims.test", "hss.open-ims.test",
			       "127.0.0.1", 3868, 5, false };
	struct cxctl_opts o = { .type = -1, .items = 1, .concurrency = 16, .users = 1 };
	struct cxctl_serve_opts so = { .answer_rtr = DIA_SUCCESS, .answer_ppr = DIA_SUCCESS,
				       .count = 1 };
	struct ims_log_config lc = { .level = IMS_LOG_WARN };
	struct dia_config dc = { 0 };
	struct msg *req = NULL, *ans = NULL;
	uint32_t cmd = 0;
	int ret, status = 1;

	if (parse(argc, argv, &n, &o, &so, &cmd) != 0) {
		fputs(usage_text, stderr);
		return 2;
	}
	if (n.verbose)
		lc.level = IMS_LOG_DEBUG;
	ims_log_init("ims-cxctl", &lc);
	ret = node_start(&n, !(o.raw && o.repeat > 0), &dc);
	if (ret != 0) {
		fprintf(stderr, "ims-cxctl: cannot start the Diameter node: %s\n", strerror(-ret));
		goto out;
	}
	if (o.raw && o.repeat > 0) {
		ret = cxctl_bench_raw(cmd, cmd == CX_CMD_MAR ? "MAR" : cmd == CX_CMD_SAR ? "SAR" :
				      cmd == CX_CMD_UAR ? "UAR" : "LIR", &o, n.realm, n.hss_identity,
				      n.hss_address, n.hss_port, n.timeout);
		status = ret == 0 ? 0 : 1;
		goto out;
	}
	if (cmd == 0 && (ret = cxctl_serve_register(&so)) != 0) {
		fprintf(stderr, "ims-cxctl: cannot serve RTR/PPR: %s\n", strerror(-ret));
		goto out;
	}
	ret = dia_peer_wait_open(n.hss_identity, (int)n.timeout * 1000);
	if (ret != 0) {
		fprintf(stderr, "ims-cxctl: %s at %s:%ld not reachable: %s\n", n.hss_identity,
			n.hss_address, n.hss_port, strerror(-ret));
		goto out;
	}
	if (cmd == 0) {
		printf("ready\n");
		fflush(stdout);
		ret = cxctl_serve_wait(&so, n.timeout);
		if (ret != 0)
			fprintf(stderr, "ims-cxctl: fewer than %ld requests within %ld s\n",
				so.count, n.timeout);
		status = ret == 0 ? 0 : 1;
		goto out;
	}
	if (o.repeat > 0) {
		ret = cxctl_bench(cmd, cmd == CX_CMD_MAR ? "MAR" : cmd == CX_CMD_SAR ? "SAR" :
				  cmd == CX_CMD_UAR ? "UAR" : "LIR", &o, n.realm, n.hss_identity,
				  n.timeout);
		status = ret == 0 ? 0 : 1;
		goto out;
	}
	ret = dia_new_request(DIA_APP_CX, cmd, n.realm, n.hss_identity, &req);
	if (ret == 0)
		ret = cxctl_build(cmd, &o, req);
	if (ret == 0 && o.command_code > 0)
		ret = dict_add_command((uint32_t)o.command_code);
	if (ret == 0)
		ret = patch_header(req, &o);
	if (ret == 0)
		ret = fd_msg_send(&req, on_answer, &g_wait) ? -EIO : 0;
	if (ret != 0) {
		fprintf(stderr, "ims-cxctl: cannot send the request: %s\n", strerror(-ret));
		goto out;
	}
	ans = wait_answer(&g_wait, (int)n.timeout);
	if (!ans) {
		fprintf(stderr, "ims-cxctl: no answer within %ld s\n", n.timeout);
		goto out;
	}
	cxctl_print(stdout, ans, o.user_data_out);
	fflush(stdout);
	status = 0;
out:
	if (req)
		fd_msg_free(req);
	if (ans)
		fd_msg_free(ans);
	dia_stop();
	cfg_free(dia_schema, &dc);
	return status;
}
