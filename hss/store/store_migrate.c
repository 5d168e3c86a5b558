/* store_migrate: applies deploy/db/migrations/NNNN_name.sql files in order
 * and records each version in schema_version (ims-hssctl db migrate).
 * The files are trusted DDL run as one multi-statement query each; MariaDB
 * commits DDL implicitly, so a failing file is reported and left as is. */
#include "store_admin.h"
#include "store_db.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIGRATION_MAX_BYTES (1024 * 1024)

struct migration {
	unsigned int version;
	char name[256];
};

static int migration_cmp(const void *a, const void *b)
{
	const struct migration *x = a, *y = b;
	return (x->version > y->version) - (x->version < y->version);
}

/* "0001_initial.sql" -> 1; 0 if the name is not a migration. */
static unsigned int migration_version(const char *name)
{
	size_t len = strlen(name);
	unsigned int v = 0;

	if (len < 10 || len >= sizeof(((struct migration *)0)->name) ||
	    name[4] != '_' || strcmp(name + len - 4, ".sql") != 0)
		return 0;
	for (int i = 0; i < 4; i++) {
		if (name[i] < '0' || name[i] > '9')
			return 0;
		v = v * 10 + (unsigned int)(name[i] - '0');
	}
	return v;
}

static int migrations_list(const char *dir, struct migration **out, size_t *n,
			   char *msg, size_t msglen)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct migration *v = NULL;
	size_t cnt = 0;
	int rc = 0;

	if (!d) {
		rc = -errno;
		snprintf(msg, msglen, "%s: %s", dir, strerror(errno));
		return rc;
	}
	while ((e = readdir(d))) {
		unsigned int ver = migration_version(e->d_name);
		if (!ver)
			continue;
		struct migration *nv = realloc(v, (cnt + 1) * sizeof(*nv));
		if (!nv) {
			rc = -ENOMEM;
			goto out;
		}
		v = nv;
		v[cnt].version = ver;
		snprintf(v[cnt++].name, sizeof(v->name), "%s", e->d_name);
	}
	qsort(v, cnt, sizeof(*v), migration_cmp);
	for (size_t i = 0; i < cnt; i++) {
		if (v[i].version != i + 1) {
			snprintf(msg, msglen, "%s: migrations must be numbered 0001, 0002, ... "
				 "without gaps or duplicates (at %s)", dir, v[i].name);
			rc = -EINVAL;
			goto out;
		}
	}
out:
	closedir(d);
	if (rc)
		free(v);
	else {
		*out = v;
		*n = cnt;
	}
	return rc;
}

static char *file_read(const char *path, char *msg, size_t msglen)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len;

	if (!f) {
		snprintf(msg, msglen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	buf = malloc(MIGRATION_MAX_BYTES + 1);
	if (buf) {
		len = fread(buf, 1, MIGRATION_MAX_BYTES + 1, f);
		if (ferror(f) || len > MIGRATION_MAX_BYTES) {
			snprintf(msg, msglen, "%s: unreadable or larger than %d bytes",
				 path, MIGRATION_MAX_BYTES);
			free(buf);
			buf = NULL;
		} else {
			buf[len] = '\0';
		}
	}
	fclose(f);
	return buf;
}

/* Run every statement of sql; 0 or -EIO with the server error in msg. */
static int run_script(MYSQL *m, const char *sql, const char *name, char *msg, size_t msglen)
{
	int status;
	int rc = 0;

	mysql_set_server_option(m, MYSQL_OPTION_MULTI_STATEMENTS_ON);
	status = mysql_real_query(m, sql, strlen(sql));
	while (1) {
		if (status) {
			snprintf(msg, msglen, "%s: %u %s", name, mysql_errno(m), mysql_error(m));
			rc = sdb_errno(mysql_errno(m));
			if (rc != -ENOTCONN)
				rc = -EIO;
			break;
		}
		MYSQL_RES *r = mysql_store_result(m);
		if (r)
			mysql_free_result(r);
		status = mysql_next_result(m);
		if (status == -1)
			break;
		status = status > 0;
	}
	mysql_set_server_option(m, MYSQL_OPTION_MULTI_STATEMENTS_OFF);
	return rc;
}

static int migration_apply(struct store *st, const char *dir, const struct migration *mg,
			   char *msg, size_t msglen)
{
	static const char sql_record[] =
		"INSERT INTO schema_version (version, name) VALUES (?, ?)";
	char path[4096];
	uint64_t v = mg->version;
	MYSQL_BIND par[2];
	char *sql;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, mg->name);
	sql = file_read(path, msg, msglen);
	if (!sql)
		return -EIO;
	if (!st->conn && (rc = sdb_reconnect(st)))
		goto out;
	rc = run_script(st->conn, sql, mg->name, msg, msglen);
	if (rc)
		goto out;
	sdb_in_u64(&par[0], &v);
	sdb_in_str(&par[1], mg->name);
	rc = sdb_run(st, sql_record, par, NULL, NULL);
	if (rc)
		snprintf(msg, msglen, "%s applied but not recorded in schema_version (%d)",
			 mg->name, rc);
out:
	free(sql);
	return rc;
}

int store_admin_migrate(struct store *st, const char *dir, unsigned int *from,
			unsigned int *to, char *msg, size_t msglen)
{
	struct migration *list = NULL;
	size_t n = 0;
	unsigned int cur = 0;
	int rc;

	msg[0] = '\0';
	rc = store_schema_version(st, &cur);
	if (rc) {
		snprintf(msg, msglen, "cannot read the schema version (%d)", rc);
		return rc;
	}
	*from = *to = cur;
	rc = migrations_list(dir, &list, &n, msg, msglen);
	if (rc)
		return rc;
	if (cur > n) {
		snprintf(msg, msglen, "database schema is version %u but %s has only "
			 "migrations up to %zu", cur, dir, n);
		rc = -EPROTO;
		goto out;
	}
	for (size_t i = cur; i < n; i++) {
		rc = migration_apply(st, dir, &list[i], msg, msglen);
		if (rc)
			goto out;
		*to = list[i].version;
	}
out:
	free(list);
	return rc;
}
