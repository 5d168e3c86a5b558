/* ims-hssctl subscriber import FILE.csv and subscriber list: bulk
 * provisioning through store_admin_import (one transaction per batch).
 *
 * CSV: impi,impu[;impu...],k,op,amf,sqn,password — one subscriber a line;
 * empty lines and lines starting with '#' are skipped; a first line
 * starting with "impi," is a header, and its fourth column named "opc"
 * makes that column OPc. Empty k/op: no AKA; empty password: no Digest;
 * empty amf 8000, empty sqn 0. No quoting: fields hold no commas.
 * The whole file is checked first (syntax, hex lengths, URIs, identities
 * repeated in the file): any error and nothing is written. */
#include "hssctl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define IMPORT_BATCH 1000
#define LINE_MAX_LEN 2048

struct rec {
	char line[LINE_MAX_LEN];
	const char *impus[STORE_ADMIN_IMPORT_IMPUS_MAX];
	char realm[STORE_IDENTITY_MAX];
	struct store_admin_subscriber sub;
};

/* Split line in place into rec; why names the problem. 0 or -1. */
static int rec_parse(struct rec *r, bool opc, const char **why)
{
	struct store_admin_subscriber *s = &r->sub;
	char *f[8], *p = r->line, *save = NULL;
	size_t n = 0;
	uint64_t v;

	memset(s, 0, sizeof *s);
	s->amf[0] = 0x80;
	p[strcspn(p, "\r\n")] = '\0';
	for (char *c = p; n < 8; c++) {
		f[n++] = c;
		c = strchr(c, ',');
		if (!c)
			break;
		*c = '\0';
	}
	if (n != 7)
		return *why = "expected 7 columns: impi,impus,k,op,amf,sqn,password", -1;
	if (!hssctl_valid_impi(f[0]))
		return *why = "impi: not a NAI (user@realm)", -1;
	s->impi = f[0];
	for (char *u = strtok_r(f[1], ";", &save); u; u = strtok_r(NULL, ";", &save)) {
		if (!hssctl_valid_impu(u))
			return *why = "impu: not a SIP or tel URI", -1;
		if (s->n_impus == STORE_ADMIN_IMPORT_IMPUS_MAX)
			return *why = "more than 8 IMPUs", -1;
		r->impus[s->n_impus++] = u;
	}
	if (s->n_impus == 0)
		return *why = "no IMPU", -1;
	s->impus = r->impus;
	if (f[2][0] && hssctl_hex(f[2], s->k, 16))
		return *why = "k: expected 32 hex digits", -1;
	if (f[3][0] && hssctl_hex(f[3], s->op, 16))
		return *why = "op/opc: expected 32 hex digits", -1;
	if (!f[2][0] != !f[3][0])
		return *why = "k and op/opc go together", -1;
	s->has_k = s->has_op = f[2][0] != '\0';
	s->op_is_opc = opc;
	if (f[4][0] && hssctl_hex(f[4], s->amf, 2))
		return *why = "amf: expected 4 hex digits", -1;
	if (f[5][0] && hssctl_u64(f[5], STORE_SQN_MAX, &v))
		return *why = "sqn: expected 0..2^48-1", -1;
	s->sqn = f[5][0] ? v : 0;
	s->password = f[6][0] ? f[6] : NULL;
	s->schemes = (s->has_k ? STORE_AUTH_AKAV1_MD5 : 0) | (s->password ? STORE_AUTH_DIGEST_MD5 : 0);
	if (!s->schemes)
		return *why = "no authentication data (k/op or password)", -1;
	snprintf(r->realm, sizeof r->realm, "%s", strchr(s->impi, '@') + 1);
	s->realm = r->realm;
	return 0;
}

static bool skip_line(const char *l)
{
	return l[strspn(l, " \t\r\n")] == '\0' || l[0] == '#';
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct names {
	char **v;
	size_t n, cap;
};

static int names_add(struct names *ns, const char *s)
{
	if (ns->n == ns->cap) {
		size_t cap = ns->cap ? ns->cap * 2 : 1024;
		char **v = realloc(ns->v, cap * sizeof *v);
		if (!v)
			return -ENOMEM;
		ns->v = v;
		ns->cap = cap;
	}
	ns->v[ns->n] = strdup(s);
	if (!ns->v[ns->n])
		return -ENOMEM;
	ns->n++;
	return 0;
}

static void names_free(struct names *ns)
{
	for (size_t i = 0; i < ns->n; i++)
		free(ns->v[i]);
	free(ns->v);
}

/* Pass 1: every line parses, no identity twice. *count subscribers. */
static int import_check(struct hssctl *h, FILE *f, const char *path, bool *opc, size_t *count)
{
	struct rec *r = malloc(sizeof *r);
	struct names ns = { 0 };
	const char *why = NULL;
	size_t lineno = 0;
	int rc = HSSCTL_OK;

	*count = 0;
	if (!r)
		return HSSCTL_FAIL;
	while (rc == HSSCTL_OK && fgets(r->line, sizeof r->line, f)) {
		lineno++;
		if (lineno == 1 && strncmp(r->line, "impi,", 5) == 0) {
			char *c = r->line;
			for (int i = 0; i < 3 && c; i++)
				c = strchr(c + 1, ',');
			*opc = c && strncmp(c, ",opc", 4) == 0;
			continue;
		}
		if (skip_line(r->line))
			continue;
		if (rec_parse(r, *opc, &why) != 0) {
			fprintf(stderr, "ims-hssctl: %s: %s:%zu: %s\n", h->cmd, path, lineno, why);
			rc = HSSCTL_FAIL;
			break;
		}
		if (names_add(&ns, r->sub.impi) != 0)
			rc = HSSCTL_FAIL;
		for (size_t i = 0; rc == HSSCTL_OK && i < r->sub.n_impus; i++)
			if (names_add(&ns, r->impus[i]) != 0)
				rc = HSSCTL_FAIL;
		(*count)++;
	}
	if (rc == HSSCTL_OK && ns.n > 1) {
		qsort(ns.v, ns.n, sizeof *ns.v, cmp_str);
		for (size_t i = 1; i < ns.n; i++) {
			if (strcmp(ns.v[i - 1], ns.v[i]) == 0) {
				fprintf(stderr, "ims-hssctl: %s: %s: identity %s appears twice\n",
					h->cmd, path, ns.v[i]);
				rc = HSSCTL_FAIL;
				break;
			}
		}
	}
	names_free(&ns);
	explicit_bzero(r, sizeof *r);
	free(r);
	return rc;
}

static double secs_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Pass 2: batches of IMPORT_BATCH, one transaction each. */
static int import_write(struct hssctl *h, FILE *f, bool opc, struct store *st, size_t *done)
{
	struct rec *recs = calloc(IMPORT_BATCH, sizeof *recs);
	struct store_admin_subscriber *subs = calloc(IMPORT_BATCH, sizeof *subs);
	char msg[512];
	const char *why;
	size_t n = 0, lineno = 0, first_line = 0;
	bool eof = false;
	int rc = 0;

	*done = 0;
	if (!recs || !subs) {
		rc = -ENOMEM;
		goto out;
	}
	while (rc == 0 && !eof) {
		eof = !fgets(recs[n].line, sizeof recs[n].line, f);
		if (!eof) {
			lineno++;
			if ((lineno == 1 && strncmp(recs[n].line, "impi,", 5) == 0) || skip_line(recs[n].line))
				continue;
			if (rec_parse(&recs[n], opc, &why) != 0) {
				rc = -EINVAL;  /* the file changed since pass 1 */
				break;
			}
			if (n == 0)
				first_line = lineno;
			subs[n] = recs[n].sub;
			if (++n < IMPORT_BATCH)
				continue;
		}
		rc = store_admin_import(st, subs, n, msg, sizeof msg);
		if (rc) {
			fprintf(stderr, "ims-hssctl: %s: lines %zu-%zu: %s%s%s; nothing of these lines "
				"written, %zu subscribers before them imported\n", h->cmd, first_line,
				lineno, strerror(-rc), msg[0] ? ": " : "", msg, *done);
			break;
		}
		*done += n;
		n = 0;
	}
out:
	if (recs)
		explicit_bzero(recs, IMPORT_BATCH * sizeof *recs);
	free(recs);
	free(subs);
	return rc;
}

static int sub_import(struct hssctl *h, int argc, char **argv)
{
	struct store *st = NULL;
	const char *path = NULL;
	struct timespec t0;
	size_t count = 0, done = 0;
	bool opc = false;
	FILE *f;
	int rc;

	if ((rc = hssctl_one_arg(h, argc, argv, &path)))
		return rc;
	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "ims-hssctl: %s: %s: %s\n", h->cmd, path, strerror(errno));
		return HSSCTL_FAIL;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = import_check(h, f, path, &opc, &count);
	if (rc == HSSCTL_OK && hssctl_connect(h, &st))
		rc = HSSCTL_FAIL;
	if (rc == HSSCTL_OK) {
		rewind(f);
		rc = import_write(h, f, opc, st, &done) ? HSSCTL_FAIL : HSSCTL_OK;
	}
	if (rc == HSSCTL_OK)
		printf("imported %zu subscribers in %.2f s\n", done, secs_since(&t0));
	store_close(st);
	fclose(f);
	return rc;
}

/* subscriber list [--after IMPI] [--limit N]: one IMPI a line. */
static int sub_list(struct hssctl *h, int argc, char **argv)
{
	enum { OPT_AFTER = 1, OPT_LIMIT };
	static const struct option opts[] = {
		HSSCTL_DB_OPTIONS,
		{ "after", required_argument, NULL, OPT_AFTER },
		{ "limit", required_argument, NULL, OPT_LIMIT },
		{ NULL, 0, NULL, 0 },
	};
	char after[STORE_IDENTITY_MAX] = "";
	uint64_t limit = UINT64_MAX;
	struct store_strv page = { 0 };
	struct store *st = NULL;
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == OPT_AFTER && strlen(optarg) < sizeof after)
			strcpy(after, optarg);
		else if (c == OPT_LIMIT && hssctl_u64(optarg, UINT64_MAX, &limit) == 0)
			;
		else if ((rc = c == '?' ? -1 : hssctl_db_option(h, c, optarg)) <= 0)
			return rc < 0 ? HSSCTL_USAGE : hssctl_usage_error(h, "bad option");
	}
	if (optind != argc)
		return hssctl_usage_error(h, "unexpected argument '%s'", argv[optind]);
	if (hssctl_connect(h, &st))
		return HSSCTL_FAIL;
	do {  /* pages of 1000 keep memory flat for any count */
		rc = store_admin_impi_list(st, after, limit < 1000 ? (size_t)limit : 1000, &page);
		for (size_t i = 0; rc == 0 && i < page.n; i++)
			printf("%s\n", page.v[i]);
		if (rc == 0 && page.n)
			snprintf(after, sizeof after, "%s", page.v[page.n - 1]);
		limit -= rc == 0 ? page.n : 0;
		c = (int)page.n;
		store_strv_free(&page);
	} while (rc == 0 && c == 1000 && limit > 0);
	store_close(st);
	return rc ? hssctl_fail(h, "list", rc) : HSSCTL_OK;
}

int hssctl_cmd_subscriber_bulk(struct hssctl *h, int argc, char **argv)
{
	if (strcmp(argv[0], "import") == 0)
		return sub_import(h, argc, argv);
	if (strcmp(argv[0], "list") == 0)
		return sub_list(h, argc, argv);
	return -1;
}
