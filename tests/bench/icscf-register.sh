#!/bin/bash
# icscf-register.sh BUILD_DIR [RATES] [SECONDS]: REGISTER throughput of the
# I-CSCF with its HSS (UAR per REGISTER, TS 29.228 6.1.1). Starts a private
# MariaDB with USERS (BENCH_USERS, 20000) SIP Digest subscribers, ims-hss and
# ims-icscf on private ports, a SIPp UAS playing the S-CSCF (200 to every
# REGISTER), then for each offered rate in RATES ("500 1000 2000 4000 6000")
# a SIPp UAC sends REGISTERs (Authorization username: the UAR's User-Name)
# for SECONDS (10) each, bounded. Prints per step:
#   offered/s  ok  failed  achieved/s  CPU% and CPU us/REGISTER of
#   ims-icscf, ims-hss, mariadbd, and of the two SIPp
# Build BUILD_DIR with -DCMAKE_BUILD_TYPE=Release, no sanitizer.
# Environment: BENCH_LOG_LEVEL (notice) for both daemons, BENCH_HSS_THREADS
# (4), BENCH_PERF=1 records ims-icscf with perf (cpu-clock, call graphs)
# during the last step and prints the top symbols, BENCH_STRACE=1 counts its
# system calls (strace -c) during half of the last step, BENCH_SYSCOUNT=1
# counts them per REGISTER with perf tracepoints instead (little overhead:
# the step runs at full speed) with the context switches and page faults,
# BENCH_PERF_CG=dwarf makes BENCH_PERF record DWARF call graphs (user stacks
# of libraries built without frame pointers), BENCH_ICSCF_APP_THREADS sets
# the I-CSCF's diameter.app_threads, BENCH_PIN="icscf:0 hss:1" pins those
# daemons to CPUs, BENCH_ICSCF_PRELOAD=LIB runs it with LD_PRELOAD=LIB,
# KEEP_WORK=1 keeps the work dir. Stops only what it
# started (by PID) and removes its work dir.
set -u
if [ $# -lt 1 ]; then
	echo "usage: $0 BUILD_DIR [RATES (\"500 1000 2000 4000 6000\")] [SECONDS (10)]" >&2
	exit 2
fi
BUILD=$(cd "$1" && pwd)
SRC=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$SRC/tests/bench
BIN=$BUILD/bin
RATES=${2:-500 1000 2000 4000 6000}
SECS=${3:-10}
USERS=${BENCH_USERS:-20000}
LVL=${BENCH_LOG_LEVEL:-notice}
for b in ims-hss ims-icscf ims-hssctl ims-launch; do
	[ -x "$BIN/$b" ] || { echo "$BIN/$b not built" >&2; exit 2; }
done
command -v sipp >/dev/null || { echo "sipp not installed" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/bench-icscf.XXXXXX")
# A base port (30000 + 8k, apart from the integration tests) whose 8 ports
# have no listener.
for try in $(seq 0 40); do
	B=$(( 30000 + (($$ + try * 7919) % 300) * 8 ))
	busy=0
	for i in $(seq 0 7); do
		ss -Hltun "sport = :$((B + i))" 2>/dev/null | grep -q . && { busy=1; break; }
	done
	[ "$busy" -eq 0 ] && break
done
DBPORT=$B HSS_DIA=$((B + 1)) I_SIP=$((B + 2)) S_SIP=$((B + 3)) UE=$((B + 4))
HSS_PID= I_PID= UAS_PID= UAC_PID= PERF_PID= COUNT_PID=
# What BENCH_SYSCOUNT counts (system calls of ims-icscf's loop and of
# freeDiameter's threads).
COUNT_EVENTS=raw_syscalls:sys_enter,sched:sched_switch,page-faults
for sc in futex epoll_wait epoll_pwait recvmsg recvfrom sendmsg sendto writev ioctl getsockopt madvise brk mmap munmap; do
	COUNT_EVENTS=$COUNT_EVENTS,syscalls:sys_enter_$sc
done

stop_pid() {
	[ -n "$1" ] || return 0
	kill -TERM "$1" 2>/dev/null
	for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
	kill -KILL "$1" 2>/dev/null
}
cleanup() {
	local rc=$?
	[ -n "$PERF_PID" ] && kill -INT "$PERF_PID" 2>/dev/null
	[ -n "$COUNT_PID" ] && kill -INT "$COUNT_PID" 2>/dev/null
	[ -n "$UAC_PID" ] && kill -KILL "$UAC_PID" 2>/dev/null
	[ -n "$UAS_PID" ] && kill -KILL "$UAS_PID" 2>/dev/null
	stop_pid "$I_PID"; stop_pid "$HSS_PID"
	"$SRC/tests/lib/mariadb.sh" stop "$WORK/db" >/dev/null 2>&1
	[ "$rc" -ne 0 ] && { tail -n 20 "$WORK/icscf.log" "$WORK/hss.log" 2>/dev/null; }
	if [ -n "${KEEP_WORK:-}" ]; then echo "work dir kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM
die() { echo "FATAL: $*" >&2; exit 1; }
sql() { mariadb --no-defaults --socket="$WORK/db/mysqld.sock" -uroot ims_hss "$@"; }
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }

ulimit -n "$(ulimit -Hn)"
export IMS_DB_HOST=127.0.0.1 IMS_DB_PORT=$DBPORT IMS_DB_USER=ims_hss \
	IMS_DB_PASSWORD=ims_hss IMS_DB_NAME=ims_hss
"$SRC/tests/lib/mariadb.sh" start "$WORK/db" "$DBPORT" >/dev/null || die "private MariaDB did not start"
"$BIN/ims-hssctl" db migrate --migrations "$SRC/deploy/db/migrations" >/dev/null ||
	die "db migrate failed"
awk -v n="$USERS" '
function flush(t, cols) {
	if (rows[t] != "") print "INSERT INTO " t " " cols " VALUES " rows[t] ";"
	rows[t] = ""
}
function add(t, v) { rows[t] = rows[t] (rows[t] == "" ? "" : ",") v }
function flush_all() {
	flush("imsu", "(id, name)")
	flush("impi", "(id, identity, imsu_id, auth_schemes, digest_password)")
	flush("service_profile", "(id, name)")
	flush("implicit_set", "(id)")
	flush("impu", "(id, identity, implicit_set_id, implicit_set_pos, service_profile_id)")
	flush("impi_impu", "(impi_id, impu_id)")
}
BEGIN {
	print "START TRANSACTION;"
	for (i = 1; i <= n; i++) {
		impi = sprintf("user%05d@open-ims.test", i)
		add("imsu", sprintf("(%d,\x27%s\x27)", i, impi))
		add("impi", sprintf("(%d,\x27%s\x27,%d,2,\x27pw%d\x27)", i, impi, i, i))
		add("service_profile", sprintf("(%d,\x27%s\x27)", i, impi))
		add("implicit_set", sprintf("(%d)", i))
		add("impu", sprintf("(%d,\x27sip:%s\x27,%d,0,%d)", i, impi, i, i))
		add("impi_impu", sprintf("(%d,%d)", i, i))
		if (i % 1000 == 0) flush_all()
	}
	flush_all()
	print "COMMIT;"
}' | sql || die "provisioning failed"
"$BIN/ims-hssctl" scscf-caps set --name "sip:scscf.open-ims.test:$S_SIP" >/dev/null ||
	die "scscf-caps failed"
{ echo RANDOM; awk -v n="$USERS" 'BEGIN { for (i = 1; i <= n; i++) printf "user%05d;\n", i }'; } \
	>"$WORK/users.csv"

cat >"$WORK/hss.yaml" <<YAML
log:
  level: $LVL
diameter:
  identity: hss.open-ims.test
  realm: open-ims.test
  listen: 127.0.0.1
  port: $HSS_DIA
  app_threads: ${BENCH_HSS_THREADS:-4}
  accept_unknown_peers: true
database:
  host: 127.0.0.1
  port: $DBPORT
  user: ims_hss
  password: ims_hss
  name: ims_hss
YAML
cat >"$WORK/icscf.yaml" <<YAML
log:
  level: $LVL
sip:
  address: 127.0.0.1
  port: $I_SIP
diameter:
  identity: icscf.open-ims.test
  realm: open-ims.test
  port: 0
${BENCH_ICSCF_APP_THREADS:+  app_threads: $BENCH_ICSCF_APP_THREADS}
  peers:
    - identity: hss.open-ims.test
      address: 127.0.0.1
      port: $HSS_DIA
domains: [open-ims.test]
scscf:
  probe_interval: 5s
  servers:
    - name: sip:scscf.open-ims.test:$S_SIP
      address: 127.0.0.1:$S_SIP
YAML
HSS_PID=$("$BIN/ims-launch" --timeout 60 --log "$WORK/hss.log" -- \
	"$BIN/ims-hss" -c "$WORK/hss.yaml") || die "ims-hss did not become ready"
(cd "$WORK" && exec sipp -sf "$HERE/icscf-register-uas.xml" -i 127.0.0.1 -p "$S_SIP" \
	-nostdin -bg >/dev/null 2>&1) # -bg prints nothing useful; find its PID
for _ in $(seq 50); do
	UAS_PID=$(ss -Hlunp "sport = :$S_SIP" 2>/dev/null | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -n1)
	[ -n "$UAS_PID" ] && break
	sleep 0.1
done
[ -n "$UAS_PID" ] || die "SIPp UAS did not start"
I_PID=$("$BIN/ims-launch" --timeout 60 --log "$WORK/icscf.log" -- \
	${BENCH_ICSCF_PRELOAD:+env "LD_PRELOAD=$BENCH_ICSCF_PRELOAD"} \
	"$BIN/ims-icscf" -c "$WORK/icscf.yaml") || die "ims-icscf did not become ready"
# BENCH_PIN="icscf:0 hss:1": those daemons with all their threads on one CPU.
for spec in ${BENCH_PIN:-}; do
	case ${spec%%:*} in
	icscf) taskset -a -c -p "${spec#*:}" "$I_PID" >/dev/null || die "taskset $spec" ;;
	hss) taskset -a -c -p "${spec#*:}" "$HSS_PID" >/dev/null || die "taskset $spec" ;;
	*) die "BENCH_PIN: icscf or hss, not ${spec%%:*}" ;;
	esac
done
deadline=$(( $(date +%s) + 30 ))
until grep -q "STATE_OPEN.*hss.open-ims.test" "$WORK/icscf.log"; do
	[ "$(date +%s)" -ge "$deadline" ] && die "I-CSCF Cx not open"
	sleep 0.1
done
DB_PID=$(cat "$WORK/db/mariadbd.pid" 2>/dev/null)
HZ=$(getconf CLK_TCK)
echo "I-CSCF :$I_SIP, HSS Diameter :$HSS_DIA, fake S-CSCF :$S_SIP, MariaDB :$DBPORT;" \
	"$USERS users, log level $LVL, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"

# One step: RATE for SECS seconds. Prints one table row.
step() {
	local rate=$1 n=$(( $1 * SECS )) t0 t1 okc fail wall c0 c1 p
	local -A before
	for p in I_PID HSS_PID DB_PID UAS_PID; do before[$p]=$(ticks "${!p}"); done
	t0=$(date +%s%N)
	(cd "$WORK" && exec timeout $((SECS * 3 + 20)) sipp -sf "$HERE/icscf-register-uac.xml" \
		-inf "$WORK/users.csv" -r "$rate" -m "$n" -l $(( rate * 2 + 100 )) -i 127.0.0.1 \
		-p "$UE" -nostdin -recv_timeout 5000 -timeout $((SECS * 3 + 10))s \
		"127.0.0.1:$I_SIP" >"$WORK/uac-$rate.out" 2>&1) &
	UAC_PID=$!
	if [ -n "${BENCH_PERF:-}" ] && [ "$rate" = "${RATES##* }" ]; then
		perf record -e cpu-clock --call-graph "${BENCH_PERF_CG:-fp}" \
			-o "$WORK/perf.data" -p "$I_PID" \
			>"$WORK/perf.out" 2>&1 &
		PERF_PID=$!
	fi
	if [ -n "${BENCH_SYSCOUNT:-}" ] && [ "$rate" = "${RATES##* }" ]; then
		perf stat -e "$COUNT_EVENTS" -x, -o "$WORK/count.txt" -p "$I_PID" &
		COUNT_PID=$!
	fi
	if [ -n "${BENCH_STRACE:-}" ] && [ "$rate" = "${RATES##* }" ]; then
		timeout $((SECS / 2 + 1)) strace -c -f -p "$I_PID" -o "$WORK/strace.txt" 2>/dev/null &
	fi
	# The UAC's own CPU, sampled just before it ends.
	local uac=0
	while kill -0 "$UAC_PID" 2>/dev/null; do
		p=$(pgrep -P "$UAC_PID" sipp 2>/dev/null | head -n1)
		[ -n "$p" ] && uac=$(ticks "$p")
		sleep 0.2
	done
	wait "$UAC_PID" 2>/dev/null
	UAC_PID=
	t1=$(date +%s%N)
	if [ -n "$PERF_PID" ]; then kill -INT "$PERF_PID"; wait "$PERF_PID"; PERF_PID=; fi
	if [ -n "$COUNT_PID" ]; then kill -INT "$COUNT_PID"; wait "$COUNT_PID"; COUNT_PID=; fi
	okc=$(sed -n 's/^ *Successful call *| *[0-9]* *| *\([0-9]*\).*/\1/p' "$WORK/uac-$rate.out" | tail -n1)
	fail=$(sed -n 's/^ *Failed call *| *[0-9]* *| *\([0-9]*\).*/\1/p' "$WORK/uac-$rate.out" | tail -n1)
	okc=${okc:-0} fail=${fail:-0}
	wall=$(( (t1 - t0) / 1000000 ))
	printf '%7s %7s %6s %9s' "$rate" "$okc" "$fail" \
		"$(awk -v o="$okc" -v w="$wall" 'BEGIN { printf "%.0f", w ? o * 1000 / w : 0 }')"
	for p in I_PID HSS_PID DB_PID UAS_PID; do
		c0=${before[$p]}
		c1=$(ticks "${!p}")
		printf ' %5s%% %6s' \
			"$(awk -v a="$c0" -v b="$c1" -v hz="$HZ" -v w="$wall" 'BEGIN { printf "%.0f", (b - a) * 100000 / hz / w }')" \
			"$(awk -v a="$c0" -v b="$c1" -v hz="$HZ" -v o="$okc" 'BEGIN { printf "%.0f", o ? (b - a) * 1e6 / hz / o : 0 }')"
	done
	printf ' %5s%%\n' "$(awk -v b="$uac" -v hz="$HZ" -v w="$wall" 'BEGIN { printf "%.0f", b * 100000 / hz / w }')"
	STEP_OK=$okc
}

printf '%7s %7s %6s %9s %14s %14s %14s %14s %6s\n' offered ok failed "achieved" \
	"icscf CPU us/r" "hss CPU us/r" "mariadb us/r" "uas CPU us/r" uac
for r in $RATES; do step "$r"; done
echo "(CPU% of one core over the step's wall time; us/r = CPU microseconds per successful REGISTER)"
if [ -n "${BENCH_PERF:-}" ] && [ -s "$WORK/perf.data" ]; then
	echo "--- perf: ims-icscf during the ${RATES##* }/s step (self time, top 25)"
	perf report -i "$WORK/perf.data" --no-children --stdio --sort dso,symbol 2>/dev/null |
		grep -E '^ +[0-9]' | head -n 25
fi
if [ -n "${BENCH_SYSCOUNT:-}" ] && [ -s "$WORK/count.txt" ]; then
	echo "--- perf stat: ims-icscf events per successful REGISTER during the ${RATES##* }/s step"
	awk -F, -v n="${STEP_OK:-0}" '$1 ~ /^[0-9]+$/ && n > 0 {
		e = $3; sub(/^syscalls:sys_enter_/, "", e)
		printf "%10.2f  %s\n", $1 / n, e }' "$WORK/count.txt"
fi
if [ -n "${BENCH_STRACE:-}" ] && [ -s "$WORK/strace.txt" ]; then
	echo "--- strace -c: ims-icscf system calls during half of the ${RATES##* }/s step"
	head -n 14 "$WORK/strace.txt"
fi
grep -h -E 'ERR|WARN' "$WORK/icscf.log" "$WORK/hss.log" 2>/dev/null | cut -c26- | sort | uniq -c |
	sort -rn | head -n 5
exit 0
