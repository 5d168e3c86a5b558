#!/bin/bash
# hss-mar.sh BUILD_DIR [N] [USERS] [CONCURRENCY]: Cx throughput of ims-hss.
# Starts a private MariaDB and ims-hss (from BUILD_DIR; configure it with
# -DCMAKE_BUILD_TYPE=Release and without IMS_SANITIZE for meaningful
# figures), provisions USERS AKA subscribers, then ims-cxctl sends N MARs
# (Digest-AKAv1-MD5, one vector each: Milenage + an SQN compare-and-set)
# and N SARs (REGISTRATION, User-Data built) with at most CONCURRENCY in
# flight, and prints one line per procedure:
#   hss MAR: N requests in X s = Y/s, p50 A ms, p99 B ms, ok N, errors 0 ...
# Bounded: every step has a timeout; stops what it started, by PID.
set -u
if [ $# -lt 1 ]; then
	echo "usage: $0 BUILD_DIR [N (20000)] [USERS (1000)] [CONCURRENCY (64)]" >&2
	exit 2
fi
BUILD=$(cd "$1" && pwd)
SRC=$(cd "$(dirname "$0")/../.." && pwd)
N=${2:-20000}
USERS=${3:-1000}
CONC=${4:-64}
. "$SRC/tests/integration/hss/hss_env.sh"
hss_env_init bench
for b in ims-hss ims-hssctl ims-cxctl ims-launch; do
	[ -x "$BIN/$b" ] || die "$BIN/$b not built"
done

hss_db_start
# ims-hssctl per user, 8 at a time: fine up to a few thousand users.
echo "provisioning $USERS users..."
seq 0 $((USERS - 1)) | timeout 600 xargs -P 8 -I{} "$BIN/ims-hssctl" subscriber add \
	--impi "user{}@open-ims.test" --impu "sip:user{}@open-ims.test" \
	--k 696d732d616b612d746573742d6b3031 --op 696d732d616b612d746573742d6f7031 \
	--auth aka >/dev/null || die "provisioning failed"

HSS_LOG_LEVEL=warn HSS_APP_THREADS=${HSS_APP_THREADS:-8} hss_write_config
hss_start

run() {
	"$BIN/ims-cxctl" --hss-port "$DIAPORT" --identity "bench-$$.open-ims.test" --timeout 300 \
		"$@" --repeat "$N" --concurrency "$CONC" --users "$USERS" \
		--impi "user%d@open-ims.test" --impu "sip:user%d@open-ims.test" \
		--server sip:scscf.open-ims.test:6060
}
run mar --scheme Digest-AKAv1-MD5 || bad "MAR run"
run sar --type 1 || bad "SAR run"
hss_stop
[ "$FAILS" -eq 0 ]
