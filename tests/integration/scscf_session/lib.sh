# lib.sh: what the S-CSCF session tests (session.sh, forking.sh) share.
# Sourced after BUILD and SRC are set:  . "$SRC/tests/integration/scscf_session/lib.sh" NAME
# Sets BIN, DIR, WORK (a fresh /tmp/scscf-NAME.* dir), a block of 10 free
# ports BASE..BASE+9 below the ephemeral range with DBPORT, HSS_DIA, SC_DIA,
# SC_SIP = BASE..BASE+3 (the caller names BASE+4..9), SC, HSS_PID, SC_PID,
# BG_PIDS, FAILS; exits 77 without SIPp. On exit everything started is stopped
# by PID, and on failure the daemons' logs are shown (SCSCF_LOG_LINES, 80).
BIN=$BUILD/bin
DIR=$SRC/tests/integration/scscf_session
command -v sipp >/dev/null || { echo "SKIP: sipp (sip-tester) not installed"; exit 77; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/scscf-$1.XXXXXX")

port_busy() { ss -Hltun "sport = :$1" 2>/dev/null | grep -q .; }
. "$SRC/tests/lib/ports.sh"
BASE=$(free_base 10000 999 10)
DBPORT=$BASE HSS_DIA=$((BASE + 1)) SC_DIA=$((BASE + 2)) SC_SIP=$((BASE + 3))
SC=127.0.0.1:$SC_SIP
HSS_PID= SC_PID=
BG_PIDS=()
FAILS=0
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$SRC/tests/lsan.supp:print_suppressions=0}"

stop_pid() { # pid: TERM, bounded wait, then KILL
	local pid=$1
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null
	for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
	kill -KILL "$pid" 2>/dev/null
	return 1
}

cleanup() {
	local rc=$? p
	for p in "${BG_PIDS[@]}"; do stop_pid "$p"; done
	stop_pid "$SC_PID"
	stop_pid "$HSS_PID"
	"$SRC/tests/lib/mariadb.sh" stop "$WORK/db" >/dev/null 2>&1
	if [ "$rc" -ne 0 ] || [ "$FAILS" -ne 0 ]; then
		echo "--- ims-scscf log"; tail -n "${SCSCF_LOG_LINES:-80}" "$WORK/scscf.log" 2>/dev/null
		echo "--- ims-hss log"; tail -n 20 "$WORK/hss.log" 2>/dev/null
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

die() { echo "FATAL: $*" >&2; exit 1; }
ok() { echo "ok   - $*"; }
bad() { echo "FAIL - $*"; FAILS=$((FAILS + 1)); }
show_failure() { for f in "$WORK/$1.err" "$WORK/$1.msg"; do [ -f "$f" ] && tail -n 40 "$f"; done; }

export IMS_DB_HOST=127.0.0.1 IMS_DB_PORT=$DBPORT IMS_DB_USER=ims_hss \
	IMS_DB_PASSWORD=ims_hss IMS_DB_NAME=ims_hss
hssctl() { "$BIN/ims-hssctl" "$@"; }

# sipp_uac NAME PORT SCENARIO [args]: one call toward the S-CSCF, bounded.
sipp_uac() {
	local name=$1 port=$2 sf=$3; shift 3
	(cd "$WORK" && timeout 30 sipp -m 1 -nostdin -timeout 20s -timeout_error \
		-trace_err -error_file "$WORK/$name.err" -trace_msg -message_file "$WORK/$name.msg" \
		-i 127.0.0.1 -p "$port" -sf "$sf" -key scscf "$SC" "$@" "$SC" >"$WORK/$name.out" 2>&1)
}
# sipp_uas NAME PORT SCENARIO: one call in the background; waits until the
# port is bound. Its PID goes to BG_PIDS; sipp_wait NAME collects it.
declare -A UAS_PID
sipp_uas() {
	local name=$1 port=$2 sf=$3
	(cd "$WORK" && exec timeout 40 sipp -m 1 -nostdin -timeout 30s -timeout_error \
		-trace_err -error_file "$WORK/$name.err" -trace_msg -message_file "$WORK/$name.msg" \
		-i 127.0.0.1 -p "$port" -sf "$sf" >"$WORK/$name.out" 2>&1) &
	UAS_PID[$name]=$!
	BG_PIDS+=("$!")
	for _ in $(seq 100); do port_busy "$port" && return 0; sleep 0.05; done
	return 1
}
sipp_wait() { wait "${UAS_PID[$1]}"; }
