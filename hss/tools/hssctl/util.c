/* ims-hssctl helpers: database options, connection, errors, validation. */
#include "hssctl.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void hssctl_db_defaults(struct hssctl *h)
{
	const char *v;

	h->db.host = (v = getenv("IMS_DB_HOST")) ? v : "localhost";
	h->db.port = (v = getenv("IMS_DB_PORT")) ? (unsigned int)strtoul(v, NULL, 10) : 0;
	h->db.socket = getenv("IMS_DB_SOCKET");
	h->db.user = (v = getenv("IMS_DB_USER")) ? v : "ims_hss";
	h->db.password = getenv("IMS_DB_PASSWORD");
	h->db.database = (v = getenv("IMS_DB_NAME")) ? v : "ims_hss";
	h->db.connect_timeout_s = 5;
	h->db.read_timeout_s = 30;
}

int hssctl_db_option(struct hssctl *h, int opt, const char *arg)
{
	uint64_t port;

	switch (opt) {
	case OPT_DB_HOST: h->db.host = arg; return 1;
	case OPT_DB_PORT:
		if (hssctl_u64(arg, 65535, &port) || port == 0) {
			hssctl_usage_error(h, "--db-port: not a port number: %s", arg);
			return -1;
		}
		h->db.port = (unsigned int)port;
		return 1;
	case OPT_DB_SOCKET: h->db.socket = arg; return 1;
	case OPT_DB_USER: h->db.user = arg; return 1;
	case OPT_DB_PASSWORD: h->db.password = arg; return 1;
	case OPT_DB_NAME: h->db.database = arg; return 1;
	default: return 0;
	}
}

int hssctl_connect(struct hssctl *h, struct store **st)
{
	int rc = store_open(&h->db, st);

	if (rc)
		fprintf(stderr, "ims-hssctl: cannot connect to database %s on %s:%u as %s\n",
			h->db.database, h->db.host, h->db.port ? h->db.port : 3306, h->db.user);
	return rc;
}

int hssctl_fail(const struct hssctl *h, const char *what, int rc)
{
	const char *why;

	switch (rc) {
	case -EEXIST: why = "already exists"; break;
	case -ENOENT: why = "not found"; break;
	case -ENOTCONN: why = "database connection lost"; break;
	case -EINVAL: why = "rejected by the database (invalid value)"; break;
	case -EIO: why = "database error (see above)"; break;
	default: why = strerror(-rc); break;
	}
	fprintf(stderr, "ims-hssctl: %s: %s: %s\n", h->cmd, what, why);
	return HSSCTL_FAIL;
}

int hssctl_usage_error(const struct hssctl *h, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "ims-hssctl: %s: ", h->cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see ims-hssctl --help)\n");
	return HSSCTL_USAGE;
}

int hssctl_hex(const char *s, uint8_t *out, size_t len)
{
	if (strlen(s) != 2 * len)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		char b[3] = { s[2 * i], s[2 * i + 1], 0 };
		if (!isxdigit((unsigned char)b[0]) || !isxdigit((unsigned char)b[1]))
			return -EINVAL;
		out[i] = (uint8_t)strtoul(b, NULL, 16);
	}
	return 0;
}

static bool printable_token(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n == 0 || n >= max)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isgraph((unsigned char)s[i]) || s[i] == '<' || s[i] == '>' || s[i] == '"')
			return false;
	return true;
}

/* NAI (RFC 4282 form user@realm, TS 23.003 13.3). */
bool hssctl_valid_impi(const char *s)
{
	const char *at = strchr(s, '@');

	return printable_token(s, STORE_IDENTITY_MAX) && at && at != s && at[1] &&
	       !strchr(at + 1, '@') && strncmp(s, "sip:", 4) != 0;
}

bool hssctl_valid_sip_uri(const char *s)
{
	const char *rest;

	if (!printable_token(s, STORE_IDENTITY_MAX))
		return false;
	if (strncmp(s, "sip:", 4) == 0)
		rest = s + 4;
	else if (strncmp(s, "sips:", 5) == 0)
		rest = s + 5;
	else
		return false;
	/* host part after an optional userinfo must not be empty */
	const char *at = strrchr(rest, '@');
	const char *host = at ? at + 1 : rest;
	return *host && *host != ':' && *host != ';' && (!at || at != rest);
}

/* SIP URI or tel URI (RFC 3966: global "+digits" or local with phone-context). */
bool hssctl_valid_impu(const char *s)
{
	if (hssctl_valid_sip_uri(s))
		return true;
	if (!printable_token(s, STORE_IDENTITY_MAX) || strncmp(s, "tel:", 4) != 0)
		return false;
	const char *p = s + 4;
	bool global = *p == '+';
	size_t digits = 0;
	if (global)
		p++;
	for (; *p && *p != ';'; p++) {
		if (isxdigit((unsigned char)*p) || *p == '*' || *p == '#')
			digits++;
		else if (*p != '-' && *p != '.' && *p != '(' && *p != ')')
			return false;
	}
	return digits > 0 && (global || strstr(s, ";phone-context="));
}

int hssctl_u64(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!*s || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

int hssctl_u32_list(const char *s, uint32_t **out, size_t *n)
{
	char *copy = strdup(s), *save = NULL, *tok;
	uint32_t *v = NULL;
	size_t cnt = 0;
	int rc = 0;

	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		uint64_t x;
		uint32_t *nv;
		if (hssctl_u64(tok, UINT32_MAX, &x)) {
			rc = -EINVAL;
			break;
		}
		nv = realloc(v, (cnt + 1) * sizeof(*nv));
		if (!nv) {
			rc = -ENOMEM;
			break;
		}
		v = nv;
		v[cnt++] = (uint32_t)x;
	}
	free(copy);
	if (rc) {
		free(v);
		return rc;
	}
	*out = v;
	*n = cnt;
	return 0;
}

/* One positional argument (an identity) plus db options. */
int hssctl_one_arg(struct hssctl *h, int argc, char **argv, const char **id)
{
	static const struct option opts[] = { HSSCTL_DB_OPTIONS, { NULL, 0, NULL, 0 } };
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		rc = c == '?' ? 0 : hssctl_db_option(h, c, optarg);
		if (rc <= 0)
			return HSSCTL_USAGE;
	}
	if (argc - optind != 1)
		return hssctl_usage_error(h, "expected exactly one identity");
	*id = argv[optind];
	return 0;
}
