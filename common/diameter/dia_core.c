/*
 * dia_core: life cycle of the process-wide freeDiameter node.
 *
 * Order (verified on freeDiameter 1.2.1, see shared notes section 2): log
 * handler, fd_core_initialize, fd_core_parseconf (memfd), loopback ListenOn
 * workaround, dictionaries, fd_disp_app_support, peer validation,
 * fd_core_start (its return checked: without SCTP it fails and
 * waitstartcomplete would block forever), fd_core_waitstartcomplete.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "dia_internal.h"
#include "ims/log.h"

static atomic_bool g_initialized; /* fd_core_initialize ran (once per process) */
static atomic_bool g_running;
static bool g_accept_unknown;
static bool g_tls;

/* Peers not in the configuration (RFC 6733 5.3): accepted only when
 * configured; freeDiameter rejects them if no callback says yes.
 * An accepted peer is kept like a configured one: no inactivity expiry.
 * freeDiameter 1.2.1 gives an unknown peer a one-hour expiry and, for that,
 * on every request or answer received from it re-queues the peer in its
 * expiry list and wakes the expiry thread (p_expiry.c), one more thread
 * switch per message; the connection still ends as usual on DPR,
 * watchdog failure or error, and the peer entry is then deleted. */
static int validate_peer(struct peer_info *info, int *auth, int (**cb2)(struct peer_info *))
{
	(void)cb2;
	if (!g_accept_unknown)
		return 0; /* no opinion: freeDiameter rejects */
	*auth = 1;
	info->config.pic_flags.exp = PI_EXP_NONE;
	if (!g_tls)
		info->config.pic_flags.sec = PI_SEC_NONE;
	log_notice("diameter: accepting unknown peer %s", info->pi_diamid);
	return 0;
}

static int parse_config_text(const char *text)
{
	char path[64];
	size_t len = strlen(text);
	int fd = memfd_create("ims-freediameter.conf", MFD_CLOEXEC);
	int ret = 0;

	if (fd < 0)
		return -errno;
	for (size_t off = 0; off < len;) {
		ssize_t n = write(fd, text + off, len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			goto out;
		}
		off += (size_t)n;
	}
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	ret = dia_neg(fd_core_parseconf(path));
	if (ret != 0)
		log_err("diameter: freeDiameter rejected the generated configuration");
out:
	close(fd);
	return ret;
}

/* ListenOn silently drops loopback addresses; add the endpoint ourselves
 * with EP_ACCEPTALL so the listener binds exactly cfg->listen. */
static int add_listen_endpoint(const char *addr, uint16_t port)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t sl;

	if (!addr || port == 0 || strcmp(addr, "0.0.0.0") == 0 || strcmp(addr, "::") == 0)
		return 0;
	if (inet_pton(AF_INET, addr, &((struct sockaddr_in *)&ss)->sin_addr) == 1) {
		ss.ss_family = AF_INET;
		sl = sizeof(struct sockaddr_in);
	} else if (inet_pton(AF_INET6, addr, &((struct sockaddr_in6 *)&ss)->sin6_addr) == 1) {
		ss.ss_family = AF_INET6;
		sl = sizeof(struct sockaddr_in6);
	} else {
		return -EINVAL;
	}
	return dia_neg(fd_ep_add_merge(&fd_g_config->cnf_endpoints, (sSA *)&ss, sl,
				       EP_FL_CONF | EP_ACCEPTALL));
}

static int advertise(unsigned apps)
{
	struct dict_object *vendor = NULL;
	uint32_t vid = DIA_VENDOR_3GPP;
	int ret = fd_dict_search(fd_g_config->cnf_dict, DICT_VENDOR, VENDOR_BY_ID, &vid,
				 &vendor, ENOENT);

	for (unsigned app = DIA_APP_CX; ret == 0 && app <= DIA_APP_SH; app <<= 1) {
		if (apps & app)
			ret = fd_disp_app_support(dia_app(app), vendor, 1, 0);
	}
	return dia_neg(ret);
}

int dia_start(const struct dia_config *cfg, unsigned apps)
{
	char why[160];
	char *text = NULL;
	int ret;

	if (!cfg || (apps & ~(DIA_APP_CX | DIA_APP_SH)))
		return -EINVAL;
	ret = dia_config_validate(cfg, why, sizeof why);
	if (ret != 0) {
		log_err("diameter: configuration: %s", why);
		return ret;
	}
	if (atomic_exchange(&g_initialized, true))
		return -EALREADY; /* fd_core_initialize works once per process */
	signal(SIGPIPE, SIG_IGN);
	dia_nodelay_link();
	g_accept_unknown = cfg->accept_unknown_peers;
	g_tls = cfg->tls;

	ret = dia_log_route();
	if (ret == 0)
		ret = dia_neg(fd_core_initialize());
	if (ret != 0) {
		log_err("diameter: fd_core_initialize: %s", strerror(-ret));
		goto out;
	}
	ret = dia_config_render(cfg, &text);
	if (ret == 0)
		ret = parse_config_text(text);
	if (ret == 0)
		ret = add_listen_endpoint(cfg->listen, cfg->port);
	if (ret == 0)
		ret = dia_hooks_register();
	if (ret == 0)
		ret = dia_dict_init(fd_g_config->cnf_dict);
	if (ret == 0)
		ret = advertise(apps);
	if (ret == 0 && cfg->accept_unknown_peers)
		ret = dia_neg(fd_peer_validate_register(validate_peer));
	if (ret != 0)
		goto fail;
	ret = dia_neg(fd_core_start());
	if (ret != 0) {
		log_err("diameter: fd_core_start: %s", strerror(-ret));
		goto fail;
	}
	ret = dia_neg(fd_core_waitstartcomplete());
	if (ret != 0)
		goto fail;
	atomic_store(&g_running, true);
	log_notice("diameter: %s (realm %s) started, port %u", cfg->identity, cfg->realm,
		   cfg->port);
	goto out;
fail:
	dia_log_set_stopping(true);
	fd_core_shutdown();
	fd_core_wait_shutdown_complete();
	dia_log_set_stopping(false);
out:
	free(text);
	return ret;
}

void dia_stop(void)
{
	if (!atomic_exchange(&g_running, false))
		return;
	dia_log_set_stopping(true);
	fd_core_shutdown();
	fd_core_wait_shutdown_complete();
	dia_serve_release_all();
	dia_log_set_stopping(false);
	log_notice("diameter: stopped");
}

bool dia_peer_is_open(const char *identity)
{
	struct peer_hdr *peer = NULL;

	if (!atomic_load(&g_running) || !identity)
		return false;
	if (fd_peer_getbyid((DiamId_t)identity, strlen(identity), 0, &peer) != 0 || !peer)
		return false;
	return fd_peer_get_state(peer) == STATE_OPEN;
}

int dia_peer_wait_open(const char *identity, int timeout_ms)
{
	struct timespec step = { 0, 20 * 1000 * 1000 };
	struct peer_hdr *peer = NULL;

	if (!atomic_load(&g_running) || !identity)
		return -ENOENT;
	if (fd_peer_getbyid((DiamId_t)identity, strlen(identity), 0, &peer) != 0 || !peer)
		return -ENOENT;
	/* Polling is bounded; freeDiameter offers no state-change callback. */
	for (int waited = 0; ; waited += 20) {
		if (fd_peer_get_state(peer) == STATE_OPEN)
			return 0;
		if (waited >= timeout_ms)
			return -ETIMEDOUT;
		nanosleep(&step, NULL);
	}
}
