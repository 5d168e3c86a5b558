/* cx_common: per-thread store, request reading and result mapping shared by
 * the Cx command handlers (see cx.h). */
#include "cx/cx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cx/auth_cache.h"
#include "cx/profile_cache.h"
#include "ims/diameter.h"
#include "ims/log.h"

/* freeDiameter dispatch threads are not ours: one lazily opened store per
 * thread, registered in srv so cx_server_stop() can close it. */
static __thread struct store *tl_store;
static __thread const struct cx_server *tl_owner;

static int stores_add(struct cx_server *srv, struct store *st)
{
	int ret = 0;

	pthread_mutex_lock(&srv->lock);
	if (srv->n_stores == srv->cap_stores) {
		size_t cap = srv->cap_stores ? srv->cap_stores * 2 : 8;
		struct store **v = realloc(srv->stores, cap * sizeof *v);
		if (!v) {
			ret = -ENOMEM;
			goto out;
		}
		srv->stores = v;
		srv->cap_stores = cap;
	}
	srv->stores[srv->n_stores++] = st;
out:
	pthread_mutex_unlock(&srv->lock);
	return ret;
}

struct store *cx_store(struct cx_server *srv)
{
	struct store *st = NULL;
	int ret;

	if (tl_store && tl_owner == srv)
		return tl_store;
	ret = store_open(&srv->db, &st);
	if (ret != 0) {
		log_err("cx: cannot connect to the database %s on %s: %s", srv->db.database,
			srv->db.host ? srv->db.host : "localhost", strerror(-ret));
		return NULL;
	}
	if (stores_add(srv, st) != 0) {
		store_close(st);
		return NULL;
	}
	log_info("cx: thread database connection %lu opened", store_connection_id(st));
	tl_store = st;
	tl_owner = srv;
	return st;
}

static void stores_close(struct cx_server *srv)
{
	pthread_mutex_lock(&srv->lock);
	for (size_t i = 0; i < srv->n_stores; i++)
		store_close(srv->stores[i]);
	free(srv->stores);
	srv->stores = NULL;
	srv->n_stores = srv->cap_stores = 0;
	pthread_mutex_unlock(&srv->lock);
}

struct cx_result cx_result_of_store(int err, const char *proc)
{
	switch (err) {
	case -ENOENT:
		return CX_EXP(DIA_EXP_ERROR_USER_UNKNOWN);
	case -EACCES:
		return CX_EXP(DIA_EXP_ERROR_IDENTITIES_DONT_MATCH);
	default:
		log_err("%s: database error: %s", proc, strerror(-err));
		return CX_BASE(DIA_UNABLE_TO_COMPLY);
	}
}

int cx_result_set(struct msg *ans, struct cx_result r)
{
	return r.exp ? dia_set_experimental(ans, r.code) : dia_set_result(ans, r.code);
}

const char *cx_result_str(struct cx_result r, char buf[24])
{
	snprintf(buf, 24, "%u%s", r.code, r.exp ? "(exp)" : "");
	return buf;
}

enum ims_log_level cx_log_level(struct cx_result r)
{
	return r.code >= 2000 && r.code < 3000 ? IMS_LOG_INFO : IMS_LOG_NOTICE;
}

int cx_get_str(void *parent, uint32_t code, char *buf, size_t len)
{
	const uint8_t *p;
	size_t n;
	int ret = dia_find_octets(parent, code, &p, &n);

	if (ret != 0)
		return ret;
	if (n == 0 || n >= len || memchr(p, '\0', n))
		return -EINVAL;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return 0;
}

int cx_missing_avp(struct msg *ans, uint32_t code)
{
	struct avp *failed = NULL;
	int ret = dia_set_result(ans, DIA_MISSING_AVP);

	/* RFC 6733 7.5: Failed-AVP holds an example of the missing AVP. */
	if (ret == 0 && dia_add_group(ans, DIA_AVP_FAILED_AVP, &failed) == 0)
		(void)dia_add_utf8(failed, code, "");
	return ret;
}

int cx_add_caps(struct msg *ans, const struct store_caps *caps)
{
	struct avp *grp = NULL;
	int ret;

	/* TS 29.229 6.3.4: Mandatory-Capability*, Optional-Capability*, Server-Name* */
	ret = dia_add_group(ans, CX_AVP_SERVER_CAPABILITIES, &grp);
	for (size_t i = 0; ret == 0 && i < caps->n_mandatory; i++)
		ret = dia_add_u32(grp, CX_AVP_MANDATORY_CAPABILITY, caps->mandatory[i]);
	for (size_t i = 0; ret == 0 && i < caps->n_optional; i++)
		ret = dia_add_u32(grp, CX_AVP_OPTIONAL_CAPABILITY, caps->optional[i]);
	for (size_t i = 0; ret == 0 && i < caps->server_names.n; i++)
		ret = dia_add_utf8(grp, CX_AVP_SERVER_NAME, caps->server_names.v[i]);
	return ret;
}

int cx_add_capabilities(struct store *st, struct msg *ans, const char *impi)
{
	struct store_caps caps = { 0 };
	int ret = store_caps_get(st, impi, &caps);

	if (ret == 0)
		ret = cx_add_caps(ans, &caps);
	store_caps_free(&caps);
	return ret;
}

bool cx_is_home_network(const struct cx_server *srv, const char *visited)
{
	const struct cfg_strv *home = &srv->cfg->cx.home_networks;

	if (srv->cfg->diameter.realm && strcasecmp(visited, srv->cfg->diameter.realm) == 0)
		return true;
	for (size_t i = 0; i < home->n; i++) {
		if (strcasecmp(visited, home->v[i]) == 0)
			return true;
	}
	return false;
}

int cx_server_start(struct cx_server *srv, const struct hss_config *cfg)
{
	static const struct {
		uint32_t cmd;
		dia_direct_fn fn;
	} cmds[] = {
		{ CX_CMD_UAR, cx_uar },
		{ CX_CMD_SAR, cx_sar },
		{ CX_CMD_LIR, cx_lir },
		{ CX_CMD_MAR, cx_mar },
	};
	struct auth_cache_config acc = {
		.max = (size_t)cfg->cx.auth_cache_size,
		.ttl_ms = (unsigned)cfg->cx.auth_cache_ttl,
		.reserve = (unsigned)cfg->cx.sqn_reserve,
		.ind_bits = (unsigned)cfg->cx.sqn_ind_bits,
	};
	int ret;

	memset(srv, 0, sizeof *srv);
	srv->cfg = cfg;
	hss_config_store(&cfg->database, &srv->db);
	pthread_mutex_init(&srv->lock, NULL);
	ret = auth_cache_new(&acc, &srv->auth);
	if (ret == 0)
		ret = profile_cache_start((unsigned)cfg->cx.profile_cache_ttl,
					  (size_t)cfg->cx.profile_cache_size);
	if (ret == 0 && cfg->cx.profile_cache_ttl > 0)
		ret = prov_watch_start(&srv->watch, &srv->db, (unsigned)cfg->cx.profile_cache_poll);
	cx_user_data_expand_shared(cfg->cx.expand_shared_ifc_sets);
	for (size_t i = 0; ret == 0 && i < sizeof cmds / sizeof cmds[0]; i++)
		ret = dia_serve_direct(DIA_APP_CX, cmds[i].cmd, cmds[i].fn, srv);
	if (ret != 0)
		log_err("cx: cannot register the Cx handlers: %s", strerror(-ret));
	return ret;
}

void cx_server_stop(struct cx_server *srv)
{
	stores_close(srv);
	auth_cache_free(srv->auth);
	srv->auth = NULL;
	prov_watch_stop(&srv->watch);
	profile_cache_stop();
	pthread_mutex_destroy(&srv->lock);
}
