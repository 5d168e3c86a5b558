/*
 * sip: sofia-sip glue shared by the CSCFs.
 *
 * - Parse a SIP message from a buffer and check it is well formed enough to
 *   be processed (RFC 3261 8.1.1, 8.2.2, 18.3; RFC 4475 torture cases), and
 *   serialise it back.
 * - Typed access to the IMS headers the CSCFs read (TS 24.229 7.2A, RFC 7315,
 *   RFC 3327 Path, RFC 3608 Service-Route, RFC 3329 sec-agree, RFC 3310 AKA
 *   digest parameters) and builders that add them to a message.
 * - Routing of sofia-sip's own log (su_log) into log.h.
 *
 * Ownership: every string or struct these functions hand out is allocated
 * from the message's home (msg_home(msg)) and lives as long as the msg_t;
 * nothing needs freeing separately. Pointers into a msg_t become invalid
 * when the msg is destroyed. Input strings passed to builders are copied.
 *
 * Headers sofia knows natively are read from sip_t directly: sip->sip_via,
 * sip_route, sip_record_route, sip_path, sip_service_route,
 * sip_security_client/server/verify, sip_authorization, sip_www_authenticate,
 * sip_supported, sip_require. The P- headers sofia does not know arrive as
 * sip_unknown_t (several instances of one header are read in order, as one
 * comma list, RFC 3261 7.3.1).
 *
 * Thread rules: as sofia's msg API, a msg_t is used by one thread at a time.
 * sip_log_route() is called once, from the main thread, before sofia starts.
 *
 * Return convention: 0 or -errno. -ENOENT = header absent, -EBADMSG = header
 * or message malformed, -ENOMEM, -EINVAL = bad argument.
 */
#ifndef IMS_SIP_H
#define IMS_SIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sofia-sip/msg.h>
#include <sofia-sip/sip.h>
#include <sofia-sip/sip_extra.h>

/* ---------------------------------------------------------------- parse */

/* The message class used by sip_msg_parse: sofia's default class extended
 * with P-Asserted-Identity / P-Preferred-Identity (sip_extend_mclass).
 * Pass it to nta with NTATAG_MCLASS() to get the same parsing there. */
msg_mclass_t const *sip_msg_mclass(void);

/* Parse one complete message (a datagram, or one framed TCP message) of len
 * octets. The text is copied (MSG_DO_EXTRACT_COPY): buf may be freed after.
 * On success *out is a new msg_t owned by the caller (msg_destroy()).
 * Returns 0, -EBADMSG (malformed, see sip_msg_check), -EPROTONOSUPPORT
 * (SIP version other than 2.0: answer 505), -ENOMEM, -EINVAL.
 * On error *out is NULL. sip_msg_parse_why also says why in `why`. */
int sip_msg_parse(const char *buf, size_t len, msg_t **out);
int sip_msg_parse_why(const char *buf, size_t len, msg_t **out,
		      char *why, size_t why_len);

/* Serialise msg (with any headers added since parsing) into buf.
 * *len gets the size written (or needed, on -ENOSPC). Unmodified headers
 * keep their original text when the msg was parsed by sip_msg_parse.
 * No NUL is appended. Returns 0, -ENOSPC, -EINVAL. */
int sip_msg_serialize(msg_t *msg, char *buf, size_t cap, size_t *len);

/* Checks a parsed message is processable. For a request it returns 0 or the
 * SIP status to answer with: 400 (bad or duplicated mandatory header, no
 * start line, missing From/To/Call-ID/CSeq/Via, CSeq method mismatch,
 * Content-Length mismatch, malformed Request-URI) or 505 (version).
 * For a response, non-zero means drop it. `why` (may be NULL) gets a short
 * reason suitable for a Warning or a log line. Works on messages parsed by
 * nta as well as by sip_msg_parse. */
int sip_msg_check(const sip_t *sip, char *why, size_t why_len);

/* sip_msg_check() == 0, for a daemon deciding 400 vs accept. */
bool sip_request_is_well_formed(const sip_t *sip, char *why, size_t why_len);

/* ---------------------------------------------------- generic parameters */

/* One "name[=value]" parameter of an IMS header; value is NULL when there is
 * no "=", quotes around a quoted-string value are removed. */
struct sip_hdr_param {
	const char *name;
	const char *value;
};

/* Value of parameter `name` (case-insensitive) or NULL. A parameter present
 * without a value yields "". */
const char *sip_hdr_param_find(const struct sip_hdr_param *params, size_t n,
			       const char *name);

/* Value of the (first) header called `name` (case-insensitive) that sofia
 * kept as unknown, or NULL. */
const char *sip_hdr_unknown_value(const sip_t *sip, const char *name);

/* Add "name: value" as an extension header. Returns 0, -ENOMEM, -EINVAL. */
int sip_hdr_add_raw(msg_t *msg, const char *name, const char *value);

/* ------------------------------------------------------- P-Charging-* */

/* P-Charging-Vector (RFC 7315 4.6, TS 24.229 7.2A.5). icid_value is
 * mandatory; others are NULL when absent. params holds every parameter in
 * order (including the ones above). */
struct sip_charging_vector {
	const char *icid_value;
	const char *icid_generated_at;
	const char *orig_ioi;
	const char *term_ioi;
	struct sip_hdr_param *params;
	size_t n_params;
};
int sip_hdr_charging_vector(msg_t *msg, struct sip_charging_vector *out);
/* Adds P-Charging-Vector from icid_value (required) and the three optional
 * fields; params/n_params are ignored. */
int sip_hdr_add_charging_vector(msg_t *msg, const struct sip_charging_vector *pcv);

/* P-Charging-Function-Addresses (RFC 7315 4.5): ccf and ecf lists, in
 * order, quotes removed. At least one ccf or ecf is required. */
struct sip_charging_addrs {
	const char **ccf;
	size_t n_ccf;
	const char **ecf;
	size_t n_ecf;
};
int sip_hdr_charging_addrs(msg_t *msg, struct sip_charging_addrs *out);
int sip_hdr_add_charging_addrs(msg_t *msg, const struct sip_charging_addrs *pcfa);

/* ------------------------------------------------ identities and network */

/* P-Asserted-Identity / P-Preferred-Identity (RFC 3325): the native list
 * when the msg class knows them, else parsed from the unknown header.
 * *out is the first of a linked list (paid_next / ppid_next). */
int sip_hdr_p_asserted_identity(msg_t *msg, sip_p_asserted_identity_t const **out);
int sip_hdr_p_preferred_identity(msg_t *msg, sip_p_preferred_identity_t const **out);
/* Adds one P-Asserted-Identity value; display may be NULL. */
int sip_hdr_add_p_asserted_identity(msg_t *msg, const char *display, const char *uri);

/* P-Associated-URI (RFC 7315 4.1): name-addr list with params, order kept.
 * The list reuses sofia's name-addr struct sip_route_t (r_display, r_url,
 * r_params, r_next). */
int sip_hdr_p_associated_uri(msg_t *msg, sip_route_t const **out);
/* Adds "P-Associated-URI: <u1>, <u2>, ..." (n >= 1). */
int sip_hdr_add_p_associated_uri(msg_t *msg, const char *const *uris, size_t n);

/* P-Visited-Network-ID (RFC 7315 4.3): the network specs in order, quotes
 * removed, their parameters dropped. */
int sip_hdr_visited_network_ids(msg_t *msg, const char ***ids, size_t *n);
/* Adds one P-Visited-Network-ID value (quoted unless a token). */
int sip_hdr_add_visited_network_id(msg_t *msg, const char *id);

/* P-Access-Network-Info (RFC 7315 4.4): the first access-net-spec. */
struct sip_access_network_info {
	const char *access_type;      /* "3GPP-E-UTRAN-FDD", "IEEE-802.11", ... */
	struct sip_hdr_param *params; /* access-info, e.g. utran-cell-id-3gpp */
	size_t n_params;
};
int sip_hdr_access_network_info(msg_t *msg, struct sip_access_network_info *out);

/* Path / Service-Route (RFC 3327, RFC 3608): add "<uri>" (uri should carry
 * ;lr). A Path value goes first (a proxy prepends its own, RFC 3327 5), a
 * Service-Route value last (the registrar lists them in order). Read back
 * as sip->sip_path / sip->sip_service_route. */
int sip_hdr_add_path(msg_t *msg, const char *uri);
int sip_hdr_add_service_route(msg_t *msg, const char *uri);

/* True when the option tag is in the list (Supported, Require, ...). */
bool sip_hdr_has_option(const msg_list_t *list, const char *option);
/* Supported: path or Require: path present (RFC 3327 5). */
bool sip_hdr_supports_path(const sip_t *sip);
/* True when an Authorization answers a challenge (a non-empty response,
 * RFC 3261 22.4); the first REGISTER of IMS carries an empty one
 * (TS 24.229 5.1.1.2.1). Overload control admits these before new ones. */
bool sip_hdr_has_credentials(const sip_t *sip);

/* Security-Client/Server/Verify "ipsec-3gpp" parameters (TS 33.203 H.2,
 * RFC 3329). Missing numbers are 0, missing strings NULL. */
struct sip_sec_agree {
	const char *mechanism;  /* "ipsec-3gpp", "tls", ... */
	const char *alg;        /* hmac-sha-1-96, hmac-md5-96 */
	const char *ealg;       /* null, aes-cbc, des-ede3-cbc */
	const char *prot;       /* esp */
	const char *mod;        /* trans */
	const char *q;
	uint32_t spi_c, spi_s;
	uint16_t port_c, port_s;
};
int sip_hdr_sec_agree(const sip_security_client_t *sa, struct sip_sec_agree *out);

/* --------------------------------------------------- authentication */

/* Digest credentials (Authorization / Proxy-Authorization, RFC 3261 22.4,
 * RFC 3310 3.4, TS 24.229 5.4.1.2.2). Values unquoted; NULL when absent. */
struct sip_auth_credentials {
	const char *scheme;     /* "Digest" */
	const char *username, *realm, *nonce, *uri, *response;
	const char *algorithm, *qop, *nc, *cnonce, *opaque;
	const char *auts;       /* base64, resync (RFC 3310 3.4) */
	/* integrity-protected (TS 24.229 7.2A.1): "yes", "no", "tls-pending",
	 * "tls-yes", "ip-assoc-pending", "ip-assoc-yes", or NULL. */
	const char *integrity_protected;
};
int sip_auth_credentials_parse(msg_t *msg, const msg_auth_t *au,
			       struct sip_auth_credentials *out);
/* The credentials of `au` list whose realm is `realm` (case-insensitive),
 * or NULL. realm NULL: the first Digest one. */
const msg_auth_t *sip_auth_find_realm(const msg_auth_t *au, const char *realm);
/* Adds an Authorization (proxy=false) or Proxy-Authorization header. */
int sip_auth_add_credentials(msg_t *msg, const struct sip_auth_credentials *cr,
			     bool proxy);

/* Digest challenge (WWW-Authenticate / Proxy-Authenticate), with the
 * TS 24.229 5.4.1.2.1 ck= and ik= (hex) used between S-CSCF and P-CSCF. */
struct sip_auth_challenge {
	const char *scheme;     /* "Digest" */
	const char *realm, *nonce, *algorithm, *qop, *opaque, *domain, *stale;
	const char *ck, *ik;
};
int sip_auth_challenge_parse(msg_t *msg, const msg_auth_t *au,
			     struct sip_auth_challenge *out);
/* Adds WWW-Authenticate (proxy=false) or Proxy-Authenticate. realm and nonce
 * are required; NULL fields are left out. */
int sip_auth_add_challenge(msg_t *msg, const struct sip_auth_challenge *ch,
			   bool proxy);
/* Removes ck= and ik= from every WWW-Authenticate of msg (a P-CSCF does so
 * before forwarding a 401 to the UE, TS 24.229 5.2.2.1). Returns the number
 * of headers changed or -errno. */
int sip_auth_strip_keys(msg_t *msg);

/* ------------------------------------------------------------- logging */

/* Routes su_log_default, nta_log and tport_log to log.h, one log line per
 * line sofia writes (fragments are joined). Idempotent. Levels stay under
 * sofia's control (SOFIA_DEBUG, NTA_DEBUG, TPORT_DEBUG env variables). */
void sip_log_route(void);

#endif
