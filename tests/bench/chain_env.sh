# chain_env.sh: the whole IMS chain for the load benchmarks (sourced by
# reg-load.sh and call-load.sh, not run). The caller sets BUILD and SRC, then:
#   chain_init NAME        work dir, 8 free ports, cleanup trap on exit
#   chain_db USERS         private MariaDB, schema, USERS AKA subscribers
#                          user00001.. (K k0000..., OP o0000..., 16 printable
#                          characters each, SIPp takes them as raw text)
#                          written by one SQL transaction, plus users.csv
#   chain_start            configs (templates of deploy/ims on private ports)
#                          and HSS, S-CSCF, I-CSCF, P-CSCF via ims-launch
#   chain_sample TAG       VmRSS/Pss (kB) and CPU ticks of each daemon and
#                          of mariadbd -> variables
#   chain_report A B USERS prints per-daemon memory and CPU between samples
#   chain_mem_trace SECONDS  (background) each daemon's VmRSS every SECONDS
#                          into $WORK/mem.trace until chain_mem_trace_stop,
#                          which prints it (memory over a long run: does it
#                          level off once transactions expire?)
# Ports: P-CSCF SIP $P_SIP, the rest from one free block. Everything started
# is stopped by PID on any exit; the work dir is removed (KEEP_WORK=1 keeps it).

REALM=open-ims.test
DAEMONS="hss scscf icscf pcscf"

chain_die() { echo "FATAL: $*" >&2; exit 1; }

# A base port B (30000 + 8k) whose 8 ports have no TCP/UDP listener: apart
# from the integration tests (10000..29600) and below the ephemeral range.
chain_free_base() {
	local b i try busy
	for try in $(seq 0 40); do
		b=$(( 30000 + (($$ + try * 7919) % 300) * 8 ))
		busy=0
		for i in $(seq 0 7); do
			ss -Hltun "sport = :$((b + i))" 2>/dev/null | grep -q . && { busy=1; break; }
		done
		[ "$busy" -eq 0 ] && break
	done
	echo "$b"
}

chain_init() {
	BIN=$BUILD/bin
	for b in ims-hss ims-scscf ims-icscf ims-pcscf ims-hssctl ims-launch; do
		[ -x "$BIN/$b" ] || chain_die "$BIN/$b not built"
	done
	command -v sipp >/dev/null || chain_die "sipp not installed"
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/bench-$1.XXXXXX")
	local b
	b=$(chain_free_base)
	DBPORT=$b HSS_DIA=$((b + 1)) S_DIA=$((b + 2)) S_SIP=$((b + 3))
	I_DIA=$((b + 4)) I_SIP=$((b + 5)) P_SIP=$((b + 6)) UE_PORT=$((b + 7))
	PID_hss= PID_scscf= PID_icscf= PID_pcscf= SIPP_PID=
	export IMS_DB_HOST=127.0.0.1 IMS_DB_PORT=$DBPORT IMS_DB_USER=ims_hss \
		IMS_DB_PASSWORD=ims_hss IMS_DB_NAME=ims_hss
	trap chain_cleanup EXIT
	trap 'exit 1' INT TERM
}

chain_stop_pid() { # PID: TERM, bounded wait, KILL
	[ -n "$1" ] || return 0
	kill -TERM "$1" 2>/dev/null
	for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
	kill -KILL "$1" 2>/dev/null
}

chain_cleanup() {
	local rc=$? d p
	[ -n "$SIPP_PID" ] && kill -KILL "$SIPP_PID" 2>/dev/null
	[ -n "${MEM_TRACE_PID:-}" ] && kill "$MEM_TRACE_PID" 2>/dev/null
	for d in pcscf icscf scscf hss; do
		p=PID_$d
		chain_stop_pid "${!p}"
	done
	"$SRC/tests/lib/mariadb.sh" stop "$WORK/db" >/dev/null 2>&1
	if [ "$rc" -ne 0 ]; then
		for d in $DAEMONS; do echo "--- $d log"; tail -n 20 "$WORK/$d.log" 2>/dev/null; done
	fi
	if [ -n "${KEEP_WORK:-}" ]; then echo "work dir kept: $WORK"; else rm -rf "$WORK"; fi
}

chain_sql() { mariadb --no-defaults --socket="$WORK/db/mysqld.sock" -uroot ims_hss "$@"; }

# USERS rows of each table in one transaction, ids 1..USERS (fresh schema).
chain_provision_sql() {
	awk -v n="$1" -v realm="$REALM" '
	function flush(t, cols) {
		if (rows[t] != "") print "INSERT INTO " t " " cols " VALUES " rows[t] ";"
		rows[t] = ""
	}
	function add(t, v) { rows[t] = rows[t] (rows[t] == "" ? "" : ",") v }
	function flush_all() {
		flush("imsu", "(id, name)")
		flush("impi", "(id, identity, imsu_id, k, op, op_is_opc, amf, sqn, auth_schemes)")
		flush("service_profile", "(id, name)")
		flush("implicit_set", "(id)")
		flush("impu", "(id, identity, implicit_set_id, implicit_set_pos, service_profile_id)")
		flush("impi_impu", "(impi_id, impu_id)")
	}
	BEGIN {
		print "SET autocommit = 0; START TRANSACTION;"
		for (i = 1; i <= n; i++) {
			u = sprintf("user%05d", i)
			impi = u "@" realm
			add("imsu", sprintf("(%d,\x27%s\x27)", i, impi))
			add("impi", sprintf("(%d,\x27%s\x27,%d,\x27k%015d\x27,\x27o%015d\x27,0,X\x278000\x27,0,1)", i, impi, i, i, i))
			add("service_profile", sprintf("(%d,\x27%s\x27)", i, impi))
			add("implicit_set", sprintf("(%d)", i))
			add("impu", sprintf("(%d,\x27sip:%s\x27,%d,0,%d)", i, impi, i, i))
			add("impi_impu", sprintf("(%d,%d)", i, i))
			if (i % 500 == 0) flush_all()
		}
		flush_all()
		print "COMMIT;"
	}'
}

chain_db() {
	local users=$1 t0 t1
	IMS_MARIADB_TIMEOUT=${IMS_MARIADB_TIMEOUT:-120} \
		"$SRC/tests/lib/mariadb.sh" start "$WORK/db" "$DBPORT" >/dev/null ||
		chain_die "private MariaDB did not start"
	"$BIN/ims-hssctl" db migrate --migrations "$SRC/deploy/db/migrations" >/dev/null ||
		chain_die "db migrate failed"
	t0=$(date +%s.%N)
	chain_provision_sql "$users" | chain_sql || chain_die "provisioning failed"
	t1=$(date +%s.%N)
	"$BIN/ims-hssctl" scscf-caps set --name "sip:scscf.$REALM:$S_SIP" >/dev/null ||
		chain_die "scscf-caps failed"
	echo "SEQUENTIAL" >"$WORK/users.csv"
	awk -v n="$users" 'BEGIN { for (i = 1; i <= n; i++)
		printf "user%05d@open-ims.test;k%015d;o%015d;user%05d;\n", i, i, i, i }' >>"$WORK/users.csv"
	awk -v n="$users" -v a="$t0" -v b="$t1" \
		'BEGIN { printf "provisioned %d users in %.2f s (one SQL transaction)\n", n, b - a }'
}

chain_configs() {
	local lvl=${BENCH_LOG_LEVEL:-notice}
	cat >"$WORK/hss.yaml" <<YAML
log:
  level: $lvl
diameter:
  identity: hss.$REALM
  realm: $REALM
  listen: 127.0.0.1
  port: $HSS_DIA
  app_threads: ${BENCH_HSS_THREADS:-4}
  peers:
    - identity: icscf.$REALM
      address: 127.0.0.1
      port: $I_DIA
    - identity: scscf.$REALM
      address: 127.0.0.1
      port: $S_DIA
database:
$(chain_db_where "  ")
  user: ims_hss
  password: ims_hss
  name: ims_hss
YAML
	cat >"$WORK/scscf.yaml" <<YAML
log:
  level: $lvl
sip:
  address: 127.0.0.1
  port: $S_SIP
diameter:
  identity: scscf.$REALM
  realm: $REALM
  listen: 127.0.0.1
  port: $S_DIA
  max_pending: ${BENCH_MAX_PENDING:-256}
  app_threads: ${BENCH_SCSCF_THREADS:-4}
  peers:
    - identity: hss.$REALM
      address: 127.0.0.1
      port: $HSS_DIA
registrar:
  server_name: sip:scscf.$REALM:$S_SIP
  realm: $REALM
$(chain_scscf_store)
session:
  icscf: sip:127.0.0.1:$I_SIP
YAML
	cat >"$WORK/icscf.yaml" <<YAML
log:
  level: $lvl
sip:
  address: 127.0.0.1
  port: $I_SIP
diameter:
  identity: icscf.$REALM
  realm: $REALM
  listen: 127.0.0.1
  port: $I_DIA
  max_pending: ${BENCH_MAX_PENDING:-256}
  peers:
    - identity: hss.$REALM
      address: 127.0.0.1
      port: $HSS_DIA
domains: [$REALM]
aliases: [icscf.$REALM]
scscf:
  probe_interval: 5s
  servers:
    - name: sip:scscf.$REALM:$S_SIP
      address: 127.0.0.1:$S_SIP
      weight: 1
YAML
	cat >"$WORK/pcscf.yaml" <<YAML
log:
  level: $lvl
sip:
  address: 127.0.0.1
  port: $P_SIP
home_network: $REALM
icscf: sip:127.0.0.1:$I_SIP
visited_network_id: $REALM
max_registrations: ${BENCH_PCSCF_MAX:-100000}
max_pending_registers: ${BENCH_PCSCF_PENDING:-200}
YAML
}

# chain_db_where INDENT: how the HSS and the S-CSCF reach MariaDB: TCP on
# 127.0.0.1, or its Unix socket with BENCH_DB_SOCKET=1.
chain_db_where() {
	if [ -n "${BENCH_DB_SOCKET:-}" ]; then
		printf '%shost: localhost\n%ssocket: %s' "$1" "$1" "$WORK/db/mysqld.sock"
	else
		printf '%shost: 127.0.0.1\n%sport: %s' "$1" "$1" "$DBPORT"
	fi
}

# BENCH_SCSCF_STORE: where the S-CSCF keeps its bindings: none (default),
# file (state_file in WORK) or mariadb (the chain's database, write-back).
chain_scscf_store() {
	case "${BENCH_SCSCF_STORE:-none}" in
	file) echo "  state_file: $WORK/scscf.state" ;;
	mariadb) printf '  store: mariadb\n  database:\n%s\n    user: ims_hss\n    password: ims_hss\n    name: ims_hss\n' "$(chain_db_where "    ")" ;;
	esac
}

# BENCH_PRELOAD=LIB: our daemons run with LD_PRELOAD=LIB (e.g. another
# malloc: /usr/lib/x86_64-linux-gnu/libjemalloc.so.2).
chain_start() {
	local d pre=()
	chain_configs
	[ -n "${BENCH_PRELOAD:-}" ] && pre=(env "LD_PRELOAD=$BENCH_PRELOAD")
	for d in $DAEMONS; do
		"$BIN/ims-$d" --check-config -c "$WORK/$d.yaml" >/dev/null ||
			chain_die "ims-$d refuses $WORK/$d.yaml"
		eval "PID_$d=\$(\"\${pre[@]}\" \"\$BIN/ims-launch\" --timeout 30 --log \"\$WORK/\$d.log\" -- \
			\"\$BIN/ims-\$d\" -c \"\$WORK/\$d.yaml\")" || chain_die "ims-$d did not become ready"
	done
	chain_pin
}

# BENCH_PIN="scscf:0 hss:1 ...": each named process (our daemons, mariadb)
# with all its threads on that CPU (taskset -a), so the thread hand-offs
# inside a daemon (freeDiameter's queues) wake a thread on the same CPU.
chain_pin() {
	local spec d cpu p
	PID_mariadb=$(cat "$WORK/db/mariadbd.pid" 2>/dev/null)
	for spec in ${BENCH_PIN:-}; do
		d=${spec%%:*} cpu=${spec#*:}
		p=PID_$d
		p=${!p:-}
		[ -n "$p" ] || chain_die "BENCH_PIN: no process $d"
		taskset -a -c -p "$cpu" "$p" >/dev/null || chain_die "BENCH_PIN: taskset $spec failed"
	done
}

# chain_sample TAG [trim]: RSS_<d>_TAG, PSS_<d>_TAG (kB), CPU_<d>_TAG (clock
# ticks). With "trim" each of our daemons first returns its free heap to the
# kernel (gdb calls malloc_trim(0) in it), so Pss counts live memory rather
# than the high-water mark of freed SIP transactions.
chain_sample() {
	local d p rss pss cpu
	PID_mariadb=$(cat "$WORK/db/mariadbd.pid" 2>/dev/null)
	for d in $DAEMONS mariadb; do
		p=PID_$d
		p=${!p}
		if [ "${2:-}" = trim ] && [ "$d" != mariadb ] && command -v gdb >/dev/null; then
			timeout 20 gdb -p "$p" -batch -ex 'call (int)malloc_trim(0)' >/dev/null 2>&1
		fi
		rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$p/status" 2>/dev/null)
		pss=$(awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null)
		cpu=$(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null)
		eval "RSS_${d}_$1=${rss:-0} PSS_${d}_$1=${pss:-0} CPU_${d}_$1=${cpu:-0}"
	done
}

chain_mem_trace() {
	local every=$1
	(
		local t=0 d p line
		printf '%6s' "t (s)"
		for d in $DAEMONS; do printf ' %10s' "$d kB"; done
		echo
		while :; do
			line=$(printf '%6d' "$t")
			for d in $DAEMONS; do
				p=PID_$d
				line+=$(printf ' %10s' "$(awk '/^VmRSS:/ { print $2 }' "/proc/${!p}/status" 2>/dev/null)")
			done
			echo "$line"
			sleep "$every"
			t=$((t + every))
		done
	) >"$WORK/mem.trace" 2>/dev/null &
	MEM_TRACE_PID=$!
}

chain_mem_trace_stop() {
	[ -n "${MEM_TRACE_PID:-}" ] || return 0
	kill "$MEM_TRACE_PID" 2>/dev/null
	wait "$MEM_TRACE_PID" 2>/dev/null
	MEM_TRACE_PID=
	echo "resident memory during the run (VmRSS, every ${1:-?} s):"
	cat "$WORK/mem.trace"
}

# chain_report A B N SECONDS WHAT: memory growth per WHAT (user, call),
# CPU time per WHAT and CPU share. The machine load is printed too: other
# processes on a shared box lower throughput but hardly the CPU per WHAT.
chain_report() {
	local d r0 r1 p0 p1 c0 c1 hz
	hz=$(getconf CLK_TCK)
	printf '%-7s %10s %10s %10s %12s %12s %6s\n' daemon "RSS before" "RSS after" "Pss after" \
		"Pss B/$5" "CPU ms/$5" "CPU %"
	for d in $DAEMONS mariadb; do
		r0=RSS_${d}_$1 r1=RSS_${d}_$2 p0=PSS_${d}_$1 p1=PSS_${d}_$2 c0=CPU_${d}_$1 c1=CPU_${d}_$2
		printf '%-7s %8s kB %8s kB %8s kB %12s %12s %5s%%\n' "$d" "${!r0}" "${!r1}" "${!p1}" \
			"$(awk -v a="${!p0}" -v b="${!p1}" -v n="$3" 'BEGIN { printf "%.0f", (n > 0 ? (b - a) * 1024 / n : 0) }')" \
			"$(awk -v a="${!c0}" -v b="${!c1}" -v n="$3" -v hz="$hz" 'BEGIN { printf "%.2f", (n > 0 ? (b - a) * 1000 / hz / n : 0) }')" \
			"$(awk -v a="${!c0}" -v b="${!c1}" -v hz="$hz" -v s="$4" 'BEGIN { printf "%.0f", (s > 0 ? (b - a) * 100 / hz / s : 0) }')"
	done
	echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
}
