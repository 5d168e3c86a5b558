/*
 * sh_register: sh_start/sh_stop (see sh.h), the per-thread stores and the
 * dispatch wrapper of the Sh handlers. A read-write lock lets sh_stop wait
 * for handlers in flight before closing their stores; handlers arriving
 * after it answer 5012 DIAMETER_UNABLE_TO_COMPLY.
 */
#include "sh/sh_internal.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ims/diameter.h"
#include "ims/log.h"

/* Transparent data is small per-service state (TS 23.218 / TS 29.328
 * 7.6.1 leave the size to the operator); a whole Diameter message must stay
 * well under freeDiameter's limits. */
#define SH_DEFAULT_MAX_DATA 16384

typedef int (*sh_cmd_fn)(struct store *st, struct msg *req, struct msg *ans);

/* Process-wide (freeDiameter is a process singleton; its handlers cannot
 * be unregistered, so they must always find this state). */
static pthread_rwlock_t g_lock = PTHREAD_RWLOCK_INITIALIZER;
static pthread_mutex_t g_stores_lock = PTHREAD_MUTEX_INITIALIZER;
static bool g_started;
static bool g_registered;
static unsigned long g_generation;   /* invalidates thread stores of a past run */
static struct sh_config g_cfg;
static struct store **g_stores;
static size_t g_n_stores, g_cap_stores;

static __thread struct store *tl_store;
static __thread unsigned long tl_generation;

const struct sh_config *sh_settings(void)
{
	return &g_cfg;
}

static int stores_add(struct store *st)
{
	int ret = 0;

	pthread_mutex_lock(&g_stores_lock);
	if (g_n_stores == g_cap_stores) {
		size_t cap = g_cap_stores ? g_cap_stores * 2 : 8;
		struct store **v = realloc(g_stores, cap * sizeof(*v));
		if (!v) {
			ret = -ENOMEM;
			goto out;
		}
		g_stores = v;
		g_cap_stores = cap;
	}
	g_stores[g_n_stores++] = st;
out:
	pthread_mutex_unlock(&g_stores_lock);
	return ret;
}

/* The calling thread's store (called with g_lock held for reading). */
static struct store *thread_store(void)
{
	struct store *st = NULL;
	int ret;

	if (tl_store && tl_generation == g_generation)
		return tl_store;
	ret = store_open(&g_cfg.db, &st);
	if (ret != 0) {
		log_err("sh: cannot connect to the database %s: %s", g_cfg.db.database,
			strerror(-ret));
		return NULL;
	}
	if (stores_add(st) != 0) {
		store_close(st);
		return NULL;
	}
	tl_store = st;
	tl_generation = g_generation;
	return st;
}

static int sh_dispatch(void *ctx, struct msg *req, struct msg *ans)
{
	sh_cmd_fn fn = (sh_cmd_fn)(uintptr_t)ctx;
	struct store *st;
	int ret;

	pthread_rwlock_rdlock(&g_lock);
	if (!g_started) {
		ret = dia_set_result(ans, DIA_UNABLE_TO_COMPLY);
		goto out;
	}
	st = thread_store();
	ret = st ? fn(st, req, ans) : dia_set_result(ans, DIA_UNABLE_TO_COMPLY);
out:
	pthread_rwlock_unlock(&g_lock);
	return ret;
}

int sh_start(const struct sh_config *cfg)
{
	static const struct {
		uint32_t cmd;
		sh_cmd_fn fn;
	} cmds[] = {
		{ SH_CMD_UDR, sh_udr },
		{ SH_CMD_PUR, sh_pur },
		{ SH_CMD_SNR, sh_snr },
	};
	int ret = 0;

	pthread_rwlock_wrlock(&g_lock);
	if (g_started) {
		ret = -EALREADY;
		goto out;
	}
	g_cfg = *cfg;
	if (!g_cfg.max_data)
		g_cfg.max_data = SH_DEFAULT_MAX_DATA;
	if (g_cfg.max_data > STORE_SH_DATA_MAX)
		g_cfg.max_data = STORE_SH_DATA_MAX;
	if (!g_cfg.pnr_timeout_ms)
		g_cfg.pnr_timeout_ms = 5000;
	if (!g_cfg.pnr_attempts)
		g_cfg.pnr_attempts = 3;
	g_generation++;
	for (size_t i = 0; !g_registered && ret == 0 && i < sizeof cmds / sizeof cmds[0]; i++)
		ret = dia_serve_direct(DIA_APP_SH, cmds[i].cmd, sh_dispatch,
				       (void *)(uintptr_t)cmds[i].fn);
	if (ret != 0) {
		log_err("sh: cannot register the Sh handlers: %s", strerror(-ret));
		goto out;
	}
	g_registered = true;
	ret = sh_notifier_start();
	if (ret != 0) {
		log_err("sh: cannot start the notifier: %s", strerror(-ret));
		goto out;
	}
	g_started = true;
	log_notice("sh: serving UDR, PUR and SNR (max User-Data %zu bytes)", g_cfg.max_data);
out:
	pthread_rwlock_unlock(&g_lock);
	return ret;
}

void sh_stop(void)
{
	bool was;

	pthread_rwlock_wrlock(&g_lock);
	was = g_started;
	g_started = false;
	pthread_rwlock_unlock(&g_lock);
	if (!was)
		return;
	sh_notifier_stop();
	pthread_mutex_lock(&g_stores_lock);
	for (size_t i = 0; i < g_n_stores; i++)
		store_close(g_stores[i]);
	free(g_stores);
	g_stores = NULL;
	g_n_stores = g_cap_stores = 0;
	pthread_mutex_unlock(&g_stores_lock);
	log_notice("sh: stopped");
}
