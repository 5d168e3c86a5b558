/* store_schema: which schema version the database holds, and the check the
 * daemon runs before serving (deploy/db/migrations). */
#include "store_db.h"

#include <errno.h>
#include <stdio.h>

/* Migration file per version, index = version. */
static const char *const schema_migrations[] = {
	[1] = "0001_initial.sql",
	[2] = "0002_sh.sql",
	[3] = "0003_admin_queue.sql",
	[4] = "0004_sh_dsai.sql",
	[5] = "0005_scscf_registrar.sql",
};

int store_schema_version(struct store *st, unsigned int *version)
{
	static const char sql[] = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
	MYSQL_BIND res[1];
	MYSQL_STMT *s = NULL;
	uint64_t v = 0;
	int rc;

	*version = 0;
	sdb_out_u64(&res[0], &v);
	rc = sdb_run(st, sql, NULL, res, &s);
	if (rc == -ENOENT)   /* no schema_version table: nothing applied */
		return 0;
	if (rc)
		return rc;
	rc = sdb_fetch(s, res, 1);
	sdb_done(s);
	if (rc < 0)
		return rc;
	*version = (unsigned int)v;
	return 0;
}

int store_schema_check(struct store *st, char *msg, size_t msglen)
{
	unsigned int v;
	int rc = store_schema_version(st, &v);

	if (rc) {
		snprintf(msg, msglen, "cannot read the database schema version (%d)", rc);
		return rc;
	}
	if (v == IMS_STORE_SCHEMA_VERSION) {
		snprintf(msg, msglen, "database schema is version %u", v);
		return 0;
	}
	if (v > IMS_STORE_SCHEMA_VERSION)
		snprintf(msg, msglen, "database schema is version %u, newer than the "
			 "version %d this ims-hss knows: upgrade ims-hss", v,
			 IMS_STORE_SCHEMA_VERSION);
	else
		snprintf(msg, msglen, "database schema is version %u, this ims-hss "
			 "needs %d: apply deploy/db/migrations/%s", v,
			 IMS_STORE_SCHEMA_VERSION, schema_migrations[v + 1]);
	return -EPROTO;
}
