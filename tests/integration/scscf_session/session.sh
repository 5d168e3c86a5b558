#!/bin/bash
# test_scscf_session: S-CSCF session control against a real ims-hss
# (private MariaDB provisioned with ims-hssctl). SIPp plays the UEs: alice
# and bob register straight at the S-CSCF with a Path pointing at their own
# SIPp port (so terminating requests reach them), a fake I-CSCF, and an AS.
#   MESSAGE alice -> bob (orig Route, PAI kept, contact + Path),
#   INVITE/180/200/ACK/BYE alice -> bob through our Record-Route,
#   tel URI via the number table, unknown number 404,
#   callee of our domain not registered here -> I-CSCF; terminating
#   request for an unregistered user -> 480; unknown or missing asserted
#   identity -> 403; forged ODI -> 403;
#   iFC (session case 1, MESSAGE) -> AS -> back along the ODI -> dave; an AS
#   that does not answer before it (SESSION_CONTINUED) is skipped;
#   originating iFC -> AS -> back -> callee; dead AS with
#   SESSION_TERMINATED -> its error upstream;
#   unregistered callee with an unregistered-part iFC -> SAR
#   UNREGISTERED_USER -> AS.
#   session.sh BUILD_DIR SOURCE_DIR
# Ports: a free block found from the PID; every exit path stops what we
# started, by PID; every wait is bounded.
set -u
BUILD=$1
SRC=$2
# shellcheck source=lib.sh
. "$SRC/tests/integration/scscf_session/lib.sh" sess
ALICE=$((BASE + 4)) BOB=$((BASE + 5)) ICSCF=$((BASE + 6)) AS=$((BASE + 7)) DEAD_AS=$((BASE + 8))
DEAD_AS2=$((BASE + 9)) # the HSS keeps DefaultHandling per AS: one per behaviour

# reg USER PASSWORD PORT [EXPIRES [CONTACT_PORT]]: SIP Digest registration
# from PORT, Contact and Path = CONTACT_PORT (default PORT; EXPIRES 0:
# de-registration).
reg() {
	local user=$1 pw=$2 port=$3 expires=${4:-600} cport=${5:-[local_port]}
	cat >"$WORK/reg_$user.xml" <<XML
<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="register $user">
  <send retrans="500">
    <![CDATA[

      REGISTER sip:open-ims.test SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      Max-Forwards: 70
      From: <sip:$user@open-ims.test>;tag=[pid]r[call_number]
      To: <sip:$user@open-ims.test>
      Call-ID: [call_id]
      CSeq: 1 REGISTER
      Contact: <sip:$user@[local_ip]:$cport>
      Path: <sip:term@[local_ip]:$cport;lr>
      Supported: path
      Authorization: Digest username="$user@open-ims.test", realm="open-ims.test", nonce="", uri="sip:open-ims.test", response="", algorithm=MD5
      Expires: $expires
      Content-Length: 0

    ]]>
  </send>
  <recv response="401" auth="true"/>
  <send retrans="500">
    <![CDATA[

      REGISTER sip:open-ims.test SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      Max-Forwards: 70
      From: <sip:$user@open-ims.test>;tag=[pid]r[call_number]
      To: <sip:$user@open-ims.test>
      Call-ID: [call_id]
      CSeq: 2 REGISTER
      Contact: <sip:$user@[local_ip]:$cport>
      Path: <sip:term@[local_ip]:$cport;lr>
      Supported: path
      [authentication username=$user@open-ims.test password=$pw]
      Expires: $expires
      Content-Length: 0

    ]]>
  </send>
  <recv response="200"/>
</scenario>
XML
	sipp_uac "reg_$user" "$port" "$WORK/reg_$user.xml"
}

# message NAME RURI STATUS [HEADER...]: alice's SIPp sends one MESSAGE to
# the S-CSCF and expects STATUS.
message() {
	local name=$1 ruri=$2 status=$3; shift 3
	local extra="" h
	for h in "$@"; do extra+="      $h"$'\n'; done
	cat >"$WORK/$name.xml" <<XML
<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="$name">
  <send retrans="500">
    <![CDATA[

      MESSAGE $ruri SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      Max-Forwards: 70
${extra}      From: <sip:alice@open-ims.test>;tag=[pid]m[call_number]
      To: <$ruri>
      Call-ID: [call_id]
      CSeq: 1 MESSAGE
      Content-Type: text/plain
      Content-Length: [len]

      hello
    ]]>
  </send>
  <recv response="100" optional="true"/>
  <recv response="$status"/>
</scenario>
XML
	sipp_uac "$name" "$ALICE" "$WORK/$name.xml"
}
ORIG="Route: <sip:orig@$SC;lr>"
PAI_ALICE="P-Asserted-Identity: <sip:alice@open-ims.test>"

# uas_message NAME PORT RURI_REGEX STATUS [USER]: a UAS that takes one
# MESSAGE whose Request-URI matches, asserting USER (alice), and answers
# STATUS.
uas_message() {
	local name=$1 port=$2 ruri=$3 status=$4 user=${5:-alice}
	cat >"$WORK/$name.xml" <<XML
<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="$name">
  <recv request="MESSAGE">
    <action>
      <ereg regexp="^MESSAGE $ruri SIP/2.0" search_in="msg" check_it="true" assign_to="ruri"/>
      <ereg regexp="sip:$user@open-ims.test" search_in="hdr" header="P-Asserted-Identity:" check_it="true" assign_to="paid"/>
    </action>
  </recv>
  <send>
    <![CDATA[

      SIP/2.0 $status Answer
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]u[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0

    ]]>
  </send>
  <Reference variables="ruri,paid"/>
</scenario>
XML
	sipp_uas "$name" "$port" "$WORK/$name.xml"
}

# ---- HSS with alice, bob (and a tel URI) and carol (never registers) ----
"$SRC/tests/lib/mariadb.sh" start "$WORK/db" "$DBPORT" || die "private MariaDB did not start"
hssctl db migrate --migrations "$SRC/deploy/db/migrations" >/dev/null || die "db migrate failed"
hssctl subscriber add --impi alice@open-ims.test --impu sip:alice@open-ims.test \
	--password alice >/dev/null || die "provisioning alice failed"
hssctl subscriber add --impi bob@open-ims.test --impu sip:bob@open-ims.test \
	--impu tel:+4930100002 --password bob >/dev/null || die "provisioning bob failed"
hssctl subscriber add --impi carol@open-ims.test --impu sip:carol@open-ims.test \
	--password carol >/dev/null || die "provisioning carol failed"
# dave has iFCs (session case 1, MESSAGE): a dead AS first (priority 0,
# SESSION_CONTINUED), then the SIPp AS (priority 1).
hssctl subscriber add --impi dave@open-ims.test --impu sip:dave@open-ims.test \
	--password dave >/dev/null || die "provisioning dave failed"
hssctl ifc add --impu sip:dave@open-ims.test --priority 0 --as "sip:127.0.0.1:$DEAD_AS" \
	--default-handling continued --method MESSAGE --session-case 1 >/dev/null &&
hssctl ifc add --impu sip:dave@open-ims.test --priority 1 --as "sip:127.0.0.1:$AS" \
	--method MESSAGE --session-case 1 >/dev/null &&
hssctl ifc add --impu sip:dave@open-ims.test --priority 2 --as "sip:127.0.0.1:$AS" \
	--method MESSAGE --session-case 0 >/dev/null || die "ifc add failed"
# frank's only AS is down and its iFC says SESSION_TERMINATED.
hssctl subscriber add --impi frank@open-ims.test --impu sip:frank@open-ims.test \
	--password frank >/dev/null || die "provisioning frank failed"
hssctl ifc add --impu sip:frank@open-ims.test --priority 0 --as "sip:127.0.0.1:$DEAD_AS2" \
	--default-handling terminated --method MESSAGE --session-case 1 >/dev/null ||
	die "ifc add (frank) failed"
# erin never registers but has a service for the unregistered case.
hssctl subscriber add --impi erin@open-ims.test --impu sip:erin@open-ims.test \
	--password erin >/dev/null || die "provisioning erin failed"
hssctl ifc add --impu sip:erin@open-ims.test --priority 5 --as "sip:127.0.0.1:$AS" \
	--ppi unregistered --method MESSAGE --session-case 2 >/dev/null || die "ifc add (erin) failed"

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
cx:
  scscf_hosts:                 # RTR/PPR: our S-CSCF's Diameter identity
    - server_name: sip:$SC
      diameter_host: scscf.open-ims.test
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
  tcp: false
diameter:
  identity: scscf.open-ims.test
  realm: open-ims.test
  port: $SC_DIA
  peers:
    - identity: hss.open-ims.test
      address: 127.0.0.1
      port: $HSS_DIA
registrar:
  server_name: sip:$SC
  cx_timeout: 2s
session:
  icscf: sip:127.0.0.1:$ICSCF
  numbers:
    - number: "+49-30-100002"
      uris: [sip:bob@open-ims.test]
YAML

HSS_PID=$("$BIN/ims-launch" --timeout 30 --log "$WORK/hss.log" -- \
	"$BIN/ims-hss" -c "$WORK/hss.yaml") || die "ims-hss did not become ready"
SC_PID=$("$BIN/ims-launch" --timeout 30 --log "$WORK/scscf.log" -- \
	"$BIN/ims-scscf" -c "$WORK/scscf.yaml") || die "ims-scscf did not become ready"
ok "ims-hss ($HSS_PID) and ims-scscf ($SC_PID) ready"

reg alice alice "$ALICE" && ok "alice registered (Path to her port)" ||
	{ bad "alice registration"; show_failure reg_alice; }
reg bob bob "$BOB" && ok "bob registered (Path to his port)" ||
	{ bad "bob registration"; show_failure reg_bob; }
# carol and erin register once and leave: the HSS fills the PrivateID of an
# UNREGISTERED_USER profile from the last registration only (a user that
# never registered gets an empty PrivateID, which the registrar refuses).
for u in carol erin; do
	reg $u $u "$BOB" && reg $u $u "$BOB" 0 && ok "$u registered and de-registered" ||
		{ bad "$u registration round"; show_failure reg_$u; }
done

# ---- originating -> local terminating: MESSAGE ----
if uas_message bob_msg "$BOB" "sip:bob@127.0.0.1:$BOB" 200; then
	message msg_alice_bob sip:bob@open-ims.test 200 "$ORIG" "$PAI_ALICE" \
		"P-Charging-Vector: icid-value=sess-it-1;orig-ioi=open-ims.test" &&
		ok "MESSAGE alice -> bob: 200" || { bad "MESSAGE alice -> bob"; show_failure msg_alice_bob; }
	sipp_wait bob_msg && ok "bob got it at his contact via his Path, asserting alice" ||
		{ bad "bob's side of MESSAGE"; show_failure bob_msg; }
	grep -q "^P-Charging-Vector: icid-value=sess-it-1" "$WORK/bob_msg.msg" &&
		grep -q "^Record-Route: <sip:$SC;lr>" "$WORK/bob_msg.msg" &&
		ok "P-Charging-Vector kept, our Record-Route added" ||
		bad "P-Charging-Vector or Record-Route missing at bob"
else
	bad "bob's SIPp did not start"
fi

# ---- a call through our Record-Route: INVITE/180/200/ACK/BYE ----
if sipp_uas bob_call "$BOB" "$DIR/call_uas.xml"; then
	sipp_uac call "$ALICE" "$DIR/call_uac.xml" && ok "call alice -> bob: 200, ACK, BYE 200" ||
		{ bad "call alice -> bob"; show_failure call; }
	sipp_wait bob_call && ok "bob: INVITE at his contact, ACK and BYE through the S-CSCF" ||
		{ bad "bob's side of the call"; show_failure bob_call; }
	grep -Eq "Record-Route: <sip:$SC;lr;dlg=[0-9a-f]{16}>" "$WORK/call.msg" &&
		ok "200 carries our Record-Route (with the pass's dialog token)" ||
		bad "no Record-Route of the S-CSCF in the 200"
else
	bad "bob's SIPp (call) did not start"
fi

# ---- tel URI: the number table, else 404 (no breakout configured) ----
if uas_message bob_tel "$BOB" "sip:bob@127.0.0.1:$BOB" 200; then
	message msg_tel tel:+49-30-100002 200 "$ORIG" "$PAI_ALICE" &&
		ok "MESSAGE to tel:+49-30-100002 -> number table -> bob: 200" ||
		{ bad "MESSAGE to a tel URI"; show_failure msg_tel; }
	sipp_wait bob_tel || { bad "bob's side of the tel MESSAGE"; show_failure bob_tel; }
fi
message msg_tel_unknown tel:+4930999999 404 "$ORIG" "$PAI_ALICE" &&
	ok "unknown number without breakout -> 404" || { bad "unknown number"; show_failure msg_tel_unknown; }

# ---- our domain, callee not registered here -> the I-CSCF (fake: 480) ----
if uas_message icscf "$ICSCF" "sip:carol@open-ims.test" 480; then
	message msg_carol sip:carol@open-ims.test 480 "$ORIG" "$PAI_ALICE" &&
		ok "callee not registered here -> I-CSCF (its 480 relayed)" ||
		{ bad "MESSAGE to carol via the I-CSCF"; show_failure msg_carol; }
	sipp_wait icscf && ok "the I-CSCF got the request for carol" ||
		{ bad "I-CSCF side"; show_failure icscf; }
fi

# ---- terminating request (as from the I-CSCF) for an unregistered user ----
message term_carol sip:carol@open-ims.test 480 "Route: <sip:$SC;lr>" "$PAI_ALICE" &&
	ok "terminating, user not registered -> 480" || { bad "terminating 480"; show_failure term_carol; }

# ---- refusals on the originating side ----
message orig_unknown sip:bob@open-ims.test 403 "$ORIG" \
	"P-Asserted-Identity: <sip:mallory@open-ims.test>" &&
	ok "unknown originating identity -> 403" || { bad "unknown identity"; show_failure orig_unknown; }
message orig_carol sip:bob@open-ims.test 403 "$ORIG" \
	"P-Asserted-Identity: <sip:carol@open-ims.test>" &&
	ok "originating identity not registered -> 403" || { bad "carol originating"; show_failure orig_carol; }
message orig_no_pai sip:bob@open-ims.test 403 "$ORIG" &&
	ok "no P-Asserted-Identity -> 403" || { bad "no PAI"; show_failure orig_no_pai; }
message forged_odi sip:bob@open-ims.test 403 \
	"Route: <sip:odi-00000000deadbeefdeadbeef@$SC;lr>" "$PAI_ALICE" &&
	ok "forged ODI -> 403" || { bad "forged ODI"; show_failure forged_odi; }

# ---- iFC -> ISC: dave's terminating MESSAGE goes to the AS first; the
# AS that is down (priority 0, SESSION_CONTINUED) is skipped ----
reg dave dave "$BOB" && ok "dave registered (profile with three iFCs)" ||
	{ bad "dave registration"; show_failure reg_dave; }
if uas_message dave_isc "$BOB" "sip:dave@127.0.0.1:$BOB" 200 && sipp_uas as "$AS" "$DIR/as_b2bua.xml"; then
	message msg_isc sip:dave@open-ims.test 200 "$ORIG" "$PAI_ALICE" &&
		ok "MESSAGE alice -> dave with iFCs: 200" || { bad "MESSAGE with iFC"; show_failure msg_isc; }
	sipp_wait as && ok "the AS got it with an ODI route and sent it back" ||
		{ bad "AS side"; show_failure as; }
	sipp_wait dave_isc && ok "dave got the AS's MESSAGE (no iFC left -> contact)" ||
		{ bad "dave's side after the AS"; show_failure dave_isc; }
	grep -q "AS of sip:dave@open-ims.test failed [0-9]*: SESSION_CONTINUED" "$WORK/scscf.log" &&
		ok "dead AS skipped (SESSION_CONTINUED)" ||
		bad "no SESSION_CONTINUED for the dead AS"
else
	bad "AS or bob SIPp did not start"
fi
# dave originates: his originating iFC (session case 0) -> AS -> back ->
# the terminating side (bob).
if uas_message bob_orig_isc "$BOB" "sip:bob@127.0.0.1:$BOB" 200 dave && sipp_uas as_orig "$AS" "$DIR/as_b2bua.xml"; then
	message msg_orig_isc sip:bob@open-ims.test 200 "$ORIG" \
		"P-Asserted-Identity: <sip:dave@open-ims.test>" &&
		ok "MESSAGE dave -> bob with an originating iFC: 200" ||
		{ bad "MESSAGE with originating iFC"; show_failure msg_orig_isc; }
	sipp_wait as_orig && ok "the AS got dave's originating MESSAGE and sent it back" ||
		{ bad "AS side (originating)"; show_failure as_orig; }
	# bob's UAS checks for alice in P-Asserted-Identity: dave's is not.
	sipp_wait bob_orig_isc && ok "bob got dave's MESSAGE after the AS" ||
		{ bad "bob after the orig AS"; show_failure bob_orig_isc; }
fi
reg frank frank "$BOB" && ok "frank registered (dead AS, SESSION_TERMINATED)" ||
	{ bad "frank registration"; show_failure reg_frank; }
message msg_terminated sip:frank@open-ims.test 503 "$ORIG" "$PAI_ALICE" &&
	ok "AS down with SESSION_TERMINATED -> its error (503) upstream" ||
	{ bad "SESSION_TERMINATED"; show_failure msg_terminated; }

# ---- unregistered user with an unregistered-part iFC: SAR
# UNREGISTERED_USER, the AS gets it; back from the AS no iFC is left -> 480
# (to the AS; alice has the AS's own 200) ----
sed 's/<recv response="200"\/>/<recv response="480"\/>/' "$DIR/as_b2bua.xml" >"$WORK/as_480.xml"
if sipp_uas as_unreg "$AS" "$WORK/as_480.xml"; then
	message msg_unreg sip:erin@open-ims.test 200 "Route: <sip:$SC;lr>" "$PAI_ALICE" &&
		ok "MESSAGE to unregistered erin: AS answered 200" ||
		{ bad "MESSAGE to erin"; show_failure msg_unreg; }
	sipp_wait as_unreg && ok "erin's AS got it and its request back got 480" ||
		{ bad "erin's AS side"; show_failure as_unreg; }
	grep -q "SAR impu=sip:erin@open-ims.test UNREGISTERED_USER" "$WORK/scscf.log" &&
		ok "SAR UNREGISTERED_USER for erin" || bad "no SAR UNREGISTERED_USER for erin"
else
	bad "AS SIPp (unregistered) did not start"
fi

# ---- dialogs released on de-registration (TS 24.229 5.4.5.1.2) ----
# release_call NAME: alice calls bob and neither hangs up; returns once the
# call is up (the S-CSCF logged the 200) with alice's SIPp in UAC_PID.
release_call() {
	local name=$1 before
	before=$(grep -c "answered 200" "$WORK/scscf.log")
	sipp_uas "${name}_bob" "$BOB" "$DIR/release_uas.xml" || return 1
	(cd "$WORK" && exec timeout 40 sipp -m 1 -nostdin -timeout 30s -timeout_error \
		-trace_err -error_file "$WORK/${name}_alice.err" -trace_msg \
		-message_file "$WORK/${name}_alice.msg" -i 127.0.0.1 -p "$ALICE" \
		-sf "$DIR/release_uac.xml" -key scscf "$SC" "$SC" >"$WORK/${name}_alice.out" 2>&1) &
	UAC_PID=$!
	BG_PIDS+=("$UAC_PID")
	for _ in $(seq 100); do
		[ "$(grep -c "answered 200" "$WORK/scscf.log")" -gt "$before" ] && sleep 0.3 && return 0
		sleep 0.1
	done
	return 1
}
# release_check NAME WHAT: both SIPps got their BYE (with Reason) and answered.
release_check() {
	local name=$1 what=$2
	if wait "$UAC_PID"; then ok "$what: alice got the S-CSCF's BYE (Reason 480)"
	else bad "$what: alice's side"; show_failure "${name}_alice"; fi
	if sipp_wait "${name}_bob"; then ok "$what: bob got BYE with alice's next CSeq and Reason 480"
	else bad "$what: bob's side"; show_failure "${name}_bob"; fi
}
# bob has a second contact; the UE de-registers the one in the call (from
# the other port: bob's SIPp holds his): only that contact's session goes.
reg bob bob "$DEAD_AS2" || { bad "bob's second contact"; show_failure reg_bob; }
if release_call rel_ue; then
	reg bob bob "$DEAD_AS2" 0 "$BOB" && ok "bob de-registered his contact during the call" ||
		{ bad "bob's de-registration"; show_failure reg_bob; }
	release_check rel_ue "UE de-registration"
	# The earlier call ended with its BYE: only this one was released.
	grep -q "release: 1 session(s) of sip:bob@open-ims.test at sip:bob@127.0.0.1:$BOB" \
		"$WORK/scscf.log" && ok "exactly bob's one live session released (ended dialogs gone)" ||
		bad "release count: $(grep 'release:' "$WORK/scscf.log" | tail -3)"
else
	bad "call for the UE de-registration case not set up"; show_failure rel_ue_bob
fi
# bob de-registers the contact that is ringing (TS 24.229 5.4.5.1.1): the
# S-CSCF CANCELs it and alice gets 480 (his other contact is unreachable).
reg bob bob "$BOB" || { bad "bob re-registration"; show_failure reg_bob; }
if sipp_uas ring_bob "$BOB" "$DIR/fork_uas_cancelled.xml"; then
	before=$(grep -c "ringing branch(es) to sip:bob@open-ims.test" "$WORK/scscf.log")
	(cd "$WORK" && exec timeout 40 sipp -m 1 -nostdin -timeout 30s -timeout_error \
		-trace_err -error_file "$WORK/ring_alice.err" -trace_msg \
		-message_file "$WORK/ring_alice.msg" -i 127.0.0.1 -p "$ALICE" \
		-sf "$DIR/ring_uac.xml" -key scscf "$SC" -key callee bob "$SC" \
		>"$WORK/ring_alice.out" 2>&1) &
	UAC_PID=$!
	BG_PIDS+=("$UAC_PID")
	for _ in $(seq 100); do grep -q "180 Ringing" "$WORK/ring_bob.msg" 2>/dev/null && break; sleep 0.1; done
	reg bob bob "$DEAD_AS2" 0 "$BOB" || { bad "bob's de-registration (ringing)"; show_failure reg_bob; }
	wait "$UAC_PID" && ok "ringing contact de-registered: alice got 480" ||
		{ bad "alice's side (ringing contact de-registered)"; show_failure ring_alice; }
	sipp_wait ring_bob && ok "... bob's ringing contact got CANCEL, answered 487" ||
		{ bad "bob's side (ringing contact de-registered)"; show_failure ring_bob; }
	[ "$(grep -c "ringing branch(es) to sip:bob@open-ims.test" "$WORK/scscf.log")" -gt "$before" ] &&
		ok "the S-CSCF logged the cancelled branch" || bad "no cancelled branch logged"
else
	bad "bob's SIPp (ringing) did not start"
fi

# The HSS de-registers the caller (RTR, TS 24.229 5.4.1.5).
reg bob bob "$BOB" || { bad "bob re-registration"; show_failure reg_bob; }
if release_call rel_rtr; then
	hssctl subscriber deregister alice@open-ims.test >"$WORK/rtr.out" 2>&1 ||
		bad "ims-hssctl subscriber deregister: $(cat "$WORK/rtr.out")"
	release_check rel_rtr "RTR of the caller"
	grep -q "release: 1 session(s) of sip:alice@open-ims.test ended" "$WORK/scscf.log" &&
		ok "alice's session released on RTR" || bad "no release logged for alice's RTR"
else
	bad "call for the RTR case not set up"; show_failure rel_rtr_bob
fi

# ---- clean stop: no sanitizer report ----
stop_pid "$SC_PID" || bad "ims-scscf did not stop on SIGTERM"
SC_PID=
grep -qE "Sanitizer|runtime error" "$WORK/scscf.log" && bad "sanitizer report in ims-scscf log" ||
	ok "ims-scscf stopped cleanly"

[ "$FAILS" -eq 0 ] || { echo "$FAILS check(s) failed"; exit 1; }
echo PASS
