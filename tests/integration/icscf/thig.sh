#!/bin/bash
# test_icscf_trust_thig: the I-CSCF at the edge of the trust domain, with a
# real ims-hss (private MariaDB) and SIPp on both sides: home nodes on
# 127.0.0.1 (trusted: trust.networks [127.0.0.1]) and another network on
# 127.0.0.2 (untrusted).
#  1. THIG off: a MESSAGE from 127.0.0.2 loses P-Asserted-Identity (and
#     P-Access-Network-Info) before the S-CSCF; one from 127.0.0.1 keeps it.
#  2. THIG on (key file): REGISTER from the other network's P-CSCF gets our
#     Path, its 200 shows a tokened Service-Route only; the originating
#     MESSAGE by that route reaches the S-CSCF's own Service-Route entry.
#     INVITE from the other network: the 200 it sees has only our tokened
#     Record-Route (no home address), ACK and BYE by it reach the S-CSCF
#     with the home Route restored. INVITE from home to the other network:
#     Via and Record-Route folded into ours, restored in the 200 coming
#     back. A forged token -> 403, logged; clean stop, no sanitizer report.
#   thig.sh BUILD_DIR SOURCE_DIR
# Ports derive from the PID; every exit path stops what was started, by PID.
set -u
BUILD=$1
SRC=$2
BIN=$BUILD/bin
DIR=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/icscf-thig.XXXXXX")
. "$SRC/tests/lib/ports.sh"
# 12000..29900, below the ephemeral range.
BASE=$(free_base 12000 1500 12)
DBPORT=$BASE DIAPORT=$((BASE + 1)) IPORT=$((BASE + 2)) P1=$((BASE + 3))
EXT=$((BASE + 4)) UE=$((BASE + 5)) HOME=$((BASE + 6))
HSS_PID= I_PID= S1_PID= X_PID=
FAILS=0

stop_pid() { # TERM, bounded wait, KILL
	[ -n "$1" ] || return 0
	kill -TERM "$1" 2>/dev/null
	for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
	kill -KILL "$1" 2>/dev/null
}
cleanup() {
	local rc=$?
	for p in "$X_PID" "$S1_PID"; do [ -n "$p" ] && { kill -KILL "$p"; wait "$p"; } 2>/dev/null; done
	stop_pid "$I_PID"; stop_pid "$HSS_PID"
	"$SRC/tests/lib/mariadb.sh" stop "$WORK/db" >/dev/null 2>&1
	if [ "$rc" -ne 0 ] || [ "$FAILS" -ne 0 ]; then
		echo "--- ims-icscf log ---"; tail -n 60 "$WORK/icscf.log" 2>/dev/null
		echo "--- ims-hss log ---"; tail -n 20 "$WORK/hss.log" 2>/dev/null
	fi
	[ -n "${KEEP_WORK:-}" ] && rm -rf /tmp/icscf-thig-last && cp -r "$WORK" /tmp/icscf-thig-last
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
die() { echo "FATAL: $*" >&2; FAILS=$((FAILS + 1)); exit 1; }
ok() { echo "ok   - $*"; }
bad() { echo "FAIL - $*"; FAILS=$((FAILS + 1)); }
wait_log() {
	local deadline=$(( $(date +%s) + $3 ))
	until grep -Eq -- "$2" "$1" 2>/dev/null; do
		[ "$(date +%s)" -ge "$deadline" ] && return 1
		sleep 0.1
	done
}
wait_udp() { # IP PORT
	local deadline=$(( $(date +%s) + 10 ))
	until ss -Hlun "src $1 and sport = :$2" 2>/dev/null | grep -q .; do
		[ "$(date +%s)" -ge "$deadline" ] && die "nothing listens on udp $1:$2"
		sleep 0.05
	done
}
# received FILE: the messages a SIPp instance received (its -trace_msg file).
received() { awk '/message received/{p=1; next} /message sent/{p=0} p' "$1" | tr -d '\r'; }
# block FILE REGEX: the received message whose text matches REGEX.
block() {
	received "$1" | awk -v re="$2" '/^[A-Z]+ [^ ]+ SIP\/2.0$|^SIP\/2.0 /{if (m) print b; b=""; m=0}
		{b = b $0 "\n"; if ($0 ~ re) m=1} END{if (m) print b}'
}
# topo: only the header lines that show topology (Contact is the UE's).
topo() { grep -E "^(Via|v|Record-Route|Route|Path|Service-Route):"; }
# hlist NAME: the values of every NAME header line on stdin, joined by ", ".
hlist() { sed -n "s/^$1: //p" | paste -sd, - | sed 's/,/, /g; s/,  */, /g'; }
# sipp_run NAME IP PORT SCENARIO [ARGS...]: one SIPp call toward the I-CSCF.
sipp_run() {
	local name=$1 ip=$2 port=$3 sf=$4
	shift 4
	(cd "$WORK" && timeout 30 sipp 127.0.0.1:"$IPORT" -sf "$sf" -i "$ip" -p "$port" -m 1 \
		-nostdin -timeout 20s -timeout_error -trace_msg -message_file "$WORK/$name.msg" \
		"$@" >"$WORK/$name.out" 2>&1)
}

export IMS_DB_HOST=127.0.0.1 IMS_DB_PORT=$DBPORT IMS_DB_USER=ims_hss \
	IMS_DB_PASSWORD=ims_hss IMS_DB_NAME=ims_hss
"$SRC/tests/lib/mariadb.sh" start "$WORK/db" "$DBPORT" || die "private MariaDB did not start"
"$BIN/ims-hssctl" db migrate --migrations "$SRC/deploy/db/migrations" >/dev/null ||
	die "db migrate failed"
"$BIN/ims-hssctl" subscriber add --impi alice@open-ims.test --impu sip:alice@open-ims.test \
	--password alice >/dev/null || die "provisioning alice failed"
"$BIN/ims-hssctl" subscriber add --impi bob@open-ims.test --impu sip:bob@open-ims.test \
	--password bob >/dev/null || die "provisioning bob failed"
"$BIN/ims-hssctl" scscf-caps set --mandatory 1 >/dev/null || die "provisioning capabilities failed"
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
HSS_PID=$("$BIN/ims-launch" --timeout 30 --log "$WORK/hss.log" -- \
	"$BIN/ims-hss" -c "$WORK/hss.yaml") || die "ims-hss did not become ready"

(cd "$WORK" && exec sipp -sf "$DIR/thig_scscf.xml" -s s1 -i 127.0.0.1 -p "$P1" -nostdin \
	-trace_msg -message_file "$WORK/s1.msg" >"$WORK/s1.out" 2>&1) &
S1_PID=$!
wait_udp 127.0.0.1 "$P1"
# alice and bob served by that S-CSCF (a SAR as it would send).
for u in alice bob; do
	"$BIN/ims-cxctl" --hss-port "$DIAPORT" --identity "cxctl-$$.open-ims.test" sar \
		--impi "$u@open-ims.test" --impu "sip:$u@open-ims.test" \
		--server "sip:scscf1.open-ims.test:$P1" --type 1 >"$WORK/sar.out" 2>&1 ||
		die "SAR for $u failed: $(cat "$WORK/sar.out")"
done

# icscf_yaml THIG_ENABLED
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
domains: [open-ims.test]
scscf:
  probe_interval: 60s
  servers:
    - name: sip:scscf1.open-ims.test:$P1
      address: 127.0.0.1:$P1
      mandatory: [1]
trust:
  networks: [127.0.0.1]
thig:
  enabled: $1
  key_file: $WORK/thig.key
YAML
}
start_icscf() {
	I_PID=$("$BIN/ims-launch" --timeout 30 --log "$WORK/icscf.log" -- \
		"$BIN/ims-icscf" -c "$WORK/icscf.yaml") || die "ims-icscf did not become ready"
	wait_log "$WORK/icscf.log" "STATE_OPEN.*hss.open-ims.test" 15 || die "I-CSCF Cx not open"
}
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$WORK/thig.key"
icscf_yaml false >"$WORK/icscf.yaml"
"$BIN/ims-icscf" --check-config -c "$WORK/icscf.yaml" >/dev/null || die "config refused"
start_icscf
ok "ims-hss, fake S-CSCF, ims-icscf (THIG off) ready"

# 1. Trust domain: P-Asserted-Identity believed from 127.0.0.1 only.
pai_msg() { # NAME IP PORT
	sed -e "s|@METHOD@|MESSAGE|g" -e "s|@RURI@|sip:alice@open-ims.test|g" \
		-e "s|@TO@|<sip:alice@open-ims.test>|g" \
		-e "s|@EXTRA@|P-Asserted-Identity: <sip:boss@open-ims.test>\nP-Access-Network-Info: 3GPP-E-UTRAN-FDD; utran-cell-id-3gpp=001010000000001|" \
		"$DIR/uac.xml" >"$WORK/$1.xml"
	sipp_run "$1" "$2" "$3" "$WORK/$1.xml" -s "$1"
}
pai_msg trusted 127.0.0.1 "$UE" || bad "MESSAGE from the trusted side failed"
pai_msg untrusted 127.0.0.2 "$UE" || bad "MESSAGE from the untrusted side failed"
m=$(block "$WORK/s1.msg" "^From: <sip:trusted@")
echo "$m" | grep -q "^P-Asserted-Identity: <sip:boss@open-ims.test>" &&
	echo "$m" | grep -q "^P-Access-Network-Info:" &&
	ok "from a trusted peer: P-Asserted-Identity and P-Access-Network-Info kept" ||
	bad "trusted MESSAGE at the S-CSCF: $m"
m=$(block "$WORK/s1.msg" "^From: <sip:untrusted@")
[ -n "$m" ] && ! echo "$m" | grep -Eq "^P-Asserted-Identity|^P-Access-Network-Info" &&
	ok "from outside the trust domain: P-Asserted-Identity and P-Access-Network-Info removed" ||
	bad "untrusted MESSAGE at the S-CSCF: $m"
grep -q "from outside the trust domain, 2 header(s) removed" "$WORK/icscf.log" &&
	ok "removal logged" || bad "removal not logged"
stop_pid "$I_PID"; I_PID=
grep -Eq "Sanitizer|runtime error" "$WORK/icscf.log" && bad "sanitizer report (THIG off)" ||
	ok "ims-icscf (THIG off) stopped, no sanitizer report"

# 2. THIG on.
icscf_yaml true >"$WORK/icscf.yaml"
mv "$WORK/icscf.log" "$WORK/icscf-trust.log"
start_icscf
wait_log "$WORK/icscf.log" "THIG on" 5 && ok "ims-icscf restarted with THIG on" || bad "THIG not on"
HIDDEN="127\.0\.0\.1:$P1|x=pcscf|x=scscf|scscf1"

# 2a. REGISTER from the other network's P-CSCF.
sipp_run extreg 127.0.0.2 "$UE" "$DIR/thig_ext_reg.xml" -s alice &&
	ok "REGISTER from the other network: 200" || bad "REGISTER through THIG failed"
m=$(block "$WORK/s1.msg" "^CSeq: 1 REGISTER")
echo "$m" | grep -Eq "^Path: <sip:127.0.0.1:$IPORT;lr>(,|$)" &&
	ok "the S-CSCF sees the I-CSCF on top of Path" || bad "Path at the S-CSCF: $m"
sr=$(received "$WORK/extreg.msg" | sed -n 's/^Service-Route: //p')
echo "$sr" | grep -Eqx "<sip:127.0.0.1:$IPORT;lr;thig=[A-Za-z0-9_-]+>" &&
	ok "the other network sees one tokened Service-Route of the I-CSCF" ||
	bad "Service-Route seen outside: '$sr'"
# Originating request from that P-CSCF by the Service-Route it got.
sed -e "s|@METHOD@|MESSAGE|g" -e "s|@RURI@|sip:bob@open-ims.test|g" \
	-e "s|@TO@|<sip:bob@open-ims.test>|g" -e "s|@EXTRA@|Route: $sr|" \
	"$DIR/uac.xml" >"$WORK/orig.xml"
sipp_run orig 127.0.0.2 "$UE" "$WORK/orig.xml" -s visitedue -trace_logs -log_file "$WORK/orig.log"
grep -q "RESULT code=200 served=s1" "$WORK/orig.log" &&
	ok "originating MESSAGE by the tokened Service-Route: 200 from the S-CSCF" ||
	bad "originating MESSAGE: $(cat "$WORK/orig.log" 2>/dev/null)"
m=$(block "$WORK/s1.msg" "^From: <sip:visitedue@")
echo "$m" | grep -q "^Route: <sip:orig@127.0.0.1:$P1;lr;x=scscf>" &&
	ok "... with the S-CSCF's own Service-Route entry restored as Route" ||
	bad "originating MESSAGE at the S-CSCF: $m"
r=$(received "$WORK/extreg.msg"; received "$WORK/orig.msg")
r=$(echo "$r" | topo)
[ -n "$r" ] && ! echo "$r" | grep -Eq "$HIDDEN" &&
	ok "no home address in what the other network received (REGISTER, MESSAGE)" ||
	bad "home address leaked to the other network: $r"

# 2b. INVITE from the other network; ACK and BYE by the tokened route.
t0=$(date +%s%N)
sipp_run extinv 127.0.0.2 "$EXT" "$DIR/thig_ext_invite.xml" -s carol &&
	ok "INVITE / 200 / ACK / BYE / 200 from the other network through THIG" ||
	bad "INVITE dialog from the other network failed"
r=$(received "$WORK/extinv.msg" | topo)
echo "$r" | grep -Eq "^Record-Route: <sip:127.0.0.1:$IPORT;lr;thig=[A-Za-z0-9_-]+>$" &&
	ok "the caller sees only the I-CSCF's tokened Record-Route" ||
	bad "Record-Route seen by the caller: $(echo "$r" | grep -i '^Record-Route')"
[ -n "$r" ] && ! echo "$r" | grep -Eq "$HIDDEN" &&
	ok "no home address in Via/Record-Route of what the caller received" ||
	bad "home address leaked to the caller: $r"
m=$(block "$WORK/s1.msg" "^Subject: thig-invite")
echo "$m" | grep -q "^Record-Route: <sip:127.0.0.1:$IPORT;lr>" &&
	ok "the I-CSCF Record-Routes the dialog (clear inside)" || bad "INVITE at the S-CSCF: $m"
[ -z "$m" ] || echo "$m" | grep -q "^P-Asserted-Identity" && bad "PAI from the other network reached home" ||
	ok "PAI of the other network removed"
for meth in ACK BYE; do
	m=$(block "$WORK/s1.msg" "^CSeq: [0-9]+ $meth")
	[ "$(echo "$m" | hlist Route)" = "<sip:127.0.0.1:$P1;lr;x=scscf>, <sip:127.0.0.1:$P1;lr;x=pcscf>" ] &&
		ok "$meth came back by the token with the home Route restored (reversed Record-Route)" ||
		bad "$meth at the S-CSCF: $m"
done

# 2c. INVITE from home to the other network.
(cd "$WORK" && exec sipp -sf "$DIR/thig_ext_uas.xml" -i 127.0.0.2 -p "$EXT" -m 1 -nostdin \
	-trace_msg -message_file "$WORK/extuas.msg" >"$WORK/extuas.out" 2>&1) &
X_PID=$!
wait_udp 127.0.0.2 "$EXT"
sed -e "s|@EXT@|127.0.0.2:$EXT|" "$DIR/thig_home_uac.xml" >"$WORK/home_uac.xml"
sipp_run homeuac 127.0.0.1 "$HOME" "$WORK/home_uac.xml" -s alice &&
	ok "INVITE from home to the other network: 200 back" || bad "outgoing INVITE failed"
wait "$X_PID" 2>/dev/null; X_PID=
HIDDEN_OUT="127\.0\.0\.1:$HOME|x=pcscf|x=scscf|z9hG4bKinner"
r=$(received "$WORK/extuas.msg")
[ -n "$r" ] && ! echo "$r" | topo | grep -Eq "$HIDDEN_OUT" &&
	ok "the other network sees no home Via / Record-Route entry" ||
	bad "home address leaked in the request sent out: $r"
echo "$r" | grep -Eq "^Record-Route: <sip:127.0.0.1:$IPORT;lr;thig=[A-Za-z0-9_-]+>$" &&
	ok "... only the I-CSCF's tokened Record-Route" || bad "outgoing Record-Route: $r"
[ -z "$r" ] || echo "$r" | grep -Eq "^P-Asserted-Identity|^P-Charging-Function-Addresses" &&
	bad "PAI (Privacy: id) or P-Charging-Function-Addresses left the trust domain" ||
	ok "PAI (Privacy: id) and P-Charging-Function-Addresses removed toward the other network"
r=$(received "$WORK/homeuac.msg" | awk '/^SIP\/2.0 200/{p=1} p')
echo "$r" | grep -q "^Via: .*z9hG4bKinner" && [ "$(echo "$r" | hlist Record-Route)" = \
	"<sip:127.0.0.1:$IPORT;lr>, <sip:127.0.0.1:$HOME;lr;x=scscf>, <sip:127.0.0.1:$HOME;lr;x=pcscf>" ] &&
	ok "the 200 coming back home has the Vias and Record-Route restored" ||
	bad "200 at home: $r"

# 2d. A forged token: 403, logged, the I-CSCF still serves.
sed -e "s|@METHOD@|MESSAGE|g" -e "s|@RURI@|sip:bob@open-ims.test|g" \
	-e "s|@TO@|<sip:bob@open-ims.test>|g" \
	-e "s|@EXTRA@|Route: <sip:127.0.0.1:$IPORT;lr;thig=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA>|" \
	"$DIR/uac.xml" >"$WORK/forged.xml"
sipp_run forged 127.0.0.2 "$UE" "$WORK/forged.xml" -s mallory -trace_logs -log_file "$WORK/forged.log"
grep -q "RESULT code=403" "$WORK/forged.log" && ok "forged token -> 403" ||
	bad "forged token: $(cat "$WORK/forged.log" 2>/dev/null)"
grep -q "THIG token refused" "$WORK/icscf.log" && ok "forged token logged" || bad "not logged"

kill -0 "$I_PID" 2>/dev/null && ok "ims-icscf still running" || bad "ims-icscf died"
stop_pid "$I_PID"; I_PID=
grep -Eq "Sanitizer|runtime error" "$WORK/icscf.log" && bad "sanitizer report in the log" ||
	ok "ims-icscf stopped, no sanitizer report"
[ "$FAILS" -eq 0 ] || { echo "$FAILS check(s) failed"; exit 1; }
echo "all checks passed"
