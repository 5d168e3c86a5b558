/* I-CSCF configuration schema (the one table: keys, types, defaults, help). */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <ctype.h>
#include <arpa/inet.h>

#include "icscf.h"

#define ICSCF_CAP_MAX 0xffffffffULL

static int check_cap(const char *value, char *why, size_t whylen)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(value, &end, 10);
	if (!value[0] || *end || errno || v > ICSCF_CAP_MAX || value[0] == '-') {
		snprintf(why, whylen, "capability must be an unsigned 32-bit number");
		return -EINVAL;
	}
	return 0;
}

/* "sip:host[:port][;params]" or plain "host[:port]". */
static int check_hop(const char *value, char *why, size_t whylen)
{
	char buf[300];

	if (!strncasecmp(value, "sip:", 4) || !strncasecmp(value, "sips:", 5))
		return cfg_check_sip_uri(value, why, whylen);
	snprintf(buf, sizeof buf, "sip:%s", value);
	return cfg_check_sip_uri(buf, why, whylen);
}

static int check_e164(const char *value, char *why, size_t whylen)
{
	size_t i;

	if (value[0] != '+' || !value[1])
		goto bad;
	for (i = 1; value[i]; i++)
		if ((value[i] < '0' || value[i] > '9') && value[i] != '-' && value[i] != '.')
			goto bad;
	return 0;
bad:
	snprintf(why, whylen, "expected a global number like +4930100001");
	return -EINVAL;
}

int icscf_caps_parse(const struct cfg_strv *in, uint32_t *out, size_t max, size_t *n)
{
	size_t i;

	*n = 0;
	for (i = 0; i < in->n; i++) {
		char why[64];

		if (i >= max || check_cap(in->v[i], why, sizeof why) < 0)
			return -EINVAL;
		out[(*n)++] = (uint32_t)strtoull(in->v[i], NULL, 10);
	}
	return 0;
}

static const struct cfg_field scscf_fields[] = {
	{ .key = "name", .type = CFG_STR, .offset = offsetof(struct icscf_scscf_config, name),
	  .required = true, .check = cfg_check_sip_uri,
	  .help = "S-CSCF SIP URI as provisioned in the HSS (Server-Name)" },
	{ .key = "address", .type = CFG_STR, .offset = offsetof(struct icscf_scscf_config, address),
	  .check = check_hop, .help = "where to send: SIP URI or host:port (default: name)" },
	{ .key = "mandatory", .type = CFG_STR_LIST,
	  .offset = offsetof(struct icscf_scscf_config, mandatory), .check = check_cap,
	  .help = "capabilities offered that the HSS may list as mandatory" },
	{ .key = "optional", .type = CFG_STR_LIST,
	  .offset = offsetof(struct icscf_scscf_config, optional), .check = check_cap,
	  .help = "further capabilities offered (matched against optional ones)" },
	{ .key = "weight", .type = CFG_INT, .offset = offsetof(struct icscf_scscf_config, weight),
	  .def = "1", .min = 0, .max = 1000, .help = "share of new users among equals; 0 = standby" },
	CFG_FIELD_END
};

static const struct cfg_field tel_fields[] = {
	{ .key = "number", .type = CFG_STR, .offset = offsetof(struct icscf_tel_config, number),
	  .required = true, .check = check_e164, .help = "E.164 number with '+'" },
	{ .key = "uri", .type = CFG_STR, .offset = offsetof(struct icscf_tel_config, uri),
	  .required = true, .check = cfg_check_sip_uri, .help = "SIP URI the number maps to" },
	CFG_FIELD_END
};

static const struct cfg_field cx_fields[] = {
	{ .key = "hss_realm", .type = CFG_STR, .offset = offsetof(struct icscf_cx_config, hss_realm),
	  .check = cfg_check_host, .help = "Destination-Realm of UAR/LIR (default diameter.realm)" },
	{ .key = "hss_host", .type = CFG_STR, .offset = offsetof(struct icscf_cx_config, hss_host),
	  .check = cfg_check_host, .help = "Destination-Host of UAR/LIR (default: none)" },
	{ .key = "timeout", .type = CFG_DURATION, .offset = offsetof(struct icscf_cx_config, timeout),
	  .def = "3s", .min = 100, .max = 30000, .help = "bound on each UAR/LIR" },
	CFG_FIELD_END
};

static const struct cfg_field pool_fields[] = {
	{ .key = "probe_interval", .type = CFG_DURATION,
	  .offset = offsetof(struct icscf_pool_config, probe_interval), .def = "5s", .min = 200,
	  .max = 3600000, .help = "OPTIONS keep-alive period; no answer by the next one = down" },
	{ .key = "max_attempts", .type = CFG_INT,
	  .offset = offsetof(struct icscf_pool_config, max_attempts), .def = "3", .min = 1,
	  .max = 8, .help = "S-CSCFs tried for one REGISTER (TS 24.229 5.3.1.3)" },
	{ .key = "response_timeout", .type = CFG_DURATION,
	  .offset = offsetof(struct icscf_pool_config, response_timeout), .def = "32s",
	  .min = 1000, .max = 64000,
	  .help = "wait for a final answer from a next hop (timer F/B = 64*T1); then 408 and failover" },
	{ .key = "servers", .type = CFG_TABLE_LIST,
	  .offset = offsetof(struct icscf_pool_config, servers), .sub = scscf_fields,
	  .elem_size = sizeof(struct icscf_scscf_config), .min = 0, .max = 64,
	  .help = "S-CSCFs to select from when the HSS returns capabilities" },
	CFG_FIELD_END
};

/* IPv4/IPv6 address, CIDR prefix, or host name. */
static int check_network(const char *value, char *why, size_t whylen)
{
	char buf[INET6_ADDRSTRLEN + 8];
	const char *slash = strchr(value, '/');
	unsigned char a[16];
	char *end;
	long bits;

	if (!slash)
		return cfg_check_ip(value, why, whylen) == 0 ? 0 : cfg_check_host(value, why, whylen);
	if ((size_t)(slash - value) >= sizeof buf)
		goto bad;
	memcpy(buf, value, (size_t)(slash - value));
	buf[slash - value] = '\0';
	errno = 0;
	bits = strtol(slash + 1, &end, 10);
	if (!slash[1] || *end || errno || bits < 0)
		goto bad;
	if (inet_pton(AF_INET, buf, a) == 1 && bits <= 32)
		return 0;
	if (inet_pton(AF_INET6, buf, a) == 1 && bits <= 128)
		return 0;
bad:
	snprintf(why, whylen, "expected an IP address, a CIDR prefix (10.0.0.0/8) or a host name");
	return -EINVAL;
}

static int check_hex_key(const char *value, char *why, size_t whylen)
{
	size_t i;

	for (i = 0; value[i]; i++)
		if (!isxdigit((unsigned char)value[i]))
			break;
	if (i == 64 && !value[i])
		return 0;
	snprintf(why, whylen, "expected 64 hex digits (a 256-bit AES key)");
	return -EINVAL;
}

static const struct cfg_field trust_fields[] = {
	{ .key = "networks", .type = CFG_STR_LIST,
	  .offset = offsetof(struct icscf_trust_config, networks), .check = check_network,
	  .min = 0, .max = 256,
	  .help = "trusted peers: IP, CIDR prefix or host name (default: loopback); "
		  "the S-CSCF pool is always trusted" },
	CFG_FIELD_END
};

static const struct cfg_field thig_fields[] = {
	{ .key = "enabled", .type = CFG_BOOL, .offset = offsetof(struct icscf_thig_config, enabled),
	  .def = "false", .help = "hide home-network Via/Record-Route/Path/Service-Route "
				  "entries from untrusted networks" },
	{ .key = "key", .type = CFG_STR, .offset = offsetof(struct icscf_thig_config, key),
	  .check = check_hex_key, .help = "AES-256 key, 64 hex digits (prefer key_file)" },
	{ .key = "key_file", .type = CFG_STR, .offset = offsetof(struct icscf_thig_config, key_file),
	  .help = "file holding the key (64 hex digits or 32 bytes); neither: random per run" },
	CFG_FIELD_END
};

const struct cfg_field icscf_schema[] = {
	{ .key = "log", .type = CFG_TABLE, .offset = offsetof(struct icscf_config, log),
	  .sub = ims_log_schema, .help = "logging" },
	{ .key = "sip", .type = CFG_TABLE, .offset = offsetof(struct icscf_config, sip),
	  .sub = sipagent_schema, .help = "SIP listener (default port 5060)" },
	{ .key = "diameter", .type = CFG_TABLE, .offset = offsetof(struct icscf_config, diameter),
	  .sub = dia_schema, .help = "Cx client (Diameter)" },
	{ .key = "cx", .type = CFG_TABLE, .offset = offsetof(struct icscf_config, cx),
	  .sub = cx_fields, .help = "UAR/LIR towards the HSS" },
	{ .key = "domains", .type = CFG_STR_LIST, .offset = offsetof(struct icscf_config, domains),
	  .check = cfg_check_host, .help = "home domains served (default: diameter.realm)" },
	{ .key = "aliases", .type = CFG_STR_LIST, .offset = offsetof(struct icscf_config, aliases),
	  .check = cfg_check_host, .help = "our own host names, removed from Route" },
	{ .key = "scscf", .type = CFG_TABLE, .offset = offsetof(struct icscf_config, scscf),
	  .sub = pool_fields, .help = "S-CSCF pool (selection, keep-alive, failover)" },
	{ .key = "tel_numbers", .type = CFG_TABLE_LIST,
	  .offset = offsetof(struct icscf_config, tel_numbers), .sub = tel_fields,
	  .elem_size = sizeof(struct icscf_tel_config), .min = 0, .max = 100000,
	  .help = "static tel URI table, looked up before LIR" },
	{ .key = "trust", .type = CFG_TABLE, .offset = offsetof(struct icscf_config, trust),
	  .sub = trust_fields, .help = "trust domain (RFC 3325, TS 24.229 4.4)" },
	{ .key = "thig", .type = CFG_TABLE, .offset = offsetof(struct icscf_config, thig),
	  .sub = thig_fields, .help = "topology hiding toward untrusted networks (TS 23.228 4.14)" },
	CFG_FIELD_END
};
