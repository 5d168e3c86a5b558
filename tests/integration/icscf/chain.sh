#!/bin/bash
# test_icscf_scscf_chain: a UE (SIPp) registers with SIP Digest through
# ims-icscf to a real ims-scscf, both on a real ims-hss (private MariaDB):
# first REGISTER selected by capabilities (UAR 2001), the second routed by
# the Server-Name the HSS returns (UAR 2002); HSS state registered.
#   chain.sh BUILD_DIR SOURCE_DIR
# Ports derive from the PID; every exit path stops what was started, by PID.
set -u
BUILD=$1
SRC=$2
BIN=$BUILD/bin
DIR=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/icscf-chain.XXXXXX")
. "$SRC/tests/lib/ports.sh"
# 20000..29600 apart from run.sh (10000..19600), below the ephemeral range.
BASE=$(free_base 20000 1200)
DBPORT=$BASE HSS_DIA=$((BASE + 1)) SC_DIA=$((BASE + 2)) SC_SIP=$((BASE + 3))
I_SIP=$((BASE + 4)) UE=$((BASE + 5))
HSS_PID= SC_PID= I_PID=
FAILS=0

stop_pid() { # TERM, bounded wait, KILL
	[ -n "$1" ] || return 0
	kill -TERM "$1" 2>/dev/null
	for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
	kill -KILL "$1" 2>/dev/null
}
cleanup() {
	local rc=$?
	stop_pid "$I_PID"; stop_pid "$SC_PID"; stop_pid "$HSS_PID"
	"$SRC/tests/lib/mariadb.sh" stop "$WORK/db" >/dev/null 2>&1
	if [ "$rc" -ne 0 ] || [ "$FAILS" -ne 0 ]; then
		for f in icscf scscf hss; do echo "--- $f log"; tail -n 40 "$WORK/$f.log" 2>/dev/null; done
		tail -n 40 "$WORK/ue.msg" "$WORK/ue.out" 2>/dev/null
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
die() { echo "FATAL: $*" >&2; exit 1; }
ok() { echo "ok   - $*"; }
bad() { echo "FAIL - $*"; FAILS=$((FAILS + 1)); }
wait_log() {
	local deadline=$(( $(date +%s) + $3 ))
	until grep -Eq -- "$2" "$1" 2>/dev/null; do
		[ "$(date +%s)" -ge "$deadline" ] && return 1
		sleep 0.1
	done
}

export IMS_DB_HOST=127.0.0.1 IMS_DB_PORT=$DBPORT IMS_DB_USER=ims_hss \
	IMS_DB_PASSWORD=ims_hss IMS_DB_NAME=ims_hss
"$SRC/tests/lib/mariadb.sh" start "$WORK/db" "$DBPORT" || die "private MariaDB did not start"
"$BIN/ims-hssctl" db migrate --migrations "$SRC/deploy/db/migrations" >/dev/null ||
	die "db migrate failed"
"$BIN/ims-hssctl" subscriber add --impi alice@open-ims.test --impu sip:alice@open-ims.test \
	--impu tel:+4930100001 --k 465b5ce8b199b49faa5f0a2ee238a6bc \
	--op cdc202d5123e20f62b6d676ac72cb318 --amf 8000 --password alice --auth aka,digest \
	>/dev/null || die "provisioning alice failed"
"$BIN/ims-hssctl" scscf-caps set --mandatory 1 >/dev/null || die "provisioning capabilities failed"

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
cat >"$WORK/scscf.yaml" <<YAML
log:
  level: info
sip:
  address: 127.0.0.1
  port: $SC_SIP
diameter:
  identity: scscf.open-ims.test
  realm: open-ims.test
  port: $SC_DIA
  peers:
    - identity: hss.open-ims.test
      address: 127.0.0.1
      port: $HSS_DIA
registrar:
  server_name: sip:scscf.open-ims.test:$SC_SIP
YAML
cat >"$WORK/icscf.yaml" <<YAML
log:
  level: info
sip:
  address: 127.0.0.1
  port: $I_SIP
diameter:
  identity: icscf.open-ims.test
  realm: open-ims.test
  port: 0
  peers:
    - identity: hss.open-ims.test
      address: 127.0.0.1
      port: $HSS_DIA
scscf:
  servers:
    - name: sip:scscf.open-ims.test:$SC_SIP
      address: 127.0.0.1:$SC_SIP
      mandatory: [1]
YAML
HSS_PID=$("$BIN/ims-launch" --timeout 30 --log "$WORK/hss.log" -- \
	"$BIN/ims-hss" -c "$WORK/hss.yaml") || die "ims-hss did not become ready"
SC_PID=$("$BIN/ims-launch" --timeout 30 --log "$WORK/scscf.log" -- \
	"$BIN/ims-scscf" -c "$WORK/scscf.yaml") || die "ims-scscf did not become ready"
I_PID=$("$BIN/ims-launch" --timeout 30 --log "$WORK/icscf.log" -- \
	"$BIN/ims-icscf" -c "$WORK/icscf.yaml") || die "ims-icscf did not become ready"
wait_log "$WORK/icscf.log" "STATE_OPEN.*hss.open-ims.test" 15 || die "I-CSCF Cx not open"
wait_log "$WORK/scscf.log" "STATE_OPEN.*hss.open-ims.test" 15 || die "S-CSCF Cx not open"
ok "ims-hss, ims-scscf, ims-icscf ready"

if (cd "$WORK" && timeout 30 sipp -m 1 -nostdin -timeout 20s -timeout_error \
	-trace_msg -message_file "$WORK/ue.msg" -i 127.0.0.1 -p "$UE" \
	-sf "$DIR/chain_md5.xml" "127.0.0.1:$I_SIP" >"$WORK/ue.out" 2>&1); then
	ok "SIP Digest registration through the I-CSCF: 401 then 200 with P-Associated-URI"
else
	bad "registration through the I-CSCF failed"
fi
grep -q "UAR impi=alice@open-ims.test .* -> 2001(exp)" "$WORK/hss.log" &&
	ok "first REGISTER: UAR first registration, S-CSCF selected by capabilities" ||
	bad "no UAR 2001 at the HSS"
grep -q "UAR impi=alice@open-ims.test .* -> 2002(exp)" "$WORK/hss.log" &&
	ok "second REGISTER: UAR subsequent registration (Server-Name)" ||
	bad "no UAR 2002 at the HSS"
[ "$(grep -c "REGISTER impu=sip:alice@open-ims.test -> S-CSCF sip:scscf.open-ims.test:$SC_SIP via sip:127.0.0.1:$SC_SIP" \
	"$WORK/icscf.log")" -eq 2 ] && ok "both REGISTERs went to the S-CSCF's configured address" ||
	bad "I-CSCF routing of the two REGISTERs"
state=$("$BIN/ims-hssctl" subscriber show alice@open-ims.test | grep -F " sip:alice@open-ims.test " |
	sed -n 's/.* state=\([a-z-]*\).*/\1/p')
[ "$state" = registered ] && ok "HSS: alice registered" || bad "HSS state '$state'"

stop_pid "$I_PID" && ! grep -Eq "Sanitizer|runtime error" "$WORK/icscf.log" &&
	ok "ims-icscf stopped, no sanitizer report" || bad "ims-icscf stop"
I_PID=
[ "$FAILS" -eq 0 ] || { echo "$FAILS check(s) failed"; exit 1; }
echo "all checks passed"
