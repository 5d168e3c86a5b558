#!/bin/bash
# test_icscf_routing_failover: ims-icscf between a SIPp UE and fake
# S-CSCFs (SIPp UAS), with a real ims-hss on a private MariaDB:
#  - REGISTER: UAR -> capabilities -> the S-CSCF with the optional
#    capability gets it, and the 200 comes back to the UE;
#  - that S-CSCF dies: the next REGISTER fails over (UAR type 2) to the other
#    one; the dead one is then avoided; after SIGHUP it is probed, found
#    alive again and selected again; a hung one costs response_timeout;
#  - unknown user REGISTER -> 403; MESSAGE to unregistered alice (sip and
#    tel, directly and through the number table) -> 480; unknown -> 404;
#    no capable S-CSCF -> 600; HSS down -> 480 within the Cx bound;
#  - after a SAR: LIR Server-Name routing with Route (and orig), user=phone
#    as tel URI, in-dialog requests by Route; clean stop with a REGISTER
#    still in flight (exit 0, no sanitizer report).
#   run.sh BUILD_DIR SOURCE_DIR
# Ports derive from the PID; every exit path stops what was started, by PID.
set -u
BUILD=$1
SRC=$2
BIN=$BUILD/bin
DIR=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/icscf-it.XXXXXX")
. "$SRC/tests/lib/ports.sh"
# 10000..19600: below the ephemeral range.
BASE=$(free_base 10000 1200)
DBPORT=$BASE; DIAPORT=$((BASE + 1)); IPORT=$((BASE + 2)); P1=$((BASE + 3))
P2=$((BASE + 4)); UEPORT=$((BASE + 5)); P3=$((BASE + 6))
HSS_WRAP= HSS_PID= I_WRAP= I_PID= S1_PID= S2_PID= S3_PID=
FAILS=0

stop_pid() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null && kill -KILL "$1" 2>/dev/null; }
cleanup() {
	local rc=$?
	for p in "$S1_PID" "$S2_PID" "$S3_PID" "$I_PID" "$I_WRAP" "$HSS_PID" "$HSS_WRAP"; do stop_pid "$p"; done
	"$SRC/tests/lib/mariadb.sh" stop "$WORK/db" >/dev/null 2>&1
	if [ "$rc" -ne 0 ] || [ "$FAILS" -ne 0 ]; then
		echo "--- ims-icscf log ---"; tail -n 80 "$WORK/icscf.log" 2>/dev/null
		echo "--- ims-hss log ---"; tail -n 30 "$WORK/hss.log" 2>/dev/null
		echo "--- mariadb log ---"; tail -n 10 "$WORK/db/error.log" 2>/dev/null
	fi
	[ -n "${KEEP_WORK:-}" ] && cp -r "$WORK" /tmp/icscf-it-last
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

die() { echo "FATAL: $*" >&2; FAILS=$((FAILS + 1)); exit 1; }
ok() { echo "ok   - $*"; }
bad() { echo "FAIL - $*"; FAILS=$((FAILS + 1)); }

# wait_log FILE REGEX SECONDS: bounded wait for a log line (no fixed sleep).
wait_log() {
	local deadline=$(( $(date +%s) + $3 ))
	until grep -Eq -- "$2" "$1" 2>/dev/null; do
		[ "$(date +%s)" -ge "$deadline" ] && return 1
		sleep 0.1
	done
}
# wait_udp PORT: bounded wait until something listens on 127.0.0.1:PORT/udp.
wait_udp() {
	local deadline=$(( $(date +%s) + 10 ))
	until ss -Hlun "sport = :$1" 2>/dev/null | grep -q .; do
		[ "$(date +%s)" -ge "$deadline" ] && die "nothing listens on udp port $1"
		sleep 0.05
	done
}
# wait_count FILE REGEX N SECONDS: bounded wait for N matching lines.
wait_count() {
	local deadline=$(( $(date +%s) + $4 ))
	until [ "$(count "$1" "$2")" -ge "$3" ]; do
		[ "$(date +%s)" -ge "$deadline" ] && return 1
		sleep 0.05
	done
}
count() { grep -Ec -- "$2" "$1" 2>/dev/null; }

# fake_scscf NAME PORT [SCENARIO]: a SIPp UAS in the background; prints its PID.
fake_scscf() {
	(cd "$WORK" && exec sipp -sf "$DIR/${3:-scscf.xml}" -s "$1" -i 127.0.0.1 -p "$2" -nostdin \
		-trace_msg -message_file "$WORK/$1.msg" >>"$WORK/$1.out" 2>&1) &
	echo $!
}

# ue NAME METHOD RURI TO EXTRA: one request, prints "code=N served=X".
ue() {
	local log="$WORK/ue-$1.log" sf="$WORK/ue-$1.xml" user=${4#*:}
	user=${user%%[@>]*}
	sed -e "s|@METHOD@|$2|g" -e "s|@RURI@|$3|g" -e "s|@TO@|$4|g" -e "s|@EXTRA@|$5|g" \
		"$DIR/uac.xml" >"$sf"
	(cd "$WORK" && timeout 25 sipp 127.0.0.1:"$IPORT" -sf "$sf" -s "$user" \
		-i 127.0.0.1 -p "$UEPORT" -m 1 -nostdin -timeout 20s -timeout_error \
		-trace_logs -log_file "$log" >"$WORK/ue-$1.out" 2>&1)
	sed -n 's/.*RESULT \(code=[0-9]* served=[a-z0-9]*\).*/\1/p' "$log" 2>/dev/null | tail -n1
}
# expect_ue DESC WANT NAME METHOD RURI TO EXTRA
expect_ue() {
	local desc=$1 want=$2 got
	shift 2
	got=$(ue "$@")
	if [ "$got" = "$want" ]; then ok "$desc ($got)"; else bad "$desc: got '$got', want '$want'"; fi
}
REG_EXTRA="P-Visited-Network-ID: open-ims.test"

export IMS_DB_HOST=127.0.0.1 IMS_DB_PORT=$DBPORT IMS_DB_USER=ims_hss \
	IMS_DB_PASSWORD=ims_hss IMS_DB_NAME=ims_hss
"$SRC/tests/lib/mariadb.sh" start "$WORK/db" "$DBPORT" || die "private MariaDB did not start"
"$BIN/ims-hssctl" db migrate --migrations "$SRC/deploy/db/migrations" >/dev/null ||
	die "db migrate failed"
"$BIN/ims-hssctl" subscriber add --impi alice@open-ims.test --impu sip:alice@open-ims.test \
	--impu tel:+4930100001 --k 465b5ce8b199b49faa5f0a2ee238a6bc \
	--op cdc202d5123e20f62b6d676ac72cb318 --amf 8000 --password alice --auth aka,digest \
	>/dev/null || die "provisioning alice failed"
# Users need capability 1; capability 2 is preferred (only scscf1 has it).
"$BIN/ims-hssctl" scscf-caps set --mandatory 1 --optional 2 >/dev/null ||
	die "provisioning S-CSCF capabilities failed"

cat >"$WORK/hss.yaml" <<YAML
log:
  level: info
diameter:
  identity: hss.open-ims.test
  realm: open-ims.test
  listen: 127.0.0.1
  port: $DIAPORT
  app_threads: 2
  accept_unknown_peers: true
database:
  host: 127.0.0.1
  port: $DBPORT
  user: ims_hss
  password: ims_hss
  name: ims_hss
YAML
HSS_WRAP=$("$BIN/ims-launch" --timeout 30 --log "$WORK/hss.log" -- bash -c \
	'"$0" -c "$1"' "$BIN/ims-hss" "$WORK/hss.yaml") || die "ims-hss did not become ready"
HSS_PID=$(pgrep -P "$HSS_WRAP" | head -n1)
[ -n "$HSS_PID" ] || HSS_PID=$HSS_WRAP # bash exec'd the daemon itself

S1_PID=$(fake_scscf s1 "$P1")
S2_PID=$(fake_scscf s2 "$P2")
wait_udp "$P1"; wait_udp "$P2"

# icscf_yaml PROBE_INTERVAL FIRST_SERVER: the pool is FIRST_SERVER (name,
# port; it has the optional capability 2) and scscf2 (mandatory only).
icscf_yaml() {
	cat <<YAML
log:
  level: info
sip:
  address: 127.0.0.1
  port: $IPORT
diameter:
  identity: icscf.open-ims.test
  realm: open-ims.test
  port: 0
  peers:
    - identity: hss.open-ims.test
      address: 127.0.0.1
      port: $DIAPORT
  max_pending: 4
cx:
  timeout: 2s
domains: [open-ims.test]
scscf:
  probe_interval: $1
  response_timeout: 2s
  servers:
    - name: sip:$2.open-ims.test:$3
      address: 127.0.0.1:$3
      mandatory: [1]
      optional: [2]
    - name: sip:scscf2.open-ims.test:$P2
      address: 127.0.0.1:$P2
      mandatory: [1]
tel_numbers:
  - number: "+49-30-199999"
    uri: sip:alice@open-ims.test
YAML
}
# A long keep-alive period first, so that the failover below is the
# REGISTER's own (not the probe's).
icscf_yaml 60s scscf1 "$P1" >"$WORK/icscf.yaml"
I_WRAP=$("$BIN/ims-launch" --timeout 30 --log "$WORK/icscf.log" -- bash -c \
	'"$0" -c "$1"; echo $? >"$2"' "$BIN/ims-icscf" "$WORK/icscf.yaml" "$WORK/icscf.status") ||
	die "ims-icscf did not become ready"
I_PID=$(pgrep -P "$I_WRAP" | head -n1)
[ -n "$I_PID" ] || die "no ims-icscf under wrapper $I_WRAP"
ok "ims-hss and ims-icscf ready"
wait_log "$WORK/icscf.log" "STATE_OPEN.*hss.open-ims.test|hss.open-ims.test.*STATE_OPEN" 15 ||
	die "Cx connection to the HSS not open"
wait_log "$WORK/s1.msg" "^OPTIONS " 5 && wait_log "$WORK/s2.msg" "^OPTIONS " 5 &&
	ok "both S-CSCFs got an OPTIONS keep-alive" || bad "no OPTIONS keep-alive seen"

# 1. Selection by capabilities: scscf1 (mandatory + optional) wins.
expect_ue "REGISTER goes to the S-CSCF with most capabilities, 200 back" "code=200 served=s1" \
	reg1 REGISTER sip:open-ims.test "<sip:alice@open-ims.test>" "$REG_EXTRA"
[ "$(count "$WORK/s2.msg" '^REGISTER ')" -eq 0 ] && ok "scscf2 got no REGISTER" ||
	bad "scscf2 got a REGISTER"

# 2. scscf1 dies: failover (UAR REGISTRATION_AND_CAPABILITIES) to scscf2.
kill -KILL "$S1_PID"; wait "$S1_PID" 2>/dev/null; S1_PID=
t0=$(date +%s%N)
expect_ue "REGISTER fails over to scscf2 when scscf1 is dead" "code=200 served=s2" \
	reg2 REGISTER sip:open-ims.test "<sip:alice@open-ims.test>" "$REG_EXTRA"
echo "     failover REGISTER took $(( ($(date +%s%N) - t0) / 1000000 )) ms"
[ "$(count "$WORK/icscf.log" 'selecting another')" -eq 1 ] && ok "the failover was the REGISTER's own" ||
	bad "no failover logged"
grep -q "UAR .*type=2" "$WORK/icscf.log" && ok "failover used UAR type REGISTRATION_AND_CAPABILITIES" ||
	bad "no UAR type 2"

# 3. The dead one is now avoided (no second failover).
expect_ue "next REGISTER avoids the dead S-CSCF" "code=200 served=s2" \
	reg3 REGISTER sip:open-ims.test "<sip:alice@open-ims.test>" "$REG_EXTRA"
[ "$(count "$WORK/icscf.log" 'selecting another')" -eq 1 ] && ok "no second failover" ||
	bad "dead S-CSCF tried again"

# 4. scscf1 is back; SIGHUP reloads with a short keep-alive, probes find it.
S1_PID=$(fake_scscf s1 "$P1")
wait_udp "$P1"
icscf_yaml 1s scscf1 "$P1" >"$WORK/icscf.yaml"
kill -HUP "$I_PID"
wait_log "$WORK/icscf.log" "pool reloaded" 5 && ok "SIGHUP reloaded the S-CSCF pool" ||
	bad "no reload"
wait_log "$WORK/icscf.log" "scscf1.*up" 5 && ok "recovered S-CSCF seen up by keep-alive" ||
	bad "scscf1 not seen up again"
expect_ue "REGISTER goes to the recovered S-CSCF" "code=200 served=s1" \
	reg4 REGISTER sip:open-ims.test "<sip:alice@open-ims.test>" "$REG_EXTRA"

# 5. Errors mapped from Cx.
expect_ue "REGISTER of an unknown user -> 403" "code=403 served=" \
	reg5 REGISTER sip:open-ims.test "<sip:mallory@open-ims.test>" "$REG_EXTRA"
expect_ue "REGISTER Expires: 0 of a user never registered -> 403" "code=403 served=" \
	reg6 REGISTER sip:open-ims.test "<sip:alice@open-ims.test>" "Expires: 0"
expect_ue "MESSAGE to unregistered alice -> 480 (LIR 5003)" "code=480 served=" \
	msg1 MESSAGE sip:alice@open-ims.test "<sip:alice@open-ims.test>" "Subject: t"
expect_ue "MESSAGE to alice's tel URI -> 480 (LIR on the tel URI)" "code=480 served=" \
	msg2 MESSAGE tel:+4930100001 "<tel:+4930100001>" "Subject: t"
grep -q "LIR impu=tel:+4930100001" "$WORK/icscf.log" && ok "LIR asked for tel:+4930100001" ||
	bad "no LIR for the tel URI"
expect_ue "MESSAGE to a number of the static table -> 480 for alice" "code=480 served=" \
	msg3 MESSAGE tel:+4930199999 "<tel:+4930199999>" "Subject: t"
grep -q "number +4930199999 -> sip:alice@open-ims.test" "$WORK/icscf.log" &&
	ok "static number table translated the tel URI" || bad "no number translation"
expect_ue "MESSAGE to an unknown user -> 404 (LIR 5001)" "code=404 served=" \
	msg4 MESSAGE sip:nobody@open-ims.test "<sip:nobody@open-ims.test>" "Subject: t"
expect_ue "OPTIONS to the I-CSCF itself -> 200" "code=200 served=" \
	opt1 OPTIONS "sip:127.0.0.1:$IPORT" "<sip:127.0.0.1:$IPORT>" "Accept: application/sdp"

# 6. A hung S-CSCF (takes the request, never answers): after SIGHUP it
# replaces scscf1 (probed once, judged only a minute later); the REGISTER
# times out there after response_timeout (408) and fails over.
S3_PID=$(fake_scscf s3 "$P3" silent.xml)
wait_udp "$P3"
icscf_yaml 60s scscf3 "$P3" >"$WORK/icscf.yaml"
kill -HUP "$I_PID"
wait_log "$WORK/s3.msg" "^OPTIONS " 5 || bad "scscf3 got no OPTIONS after the reload"
t0=$(date +%s%N)
expect_ue "REGISTER fails over from a hung S-CSCF" "code=200 served=s2" \
	reg7 REGISTER sip:open-ims.test "<sip:alice@open-ims.test>" "$REG_EXTRA"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$ms" -ge 1900 ] && [ "$ms" -lt 8000 ] && ok "hung S-CSCF cost ${ms} ms (response_timeout 2s)" ||
	bad "hung S-CSCF failover took ${ms} ms"
grep -q "scscf3.* answered 408, selecting another" "$WORK/icscf.log" && ok "timeout seen as 408" ||
	bad "no 408 failover from scscf3"

# 7. alice assigned to scscf2 (SAR as an S-CSCF would): LIR names it, the
# request goes there with a Route to it; orig Route -> Originating-Request.
"$BIN/ims-cxctl" --hss-port "$DIAPORT" --identity "cxctl-$$.open-ims.test" sar \
	--impi alice@open-ims.test --impu sip:alice@open-ims.test \
	--server "sip:scscf2.open-ims.test:$P2" --type 1 >"$WORK/sar.out" 2>&1 ||
	bad "SAR through ims-cxctl failed: $(cat "$WORK/sar.out")"
expect_ue "MESSAGE to registered alice reaches her S-CSCF" "code=200 served=s2" \
	msg5 MESSAGE sip:alice@open-ims.test "<sip:alice@open-ims.test>" "Subject: t"
grep -q "^Route: <sip:scscf2.open-ims.test:$P2;lr>" "$WORK/s2.msg" &&
	ok "terminating request carries Route to the S-CSCF" || bad "no Route to scscf2"
expect_ue "originating MESSAGE (orig Route) reaches the S-CSCF" "code=200 served=s2" \
	msg6 MESSAGE sip:alice@open-ims.test "<sip:alice@open-ims.test>" \
	"Route: <sip:127.0.0.1:$IPORT;lr;orig>, <sip:as.open-ims.test;lr>"
# The last MESSAGE scscf2 got: first Route is its own (with orig), then the
# rest of the original Route set.
routes=$(tr -d '\r' <"$WORK/s2.msg" | awk '/^MESSAGE /{r=""} /^Route:/{r=r $0 "|"} END{print r}')
case "$routes" in
"Route: <sip:scscf2.open-ims.test:$P2;lr;orig>|"*as.open-ims.test*)
	ok "originating request: orig Route to the S-CSCF on top of the Route set" ;;
*)	bad "Route set at scscf2: $routes" ;;
esac
grep -q "LIR impu=sip:alice@open-ims.test originating" "$WORK/icscf.log" &&
	ok "LIR carried Originating-Request" || bad "LIR without Originating-Request"
expect_ue "MESSAGE to sip:+number;user=phone is located as a tel URI" "code=200 served=s2" \
	msg7 MESSAGE "sip:+4930100001@open-ims.test;user=phone" \
	"<sip:+4930100001@open-ims.test;user=phone>" "Subject: t"
grep -q "LIR impu=tel:+4930100001$" "$WORK/icscf.log" || grep -q "LIR impu=tel:+4930100001 " \
	"$WORK/icscf.log" && ok "user=phone asked as tel URI" || bad "no tel LIR for user=phone"
expect_ue "REGISTER follows the Server-Name of the UAA" "code=200 served=s2" \
	reg8 REGISTER sip:open-ims.test "<sip:alice@open-ims.test>" "$REG_EXTRA"

expect_ue "INVITE to an unknown user -> 404 (after 100 Trying)" "code=404 served=" \
	inv1 INVITE sip:nobody@open-ims.test "<sip:nobody@open-ims.test>" "Subject: t"

# In-dialog request (To tag): not for the HSS, forwarded by its Route set.
expect_ue "in-dialog MESSAGE follows its Route set, no LIR" "code=200 served=s2" \
	dlg1 MESSAGE sip:alice@127.0.0.1 "<sip:alice@open-ims.test>;tag=dlg1" \
	"Route: <sip:127.0.0.1:$IPORT;lr>, <sip:127.0.0.1:$P2;lr>"
grep -q "LIR impu=sip:alice@127.0.0.1" "$WORK/icscf.log" && bad "in-dialog request made a LIR" ||
	ok "in-dialog request made no LIR"

# 8. Stop while a REGISTER waits on a hung S-CSCF (the only one left):
# clean exit, nothing leaked or touched after free.
"$BIN/ims-hssctl" subscriber add --impi bob@open-ims.test --impu sip:bob@open-ims.test \
	--password bob >/dev/null || bad "provisioning bob failed"
cat >"$WORK/icscf.yaml" <<YAML
log:
  level: info
sip:
  address: 127.0.0.1
  port: $IPORT
diameter:
  identity: icscf.open-ims.test
  realm: open-ims.test
  port: 0
  peers:
    - identity: hss.open-ims.test
      address: 127.0.0.1
      port: $DIAPORT
scscf:
  probe_interval: 60s
  response_timeout: 10s
  servers:
    - name: sip:scscf3.open-ims.test:$P3
      address: 127.0.0.1:$P3
YAML
kill -HUP "$I_PID"
wait_log "$WORK/icscf.log" "pool reloaded: 1 server" 5 || bad "third reload not seen"
# That S-CSCF lacks the mandatory capability 1: nobody can serve bob.
expect_ue "REGISTER with no capable S-CSCF -> 600" "code=600 served=" \
	reg10 REGISTER sip:open-ims.test "<sip:bob@open-ims.test>" "$REG_EXTRA"
sed -i 's|^      address: 127.0.0.1:'"$P3"'$|&\n      mandatory: [1]|' "$WORK/icscf.yaml"
kill -HUP "$I_PID"
wait_count "$WORK/icscf.log" "pool reloaded: 1 server" 2 5 || bad "fourth reload not seen"
sed -e "s|@METHOD@|REGISTER|g" -e "s|@RURI@|sip:open-ims.test|g" \
	-e "s|@TO@|<sip:bob@open-ims.test>|g" -e "s|@EXTRA@|$REG_EXTRA|g" "$DIR/uac.xml" >"$WORK/ue-reg9.xml"
(cd "$WORK" && exec sipp 127.0.0.1:"$IPORT" -sf "$WORK/ue-reg9.xml" -s bob -i 127.0.0.1 \
	-p "$UEPORT" -m 1 -nostdin -timeout 20s >"$WORK/ue-reg9.out" 2>&1) &
UE_PID=$!
wait_log "$WORK/s3.msg" "^To: <sip:bob@open-ims.test>" 10 &&
	ok "REGISTER of bob waits at the hung S-CSCF" || bad "bob's REGISTER did not reach scscf3"

# HSS frozen (SIGSTOP): UARs pile up. Beyond 3 in flight (75 % of
# diameter.max_pending 4) a new REGISTER is refused 503 + Retry-After at
# once, statelessly (the sipagent screen); those waiting get 480 after cx.timeout.
kill -STOP "$HSS_PID"
python3 - "$IPORT" >"$WORK/storm.out" 2>&1 <<'PY'
import socket, sys, time
port = int(sys.argv[1])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
s.settimeout(0.3)
me = s.getsockname()[1]
for i in range(8):
    s.sendto(("REGISTER sip:open-ims.test SIP/2.0\r\n"
              "Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK-storm%d;rport\r\n"
              "Max-Forwards: 70\r\nFrom: <sip:alice@open-ims.test>;tag=st%d\r\n"
              "To: <sip:alice@open-ims.test>\r\nCall-ID: storm-%d\r\nCSeq: 1 REGISTER\r\n"
              "Contact: <sip:alice@127.0.0.1:%d>\r\nP-Visited-Network-ID: open-ims.test\r\n"
              "Expires: 600\r\nContent-Length: 0\r\n\r\n" % (me, i, i, i, me)).encode(),
             ("127.0.0.1", port))
    time.sleep(0.05)
end = time.time() + 4
while time.time() < end:
    try:
        d = s.recv(65535).decode(errors="replace")
    except socket.timeout:
        continue
    first = d.split("\r\n", 1)[0]
    ra = [l for l in d.split("\r\n") if l.lower().startswith("retry-after:")]
    print(first, ra[0] if ra else "")
PY
kill -CONT "$HSS_PID"
n503=$(grep -c "^SIP/2.0 503 .*Retry-After: 2" "$WORK/storm.out")
n480=$(grep -c "^SIP/2.0 480" "$WORK/storm.out")
[ "$n503" -ge 4 ] && [ "$n480" -ge 1 ] &&
	ok "REGISTER storm with the HSS frozen: $n503 refused 503 + Retry-After at once, $n480 waited for Cx (480)" ||
	bad "REGISTER storm: $n503 x 503, $n480 x 480: $(tr '\n' '|' <"$WORK/storm.out")"

# HSS gone: the UAR cannot complete; 480 within the Cx bound (2s), no hang.
kill -KILL "$HSS_PID"; HSS_PID=
UEPORT=$((BASE + 7))
t0=$(date +%s%N)
expect_ue "REGISTER while the HSS is down -> 480" "code=480 served=" \
	reg11 REGISTER sip:open-ims.test "<sip:alice@open-ims.test>" "$REG_EXTRA"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$ms" -lt 5000 ] && ok "HSS failure answered in ${ms} ms" || bad "HSS failure took ${ms} ms"

# 9. Clean stop: exit 0, no sanitizer report.
kill -TERM "$I_PID"
deadline=$(( $(date +%s) + 20 ))
while kill -0 "$I_PID" 2>/dev/null && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.1; done
wait_log "$WORK/icscf.status" "." 5
[ "$(cat "$WORK/icscf.status" 2>/dev/null)" = "0" ] && ok "ims-icscf stopped cleanly (exit 0)" ||
	bad "ims-icscf exit status '$(cat "$WORK/icscf.status" 2>/dev/null)'"
grep -Eq "Sanitizer|runtime error" "$WORK/icscf.log" && bad "sanitizer report in the log" ||
	ok "no sanitizer report"
I_PID=
kill -KILL "$UE_PID" 2>/dev/null; wait "$UE_PID" 2>/dev/null

[ "$FAILS" -eq 0 ] || { echo "$FAILS check(s) failed"; exit 1; }
echo "all checks passed"
