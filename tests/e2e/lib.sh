# shellcheck shell=bash
# tests/e2e/lib.sh (sourced by the e2e tests): a private deploy/ims state
# directory, a free private MariaDB port, checks that count failures, and a
# cleanup that runs `deploy/ims down` and stops what the test started, by PID.
# Callers set BUILD and SRC first; they call e2e_init NAME, then e2e_finish.

E2E_FAILS=0
# Never act on a state directory of the caller's environment.
unset IMS_STATE_DIR
E2E_PIDS=()
E2E_T0=$(date +%s)

e2e_log() { printf '[%3ds] %s\n' "$(($(date +%s) - E2E_T0))" "$*"; }
e2e_ok() { e2e_log "ok   $*"; }
e2e_fail() { e2e_log "FAIL $*"; E2E_FAILS=$((E2E_FAILS + 1)); }
e2e_check() { # DESCRIPTION CMD...: pass when CMD exits 0
	local what=$1
	shift
	if "$@"; then e2e_ok "$what"; else e2e_fail "$what"; fi
}
quiet() { "$@" >/dev/null 2>&1; }
# True when no process has TEXT in its command line.
no_process_with() { ! pgrep -f -- "$1" >/dev/null; }
e2e_skip() { echo "SKIP: $*"; exit 77; }

port_busy() { ss -Hltun "sport = :$1" 2>/dev/null | grep -q .; }

# A free TCP port in 20000..29999 derived from our PID (private MariaDB).
e2e_free_port() {
	local p try
	for try in $(seq 0 50); do
		p=$((20000 + ($$ * 13 + try * 97) % 10000))
		port_busy "$p" || { echo "$p"; return 0; }
	done
	echo "$p"
}

e2e_stop_pid() { # PID: TERM, bounded wait, KILL
	local pid=$1 i
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null
	for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
	kill -KILL "$pid" 2>/dev/null
}

e2e_cleanup() {
	local p
	for p in "${E2E_PIDS[@]}"; do e2e_stop_pid "$p"; done
	if [ -n "${IMS_STATE_DIR:-}" ] && [ -d "$IMS_STATE_DIR" ] &&
		[ "${IMS_STATE_DIR#"$E2E_WORK"/}" != "$IMS_STATE_DIR" ]; then
		timeout 60 "$SRC/deploy/ims" down >/dev/null 2>&1
		# Sanitizer reports of the daemons (an -DIMS_SANITIZE=ON build):
		# shown, not failed on here; each daemon's own tests own that.
		if grep -l -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' \
			"$IMS_STATE_DIR"/log/*.log 2>/dev/null; then
			echo "WARNING: sanitizer reports in the daemon logs above:"
			grep -h -A12 -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' \
				"$IMS_STATE_DIR"/log/*.log | head -60
		fi
	fi
	if [ "$E2E_FAILS" -eq 0 ] && [ -n "${E2E_WORK:-}" ]; then
		rm -rf "$E2E_WORK"
	elif [ -n "${E2E_WORK:-}" ]; then
		echo "logs kept in $E2E_WORK (state $IMS_STATE_DIR/log)"
	fi
}

e2e_init() { # NAME
	command -v sipp >/dev/null || e2e_skip "sipp (sip-tester) is not installed"
	command -v mariadbd >/dev/null || e2e_skip "mariadb-server is not installed"
	[ -x "$BUILD/bin/ims-launch" ] || e2e_skip "no daemons in $BUILD/bin"
	E2E_WORK=$(mktemp -d "${TMPDIR:-/tmp}/e2e-$1.XXXXXX")
	export IMS_STATE_DIR=$E2E_WORK/state IMS_BUILD_DIR=$BUILD IMS_NO_BUILD=1
	IMS_DB_PORT=$(e2e_free_port)
	export IMS_DB_PORT
	export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$SRC/tests/lsan.supp:print_suppressions=0}"
	trap e2e_cleanup EXIT
	trap 'exit 1' INT TERM
}

# The classic ports of the standalone topology must be free.
e2e_need_classic_ports() {
	local p
	for p in 3868 3869 3870 4060 5060 6060; do
		port_busy "$p" && e2e_skip "port $p is in use (another IMS runs here?)"
	done
	return 0
}

# deploy/ims status, and the number after "daemons running:".
e2e_running() { "$SRC/deploy/ims" status | sed -n 's/^daemons running: \([0-9]*\) of.*/\1/p'; }
e2e_registered() {
	"$SRC/deploy/ims" status | sed -n 's/^registered public identities: \([0-9]*\).*/\1/p'
}

e2e_finish() {
	e2e_log "$E2E_FAILS failure(s)"
	[ "$E2E_FAILS" -eq 0 ]
	exit $?
}
