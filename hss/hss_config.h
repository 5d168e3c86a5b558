/*
 * hss_config: the configuration of ims-hss (one schema table, hss_schema).
 *
 * Sections: log (ims_log_schema), diameter (dia_schema), database (the
 * MariaDB connection of every store, see store.h) and cx (Cx policy:
 * number of vectors per MAR, SQN IND bits, home network names, and the
 * HSS-initiated RTR/PPR: admin queue polling and S-CSCF Diameter hosts).
 * Ownership: loaded and freed by the daemon module (cfg_load/cfg_free).
 */
#ifndef HSS_CONFIG_H
#define HSS_CONFIG_H

#include "ims/config.h"
#include "ims/diameter.h"
#include "ims/log.h"

struct store_config;

struct hss_db_config {
	char *host;            /* "localhost" = Unix socket */
	uint16_t port;
	char *socket;
	char *user;
	char *password;
	char *name;
	long long connect_timeout; /* ms */
	long long read_timeout;    /* ms */
};

/* Where RTR/PPR for an S-CSCF go: its Server-Name (SIP URI) -> Diameter
 * identity. Without a mapping the host part of the SIP URI is used. */
struct hss_scscf_host {
	char *server_name;
	char *diameter_host;
	char *diameter_realm;       /* NULL = our realm */
};

struct hss_cx_config {
	long long max_auth_items;   /* cap of SIP-Number-Auth-Items (TS 29.228 6.3.9) */
	long long sqn_ind_bits;     /* IND bits of SQN (TS 33.102 C.1.2) */
	struct cfg_strv home_networks; /* Visited-Network-Identifier values of home;
					* the Diameter realm is always home */
	struct cfg_list scscf_hosts;   /* of struct hss_scscf_host */
	long long admin_poll_interval; /* ms between polls of the admin queue */
	long long admin_batch;         /* rows taken per poll */
	long long admin_max_attempts;  /* sends of one RTR/PPR before it fails */
	long long admin_answer_timeout;/* ms to wait for an RTA/PPA */
	long long sqn_reserve;         /* SQNs reserved per database update (C.3) */
	long long auth_cache_ttl;      /* ms an IMPI's cached auth data stays fresh */
	long long auth_cache_size;     /* most IMPIs in the auth cache */
	long long profile_cache_ttl;   /* ms a cached service profile is used; 0 off */
	long long profile_cache_size;  /* most service profiles cached */
	long long profile_cache_poll;  /* ms between reads of the change log (prov_watch.h) */
	bool expand_shared_ifc_sets;   /* shared sets' iFCs inline in User-Data */
};

struct hss_config {
	struct ims_log_config log;
	struct dia_config diameter;
	struct hss_db_config database;
	struct hss_cx_config cx;
};

extern const struct cfg_field hss_schema[];

/* Fill a store_config that borrows the strings of db. */
void hss_config_store(const struct hss_db_config *db, struct store_config *out);

#endif
