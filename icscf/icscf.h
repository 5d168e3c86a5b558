/*
 * I-CSCF (entry of the home network, TS 24.229 5.3): configuration and
 * life cycle. icscf_schema describes the YAML file; icscf_start, icscf_reload
 * and icscf_stop are the daemon callbacks (see ims/daemon.h).
 * Everything runs on the loop thread. The running node keeps no pointer into
 * a config it does not hold: on reload it takes the new config whole and
 * rebuilds its S-CSCF pool from it.
 */
#ifndef ICSCF_H
#define ICSCF_H

#include "ims/config.h"
#include "ims/diameter.h"
#include "ims/daemon.h"
#include "ims/log.h"
#include "ims/sipagent.h"

/* One S-CSCF the I-CSCF may select (TS 29.228 6.7 capabilities). */
struct icscf_scscf_config {
	char *name;                 /* SIP URI, as the HSS knows it (Server-Name) */
	char *address;              /* next hop SIP URI or host:port; default name */
	struct cfg_strv mandatory;  /* capability numbers it supports */
	struct cfg_strv optional;   /* (both lists are the S-CSCF's capabilities) */
	long long weight;           /* load share among equals; 0 = standby only */
};

/* Static number table, consulted before LIR for tel URIs. */
struct icscf_tel_config {
	char *number;               /* E.164 with '+', e.g. "+4930100001" */
	char *uri;                  /* SIP URI it maps to */
};

struct icscf_cx_config {
	char *hss_realm;            /* Destination-Realm; default diameter.realm */
	char *hss_host;             /* optional Destination-Host */
	long long timeout;          /* ms, bound on every UAR/LIR */
};

struct icscf_pool_config {
	long long probe_interval;   /* ms between OPTIONS keep-alives */
	long long max_attempts;     /* S-CSCFs tried per REGISTER */
	long long response_timeout; /* ms: final answer wait (nta T1x64) */
	struct cfg_list servers;    /* of struct icscf_scscf_config */
};

/* Trust domain (RFC 3325 2.3, TS 24.229 4.4): peers whose asserted
 * headers are believed. Entries are IP addresses, CIDR prefixes or host
 * names (resolved at start and reload; a name also trusts its
 * subdomains as a next hop). Empty: loopback. The S-CSCF pool's addresses
 * are always trusted. */
struct icscf_trust_config {
	struct cfg_strv networks;
};

/* Topology hiding toward untrusted networks (TS 23.228 4.14, TS 24.229
 * Rel-6 5.3.3). key: 64 hex digits (AES-256); key_file: a file holding
 * them (or 32 raw bytes). Neither: a random key per process run. */
struct icscf_thig_config {
	bool enabled;
	char *key;
	char *key_file;
};

struct icscf_config {
	struct ims_log_config log;
	struct sipagent_config sip;
	struct dia_config diameter;
	struct icscf_cx_config cx;
	struct cfg_strv domains;    /* home domains; default: diameter.realm */
	struct cfg_strv aliases;    /* our own host names (Route popping) */
	struct icscf_pool_config scscf;
	struct cfg_list tel_numbers; /* of struct icscf_tel_config */
	struct icscf_trust_config trust;
	struct icscf_thig_config thig;
};

extern const struct cfg_field icscf_schema[];

/* Capability numbers of a config list into out[max]; 0 or -EINVAL. */
int icscf_caps_parse(const struct cfg_strv *in, uint32_t *out, size_t max, size_t *n);

int icscf_start(struct ims_daemon *d, void *cfg);
int icscf_reload(struct ims_daemon *d, void *new_cfg);
void icscf_stop(struct ims_daemon *d);

#endif
