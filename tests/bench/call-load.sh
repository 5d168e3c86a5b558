#!/bin/bash
# call-load.sh BUILD_DIR [RATE (100)] [SECONDS (30)] [HOLD_MS (1000)]: calls
# per second through the whole chain. Starts the chain of reg-load.sh
# (chain_env.sh: MariaDB, ims-hss, ims-scscf, ims-icscf, ims-pcscf),
# registers user00001 and user00002 with bench_reg_uac (AKA) from the two
# local ports the SIPp UAC and UAS then use (the P-CSCF knows a UE by its
# flow), then SIPp user00001 calls user00002 at RATE calls/s for SECONDS:
# INVITE/100/180/200/ACK, HOLD_MS, BYE/200. Each call goes P-CSCF ->
# S-CSCF (originating, then terminating: it serves both users, so no
# I-CSCF/LIR hop) -> P-CSCF -> UAS; ACK and BYE follow the Record-Routes.
# Prints:
#   calls: N ok, F failed, X/s sustained, setup p50/p95/p99 (INVITE to 200)
# and CPU ms per call per daemon. Build BUILD_DIR with
# -DCMAKE_BUILD_TYPE=Release or RelWithDebInfo, no sanitizer. Environment
# as reg-load.sh (BENCH_LOG_LEVEL, BENCH_MAX_PENDING, KEEP_WORK...), and
# BENCH_MEM_EVERY=N: print each daemon's resident memory every N seconds
# of the run (a long run shows whether memory levels off), and
# BENCH_TARGET=scscf: the S-CSCF alone — both users register straight at
# it and the caller sends to it as a P-CSCF would (Route sip:orig@S-CSCF,
# P-Asserted-Identity), the callee is reached at its contact.
# Stops only what it started (by PID) and removes its work dir.
set -u
if [ $# -lt 1 ]; then
	echo "usage: $0 BUILD_DIR [RATE (100)] [SECONDS (30)] [HOLD_MS (1000)]" >&2
	exit 2
fi
BUILD=$(cd "$1" && pwd)
SRC=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$SRC/tests/bench
UAC=$BUILD/bench/bench_reg_uac
[ -x "$UAC" ] || { echo "$UAC not built (cmake --build $BUILD --target bench_reg_uac)" >&2; exit 2; }
RATE=${2:-100}
SECS=${3:-30}
HOLD=${4:-1000}
. "$HERE/chain_env.sh"

ulimit -n "$(ulimit -Hn)"
chain_init call
chain_db 2
chain_start
A_PORT=$UE_PORT B_PORT=$((UE_PORT + 1))
ss -Hlun "sport = :$B_PORT" 2>/dev/null | grep -q . && chain_die "port $B_PORT busy"
TARGET=$P_SIP UAC_XML=$HERE/call-uac.xml
if [ "${BENCH_TARGET:-pcscf}" = scscf ]; then
	TARGET=$S_SIP UAC_XML=$WORK/call-uac-scscf.xml
	sed -e 's|Route: <sip:\[remote_ip\]:\[remote_port\];lr>|Route: <sip:orig@[remote_ip]:[remote_port];lr>|' \
		-e 's|P-Preferred-Identity:|P-Asserted-Identity:|' "$HERE/call-uac.xml" >"$UAC_XML"
fi
echo "chain up: P-CSCF 127.0.0.1:$P_SIP, calls sent to 127.0.0.1:$TARGET (${BENCH_TARGET:-pcscf}); caller port $A_PORT, callee port $B_PORT"

# Both users from their ports; retried until the Diameter peers are up.
deadline=$(( $(date +%s) + 20 ))
until BENCH_UE_PORT=$A_PORT "$UAC" 127.0.0.1:"$TARGET" 2 2 8 1 >"$WORK/reg.out" 2>&1; do
	[ "$(date +%s)" -ge "$deadline" ] && { cat "$WORK/reg.out"; chain_die "registration failed"; }
	sleep 0.5
done
echo "user00001 and user00002 registered"

cd "$WORK" || exit 1
sipp -sf "$HERE/call-uas.xml" -i 127.0.0.1 -p "$B_PORT" -nostdin -bg \
	-trace_screen -screen_file "$WORK/uas.screen" >"$WORK/uas.out" 2>&1
SIPP_PID=$(sed -n 's/.*PID=\[\([0-9]*\)\].*/\1/p' "$WORK/uas.out")
[ -n "$SIPP_PID" ] || { cat "$WORK/uas.out"; chain_die "SIPp UAS did not start"; }

chain_sample before
[ -n "${BENCH_MEM_EVERY:-}" ] && chain_mem_trace "$BENCH_MEM_EVERY"
total=$((RATE * SECS))
t0=$(date +%s.%N)
timeout $((SECS + HOLD / 1000 + 60)) sipp 127.0.0.1:"$TARGET" -sf "$UAC_XML" \
	-i 127.0.0.1 -p "$A_PORT" -r "$RATE" -m "$total" -d "$HOLD" -l $((RATE * (HOLD / 1000 + 10))) \
	-nostdin -trace_screen -screen_file "$WORK/uac.screen" -trace_rtt -rtt_freq 1 \
	-timeout $((SECS + HOLD / 1000 + 45))s \
	-timeout_error -recv_timeout 32000 -max_retrans 6 >"$WORK/uac.out" 2>&1
uac_rc=$?
t1=$(date +%s.%N)
cat "$WORK"/call-uac*_rtt.csv >"$WORK/uac.rtt" 2>/dev/null
chain_sample after

screen_val() { # FILE LABEL: the cumulative column of a SIPp counter
	sed -n "s/^ *$2 *|[^|]*| *\([0-9]*\).*/\1/p" "$1" | tail -n 1
}
ok=$(screen_val "$WORK/uac.screen" "Successful call")
failed=$(screen_val "$WORK/uac.screen" "Failed call")
wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
# rtt file: date_ms;response time (ms);rtd number, one line per call.
awk -F';' 'NR > 1 && $2 ~ /^[0-9.]+$/ { print $2 }' "$WORK/uac.rtt" 2>/dev/null | sort -n >"$WORK/setup.ms"
n=$(wc -l <"$WORK/setup.ms")
pct() { [ "$n" -gt 0 ] && sed -n "$(( (n * $1 + 99) / 100 ))p" "$WORK/setup.ms" || echo 0; }
# Sustained: answered calls between the first and the last 200.
span=$(awk -F';' 'NR > 1 && $1 ~ /^[0-9.]+$/ { if (!a || $1 < a) a = $1; if ($1 > b) b = $1 }
	END { printf "%.2f", (b - a) / 1000 }' "$WORK/uac.rtt" 2>/dev/null)

echo
echo "=== call-load: offered $RATE calls/s for $SECS s ($total calls, hold $HOLD ms), SIPp exit $uac_rc, $wall s wall ==="
awk -v ok="${ok:-0}" -v f="${failed:-0}" -v n="$n" -v s="${span:-0}" \
	-v p50="$(pct 50)" -v p95="$(pct 95)" -v p99="$(pct 99)" 'BEGIN {
	printf "calls: %d ok, %d failed, %.0f/s sustained (answered %d over %.1f s), setup p50 %s ms / p95 %s ms / p99 %s ms\n",
		ok, f, (s > 0 ? n / s : 0), n, s, p50, p95, p99 }'
chain_report before after "${ok:-0}" "$wall" call
[ -n "${BENCH_MEM_EVERY:-}" ] && chain_mem_trace_stop "$BENCH_MEM_EVERY"
echo "log lines written during the run: $(cat "$WORK"/*.log | wc -l) (all daemons)"
if [ "${failed:-0}" -gt 0 ]; then
	grep -h -E 'ERR|WARN' "$WORK"/*.log 2>/dev/null | cut -c26- | sort | uniq -c | sort -rn | head -n 10
	grep -E "Unexpected|Timeout|Dead" "$WORK/uac.screen" | head -n 5
fi
exit 0
