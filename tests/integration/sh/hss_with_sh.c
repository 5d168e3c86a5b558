/*
 * ims-hss-sh: ims-hss with the Sh server started after it, for the Sh
 * integration test until hss_daemon.c calls sh_start() itself (then
 * sh_start() here answers -EALREADY and this is plain ims-hss).
 * Stop order: sh_stop() (handlers answer 5012 from then on), then the HSS
 * (dia_stop and the Cx side).
 */
#include <errno.h>

#include "hss_config.h"
#include "hss_daemon.h"
#include "sh/sh.h"

static int start(struct ims_daemon *d, void *cfgp)
{
	const struct hss_config *cfg = cfgp;
	struct sh_config sc = { 0 };
	int ret = hss_daemon_spec.start(d, cfgp);

	if (ret != 0)
		return ret;
	hss_config_store(&cfg->database, &sc.db);
	sc.pnr_timeout_ms = 2000;
	ret = sh_start(&sc);
	return ret == -EALREADY ? 0 : ret;
}

static void stop(struct ims_daemon *d)
{
	sh_stop();
	hss_daemon_spec.stop(d);
}

int main(int argc, char **argv)
{
	struct ims_daemon_spec spec = hss_daemon_spec;

	spec.name = "ims-hss-sh";
	spec.start = start;
	spec.stop = stop;
	return ims_daemon_main(&spec, argc, argv);
}
