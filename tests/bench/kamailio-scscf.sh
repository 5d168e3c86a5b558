#!/bin/bash
# kamailio-scscf.sh BUILD_DIR [USERS] [RATE] [SECONDS]: the reference bar
# measured on this machine. Kamailio 5.6 as the S-CSCF (ims_auth,
# ims_registrar_scscf, cdp; the configuration of the Cx interop test,
# tests/integration/hss_kamailio/kamailio_cfg.sh) in front of ims-hss on a
# private MariaDB with USERS AKA subscribers; bench_reg_uac registers every
# user once, straight at the S-CSCF, at RATE new registrations per second
# for at most SECONDS. The same load against ims-scscf:
#   BENCH_TARGET=scscf tests/bench/reg-load.sh BUILD_DIR USERS RATE SECONDS
# Prints the UAC's summary line, CPU per registration of Kamailio (all its
# processes), ims-hss and MariaDB, Kamailio's Pss growth per registered user,
# and whether every Kamailio process survived.
# Environment: KAM_CHILDREN (4 UDP workers), KAM_CDP_WORKERS (4),
# KAM_CDP_QUEUE (1024), KAM_SHM (512 MB of shared memory),
# BENCH_HSS_THREADS (4), KEEP_WORK=1. Skips (exit 77) without kamailio and
# its IMS modules. Stops only what it started: Kamailio by its process
# group, the rest by PID.
set -u
if [ $# -lt 1 ]; then
	echo "usage: $0 BUILD_DIR [USERS (10000)] [RATE (500)] [SECONDS (60)]" >&2
	exit 2
fi
BUILD=$(cd "$1" && pwd)
SRC=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$SRC/tests/bench
UAC=$BUILD/bench/bench_reg_uac
[ -x "$UAC" ] || { echo "$UAC not built (cmake --build $BUILD --target bench_reg_uac)" >&2; exit 2; }
KAM_MODULES=/usr/lib/x86_64-linux-gnu/kamailio/modules
if ! command -v kamailio >/dev/null || [ ! -e "$KAM_MODULES/ims_registrar_scscf.so" ]; then
	echo "SKIP: needs kamailio and kamailio-ims-modules"
	exit 77
fi
USERS=${2:-10000}
RATE=${3:-500}
SECS=${4:-60}
. "$HERE/chain_env.sh"
. "$SRC/tests/integration/hss_kamailio/kamailio_cfg.sh"
DAEMONS=hss   # chain_start, chain_sample and chain_report: only ims-hss

ulimit -n "$(ulimit -Hn)"
ulimit -c 0
chain_init kam
KAM_PGID=
kam_stop() {
	[ -n "$KAM_PGID" ] || return 0
	kill -TERM -- "-$KAM_PGID" 2>/dev/null
	for _ in $(seq 50); do kill -0 -- "-$KAM_PGID" 2>/dev/null || break; sleep 0.1; done
	kill -KILL -- "-$KAM_PGID" 2>/dev/null
	KAM_PGID=
}
trap 'rc=$?; kam_stop; (exit $rc); chain_cleanup' EXIT

chain_db $((USERS + 1))
mkdir -p "$WORK/kam/run"
KAM_CHILDREN=${KAM_CHILDREN:-4} KAM_CDP_WORKERS=${KAM_CDP_WORKERS:-4} \
	KAM_CDP_QUEUE=${KAM_CDP_QUEUE:-1024} KAM_DEBUG=1 \
	kamailio_cfg "$WORK/kam" "$S_SIP" "$S_DIA" "$HSS_DIA"
( cd "$WORK/kam" && exec setsid kamailio -f "$WORK/kam/kamailio.cfg" -DD -E \
	-m "${KAM_SHM:-512}" -M 16 -Y "$WORK/kam/run" -P "$WORK/kam/kamailio.pid" \
	-w "$WORK/kam" >"$WORK/kam.log" 2>&1 ) &
KAM_PGID=$!
for _ in $(seq 100); do
	[ -s "$WORK/kam/kamailio.pid" ] && break
	kill -0 "$KAM_PGID" 2>/dev/null || { cat "$WORK/kam.log"; chain_die "kamailio exited"; }
	sleep 0.2
done
chain_start
echo "Kamailio S-CSCF 127.0.0.1:$S_SIP (cdp :$S_DIA), ims-hss :$HSS_DIA, MariaDB :$DBPORT"

# Kamailio's processes: CPU ticks, Pss (kB) and count, summed over its group.
kam_sample() { # TAG
	local p cpu=0 pss=0 n=0 c s
	for p in $(pgrep -g "$KAM_PGID"); do
		c=$(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null) || continue
		s=$(awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null)
		cpu=$((cpu + ${c:-0})) pss=$((pss + ${s:-0})) n=$((n + 1))
	done
	eval "KCPU_$1=$cpu KPSS_$1=$pss KN_$1=$n"
}

# Warm-up: user USERS+1 until one registration passes (the Cx connection
# comes up asynchronously), bounded to 30 s.
deadline=$(( $(date +%s) + 30 ))
until "$UAC" 127.0.0.1:"$S_SIP" 1 1 8 $((USERS + 1)) >"$WORK/warm.out" 2>&1; do
	[ "$(date +%s)" -ge "$deadline" ] && { cat "$WORK/warm.out"; tail -n 20 "$WORK/kam.log"; chain_die "warm-up registration failed"; }
	sleep 0.5
done
echo "warm-up registration ok"

chain_sample before
kam_sample before
t0=$(date +%s.%N)
timeout $((SECS + 30)) "$UAC" 127.0.0.1:"$S_SIP" "$USERS" "$RATE" "$SECS" 1 >"$WORK/uac.out" 2>&1
uac_rc=$?
t1=$(date +%s.%N)
sleep 1
chain_sample after
kam_sample after
ok=$(sed -n 's/^AKA registrations: \([0-9]*\) ok.*/\1/p' "$WORK/uac.out")
wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
hz=$(getconf CLK_TCK)

echo
echo "=== kamailio-scscf: $USERS users, offered $RATE/s, UAC exit $uac_rc, $wall s wall ==="
cat "$WORK/uac.out"
awk -v o="${ok:-0}" -v n="$USERS" 'BEGIN { printf "success rate %.2f %%\n", n ? 100 * o / n : 0 }'
printf 'kamailio %d processes: CPU %.2f ms per registration (%.0f %%), Pss %d kB -> %d kB = %.0f B per registered user\n' \
	"$KN_after" \
	"$(awk -v a="$KCPU_before" -v b="$KCPU_after" -v n="${ok:-0}" -v hz="$hz" 'BEGIN { print (n > 0 ? (b - a) * 1000 / hz / n : 0) }')" \
	"$(awk -v a="$KCPU_before" -v b="$KCPU_after" -v s="$wall" -v hz="$hz" 'BEGIN { print (s > 0 ? (b - a) * 100 / hz / s : 0) }')" \
	"$KPSS_before" "$KPSS_after" \
	"$(awk -v a="$KPSS_before" -v b="$KPSS_after" -v n="${ok:-0}" 'BEGIN { print (n > 0 ? (b - a) * 1024 / n : 0) }')"
chain_report before after "${ok:-0}" "$wall" user
if [ "$KN_after" -lt "$KN_before" ] || grep -qE 'SIGSEGV|SIGABRT|core dumped|signal 11' "$WORK/kam.log"; then
	echo "KAMAILIO CRASHED: $KN_before processes before, $KN_after after"
	grep -E 'SIGSEGV|SIGABRT|signal|CRIT' "$WORK/kam.log" | head -n 5
else
	echo "kamailio: all $KN_after processes alive"
fi
grep -E 'ERROR' "$WORK/kam.log" | sed 's/^.*ERROR: //' | sort | uniq -c | sort -rn | head -n 5
exit 0
