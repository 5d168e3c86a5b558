/* hss_config: see hss_config.h. */
#include "hss_config.h"

#include <stddef.h>

#include "store/store.h"

static const struct cfg_field db_schema[] = {
	{ .key = "host", .type = CFG_STR, .offset = offsetof(struct hss_db_config, host),
	  .def = "127.0.0.1", .help = "MariaDB host; localhost means the Unix socket" },
	{ .key = "port", .type = CFG_PORT, .offset = offsetof(struct hss_db_config, port),
	  .def = "3306", .help = "MariaDB TCP port" },
	{ .key = "socket", .type = CFG_STR, .offset = offsetof(struct hss_db_config, socket),
	  .help = "Unix socket path (host localhost)" },
	{ .key = "user", .type = CFG_STR, .offset = offsetof(struct hss_db_config, user),
	  .def = "ims", .help = "database user" },
	{ .key = "password", .type = CFG_STR, .offset = offsetof(struct hss_db_config, password),
	  .help = "database password" },
	{ .key = "name", .type = CFG_STR, .offset = offsetof(struct hss_db_config, name),
	  .def = "ims_hss", .help = "database name" },
	{ .key = "connect_timeout", .type = CFG_DURATION,
	  .offset = offsetof(struct hss_db_config, connect_timeout), .def = "5s",
	  .min = 1000, .max = 600000, .help = "connect timeout" },
	{ .key = "read_timeout", .type = CFG_DURATION,
	  .offset = offsetof(struct hss_db_config, read_timeout), .def = "5s",
	  .min = 1000, .max = 600000, .help = "read timeout (handlers must not block long)" },
	CFG_FIELD_END
};

static const struct cfg_field scscf_host_schema[] = {
	{ .key = "server_name", .type = CFG_STR, .required = true,
	  .offset = offsetof(struct hss_scscf_host, server_name),
	  .help = "S-CSCF Server-Name as stored by SAR (SIP URI)" },
	{ .key = "diameter_host", .type = CFG_STR, .required = true,
	  .offset = offsetof(struct hss_scscf_host, diameter_host),
	  .help = "its Diameter identity (Destination-Host of RTR/PPR)" },
	{ .key = "diameter_realm", .type = CFG_STR,
	  .offset = offsetof(struct hss_scscf_host, diameter_realm),
	  .help = "its Diameter realm (default: ours)" },
	CFG_FIELD_END
};

static const struct cfg_field cx_schema[] = {
	{ .key = "max_auth_items", .type = CFG_INT,
	  .offset = offsetof(struct hss_cx_config, max_auth_items), .def = "5", .min = 1,
	  .max = 32, .help = "most vectors returned by one MAR (SIP-Number-Auth-Items)" },
	{ .key = "sqn_ind_bits", .type = CFG_INT,
	  .offset = offsetof(struct hss_cx_config, sqn_ind_bits), .def = "5", .min = 0,
	  .max = 8, .help = "IND bits of SQN (TS 33.102 C.1.2)" },
	{ .key = "home_networks", .type = CFG_STR_LIST,
	  .offset = offsetof(struct hss_cx_config, home_networks),
	  .help = "Visited-Network-Identifier values meaning home (besides the realm)" },
	{ .key = "scscf_hosts", .type = CFG_TABLE_LIST, .sub = scscf_host_schema,
	  .elem_size = sizeof(struct hss_scscf_host),
	  .offset = offsetof(struct hss_cx_config, scscf_hosts),
	  .help = "S-CSCF Server-Name -> Diameter host for RTR/PPR (default: URI host)" },
	{ .key = "admin_poll_interval", .type = CFG_DURATION,
	  .offset = offsetof(struct hss_cx_config, admin_poll_interval), .def = "1s",
	  .min = 50, .max = 600000, .help = "how often the admin queue (RTR/PPR) is read" },
	{ .key = "admin_batch", .type = CFG_INT,
	  .offset = offsetof(struct hss_cx_config, admin_batch), .def = "16", .min = 1,
	  .max = 256, .help = "admin requests taken per poll" },
	{ .key = "admin_max_attempts", .type = CFG_INT,
	  .offset = offsetof(struct hss_cx_config, admin_max_attempts), .def = "3", .min = 1,
	  .max = 20, .help = "sends of one RTR/PPR before it is marked failed" },
	{ .key = "admin_answer_timeout", .type = CFG_DURATION,
	  .offset = offsetof(struct hss_cx_config, admin_answer_timeout), .def = "5s",
	  .min = 100, .max = 60000, .help = "wait for an RTA/PPA" },
	{ .key = "sqn_reserve", .type = CFG_INT,
	  .offset = offsetof(struct hss_cx_config, sqn_reserve), .def = "64", .min = 1,
	  .max = 4096, .help = "SQNs reserved by one database update (TS 33.102 C.3 gaps)" },
	{ .key = "auth_cache_ttl", .type = CFG_DURATION,
	  .offset = offsetof(struct hss_cx_config, auth_cache_ttl), .def = "5s",
	  .min = 0, .max = 3600000, .help = "how long cached auth data (K, OPc...) is used" },
	{ .key = "auth_cache_size", .type = CFG_INT,
	  .offset = offsetof(struct hss_cx_config, auth_cache_size), .def = "16384", .min = 64,
	  .max = 4194304, .help = "most private identities held in the auth cache" },
	{ .key = "profile_cache_ttl", .type = CFG_DURATION,
	  .offset = offsetof(struct hss_cx_config, profile_cache_ttl), .def = "0", .min = 0,
	  .max = 3600000, .help = "how long at most a service profile (iFCs) read for SAR"
	  " User-Data is reused; 0 = read it every time. ims-hssctl iFC changes (any host)"
	  " clear the cache within profile_cache_poll through the change log; this bounds"
	  " what the log does not show (e.g. an application server edited in place)" },
	{ .key = "profile_cache_poll", .type = CFG_DURATION,
	  .offset = offsetof(struct hss_cx_config, profile_cache_poll), .def = "250ms",
	  .min = 20, .max = 400, .help = "how often the provisioning change log (sh_change) is"
	  " read to clear the profile cache; below the 500 ms a change stays in the log" },
	{ .key = "profile_cache_size", .type = CFG_INT,
	  .offset = offsetof(struct hss_cx_config, profile_cache_size), .def = "65536", .min = 16,
	  .max = 4194304, .help = "most service profiles held in the profile cache" },
	{ .key = "expand_shared_ifc_sets", .type = CFG_BOOL,
	  .offset = offsetof(struct hss_cx_config, expand_shared_ifc_sets), .def = "false",
	  .help = "put the iFCs of a profile's shared iFC sets inline in the SAR/PPR User-Data"
	  " instead of their SharedIFCSetIDs (TS 29.228 B.2.1), for S-CSCFs that do not hold"
	  " the sets (e.g. Kamailio's)" },
	CFG_FIELD_END
};

const struct cfg_field hss_schema[] = {
	{ .key = "log", .type = CFG_TABLE, .offset = offsetof(struct hss_config, log),
	  .sub = ims_log_schema, .help = "logging" },
	{ .key = "diameter", .type = CFG_TABLE, .offset = offsetof(struct hss_config, diameter),
	  .sub = dia_schema, .help = "Diameter node (Cx/Sh server)" },
	{ .key = "database", .type = CFG_TABLE, .offset = offsetof(struct hss_config, database),
	  .sub = db_schema, .help = "MariaDB subscriber store" },
	{ .key = "cx", .type = CFG_TABLE, .offset = offsetof(struct hss_config, cx),
	  .sub = cx_schema, .help = "Cx policy" },
	CFG_FIELD_END
};

void hss_config_store(const struct hss_db_config *db, struct store_config *out)
{
	*out = (struct store_config){
		.host = db->host,
		.port = db->port,
		.socket = db->socket,
		.user = db->user,
		.password = db->password,
		.database = db->name,
		.connect_timeout_s = (unsigned int)((db->connect_timeout + 999) / 1000),
		.read_timeout_s = (unsigned int)((db->read_timeout + 999) / 1000),
	};
}
