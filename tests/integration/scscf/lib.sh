# lib.sh: the set-up the S-CSCF registrar tests (registrar.sh, regevent.sh,
# thirdparty.sh) share. Sourced after BUILD and SRC are set:
#   . "$SRC/tests/integration/scscf/lib.sh" NAME
# Sets BIN, DIR, WORK (a fresh /tmp/scscf-NAME.* dir), a block of 8 free
# ports BASE..BASE+7 below the ephemeral range with DBPORT, HSS_DIA, SC_DIA,
# SC_SIP, UE = BASE..BASE+4 (the caller names BASE+5..7), HSS_PID, SC_PID,
# BG_PID (one background SIPp), FAILS, the IMS_DB_* environment of
# ims-hssctl; exits 77 without SIPp. On exit everything started is stopped
# by PID and, on failure, the daemons' logs are shown.
BIN=$BUILD/bin
DIR=$SRC/tests/integration/scscf
command -v sipp >/dev/null || { echo "SKIP: sipp (sip-tester) not installed"; exit 77; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/scscf-$1.XXXXXX")
. "$SRC/tests/lib/ports.sh"
BASE=$(free_base 13000 1900 8)
DBPORT=$BASE HSS_DIA=$((BASE + 1)) SC_DIA=$((BASE + 2)) SC_SIP=$((BASE + 3)) UE=$((BASE + 4))
HSS_PID= SC_PID= BG_PID=
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
	local rc=$?
	[ -n "$BG_PID" ] && kill "$BG_PID" 2>/dev/null
	stop_pid "$SC_PID"
	stop_pid "$HSS_PID"
	"$SRC/tests/lib/mariadb.sh" stop "$WORK/db" >/dev/null 2>&1
	if [ "$rc" -ne 0 ] || [ "$FAILS" -ne 0 ]; then
		echo "--- ims-scscf log"; tail -n 80 "$WORK/scscf.log" 2>/dev/null
		echo "--- ims-hss log"; tail -n 30 "$WORK/hss.log" 2>/dev/null
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

die() { echo "FATAL: $*" >&2; exit 1; }
ok() { echo "ok   - $*"; }
bad() { echo "FAIL - $*"; FAILS=$((FAILS + 1)); }

export IMS_DB_HOST=127.0.0.1 IMS_DB_PORT=$DBPORT IMS_DB_USER=ims_hss \
	IMS_DB_PASSWORD=ims_hss IMS_DB_NAME=ims_hss
hssctl() { "$BIN/ims-hssctl" "$@"; }

# hss_yaml [SERVER_NAME]: $WORK/hss.yaml, ims-hss on the private MariaDB;
# with SERVER_NAME, a cx section that maps it to scscf.open-ims.test (so the
# HSS can send RTR/PPR) and polls the admin queue every 200 ms.
hss_yaml() {
	cat >"$WORK/hss.yaml" <<YAML
log:
  level: info
diameter:
  identity: hss.open-ims.test
  realm: open-ims.test
  listen: 127.0.0.1
  port: $HSS_DIA
  app_threads: 2
  accept_unknown_peers: true
database:
  host: 127.0.0.1
  port: $DBPORT
  user: ims_hss
  password: ims_hss
  name: ims_hss
YAML
	[ -z "${1:-}" ] || cat >>"$WORK/hss.yaml" <<YAML
cx:
  admin_poll_interval: 200ms
  scscf_hosts:
    - server_name: $1
      diameter_host: scscf.open-ims.test
YAML
}
# start_hss [LOG]: ims-hss with $WORK/hss.yaml until READY, pid in HSS_PID.
start_hss() {
	HSS_PID=$("$BIN/ims-launch" --timeout 30 --log "$WORK/${1:-hss.log}" -- \
		"$BIN/ims-hss" -c "$WORK/hss.yaml") || die "ims-hss did not become ready"
}
