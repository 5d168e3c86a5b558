#!/bin/bash
# hss-cx.sh BUILD_DIR [N] [USERS] [CONCURRENCY] [PROCS]: Cx throughput of
# ims-hss for all four procedures, in the order a registration and a call
# use them. Starts a private MariaDB and ims-hss (configure BUILD_DIR with
# -DCMAKE_BUILD_TYPE=Release or RelWithDebInfo, without IMS_SANITIZE),
# imports USERS AKA subscribers in one CSV, then ims-cxctl sends N requests
# of each with at most CONCURRENCY in flight:
#   MAR  Digest-AKAv1-MD5, one vector (Milenage + SQN from the reserved range)
#   SAR  REGISTRATION (User-Data built); every user registers N/USERS times,
#        the first changes the state, the others are re-registrations
#   UAR  REGISTRATION (answer 2002 subsequent registration + Server-Name)
#   LIR  (registered: Server-Name)
# and prints one line per procedure:
#   hss MAR: N requests in X s = Y/s, p50 A ms, p99 B ms, ok N, errors 0 ...
# Bounded: every step has a timeout; stops what it started, by PID.
# Environment: HSS_APP_THREADS (8), HSS_PROFILE_CACHE_TTL (0, e.g. 5s),
# HSS_DB_SOCKET=1 (ims-hss reaches MariaDB over its Unix socket, not TCP),
# HSS_LOG_LEVEL (warn; the shipped hss.yaml says notice), HSS_BENCH_CLIENT=raw
# (the load over ims-cxctl's own connection, see run()),
# PROCS="mar sar uar lir" to choose, HSS_BENCH_PIN=CPU (ims-hss on that CPU).
# After each procedure a second line gives the database work per request:
#   hss MAR db: per request Com_select 1.00 Com_update 0.01 ... ;
#     CPU us/req mariadbd 150 ims-hss 90
# (global status counters and /proc CPU ticks around the run; the ims-cxctl
# client's own user+system CPU is shown apart as "client"; then the context
# switches of all ims-hss threads per request).
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
PROCS=${PROCS:-mar sar uar lir}
. "$SRC/tests/integration/hss/hss_env.sh"
hss_env_init cxbench
for b in ims-hss ims-hssctl ims-cxctl ims-launch; do
	[ -x "$BIN/$b" ] || die "$BIN/$b not built"
done

hss_db_start
awk -v n="$USERS" 'BEGIN { for (i = 0; i < n; i++)
	printf "user%d@open-ims.test,sip:user%d@open-ims.test,696d732d616b612d746573742d6b3031,696d732d616b612d746573742d6f7031,8000,0,\n", i, i }' \
	>"$WORK/users.csv"
timeout 300 "$BIN/ims-hssctl" subscriber import "$WORK/users.csv" >/dev/null \
	|| die "provisioning $USERS users failed"

# cx.profile_cache_ttl: HSS_PROFILE_CACHE_TTL if set (ims-hss default: 0 = off).
HSS_LOG_LEVEL=${HSS_LOG_LEVEL:-warn} HSS_APP_THREADS=${HSS_APP_THREADS:-8} \
	hss_write_config "${HSS_PROFILE_CACHE_TTL:+  profile_cache_ttl: $HSS_PROFILE_CACHE_TTL}"
hss_start
# HSS_BENCH_PIN=CPU: ims-hss with all its threads on that CPU.
if [ -n "${HSS_BENCH_PIN:-}" ]; then
	taskset -a -c -p "$HSS_BENCH_PIN" "$HSS_PID" >/dev/null || { echo "taskset failed" >&2; exit 1; }
fi

# HSS_BENCH_CLIENT=raw: ims-cxctl --raw (its own connection, no freeDiameter
# peer threads in the client: far less client CPU on the shared cores).
run() {
	"$BIN/ims-cxctl" --hss-port "$DIAPORT" --identity "bench-$$.open-ims.test" --timeout 300 \
		"$@" --repeat "$N" --concurrency "$CONC" --users "$USERS" \
		${HSS_BENCH_CLIENT:+--$HSS_BENCH_CLIENT} \
		--impi "user%d@open-ims.test" --impu "sip:user%d@open-ims.test" \
		--server sip:scscf.open-ims.test:6060
}
sql() { mariadb --no-defaults --socket="$WORK/db/mysqld.sock" -uroot ims_hss "$@"; }
db_status() {
	sql -N -e "SHOW GLOBAL STATUS WHERE Variable_name IN
		('Com_select', 'Com_update', 'Com_update_multi', 'Com_insert', 'Com_delete', 'Com_stmt_execute')" \
		2>/dev/null | tr '\t' '=' | tr '\n' ' '
}
# utime + stime of a process in clock ticks.
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# Context switches (voluntary + involuntary) of all threads of a process.
switches() { cat /proc/"$1"/task/*/status 2>/dev/null |
	awk '/ctxt_switches/ { n += $2 } END { print n + 0 }'; }
DB_PID=$(cat "$WORK/db/mariadbd.pid" 2>/dev/null)
HZ=$(getconf CLK_TCK)
for p in $PROCS; do
	b_db=$(db_status) b_tm=$(ticks "$DB_PID") b_th=$(ticks "$HSS_PID") b_cs=$(switches "$HSS_PID")
	# bash's time keyword: the client's user + system seconds.
	TIMEFORMAT='%3U %3S'
	{ time case $p in
	mar) run mar --scheme Digest-AKAv1-MD5 || bad "MAR run" ;;
	sar) run sar --type 1 || bad "SAR run" ;;
	uar) run uar --type 0 || bad "UAR run" ;;
	lir) run lir || bad "LIR run" ;;
	*) bad "unknown procedure $p" ;;
	esac ; } 2>"$WORK/client.time"
	client=$(awk '{ print $1 + $2 }' "$WORK/client.time" 2>/dev/null | tail -n1)
	awk -v p="${p^^}" -v a="$b_db" -v b="$(db_status)" -v n="$N" -v hz="$HZ" \
		-v tm="$(( $(ticks "$DB_PID") - b_tm ))" -v th="$(( $(ticks "$HSS_PID") - b_th ))" \
		-v tc="${client:-0}" -v cs="$(( $(switches "$HSS_PID") - b_cs ))" 'BEGIN {
		na = split(a, x, " "); split(b, y, " ")
		printf "hss %s db: per request", p
		for (i = 1; i <= na; i++) {
			split(x[i], k, "="); split(y[i], v, "=")
			printf " %s %.2f", k[1], (v[2] - k[2]) / n
		}
		printf "; CPU us/req mariadbd %.0f ims-hss %.0f client %.0f; ims-hss switches/req %.1f\n",
			tm * 1e6 / hz / n, th * 1e6 / hz / n, tc * 1e6 / n, cs / n }'
done
[ -n "${HSS_BENCH_HOLD:-}" ] && { echo "ims-hss pid $HSS_PID, port $DIAPORT; holding"; sleep "$HSS_BENCH_HOLD"; }
hss_stop
[ "$FAILS" -eq 0 ]
