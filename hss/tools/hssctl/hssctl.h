/*
 * ims-hssctl: provisioning and schema tool for the HSS database. Talks to
 * MariaDB through hss/store (store.h to read, store_admin.h to write).
 * Database options come from --db-* flags (anywhere on the line) or the
 * IMS_DB_* environment variables. Exit status: 0 ok, 1 failure, 2 usage.
 * Secrets are never printed.
 */
#ifndef HSSCTL_H
#define HSSCTL_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "store/store_admin.h"

#define HSSCTL_OK 0
#define HSSCTL_FAIL 1
#define HSSCTL_USAGE 2

/* getopt_long codes of the database options, shared by every command. */
enum {
	OPT_DB_HOST = 1000, OPT_DB_PORT, OPT_DB_SOCKET, OPT_DB_USER,
	OPT_DB_PASSWORD, OPT_DB_NAME,
};
#define HSSCTL_DB_OPTIONS \
	{ "db-host", required_argument, NULL, OPT_DB_HOST }, \
	{ "db-port", required_argument, NULL, OPT_DB_PORT }, \
	{ "db-socket", required_argument, NULL, OPT_DB_SOCKET }, \
	{ "db-user", required_argument, NULL, OPT_DB_USER }, \
	{ "db-password", required_argument, NULL, OPT_DB_PASSWORD }, \
	{ "db-name", required_argument, NULL, OPT_DB_NAME }

struct hssctl {
	struct store_config db;
	const char *cmd;     /* "subscriber add", for messages */
};

/* Defaults, then IMS_DB_* from the environment. */
void hssctl_db_defaults(struct hssctl *h);
/* Handle one of the OPT_DB_* options: 1 handled, 0 not a db option, -1 bad value. */
int hssctl_db_option(struct hssctl *h, int opt, const char *arg);
/* Connect (store_open); prints why on failure. */
int hssctl_connect(struct hssctl *h, struct store **st);
/* Print "ims-hssctl: <cmd>: <what>: <strerror>" for a store error. */
int hssctl_fail(const struct hssctl *h, const char *what, int rc);
int hssctl_usage_error(const struct hssctl *h, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Parse db options and exactly one positional argument into *id. */
int hssctl_one_arg(struct hssctl *h, int argc, char **argv, const char **id);

/* Validation and parsing helpers (util.c). */
int hssctl_hex(const char *s, uint8_t *out, size_t len);
bool hssctl_valid_impi(const char *s);
bool hssctl_valid_impu(const char *s);
bool hssctl_valid_sip_uri(const char *s);
int hssctl_u64(const char *s, uint64_t max, uint64_t *out);
/* "1,2,3" -> array (malloc'd, free it). */
int hssctl_u32_list(const char *s, uint32_t **out, size_t *n);

int hssctl_cmd_db(struct hssctl *h, int argc, char **argv);
int hssctl_cmd_subscriber(struct hssctl *h, int argc, char **argv);
/* subscriber import|list (cmd_import.c); -1 for another verb. */
int hssctl_cmd_subscriber_bulk(struct hssctl *h, int argc, char **argv);
/* sqn show|set, deregister IMPU (cmd_sqn.c). */
int hssctl_cmd_sqn(struct hssctl *h, int argc, char **argv);
int hssctl_cmd_deregister_impu(struct hssctl *h, int argc, char **argv);
int hssctl_cmd_impu(struct hssctl *h, int argc, char **argv);
int hssctl_cmd_ifc(struct hssctl *h, int argc, char **argv);
/* profile set|show (cmd_profile.c). */
int hssctl_cmd_profile(struct hssctl *h, int argc, char **argv);
/* shared-ifc set|show|export|list|del (cmd_shared.c). */
int hssctl_cmd_shared_ifc(struct hssctl *h, int argc, char **argv);
int hssctl_cmd_caps(struct hssctl *h, int argc, char **argv);
int hssctl_cmd_visited(struct hssctl *h, int argc, char **argv);

#endif
