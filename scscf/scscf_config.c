/* S-CSCF configuration schema (the one table: keys, types, defaults, help). */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "ifc/ifc_shared.h"
#include "scscf.h"

#define RC(f) offsetof(struct scscf_registrar_config, f)
#define DB(f) offsetof(struct scscf_db_config, f)

static const char *const store_names[] = { "file", "mariadb", NULL };

static const struct cfg_field db_schema[] = {
	{ .key = "host", .type = CFG_STR, .offset = DB(host), .def = "127.0.0.1",
	  .help = "MariaDB host; localhost means the Unix socket" },
	{ .key = "port", .type = CFG_PORT, .offset = DB(port), .def = "3306",
	  .help = "MariaDB TCP port" },
	{ .key = "socket", .type = CFG_STR, .offset = DB(socket),
	  .help = "Unix socket path (host localhost)" },
	{ .key = "user", .type = CFG_STR, .offset = DB(user), .def = "ims",
	  .help = "database user" },
	{ .key = "password", .type = CFG_STR, .offset = DB(password), .help = "database password" },
	{ .key = "name", .type = CFG_STR, .offset = DB(name), .def = "ims_hss",
	  .help = "database name (the HSS's: deploy/db/migrations 0005 adds the tables)" },
	{ .key = "connect_timeout", .type = CFG_DURATION, .offset = DB(connect_timeout),
	  .def = "3s", .min = 1000, .max = 600000, .help = "connect timeout" },
	{ .key = "read_timeout", .type = CFG_DURATION, .offset = DB(read_timeout), .def = "5s",
	  .min = 1000, .max = 600000, .help = "read/write timeout of the writer thread" },
	{ .key = "owner", .type = CFG_STR, .offset = DB(owner),
	  .help = "name our rows carry (scscf_name); several S-CSCFs share one database, each "
		  "with its own name (default: registrar.server_name)" },
	{ .key = "takeover", .type = CFG_STR, .offset = DB(takeover),
	  .help = "standby take-over: at start, the rows of this owner become ours and are "
		  "loaded (only while that S-CSCF is down: a live one keeps writing its rows)" },
	{ .key = "flush_interval", .type = CFG_DURATION, .offset = DB(flush_interval),
	  .def = "100ms", .min = 10, .max = 1000,
	  .help = "write-back window: changes are written in one transaction at most this often "
		  "(a kill -9 loses at most this much plus the transaction in flight)" },
	CFG_FIELD_END
};

static const struct cfg_field registrar_schema[] = {
	{ .key = "server_name", .type = CFG_STR, .offset = RC(server_name), .check = cfg_check_sip_uri,
	  .help = "our SIP URI sent as Server-Name in MAR/SAR (default sip:<sip advertise or address:port>)" },
	{ .key = "realm", .type = CFG_STR, .offset = RC(realm), .check = cfg_check_host,
	  .help = "digest realm of challenges, the home domain (default: diameter.realm)" },
	{ .key = "domains", .type = CFG_STR_LIST, .offset = RC(domains),
	  .help = "domains registered here; REGISTER for others gets 404 (default: the realm)" },
	{ .key = "hss_realm", .type = CFG_STR, .offset = RC(hss_realm), .check = cfg_check_host,
	  .help = "Destination-Realm of MAR/SAR (default: diameter.realm)" },
	{ .key = "hss_host", .type = CFG_STR, .offset = RC(hss_host), .check = cfg_check_host,
	  .help = "Destination-Host of MAR/SAR (default: route by realm)" },
	{ .key = "default_expires", .type = CFG_INT, .offset = RC(default_expires), .def = "3600",
	  .min = 1, .max = 31536000, .help = "binding lifetime when the REGISTER gives none, seconds" },
	{ .key = "min_expires", .type = CFG_INT, .offset = RC(min_expires), .def = "60",
	  .min = 1, .max = 31536000, .help = "shortest binding accepted (423 below), seconds" },
	{ .key = "max_expires", .type = CFG_INT, .offset = RC(max_expires), .def = "7200",
	  .min = 1, .max = 31536000, .help = "longest binding granted (longer is lowered), seconds" },
	{ .key = "max_contacts", .type = CFG_INT, .offset = RC(max_contacts), .def = "10",
	  .min = 1, .max = 1000, .help = "contacts per implicit registration set (403 beyond)" },
	{ .key = "challenge_timeout", .type = CFG_DURATION, .offset = RC(challenge_timeout),
	  .def = "30s", .min = 1000, .max = 3600000,
	  .help = "how long a 401 challenge waits for its answer" },
	{ .key = "max_challenges", .type = CFG_INT, .offset = RC(max_challenges), .def = "100000",
	  .min = 1, .max = 10000000, .help = "challenges pending at once (503 beyond)" },
	{ .key = "cx_timeout", .type = CFG_DURATION, .offset = RC(cx_timeout), .def = "5s",
	  .min = 100, .max = 60000, .help = "wait for an MAA/SAA before answering 504" },
	{ .key = "reauth_protected", .type = CFG_BOOL, .offset = RC(reauth_protected),
	  .def = "false",
	  .help = "challenge integrity-protected re-registrations too (TS 24.229 5.4.1.2.1)" },
	{ .key = "digest_without_credentials", .type = CFG_BOOL,
	  .offset = RC(digest_without_credentials), .def = "false",
	  .help = "a REGISTER with no Authorization header (not an IMS-AKA UE, TS 24.229 5.1.1.2.1: "
		  "a plain SIP phone) is challenged with SIP Digest when the user has it, else AKA" },
	{ .key = "max_challenges_per_impi", .type = CFG_INT, .offset = RC(max_challenges_per_impi),
	  .def = "5", .min = 1, .max = 1000,
	  .help = "challenges pending for one IMPI (503 beyond), so one user cannot fill the table" },
	{ .key = "state_file", .type = CFG_STR, .offset = RC(state_file),
	  .help = "file keeping the bindings across restarts (snapshot, atomic rename); unset = off" },
	{ .key = "state_interval", .type = CFG_DURATION, .offset = RC(state_interval),
	  .def = "2s", .min = 1000, .max = 3600000,
	  .help = "at most one snapshot per interval while bindings change (and one at stop); "
		  "a snapshot of 100k sets takes ~0.5 s on the loop" },
	{ .key = "store", .type = CFG_ENUM, .offset = RC(store), .def = "file",
	  .enum_names = store_names,
	  .help = "where bindings survive restarts: file (state_file snapshot; unset = nowhere) "
		  "or mariadb (registrar.database, write-back within flush_interval)" },
	{ .key = "database", .type = CFG_TABLE, .offset = RC(database), .sub = db_schema,
	  .help = "MariaDB of the bindings (store: mariadb)" },
	{ .key = "max_subscriptions", .type = CFG_INT, .offset = RC(max_subscriptions),
	  .def = "10000", .min = 1, .max = 10000000,
	  .help = "reg-event subscriptions at once (RFC 3680; 503 beyond)" },
	{ .key = "subscribe_max_expires", .type = CFG_INT, .offset = RC(subscribe_max_expires),
	  .def = "600000", .min = 60, .max = 31536000,
	  .help = "longest reg-event subscription granted, seconds (TS 24.229 5.4.2.1.1)" },
	{ .key = "third_party_max", .type = CFG_INT, .offset = RC(third_party_max),
	  .def = "1000", .min = 1, .max = 1000000,
	  .help = "third-party REGISTERs to application servers in flight (TS 24.229 5.4.1.7); "
		  "beyond: skipped and logged" },
	{ .key = "third_party_timeout", .type = CFG_DURATION, .offset = RC(third_party_timeout),
	  .def = "5s", .min = 200, .max = 64000,
	  .help = "an AS not answering a third-party REGISTER by then has failed (its iFC's "
		  "DefaultHandling decides)" },
	{ .key = "shared_ifc_sets", .type = CFG_STR, .offset = RC(shared_ifc_sets),
	  .check = ifc_shared_check_file,
	  .help = "XML file of the shared iFC sets (TS 29.228 SharedIFCSetID) the HSS may name: "
		  "<SharedIFCSets><SharedIFCSet><SharedIFCSetID>N</...><InitialFilterCriteria>..., "
		  "as `ims-hssctl shared-ifc export` prints it; checked at load, re-read on SIGHUP; "
		  "unset = none (every SharedIFCSetID is logged and skipped)" },
	CFG_FIELD_END
};

#define SC(f) offsetof(struct scscf_session_config, f)
#define NUM(f) offsetof(struct scscf_number, f)

static const struct cfg_field number_schema[] = {
	{ .key = "number", .type = CFG_STR, .offset = NUM(number), .required = true,
	  .help = "E.164 number with '+' (visual separators - . ( ) ignored)" },
	{ .key = "uris", .type = CFG_STR_LIST, .offset = NUM(uris), .required = true, .min = 1,
	  .max = 16, .check = cfg_check_sip_uri, .help = "SIP URIs of the number (the first is used)" },
	CFG_FIELD_END
};

static const char *const fork_names[] = { "parallel", "sequential", "highest-q", NULL };

/* RFC 3261 21.4.5 / 21.6.2: only "not found here" or "does not exist anywhere". */
static int check_unknown_number(const char *value, char *why, size_t whylen)
{
	if (!strcmp(value, "404") || !strcmp(value, "604"))
		return 0;
	snprintf(why, whylen, "must be 404 or 604");
	return -EINVAL;
}

static const struct cfg_field session_schema[] = {
	{ .key = "icscf", .type = CFG_STR, .offset = SC(icscf), .def = "sip:127.0.0.1:5060",
	  .check = cfg_check_sip_uri,
	  .help = "next hop for callees of our domains not registered here (I-CSCF, LIR)" },
	{ .key = "route_local", .type = CFG_BOOL, .offset = SC(route_local), .def = "true",
	  .help = "callee registered here: go to the terminating case directly" },
	{ .key = "breakout", .type = CFG_STR, .offset = SC(breakout), .check = cfg_check_sip_uri,
	  .help = "next hop for tel URIs not in the number table (BGCF/MGCF); absent: unknown_number" },
	{ .key = "unknown_number", .type = CFG_INT, .offset = SC(unknown_number), .def = "404",
	  .min = 404, .max = 604, .check = check_unknown_number,
	  .help = "status for a number neither in the table nor with a breakout: 404 or 604" },
	{ .key = "numbers", .type = CFG_TABLE_LIST, .offset = SC(numbers), .sub = number_schema,
	  .elem_size = sizeof(struct scscf_number),
	  .help = "tel/ENUM number table: E.164 number -> SIP URIs (TS 24.229 5.4.3.2)" },
	{ .key = "max_isc", .type = CFG_INT, .offset = SC(max_isc), .def = "4096", .min = 1,
	  .max = 1000000, .help = "requests at application servers at once (503 beyond)" },
	{ .key = "odi_linger", .type = CFG_DURATION, .offset = SC(odi_linger), .def = "32s",
	  .min = 0, .max = 3600000,
	  .help = "how long an AS may still send a request back after answering (B2BUA AS)" },
	{ .key = "fork", .type = CFG_ENUM, .offset = SC(fork), .def = "parallel",
	  .enum_names = fork_names,
	  .help = "terminating forking: parallel (q classes in turn, each at once), sequential "
		  "(one contact at a time), highest-q (best contact only)" },
	{ .key = "max_branches", .type = CFG_INT, .offset = SC(max_branches), .def = "8", .min = 1,
	  .max = 16, .help = "contacts tried per terminating request (highest q first)" },
	{ .key = "branch_timeout", .type = CFG_DURATION, .offset = SC(branch_timeout),
	  .def = "4s", .min = 200, .max = 32000,
	  .help = "a branch with no response beyond 100 Trying by then is given up (408)" },
	{ .key = "ring_timeout", .type = CFG_DURATION, .offset = SC(ring_timeout),
	  .def = "180s", .min = 1000, .max = 600000,
	  .help = "a branch that rings but is not answered by then is CANCELled (RFC 3261 16.8 "
		  "Timer C; lower it to move on sooner in sequential forking)" },
	{ .key = "max_pending", .type = CFG_INT, .offset = SC(max_pending), .def = "2000",
	  .min = 1, .max = 1000000,
	  .help = "overload control (RFC 6357): initial requests (INVITE, MESSAGE, SUBSCRIBE...) "
		  "forwarded or forked and not yet answered; new ones beyond 3/4 of it get 503 with "
		  "Retry-After, in-dialog requests never" },
	{ .key = "overload_latency", .type = CFG_DURATION, .offset = SC(overload_latency),
	  .def = "600ms", .min = 10, .max = 32000,
	  .help = "while the smoothed time to a first answer downstream (1xx above 100 or final) "
		  "exceeds it, a growing share of new initial requests gets 503 (all at twice it); "
		  "above the P-CSCF's request_latency (300ms), so that the edge, where a refusal "
		  "costs least, sheds first and the S-CSCF is the backstop" },
	{ .key = "max_dialogs", .type = CFG_INT, .offset = SC(max_dialogs), .def = "500000",
	  .min = 0, .max = 100000000,
	  .help = "confirmed INVITE dialogs recorded (about 1 KB each), so that a user's "
		  "sessions are released with BYE when it is de-registered (TS 24.229 5.4.5.1.2); "
		  "beyond, dialogs are routed but not recorded; 0: none" },
	{ .key = "dialog_max_age", .type = CFG_DURATION, .offset = SC(dialog_max_age),
	  .def = "12h", .min = 60000, .max = 604800000,
	  .help = "a recorded dialog no BYE ended is forgotten after this (a UE lost without "
		  "hanging up)" },
	CFG_FIELD_END
};

const struct cfg_field scscf_schema[] = {
	{ .key = "log", .type = CFG_TABLE, .offset = offsetof(struct scscf_config, log),
	  .sub = ims_log_schema, .help = "logging" },
	{ .key = "sip", .type = CFG_TABLE, .offset = offsetof(struct scscf_config, sip),
	  .sub = sipagent_schema, .help = "SIP listener (default port 6060)" },
	{ .key = "diameter", .type = CFG_TABLE, .offset = offsetof(struct scscf_config, diameter),
	  .sub = dia_schema, .help = "Cx client (Diameter)" },
	{ .key = "registrar", .type = CFG_TABLE, .offset = offsetof(struct scscf_config, registrar),
	  .sub = registrar_schema, .help = "registrar (TS 24.229 5.4.1)" },
	{ .key = "session", .type = CFG_TABLE, .offset = offsetof(struct scscf_config, session),
	  .sub = session_schema, .help = "session control (TS 24.229 5.4.3, TS 23.218)" },
	CFG_FIELD_END
};
