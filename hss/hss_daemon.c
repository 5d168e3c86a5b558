/* hss_daemon: see hss_daemon.h. */
#include "hss_daemon.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "cx/cx.h"
#include "cx/cx_admin.h"
#include "hss_config.h"
#include "sh/sh.h"
#include "ims/diameter.h"
#include "ims/log.h"
#include "store/store.h"

struct hss {
	struct cx_server cx;
	struct cx_admin admin;   /* RTR/PPR from the admin queue */
	bool cx_started;
	bool sh_started;
	bool dia_started;
	bool db_lib;
};

/* The database must carry the schema this binary was built for. */
static int hss_schema_check(const struct hss_config *cfg)
{
	struct store_config sc;
	struct store *st = NULL;
	char msg[256] = "";
	int ret;

	hss_config_store(&cfg->database, &sc);
	ret = store_open(&sc, &st);
	if (ret != 0) {
		log_err("cannot connect to database %s on %s:%u as %s: %s", sc.database,
			sc.host ? sc.host : "localhost", sc.port, sc.user ? sc.user : "?",
			strerror(-ret));
		return ret;
	}
	ret = store_schema_check(st, msg, sizeof msg);
	if (ret != 0)
		log_err("refusing to start: %s", msg[0] ? msg : strerror(-ret));
	store_close(st);
	return ret;
}

static void hss_stop(struct ims_daemon *d)
{
	struct hss *h = ims_daemon_context(d);

	if (!h)
		return;
	/* Sh's notifier and the admin thread send requests: halt them while
	 * Diameter runs, free after (late freeDiameter callbacks use locks). */
	if (h->sh_started)
		sh_stop();
	cx_admin_halt(&h->admin);
	if (h->dia_started)
		dia_stop();
	cx_admin_free(&h->admin);
	if (h->cx_started)
		cx_server_stop(&h->cx);
	if (h->db_lib)
		store_library_end();
	free(h);
	ims_daemon_set_context(d, NULL);
}

static int hss_start(struct ims_daemon *d, void *cfgp)
{
	const struct hss_config *cfg = cfgp;
	struct hss *h = calloc(1, sizeof *h);
	int ret;

	if (!h)
		return -ENOMEM;
	ims_daemon_set_context(d, h);
	xmlInitParser();
	ret = store_library_init();
	if (ret != 0)
		goto fail;
	h->db_lib = true;
	ret = hss_schema_check(cfg);
	if (ret != 0)
		goto fail;
	ret = dia_start(&cfg->diameter, DIA_APP_CX | DIA_APP_SH);
	if (ret != 0) {
		log_err("cannot start the Diameter node: %s", strerror(-ret));
		goto fail;
	}
	h->dia_started = true;
	ret = cx_server_start(&h->cx, cfg);
	h->cx_started = true;
	if (ret != 0)
		goto fail;
	ret = cx_admin_start(&h->admin, cfg);
	if (ret != 0)
		goto fail;
	{
		struct sh_config shc = { 0 };

		hss_config_store(&cfg->database, &shc.db);
		ret = sh_start(&shc);
		if (ret != 0) {
			log_err("cannot start the Sh server: %s", strerror(-ret));
			goto fail;
		}
		h->sh_started = true;
	}
	ims_daemon_status(d, "serving Cx and Sh as %s", cfg->diameter.identity);
	log_notice("ims-hss ready: %s (realm %s), database %s", cfg->diameter.identity,
		   cfg->diameter.realm, cfg->database.name);
	return 0;
fail:
	hss_stop(d);
	return ret;
}

const struct ims_daemon_spec hss_daemon_spec = {
	.name = "ims-hss",
	.summary = "IMS HSS: Cx server (TS 29.228/29.229) on MariaDB",
	.default_config = "/etc/ims/hss.yaml",
	.schema = hss_schema,
	.config_size = sizeof(struct hss_config),
	.log_offset = offsetof(struct hss_config, log),
	.start = hss_start,
	.stop = hss_stop,
};
