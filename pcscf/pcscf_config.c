/* P-CSCF configuration schema (the one table: keys, types, defaults, help). */
#include <stddef.h>

#include "pcscf.h"

static const struct cfg_field ratelimit_schema[] = {
	{ .key = "rate", .type = CFG_INT, .offset = offsetof(struct pcscf_ratelimit_config, rate),
	  .def = "0", .min = 0, .max = 1000000,
	  .help = "requests per second allowed from one source IP address; 0 = no limit" },
	{ .key = "burst", .type = CFG_INT, .offset = offsetof(struct pcscf_ratelimit_config, burst),
	  .def = "100", .min = 1, .max = 1000000,
	  .help = "requests a source may send at once before the rate applies" },
	{ .key = "sources", .type = CFG_INT,
	  .offset = offsetof(struct pcscf_ratelimit_config, sources), .def = "65536", .min = 1,
	  .max = 16777216, .help = "source addresses tracked at most (least recently seen dropped)" },
	{ .key = "retry_after", .type = CFG_INT,
	  .offset = offsetof(struct pcscf_ratelimit_config, retry_after), .def = "5", .min = 1,
	  .max = 3600, .help = "Retry-After (seconds) of the 503 sent to a source over its rate" },
	{ .key = "exempt", .type = CFG_STR_LIST,
	  .offset = offsetof(struct pcscf_ratelimit_config, exempt),
	  .help = "source IP addresses never limited (the I-CSCF and S-CSCFs; the icscf "
		  "host is exempt when it is an IP address)" },
	CFG_FIELD_END
};

static const struct cfg_field tls_schema[] = {
	{ .key = "port", .type = CFG_PORT, .offset = offsetof(struct pcscf_tls_config, port),
	  .def = "0", .min = 0, .max = 65535, .help = "TLS port on Gm (usually 5061); 0 = no TLS" },
	{ .key = "cert", .type = CFG_STR, .offset = offsetof(struct pcscf_tls_config, cert),
	  .help = "PEM certificate (chain) of this P-CSCF" },
	{ .key = "key", .type = CFG_STR, .offset = offsetof(struct pcscf_tls_config, key),
	  .help = "PEM private key of the certificate" },
	{ .key = "ca", .type = CFG_STR, .offset = offsetof(struct pcscf_tls_config, ca),
	  .help = "PEM CA certificates (optional; UE certificates are not required)" },
	CFG_FIELD_END
};

const struct cfg_field pcscf_schema[] = {
	{ .key = "log", .type = CFG_TABLE, .offset = offsetof(struct pcscf_config, log),
	  .sub = ims_log_schema, .help = "logging" },
	{ .key = "sip", .type = CFG_TABLE, .offset = offsetof(struct pcscf_config, sip),
	  .sub = sipagent_schema, .help = "SIP listener (default port 4060)" },
	{ .key = "home_network", .type = CFG_STR,
	  .offset = offsetof(struct pcscf_config, home_network), .def = "open-ims.test",
	  .check = cfg_check_host, .help = "home network domain (orig-ioi of P-Charging-Vector)" },
	{ .key = "icscf", .type = CFG_STR, .offset = offsetof(struct pcscf_config, icscf),
	  .def = "sip:127.0.0.1:5060", .check = cfg_check_sip_uri,
	  .help = "next hop for REGISTER: the I-CSCF of the home network" },
	{ .key = "visited_network_id", .type = CFG_STR,
	  .offset = offsetof(struct pcscf_config, visited_network_id), .def = "open-ims.test",
	  .help = "P-Visited-Network-ID value put in REGISTER (TS 24.229 5.2.2.1)" },
	{ .key = "max_registrations", .type = CFG_INT,
	  .offset = offsetof(struct pcscf_config, max_registrations), .def = "10000",
	  .min = 1, .max = 1000000, .help = "registered UE flows kept at most" },
	{ .key = "max_pending_registers", .type = CFG_INT,
	  .offset = offsetof(struct pcscf_config, max_pending_registers), .def = "200",
	  .min = 1, .max = 1000000,
	  .help = "REGISTERs forwarded and not yet answered; beyond 3/4 of it a new registration "
		  "(no credentials), beyond it any REGISTER, is answered 503 with Retry-After "
		  "(overload)" },
	{ .key = "register_latency", .type = CFG_DURATION,
	  .offset = offsetof(struct pcscf_config, register_latency), .def = "250ms",
	  .min = 10, .max = 32000,
	  .help = "while REGISTERs take longer than this at the core (smoothed), new registrations "
		  "are answered 503 with Retry-After (overload; keep below T1 so UEs do not "
		  "retransmit)" },
	{ .key = "max_pending_requests", .type = CFG_INT,
	  .offset = offsetof(struct pcscf_config, max_pending_requests), .def = "2000",
	  .min = 1, .max = 1000000,
	  .help = "initial requests from UEs (INVITE, MESSAGE, SUBSCRIBE...) forwarded and not yet "
		  "answered; beyond 3/4 of it new ones are answered 503 with Retry-After at the edge "
		  "(overload); in-dialog requests never" },
	{ .key = "request_latency", .type = CFG_DURATION,
	  .offset = offsetof(struct pcscf_config, request_latency), .def = "300ms",
	  .min = 10, .max = 32000,
	  .help = "while the core takes longer than this to answer initial requests (first 1xx "
		  "above 100 or final, smoothed), a growing share of new ones gets 503 with "
		  "Retry-After (all at twice it)" },
	{ .key = "reg_event", .type = CFG_BOOL, .offset = offsetof(struct pcscf_config, reg_event),
	  .def = "false",
	  .help = "after a registration, SUBSCRIBE to its reg event at the S-CSCF (TS 24.229 5.2.3); "
		  "needs an S-CSCF that serves the reg event package" },
	{ .key = "rate_limit", .type = CFG_TABLE,
	  .offset = offsetof(struct pcscf_config, rate_limit), .sub = ratelimit_schema,
	  .help = "per-source request rate limit (503 + Retry-After when over)" },
	{ .key = "tls", .type = CFG_TABLE, .offset = offsetof(struct pcscf_config, tls),
	  .sub = tls_schema, .help = "TLS transport on Gm (off unless port is set)" },
	CFG_FIELD_END
};
