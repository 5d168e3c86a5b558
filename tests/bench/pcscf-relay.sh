#!/bin/bash
# pcscf-relay.sh BUILD_DIR [USERS (10000)] [RATE (6000)] [SECONDS (10)]:
# the P-CSCF alone between SIPp UEs and a SIPp core on loopback.
#  1. memory per registered UE: 2 x USERS UEs register, one UDP socket
#     each (SIPp -t un: the P-CSCF keeps one entry per flow), against a
#     core that accepts at once with P-Associated-URI and Service-Route;
#     prints the P-CSCF's Pss growth of the second round divided by USERS.
#  2. relay rate: UE 1 sends MESSAGEs (out of dialog, asserted identity,
#     Service-Route preloaded, Record-Route, charging vector) at RATE/s
#     for SECONDS; the core answers 200; prints requests relayed per
#     second (SIPp successful calls / elapsed) and failures.
# Build BUILD_DIR in Release without sanitizer. Stops what it started, by
# PID; KEEP_WORK=1 keeps the work dir.
set -u
[ $# -ge 1 ] || { echo "usage: $0 BUILD_DIR [USERS] [RATE] [SECONDS]" >&2; exit 2; }
BUILD=$(cd "$1" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)/pcscf
USERS=${2:-10000} RATE=${3:-6000} SECS=${4:-10}
base=$((40000 + ($$ % 500) * 4))
P_PORT=$base CORE_PORT=$((base + 1)) UE_PORT=$((base + 2))
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bench-pcscf.XXXXXX")
PCSCF_PID="" CORE_PID=""
cleanup() {
	[ -n "$CORE_PID" ] && kill "$CORE_PID" 2>/dev/null
	[ -n "$PCSCF_PID" ] && kill "$PCSCF_PID" 2>/dev/null
	[ -n "${KEEP_WORK:-}" ] && echo "work dir kept: $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT
ulimit -n "$(ulimit -Hn)"
cat >"$WORK/pcscf.yaml" <<YAML
log:
  level: ${BENCH_LOG_LEVEL:-notice}
sip:
  address: 127.0.0.1
  port: $P_PORT
icscf: sip:127.0.0.1:$CORE_PORT
max_registrations: $((2 * USERS + 10))
YAML
PCSCF_PID=$("$BUILD/bin/ims-launch" --timeout 20 --log "$WORK/pcscf.log" -- \
	"$BUILD/bin/ims-pcscf" -c "$WORK/pcscf.yaml") || { cat "$WORK/pcscf.log"; exit 1; }
mem() { awk -v k="$2" '$1 == k":" { print $2 }' "/proc/$PCSCF_PID/$1"; }

# 1. Two rounds of USERS registrations, one socket per UE. nta keeps each
# finished transaction for timer J (32 s over UDP), so the first round's
# RSS growth is mostly transactions (the heap keeps its high-water mark);
# the second round reuses that freed memory, so its growth, sampled once
# its transactions are gone too (BENCH_SETTLE s, default 34), is what the
# registrations themselves cost. ue1 then registers from the fixed UE port
# used by the relay phase.
(cd "$WORK" && exec sipp -sf "$HERE/core-register.xml" -p "$CORE_PORT" -i 127.0.0.1 \
	-m $((2 * USERS + 1)) -nostdin -bg >/dev/null 2>&1)
sleep 0.5
CORE_PID=$(pgrep -n -f "sipp -sf $HERE/core-register.xml -p $CORE_PORT")
register_round() {
	local t0 t1
	t0=$(date +%s.%N)
	(cd "$WORK" && timeout 300 sipp "127.0.0.1:$P_PORT" -sf "$HERE/ue-register.xml" -t un \
		-m "$USERS" -r 2000 -l 2000 -max_socket 4000 -i 127.0.0.1 -nostdin -timeout 280s \
		>"$WORK/reg-$1.out" 2>&1)
	t1=$(date +%s.%N)
	echo "registration round $1: $USERS UEs in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s"
	sleep "${BENCH_SETTLE:-34}"
}
rss0=$(mem status VmRSS) pss0=$(mem smaps_rollup Pss)
register_round 1
rss1=$(mem status VmRSS) pss1=$(mem smaps_rollup Pss)
register_round 2
rss2=$(mem status VmRSS) pss2=$(mem smaps_rollup Pss)
per() { awk -v a="$1" -v b="$2" -v n="$USERS" 'BEGIN { printf "%.0f", (b - a) * 1024 / n }'; }
echo "P-CSCF Pss $pss0 -> $pss1 -> $pss2 kB (RSS $rss0 -> $rss1 -> $rss2 kB)"
echo "round 1 (with nta's transaction high-water mark): $(per "$pss0" "$pss1") bytes per UE"
echo "round 2 (registrations only): $(per "$pss1" "$pss2") bytes per registered UE (Pss), $(per "$rss1" "$rss2") (RSS)"
(cd "$WORK" && timeout 30 sipp "127.0.0.1:$P_PORT" -sf "$HERE/ue-register.xml" -m 1 \
	-p "$UE_PORT" -i 127.0.0.1 -nostdin -timeout 20s >/dev/null 2>&1)
kill "$CORE_PID" 2>/dev/null
CORE_PID=""
sleep 0.5

# 2. MESSAGE relay at RATE/s from the registered UE 1.
(cd "$WORK" && exec sipp -sf "$HERE/core-message.xml" -p "$CORE_PORT" -i 127.0.0.1 \
	-buff_size 8388608 -nostdin -bg >/dev/null 2>&1)
sleep 0.5
CORE_PID=$(pgrep -n -f "sipp -sf $HERE/core-message.xml -p $CORE_PORT")
n=$((RATE * SECS))
PERF_PID=""
if [ -n "${BENCH_PERF:-}" ]; then   # BENCH_PERF=FILE: perf record of phase 2
	perf record ${BENCH_PERF_OPTS:--g} -o "$BENCH_PERF" -p "$PCSCF_PID" >/dev/null 2>&1 &
	PERF_PID=$!
fi
cpu0=$(awk '{ print $14 + $15 }' "/proc/$PCSCF_PID/stat")
t0=$(date +%s.%N)
(cd "$WORK" && timeout $((SECS * 4 + 40)) sipp "127.0.0.1:$P_PORT" -sf "$HERE/ue-message.xml" \
	-m "$n" -r "$RATE" -l $((RATE * 2)) -p "$UE_PORT" -i 127.0.0.1 -buff_size 8388608 -nostdin -timeout $((SECS * 4 + 30))s \
	-trace_stat -stf "$WORK/msg.csv" -fd 1 >"$WORK/msg.out" 2>&1)
t1=$(date +%s.%N)
cpu1=$(awk '{ print $14 + $15 }' "/proc/$PCSCF_PID/stat")
[ -n "$PERF_PID" ] && { kill -INT "$PERF_PID"; wait "$PERF_PID"; }
ok=$(tail -1 "$WORK/msg.csv" | awk -F';' '{ print $16 }')
bad=$(tail -1 "$WORK/msg.csv" | awk -F';' '{ print $18 }')
awk -v n="$ok" -v f="$bad" -v a="$t0" -v b="$t1" -v c0="$cpu0" -v c1="$cpu1" -v hz="$(getconf CLK_TCK)" \
	'BEGIN { printf "relay: %d MESSAGEs relayed (%d failed) in %.1f s: %.0f requests/s; P-CSCF CPU %.0f%% of one core, %.0f us per relayed request (capacity on one core: %.0f requests/s)\n",
		n, f, b - a, n / (b - a), (c1 - c0) * 100 / hz / (b - a), (c1 - c0) * 1e6 / hz / (n + f), (n + f) * hz / (c1 - c0 + 0.001) }'
