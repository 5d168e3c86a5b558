#!/bin/bash
# hss-mem.sh BUILD_DIR [SUBSCRIBERS (100000)] [ACTIVE (10000)] [WIDE (30000)]:
# memory of ims-hss against a large subscriber base. Imports SUBSCRIBERS with
# `ims-hssctl subscriber import` (timed), starts ims-hss, then prints its RSS
#   - after start,
#   - after MARs for ACTIVE distinct users (2 each),
#   - after MARs for WIDE distinct users (more than cx.auth_cache_size when
#     WIDE > 16384: the LRU bound keeps the cache, and RSS, flat).
# Use a Release build without sanitizers. Stops what it started, by PID.
set -u
if [ $# -lt 1 ]; then
	echo "usage: $0 BUILD_DIR [SUBSCRIBERS] [ACTIVE] [WIDE]" >&2
	exit 2
fi
BUILD=$(cd "$1" && pwd)
SRC=$(cd "$(dirname "$0")/../.." && pwd)
SUBS=${2:-100000}
ACTIVE=${3:-10000}
WIDE=${4:-30000}
. "$SRC/tests/integration/hss/hss_env.sh"
hss_env_init mem
hss_db_start
rss() { awk '/^VmRSS/ { print $2 " kB" }' "/proc/$HSS_PID/status"; }
mars() {
	"$BIN/ims-cxctl" --hss-port "$DIAPORT" --identity "mem-$$.open-ims.test" --timeout 600 \
		mar --scheme Digest-AKAv1-MD5 --repeat "$1" --concurrency 64 --users "$2" \
		--impi "u%d@open-ims.test" --impu "sip:u%d@open-ims.test" \
		--server sip:scscf.open-ims.test:6060 || bad "MAR run"
}

awk -v n="$SUBS" 'BEGIN { print "impi,impus,k,op,amf,sqn,password";
	for (i = 0; i < n; i++)
		printf "u%d@open-ims.test,sip:u%d@open-ims.test,696d732d616b612d746573742d6b3031,696d732d616b612d746573742d6f7031,8000,0,\n", i, i }' \
	>"$WORK/subs.csv"
echo "import: $(hssctl subscriber import "$WORK/subs.csv")" || die "import failed"
HSS_LOG_LEVEL=warn HSS_APP_THREADS=${HSS_APP_THREADS:-4} hss_write_config
hss_start
echo "hss RSS with $SUBS provisioned, after start: $(rss)"
mars $((ACTIVE * 2)) "$ACTIVE"
echo "hss RSS after MARs for $ACTIVE users: $(rss)"
mars $((WIDE * 2)) "$WIDE"
echo "hss RSS after MARs for $WIDE users: $(rss)"
mars $((WIDE * 2)) "$WIDE"
echo "hss RSS after MARs for $WIDE users again: $(rss)"
hss_stop
[ "$FAILS" -eq 0 ]
