/*
 * dia_config: the "diameter:" config section (schema table) and its
 * translation into freeDiameter's configuration language.
 *
 * freeDiameter reads its configuration only from a file; dia_start writes
 * the text rendered here to a memfd (see dia_core.c).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dia_internal.h"

/* An FQDN: at least two labels of [A-Za-z0-9-], no leading/trailing '-'. */
static int check_fqdn(const char *v, char *why, size_t whylen)
{
	size_t label = 0;
	int dots = 0;

	for (const char *p = v; ; p++) {
		if (*p == '.' || *p == '\0') {
			if (label == 0 || p[-1] == '-' || label > 63) {
				snprintf(why, whylen, "not a fully qualified domain name");
				return -EINVAL;
			}
			if (*p == '\0')
				break;
			dots++;
			label = 0;
			continue;
		}
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || (*p == '-' && label > 0))) {
			snprintf(why, whylen, "invalid character '%c' in domain name", *p);
			return -EINVAL;
		}
		label++;
	}
	if (dots == 0) {
		snprintf(why, whylen, "needs at least two labels (host.realm)");
		return -EINVAL;
	}
	return 0;
}

static int check_ip(const char *v, char *why, size_t whylen)
{
	unsigned char buf[sizeof(struct in6_addr)];

	if (inet_pton(AF_INET, v, buf) == 1 || inet_pton(AF_INET6, v, buf) == 1)
		return 0;
	snprintf(why, whylen, "not an IPv4 or IPv6 address");
	return -EINVAL;
}

static const struct cfg_field peer_schema[] = {
	{ .key = "identity", .type = CFG_STR, .required = true, .check = check_fqdn,
	  .offset = offsetof(struct dia_peer_config, identity),
	  .help = "Diameter identity (FQDN) of the peer" },
	{ .key = "address", .type = CFG_STR, .required = true,
	  .offset = offsetof(struct dia_peer_config, address),
	  .help = "address to connect to (IP literal or host name)" },
	{ .key = "port", .type = CFG_PORT, .def = "3868", .min = 1, .max = 65535,
	  .offset = offsetof(struct dia_peer_config, port), .help = "peer port" },
	{ .key = "realm", .type = CFG_STR, .check = check_fqdn,
	  .offset = offsetof(struct dia_peer_config, realm),
	  .help = "expected realm of the peer (optional)" },
	CFG_FIELD_END,
};

const struct cfg_field dia_schema[] = {
	{ .key = "identity", .type = CFG_STR, .required = true, .check = check_fqdn,
	  .offset = offsetof(struct dia_config, identity),
	  .help = "our Diameter identity (FQDN); one per process" },
	{ .key = "realm", .type = CFG_STR, .required = true, .check = check_fqdn,
	  .offset = offsetof(struct dia_config, realm), .help = "our Diameter realm" },
	{ .key = "listen", .type = CFG_STR, .def = "127.0.0.1", .check = check_ip,
	  .offset = offsetof(struct dia_config, listen),
	  .help = "listen address (0.0.0.0 or :: = all addresses)" },
	{ .key = "port", .type = CFG_PORT, .def = "3868",
	  .offset = offsetof(struct dia_config, port), .help = "listen port; 0 = no listener" },
	{ .key = "tls", .type = CFG_BOOL, .def = "false",
	  .offset = offsetof(struct dia_config, tls),
	  .help = "TLS with peers (in-band, after CER/CEA); needs tls_cert, tls_key, tls_ca" },
	{ .key = "tls_cert", .type = CFG_STR, .offset = offsetof(struct dia_config, tls_cert),
	  .help = "PEM certificate file (tls: true)" },
	{ .key = "tls_key", .type = CFG_STR, .offset = offsetof(struct dia_config, tls_key),
	  .help = "PEM private key file (tls: true)" },
	{ .key = "tls_ca", .type = CFG_STR, .offset = offsetof(struct dia_config, tls_ca),
	  .help = "PEM CA file (tls: true)" },
	{ .key = "app_threads", .type = CFG_INT, .def = "4", .min = 1, .max = 256,
	  .offset = offsetof(struct dia_config, app_threads),
	  .help = "dispatch threads; HSS: one DB connection each" },
	{ .key = "accept_unknown_peers", .type = CFG_BOOL, .def = "false",
	  .offset = offsetof(struct dia_config, accept_unknown_peers),
	  .help = "accept connections from peers not listed in peers" },
	{ .key = "watchdog_interval", .type = CFG_DURATION, .def = "30s",
	  .min = 6000, .max = 3600000, .offset = offsetof(struct dia_config, watchdog_interval),
	  .help = "Tw, device watchdog interval (RFC 3539, >= 6s)" },
	{ .key = "reconnect_interval", .type = CFG_DURATION, .def = "30s",
	  .min = 1000, .max = 3600000, .offset = offsetof(struct dia_config, reconnect_interval),
	  .help = "Tc, delay between connection attempts to a peer" },
	{ .key = "max_pending", .type = CFG_INT, .def = "256", .min = 1, .max = 1000000,
	  .offset = offsetof(struct dia_config, max_pending),
	  .help = "client requests in flight at once (SIP daemons); beyond, the SIP request is "
		  "answered 503 with Retry-After (overload)" },
	{ .key = "peers", .type = CFG_TABLE_LIST, .sub = peer_schema,
	  .elem_size = sizeof(struct dia_peer_config),
	  .offset = offsetof(struct dia_config, peers), .help = "peers we connect to" },
	CFG_FIELD_END,
};

int dia_config_validate(const struct dia_config *cfg, char *why, size_t whylen)
{
	const struct dia_peer_config *peers = cfg->peers.items;

	if (!cfg->identity || !cfg->realm) {
		snprintf(why, whylen, "identity and realm are required");
		return -EINVAL;
	}
	if (check_fqdn(cfg->identity, why, whylen) || check_fqdn(cfg->realm, why, whylen))
		return -EINVAL;
	if (cfg->listen && check_ip(cfg->listen, why, whylen))
		return -EINVAL;
	if (cfg->tls && (!cfg->tls_cert || !cfg->tls_key || !cfg->tls_ca)) {
		snprintf(why, whylen, "tls: true needs tls_cert, tls_key and tls_ca");
		return -EINVAL;
	}
	for (size_t i = 0; i < cfg->peers.n; i++) {
		if (!peers[i].identity || !peers[i].address) {
			snprintf(why, whylen, "peers[%zu]: identity and address are required", i);
			return -EINVAL;
		}
		if (check_fqdn(peers[i].identity, why, whylen) ||
		    (peers[i].realm && check_fqdn(peers[i].realm, why, whylen)))
			return -EINVAL;
		if (strcmp(peers[i].identity, cfg->identity) == 0) {
			snprintf(why, whylen, "peers[%zu]: peer has our own identity", i);
			return -EINVAL;
		}
		/* Values are written inside quotes in freeDiameter's syntax. */
		if (strpbrk(peers[i].address, "\"\\;")) {
			snprintf(why, whylen, "peers[%zu]: invalid address", i);
			return -EINVAL;
		}
	}
	return 0;
}

static bool is_ipv4(const char *a)
{
	struct in_addr in;
	return a && inet_pton(AF_INET, a, &in) == 1;
}

static bool has_quote(const char *s)
{
	return s && strpbrk(s, "\"\\\n");
}

int dia_config_render(const struct dia_config *cfg, char **out)
{
	const struct dia_peer_config *peers = cfg->peers.items;
	char why[160];
	char *buf = NULL;
	size_t len = 0;
	FILE *f = NULL;
	int ret = dia_config_validate(cfg, why, sizeof why);

	*out = NULL;
	if (ret != 0)
		goto out;
	if (has_quote(cfg->tls_cert) || has_quote(cfg->tls_key) || has_quote(cfg->tls_ca)) {
		ret = -EINVAL;
		goto out;
	}
	f = open_memstream(&buf, &len);
	if (!f) {
		ret = -errno;
		goto out;
	}
	fprintf(f, "Identity = \"%s\";\nRealm = \"%s\";\n", cfg->identity, cfg->realm);
	fprintf(f, "Port = %u;\nSecPort = 0;\nNo_SCTP;\n", cfg->port);
	if (!cfg->listen || is_ipv4(cfg->listen))
		fprintf(f, "No_IPv6;\n");
	fprintf(f, "AppServThreads = %lld;\n", cfg->app_threads > 0 ? cfg->app_threads : 4);
	fprintf(f, "TcTimer = %lld;\n",
		cfg->reconnect_interval > 0 ? (cfg->reconnect_interval + 999) / 1000 : 30);
	fprintf(f, "TwTimer = %lld;\n",
		cfg->watchdog_interval > 0 ? (cfg->watchdog_interval + 999) / 1000 : 30);
	if (cfg->tls)
		fprintf(f, "TLS_Cred = \"%s\", \"%s\";\nTLS_CA = \"%s\";\n",
			cfg->tls_cert, cfg->tls_key, cfg->tls_ca);
	for (size_t i = 0; i < cfg->peers.n; i++) {
		const struct dia_peer_config *p = &peers[i];
		fprintf(f, "ConnectPeer = \"%s\" { ConnectTo = \"%s\"; Port = %u;%s",
			p->identity, p->address, p->port ? p->port : 3868,
			cfg->tls ? "" : " No_TLS;");
		if (p->realm)
			fprintf(f, " Realm = \"%s\";", p->realm);
		fprintf(f, " };\n");
	}
	if (fclose(f) != 0) {
		ret = -ENOMEM;
		goto out;
	}
	*out = buf;
	buf = NULL;
out:
	free(buf);
	return ret;
}
