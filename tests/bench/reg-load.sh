#!/bin/bash
# reg-load.sh BUILD_DIR [USERS] [RATE] [SECONDS]: AKA registration load on
# the whole chain. Starts a private MariaDB with USERS (10000) subscribers,
# ims-hss, ims-scscf, ims-icscf and ims-pcscf on private ports (chain_env.sh),
# then bench_reg_uac (built beside: SIPp cannot take per-user AKA keys from an
# injection file, SIPp issue 640) registers every user once with
# Digest-AKAv1-MD5 through the P-CSCF at RATE (500) new registrations per
# second, one UDP socket per UE (the P-CSCF keeps one entry per flow), for at
# most SECONDS (60). Prints:
#   AKA registrations: N ok, F failed (0 sipp-quirk), X/s sustained, p50/p95 response time
# and each daemon's RSS/Pss before and after, Pss growth per registered user
# and CPU share. Build BUILD_DIR with -DCMAKE_BUILD_TYPE=Release, no
# sanitizer. Environment: BENCH_LOG_LEVEL (notice), BENCH_HSS_THREADS (4),
# BENCH_SCSCF_THREADS (4: the S-CSCF's diameter.app_threads), BENCH_PIN
# ("scscf:0 hss:1 mariadb:1": processes pinned to CPUs, chain_env.sh),
# BENCH_DB_SOCKET=1 (the HSS and the S-CSCF store reach MariaDB over its
# Unix socket instead of TCP),
# BENCH_SETTLE (35: seconds before the second memory sample),
# BENCH_PCSCF_MAX (100000: P-CSCF max_registrations), BENCH_MAX_PENDING (256:
# diameter.max_pending of the S-CSCF and I-CSCF; 1000000 = no overload bound),
# BENCH_PCSCF_PENDING (200: P-CSCF max_pending_registers),
# BENCH_TARGET (pcscf: where the UEs send; scscf = straight to the S-CSCF),
# BENCH_SCSCF_STORE (none: where the S-CSCF keeps bindings, none|file|mariadb;
# with mariadb the rows written and a kill -9 + restart of the S-CSCF with
# its reload time are reported too),
# KEEP_WORK=1 keeps logs, BENCH_HOLD=1 waits for Enter before stopping (to
# attach perf/gdb). Stops only what it started (by PID) and removes its
# work dir.
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
USERS=${2:-10000}
RATE=${3:-500}
SECS=${4:-60}
. "$HERE/chain_env.sh"

ulimit -n "$(ulimit -Hn)"
chain_init reg
chain_db $((USERS + 1))
chain_start
echo "chain up: P-CSCF 127.0.0.1:$P_SIP, I-CSCF :$I_SIP, S-CSCF :$S_SIP, HSS Diameter :$HSS_DIA, MariaDB :$DBPORT"
# BENCH_TARGET=scscf: the UEs register straight at the S-CSCF (MAR, SAR,
# bindings), P- and I-CSCF idle; default pcscf (the whole chain).
TARGET=$P_SIP
[ "${BENCH_TARGET:-pcscf}" = scscf ] && TARGET=$S_SIP
echo "UEs send to 127.0.0.1:$TARGET (${BENCH_TARGET:-pcscf})"

# Warm-up: user USERS+1 until one registration passes (Diameter
# connections come up asynchronously), bounded to 20 s.
deadline=$(( $(date +%s) + 20 ))
until "$UAC" 127.0.0.1:"$TARGET" 1 1 8 $((USERS + 1)) >"$WORK/warm.out" 2>&1; do
	[ "$(date +%s)" -ge "$deadline" ] && { cat "$WORK/warm.out"; chain_die "warm-up registration failed"; }
	sleep 0.5
done
echo "warm-up registration ok"

# MariaDB statements per registration (the HSS's share of the work).
db_status() {
	chain_sql -N -e "SHOW GLOBAL STATUS WHERE Variable_name IN
		('Com_select', 'Com_update', 'Com_update_multi', 'Com_insert', 'Com_delete', 'Com_commit',
		 'Com_stmt_execute', 'Questions')" 2>/dev/null | tr '\t' '=' | tr '\n' ' '
}
db_before=$(db_status)
chain_sample before
t0=$(date +%s.%N)
timeout $((SECS + 30)) "$UAC" 127.0.0.1:"$TARGET" "$USERS" "$RATE" "$SECS" 1 >"$WORK/uac.out" 2>&1
uac_rc=$?
t1=$(date +%s.%N)
sleep 1   # let the last SARs and bindings settle before sampling memory
chain_sample after
db_after=$(db_status)
# Memory again once nta has freed the transactions (timer K/J, 32 s).
settle=${BENCH_SETTLE:-35}
[ "$settle" -gt 0 ] && sleep "$settle"
chain_sample settled trim
ok=$(sed -n 's/^AKA registrations: \([0-9]*\) ok.*/\1/p' "$WORK/uac.out")
wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
registered=$(chain_sql -N -e "SELECT COUNT(*) FROM impu WHERE reg_state = 1" 2>/dev/null)

echo
echo "=== reg-load: $USERS users, offered $RATE/s, UAC exit $uac_rc, $wall s wall ==="
cat "$WORK/uac.out"
awk -v o="${ok:-0}" -v n="$USERS" 'BEGIN { printf "success rate %.2f %%\n", n ? 100 * o / n : 0 }'
echo "HSS: $registered IMPUs in state REGISTERED (incl. the warm-up user)"
awk -v a="$db_before" -v b="$db_after" -v n="${ok:-0}" 'BEGIN {
	na = split(a, x, " "); split(b, y, " ")
	printf "MariaDB per registration:"
	for (i = 1; i <= na; i++) {
		split(x[i], k, "="); split(y[i], v, "=")
		printf " %s %.2f", k[1], (n > 0 ? (v[2] - k[2]) / n : 0)
	}
	printf "\n" }'
echo "right after the run (transactions still held):"
chain_report before after "${ok:-0}" "$wall" user
if [ "$settle" -gt 0 ]; then
	echo "after $settle s more (transactions freed, free heap trimmed; CPU since start):"
	chain_report before settled "${ok:-0}" "$((settle + ${wall%.*} + 1))" user
fi
if [ "${BENCH_SCSCF_STORE:-none}" = mariadb ]; then
	echo "S-CSCF rows: $(chain_sql -N -e 'SELECT COUNT(*), COALESCE(SUM(LENGTH(data)), 0) FROM scscf_reg_set' | awk '{ printf "%d sets, %d bytes of data", $1, $2 }')"
	kill -KILL "$PID_scscf"
	for _ in $(seq 50); do kill -0 "$PID_scscf" 2>/dev/null || break; sleep 0.1; done
	r0=$(date +%s.%N)
	PID_scscf=$("$BIN/ims-launch" --timeout 60 --log "$WORK/scscf.log" -- \
		"$BIN/ims-scscf" -c "$WORK/scscf.yaml") || chain_die "ims-scscf did not restart"
	r1=$(date +%s.%N)
	awk -v a="$r0" -v b="$r1" 'BEGIN { printf "S-CSCF kill -9 -> ready again: %.2f s, ", b - a }'
	grep -o 'registrar db .*restored' "$WORK/scscf.log" | tail -n1
fi
echo "log lines written during the run: $(cat "$WORK"/*.log | wc -l) (all daemons)"
if [ "${ok:-0}" -lt "$USERS" ]; then
	grep -h -E 'ERR|WARN' "$WORK"/*.log 2>/dev/null | cut -c26- | sort | uniq -c | sort -rn | head -n 10
fi
[ -n "${BENCH_HOLD:-}" ] && { echo "holding (PIDs hss $PID_hss scscf $PID_scscf icscf $PID_icscf pcscf $PID_pcscf); Enter to stop"; read -r _; }
exit 0
