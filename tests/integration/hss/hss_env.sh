# hss_env.sh: shared by the HSS integration tests and tests/bench/hss-*.sh
# (sourced, not run). The caller sets BUILD and SRC, then:
#   hss_env_init NAME        work dir, ports from the PID, cleanup trap
#   hss_db_start             private MariaDB, schema migrated
#   hss_write_config [EXTRA] hss.yaml (EXTRA: more YAML under cx:;
#                            HSS_DIA_EXTRA: more YAML under diameter:;
#                            HSS_DB_SOCKET=1: the database over its Unix
#                            socket instead of TCP 127.0.0.1)
#   hss_start / hss_stop     ims-hss via ims-launch (readiness over NOTIFY_SOCKET)
# Results: ok/bad/expect; hss_env_finish prints the count and returns status.
# Everything started is stopped by PID on any exit (KEEP_WORK=1 keeps logs).

hss_env_init() {
	BIN=$BUILD/bin
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/hss-$1.XXXXXX")
	. "$SRC/tests/lib/ports.sh"
	DBPORT=$(free_base 26000 1600 4)   # below the ephemeral range (32768)
	DIAPORT=$(( DBPORT + 1 ))
	HSS_PID= WRAP_PID= FAILS=0 EXTRA_PIDS=
	export IMS_DB_HOST=127.0.0.1 IMS_DB_PORT=$DBPORT IMS_DB_USER=ims_hss \
		IMS_DB_PASSWORD=ims_hss IMS_DB_NAME=ims_hss
	trap hss_env_cleanup EXIT
	trap 'exit 1' INT TERM
}

hss_env_cleanup() {
	local rc=$? p
	for p in $EXTRA_PIDS; do kill -KILL "$p" 2>/dev/null; done
	[ -n "$HSS_PID" ] && kill -KILL "$HSS_PID" 2>/dev/null
	[ -n "$WRAP_PID" ] && kill -KILL "$WRAP_PID" 2>/dev/null
	"$SRC/tests/lib/mariadb.sh" stop "$WORK/db" >/dev/null 2>&1
	if [ "$rc" -ne 0 ] || [ "$FAILS" -ne 0 ]; then
		echo "--- ims-hss log ---"; tail -n 60 "$WORK/hss.log" 2>/dev/null
	fi
	if [ -n "${KEEP_WORK:-}" ]; then echo "work dir kept: $WORK"; else rm -rf "$WORK"; fi
}

die() { echo "FATAL: $*" >&2; exit 1; }
ok() { echo "ok   - $*"; }
bad() { echo "FAIL - $*"; FAILS=$((FAILS + 1)); }
# expect NAME OUTPUT REGEX: the output has a line matching the regex.
expect() { if grep -Eq -- "$3" <<<"$2"; then ok "$1"; else bad "$1 (want /$3/)"; echo "$2" | sed 's/^/     /'; fi; }
hssctl() { "$BIN/ims-hssctl" "$@"; }
cx() { "$BIN/ims-cxctl" --hss-port "$DIAPORT" --identity "cxctl-$$.open-ims.test" "$@"; }
state_of() { hssctl subscriber show "$1" | grep -F " $2 " | sed -n 's/.* state=\([a-z-]*\).*/\1/p'; }

# mariadb-install-db now and then fails when another test bootstraps a
# server at the same moment: one fresh retry, then give up showing why.
hss_db_start() {
	if ! "$SRC/tests/lib/mariadb.sh" start "$WORK/db" "$DBPORT" >/dev/null 2>"$WORK/db-start.err"; then
		tail -n 5 "$WORK/db/install.log" "$WORK/db/error.log" 2>/dev/null | sed 's/^/     /'
		"$SRC/tests/lib/mariadb.sh" stop "$WORK/db" >/dev/null 2>&1
		rm -rf "$WORK/db"
		"$SRC/tests/lib/mariadb.sh" start "$WORK/db" "$DBPORT" >/dev/null \
			|| die "private MariaDB did not start: $(cat "$WORK/db-start.err")"
	fi
	hssctl db migrate --migrations "$SRC/deploy/db/migrations" >/dev/null || die "db migrate failed"
}

hss_write_config() {
	cat >"$WORK/hss.yaml" <<YAML
log:
  level: ${HSS_LOG_LEVEL:-info}
diameter:
  identity: hss.open-ims.test
  realm: open-ims.test
  listen: 127.0.0.1
  port: $DIAPORT
  app_threads: ${HSS_APP_THREADS:-2}
  accept_unknown_peers: true
${HSS_DIA_EXTRA:-}
database:
$(if [ -n "${HSS_DB_SOCKET:-}" ]; then
	printf '  host: localhost\n  socket: %s\n' "$WORK/db/mysqld.sock"
else
	printf '  host: 127.0.0.1\n  port: %s\n' "$DBPORT"
fi)
  user: ims_hss
  password: ims_hss
  name: ims_hss
  read_timeout: 2s
  connect_timeout: 2s
cx:
  max_auth_items: 3
${1:-}
YAML
}

hss_start() {
	WRAP_PID=$("$BIN/ims-launch" --timeout 30 --log "$WORK/hss.log" -- bash -c \
		'"$0" -c "$1"; echo $? >"$2"' "$BIN/ims-hss" "$WORK/hss.yaml" "$WORK/hss.status") \
		|| die "ims-hss did not become ready"
	HSS_PID=$(pgrep -P "$WRAP_PID" | head -n1)
	[ -n "$HSS_PID" ] || die "no ims-hss under wrapper $WRAP_PID"
}

# SIGTERM, bounded wait; checks exit 0 and a sanitizer-clean log.
hss_stop() {
	local st
	kill -TERM "$HSS_PID"
	for _ in $(seq 1 100); do kill -0 "$HSS_PID" 2>/dev/null || break; sleep 0.1; done
	if kill -0 "$HSS_PID" 2>/dev/null; then
		bad "ims-hss still runs 10 s after SIGTERM"
		return
	fi
	HSS_PID=
	for _ in $(seq 1 50); do [ -s "$WORK/hss.status" ] && break; sleep 0.1; done
	st=$(cat "$WORK/hss.status" 2>/dev/null)
	[ "$st" = 0 ] && ok "SIGTERM -> clean exit 0" || bad "exit status after SIGTERM: '$st'"
	WRAP_PID=
	if grep -E "ERROR: (AddressSanitizer|LeakSanitizer)|runtime error" "$WORK/hss.log" >/dev/null; then
		bad "sanitizer report in the ims-hss log"
	fi
}

# wait_line FILE REGEX SECONDS: bounded wait for a line to appear.
wait_line() {
	local i
	for i in $(seq 1 $(( $3 * 10 ))); do
		grep -Eq -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

hss_env_finish() {
	echo "$FAILS failure(s)"
	[ "$FAILS" -eq 0 ]
}
