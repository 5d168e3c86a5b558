/*
 * sh: the HSS side of the Sh interface (TS 29.328 procedures, TS 29.329
 * protocol, application 16777217): application servers read (UDR) and
 * update (PUR) subscriber data, subscribe to changes (SNR) and are told of
 * them (PNR). Which AS may do what per Data-Reference is provisioned in the
 * database (ims-hssctl as add); an AS is known by its Origin-Host.
 *
 * Life cycle (ims-hss, on the main thread):
 *   dia_start(cfg, DIA_APP_CX | DIA_APP_SH);
 *   sh_start(&sh_cfg);          registers UDR/PUR/SNR handlers, starts the
 *                               notifier thread (PNRs, retries; polls the
 *                               change log every second for iFC and DSAI
 *                               changes made with ims-hssctl, table
 *                               sh_change of 0004_sh_dsai.sql);
 *   ...
 *   sh_stop();                  BEFORE dia_stop() (the notifier sends
 *                               PNRs while it runs): requests still
 *                               arriving are answered 5012, the notifier
 *                               stops, every Sh store is closed. Late PNA
 *                               callbacks only free their job.
 * The process has one Sh server (freeDiameter is a process singleton):
 * sh_start returns -EALREADY while started; sh_stop is idempotent.
 * Handlers run on freeDiameter dispatch threads with their own lazily
 * opened store (one database connection per dispatch thread, besides the
 * Cx one, plus one for the notifier; all closed by sh_stop).
 *
 * sh_notify_user_state(impu): call after the registration state or the
 * S-CSCF name of impu's implicit set changed (Cx SAR, when its write,
 * store_reg_set_unwatched, found a subscription in the set); it only queues the
 * IMPU (never blocks, any thread) and the notifier sends PNRs to the ASs
 * subscribed to IMSUserState / S-CSCFName (TS 29.328 6.1.4). No-op when
 * Sh is not started.
 */
#ifndef HSS_SH_H
#define HSS_SH_H

#include <stddef.h>

#include "store/store.h"

struct sh_config {
	struct store_config db;     /* strings borrowed; must outlive sh_stop */
	size_t max_data;            /* PUR: largest Sh-Data accepted, bytes
				     * (0 = 16 KiB, at most STORE_SH_DATA_MAX);
				     * above: 5008 TOO_MUCH_DATA */
	unsigned int pnr_timeout_ms;/* wait for a PNA, 0 = 5000 */
	unsigned int pnr_attempts;  /* PNR tries before the AS's subscriptions
				     * are dropped, 0 = 3 */
	unsigned int max_expiry_s;  /* cap of a subscription's lifetime, 0 = none */
};

int sh_start(const struct sh_config *cfg);
void sh_stop(void);
void sh_notify_user_state(const char *impu);

#endif
