#!/bin/bash
# test_scscf_forking: the S-CSCF forks a terminating INVITE to the callee's
# registered contacts (RFC 3261 16.6-16.7, RFC 3841; TS 24.229 5.4.3.3)
# against a real ims-hss. Each callee registers two contacts (SIPp ports
# P1 and P2, each with a Path to itself); SIPp plays the contacts:
#   fox: P1 answers, P2 dead (nothing listens), equal q -> 200 at once;
#        then neither listens -> 408 within the branch timeout;
#   gus: P2 silent (takes the INVITE, never answers) with q=1.0, P1 q=0.5
#        -> P2 given up after branch_timeout, then P1 answers -> 200;
#   hal: both ring, P1 answers, P2 gets CANCEL (487) -> 200;
#   ida: P1 486, P2 200 -> 200;   jon: both 486 -> 486;
#   hal again: alice CANCELs while both ring -> both CANCELled, 487;
#   hal again: 603 from one while the other rings -> CANCEL, 603;
#   lea: MESSAGE after a dead AS (SESSION_CONTINUED) forks to both contacts;
#   tel URI not in the number table -> the breakout next hop (BGCF);
#   restarted without a breakout and with unknown_number: 604 -> 604;
#   restarted with fork: sequential (ring_timeout 1s): a ringing contact
#   not answering is CANCELled, the next one answers;
#   restarted with fork: highest-q: only the best contact is tried;
#   kim (outbound, RFC 5626 5.3): two flows of one instance, the first
#   answers 430 Flow Failed -> the second flow is tried and answers 200;
#   the first flow unreachable -> the second answers;
#   both answer 430 -> 480 (430 never goes upstream);
#   Request-Disposition (RFC 3841 9): max no-fork -> one branch only;
#   ned sequential -> equal-q contacts one after the other; ned redirect ->
#   302 with both contacts, nothing forked; oli recurse -> the Contact of
#   a contact's 302 is tried and answers 200; without it the 302 goes up;
#   restarted with max_pending 4 (overload.py): a burst of INVITEs to a
#   silent contact -> 3 forked, the rest fast 503 + Retry-After, an
#   in-dialog BYE still passes, one summary line, no crash.
#   forking.sh BUILD_DIR SOURCE_DIR
# Ports: a free block found from the PID; every exit path stops what we
# started, by PID; every wait is bounded.
set -u
BUILD=$1
SRC=$2
SCSCF_LOG_LINES=120
# shellcheck source=lib.sh
. "$SRC/tests/integration/scscf_session/lib.sh" fork
ALICE=$((BASE + 4)) P1=$((BASE + 5)) P2=$((BASE + 6)) BGCF=$((BASE + 7)) DEAD_AS=$((BASE + 8))
BRANCH_MS=1000
# The silent contact never ends its scenario by itself: stop it.
sipp_stop() { stop_pid "${UAS_PID[$1]}"; wait "${UAS_PID[$1]}" 2>/dev/null; }

# reg USER PORT [QPARAM]: SIP Digest registration from PORT (password =
# user), Contact and Path = PORT; SIPp authentication may fail on a RES
# with a NUL byte (shared notes), so retried up to 3 times.
reg() {
	local user=$1 port=$2 q=${3:-} try
	cat >"$WORK/reg_${user}_$port.xml" <<XML
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
      Contact: <sip:$user@[local_ip]:[local_port]>$q
      Path: <sip:term@[local_ip]:[local_port];lr>
      Supported: path
      Authorization: Digest username="$user@open-ims.test", realm="open-ims.test", nonce="", uri="sip:open-ims.test", response="", algorithm=MD5
      Expires: 600
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
      Contact: <sip:$user@[local_ip]:[local_port]>$q
      Path: <sip:term@[local_ip]:[local_port];lr>
      Supported: path
      [authentication username=$user@open-ims.test password=$user]
      Expires: 600
      Content-Length: 0

    ]]>
  </send>
  <recv response="200"/>
</scenario>
XML
	for try in 1 2 3; do
		sipp_uac "reg_${user}_$port" "$port" "$WORK/reg_${user}_$port.xml" && return 0
	done
	return 1
}

ms_now() { date +%s%3N; }

"$SRC/tests/lib/mariadb.sh" start "$WORK/db" "$DBPORT" || die "private MariaDB did not start"
hssctl db migrate --migrations "$SRC/deploy/db/migrations" >/dev/null || die "db migrate failed"
for u in alice fox gus hal ida jon lea kim max ned oli pam; do
	hssctl subscriber add --impi $u@open-ims.test --impu sip:$u@open-ims.test \
		--password $u >/dev/null || die "provisioning $u failed"
done
# lea's only iFC names an AS that is down, SESSION_CONTINUED: the request
# comes back to the terminating case on the proxy transaction of the AS.
hssctl ifc add --impu sip:lea@open-ims.test --priority 0 --as "sip:127.0.0.1:$DEAD_AS" \
	--default-handling continued --method MESSAGE --session-case 1 >/dev/null ||
	die "ifc add (lea) failed"

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
  icscf: sip:127.0.0.1:$BGCF
  fork: parallel
  branch_timeout: ${BRANCH_MS}ms
  breakout: sip:127.0.0.1:$BGCF
  unknown_number: 604
  numbers:
    - number: "+4930100005"
      uris: [sip:fox@open-ims.test]
YAML

"$BIN/ims-scscf" --check-config -c "$WORK/scscf.yaml" >/dev/null 2>&1 ||
	bad "scscf.yaml (fork, branch_timeout, unknown_number) not accepted"
sed 's/unknown_number: 604/unknown_number: 500/' "$WORK/scscf.yaml" >"$WORK/bad.yaml"
"$BIN/ims-scscf" --check-config -c "$WORK/bad.yaml" >/dev/null 2>&1 &&
	bad "unknown_number: 500 accepted" || ok "unknown_number other than 404/604 refused"

HSS_PID=$("$BIN/ims-launch" --timeout 30 --log "$WORK/hss.log" -- \
	"$BIN/ims-hss" -c "$WORK/hss.yaml") || die "ims-hss did not become ready"
SC_PID=$("$BIN/ims-launch" --timeout 30 --log "$WORK/scscf.log" -- \
	"$BIN/ims-scscf" -c "$WORK/scscf.yaml") || die "ims-scscf did not become ready"
ok "ims-hss ($HSS_PID) and ims-scscf ($SC_PID) ready"

reg alice "$ALICE" || bad "alice registration"
for u in fox hal ida jon lea; do
	reg $u "$P1" && reg $u "$P2" && ok "$u registered two contacts (P1, P2)" ||
		{ bad "$u registration"; show_failure "reg_${u}_$P1"; show_failure "reg_${u}_$P2"; }
done
reg gus "$P2" ";q=1.0" && reg gus "$P1" ";q=0.5" &&
	ok "gus registered P2 (q=1.0) and P1 (q=0.5)" || bad "gus registration"

# ---- fox: one contact dead (no socket), equal q: parallel -> 200 ----
if sipp_uas fox_p1 "$P1" "$DIR/fork_uas_answer.xml"; then
	t0=$(ms_now)
	sipp_uac fox_call "$ALICE" "$DIR/fork_uac_answer.xml" -key callee fox &&
		ok "fox: dead contact beside a live one, call answered 200" ||
		{ bad "fox call"; show_failure fox_call; }
	t1=$(ms_now)
	sipp_wait fox_p1 && ok "fox: the live contact got INVITE, ACK, BYE" ||
		{ bad "fox live contact"; show_failure fox_p1; }
	[ $((t1 - t0)) -lt $((BRANCH_MS + 4000)) ] && ok "fox: in $((t1 - t0)) ms" ||
		bad "fox: took $((t1 - t0)) ms"
else
	bad "fox's SIPp did not start"
fi

# ---- fox again: no contact reachable -> 408 (not a 5xx), bounded by the
# branch timeout ----
sed 's/<recv response="486"\/>/<recv response="408"\/>/; s/, busy">/, unreachable">/' \
	"$DIR/fork_uac_busy.xml" >"$WORK/fork_uac_408.xml"
t0=$(ms_now)
sipp_uac fox_dead "$ALICE" "$WORK/fork_uac_408.xml" -key callee fox &&
	ok "fox: both contacts unreachable -> 408" || { bad "fox unreachable"; show_failure fox_dead; }
t1=$(ms_now)
[ $((t1 - t0)) -lt $((BRANCH_MS + 4000)) ] && ok "fox: 408 in $((t1 - t0)) ms" ||
	bad "fox: 408 took $((t1 - t0)) ms"

# ---- gus: the best contact (q=1.0) is silent: given up after the branch
# timeout, the next q class answers ----
if sipp_uas gus_p2 "$P2" "$DIR/fork_uas_silent.xml" && sipp_uas gus_p1 "$P1" "$DIR/fork_uas_answer.xml"; then
	t0=$(ms_now)
	sipp_uac gus_call "$ALICE" "$DIR/fork_uac_answer.xml" -key callee gus &&
		ok "gus: silent q=1.0 contact, call answered by the q=0.5 one" ||
		{ bad "gus call"; show_failure gus_call; }
	t1=$(ms_now)
	sipp_wait gus_p1 && ok "gus: the q=0.5 contact got INVITE, ACK, BYE" ||
		{ bad "gus live contact"; show_failure gus_p1; }
	grep -q "INVITE sip:gus@127.0.0.1:$P2" "$WORK/gus_p2.msg" &&
		ok "gus: the silent contact was tried first" || bad "gus: silent contact not tried"
	sipp_stop gus_p2
	el=$((t1 - t0))
	[ "$el" -ge "$BRANCH_MS" ] && [ "$el" -lt $((BRANCH_MS + 5000)) ] &&
		ok "gus: answered after the branch timeout ($el ms, timeout $BRANCH_MS ms)" ||
		bad "gus: $el ms (branch timeout $BRANCH_MS ms)"
else
	bad "gus's SIPp did not start"
fi

# ---- hal: both ring, the first 200 wins, the other is CANCELled ----
if sipp_uas hal_p2 "$P2" "$DIR/fork_uas_cancelled.xml" && sipp_uas hal_p1 "$P1" "$DIR/fork_uas_answer.xml"; then
	sipp_uac hal_call "$ALICE" "$DIR/fork_uac_answer.xml" -key callee hal &&
		ok "hal: two live contacts, call answered 200" || { bad "hal call"; show_failure hal_call; }
	sipp_wait hal_p1 && ok "hal: P1 rang and answered" || { bad "hal P1"; show_failure hal_p1; }
	sipp_wait hal_p2 && ok "hal: P2 rang and got CANCEL (487, ACK)" ||
		{ bad "hal P2 (CANCEL)"; show_failure hal_p2; }
	[ "$(grep -c '^SIP/2.0 180' "$WORK/hal_call.msg")" -ge 1 ] && ok "hal: 180 relayed to alice" ||
		bad "hal: no 180 at alice"
	grep -q '^Reason: SIP;cause=200;text="Call completed elsewhere"' "$WORK/hal_p2.msg" &&
		ok "hal: the CANCEL says Call completed elsewhere (RFC 3326)" ||
		bad "hal: no Reason in the CANCEL"
else
	bad "hal's SIPp did not start"
fi

# ---- ida: 486 from one, 200 from the other -> 200 ----
if sipp_uas ida_p1 "$P1" "$DIR/fork_uas_busy.xml" && sipp_uas ida_p2 "$P2" "$DIR/fork_uas_answer.xml"; then
	sipp_uac ida_call "$ALICE" "$DIR/fork_uac_answer.xml" -key callee ida &&
		ok "ida: 486 and 200 -> 200" || { bad "ida call"; show_failure ida_call; }
	sipp_wait ida_p1 && ok "ida: P1 said 486 and got its ACK" || { bad "ida P1"; show_failure ida_p1; }
	sipp_wait ida_p2 && ok "ida: P2 answered" || { bad "ida P2"; show_failure ida_p2; }
else
	bad "ida's SIPp did not start"
fi

# ---- jon: all busy -> 486 ----
if sipp_uas jon_p1 "$P1" "$DIR/fork_uas_busy.xml" && sipp_uas jon_p2 "$P2" "$DIR/fork_uas_busy.xml"; then
	sipp_uac jon_call "$ALICE" "$DIR/fork_uac_busy.xml" -key callee jon &&
		ok "jon: 486 and 486 -> 486" || { bad "jon call"; show_failure jon_call; }
	sipp_wait jon_p1 && sipp_wait jon_p2 && ok "jon: both contacts said 486 and got ACK" ||
		{ bad "jon contacts"; show_failure jon_p1; show_failure jon_p2; }
else
	bad "jon's SIPp did not start"
fi

# ---- hal again: both ring, alice CANCELs -> both branches CANCELled, 487 ----
if sipp_uas hal_c1 "$P1" "$DIR/fork_uas_cancelled.xml" && sipp_uas hal_c2 "$P2" "$DIR/fork_uas_cancelled.xml"; then
	sipp_uac hal_cancel "$ALICE" "$DIR/fork_uac_cancel.xml" -key callee hal &&
		ok "hal: alice CANCELs while both ring -> 200 to CANCEL, 487" ||
		{ bad "hal cancel"; show_failure hal_cancel; }
	sipp_wait hal_c1 && sipp_wait hal_c2 && ok "hal: both contacts got the CANCEL" ||
		{ bad "hal contacts (CANCEL)"; show_failure hal_c1; show_failure hal_c2; }
else
	bad "hal's SIPp (cancel) did not start"
fi

# ---- hal again: 603 from one while the other rings -> the ringing one is
# CANCELled, 603 upstream (RFC 3261 16.7 step 5-6) ----
if sipp_uas hal_d1 "$P1" "$DIR/fork_uas_decline.xml" && sipp_uas hal_d2 "$P2" "$DIR/fork_uas_cancelled.xml"; then
	sipp_uac hal_decline "$ALICE" "$DIR/fork_uac_decline.xml" -key callee hal &&
		ok "hal: 603 from one contact -> 603" || { bad "hal decline"; show_failure hal_decline; }
	sipp_wait hal_d1 && ok "hal: P1 declined and got its ACK" || { bad "hal P1 decline"; show_failure hal_d1; }
	sipp_wait hal_d2 && ok "hal: P2 (ringing) got CANCEL after the 603" ||
		{ bad "hal P2 after 603"; show_failure hal_d2; }
else
	bad "hal's SIPp (decline) did not start"
fi

# message NAME RURI STATUS: alice sends one MESSAGE (originating) and
# expects STATUS.
message() {
	local name=$1 ruri=$2 status=$3
	cat >"$WORK/$name.xml" <<XML
<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="$name">
  <send retrans="500">
    <![CDATA[

      MESSAGE $ruri SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      Max-Forwards: 70
      Route: <sip:orig@$SC;lr>
      P-Asserted-Identity: <sip:alice@open-ims.test>
      From: <sip:alice@open-ims.test>;tag=[pid]m[call_number]
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
cat >"$WORK/bgcf.xml" <<XML
<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="bgcf">
  <recv request="MESSAGE">
    <action>
      <ereg regexp="^MESSAGE tel:\\+4930100099 SIP/2.0" search_in="msg" check_it="true" assign_to="ruri"/>
    </action>
  </recv>
  <send>
    <![CDATA[

      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]g[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0

    ]]>
  </send>
  <Reference variables="ruri"/>
</scenario>
XML

# uas_message NAME PORT: a contact that takes one MESSAGE and answers 200.
uas_message() {
	cat >"$WORK/$1.xml" <<XML
<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="$1">
  <recv request="MESSAGE"/>
  <send>
    <![CDATA[

      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]u[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0

    ]]>
  </send>
</scenario>
XML
	sipp_uas "$1" "$2" "$WORK/$1.xml"
}

# ---- lea: dead AS, SESSION_CONTINUED, then forked to both contacts ----
if uas_message lea_p1 "$P1" && uas_message lea_p2 "$P2"; then
	message lea_msg sip:lea@open-ims.test 200 && ok "lea: MESSAGE after a dead AS answered 200" ||
		{ bad "lea MESSAGE"; show_failure lea_msg; }
	sipp_wait lea_p1 && sipp_wait lea_p2 && ok "lea: both contacts got the MESSAGE" ||
		{ bad "lea contacts"; show_failure lea_p1; show_failure lea_p2; }
	grep -q "AS of sip:lea@open-ims.test failed [0-9]*: SESSION_CONTINUED" "$WORK/scscf.log" &&
		ok "lea: the dead AS was skipped (SESSION_CONTINUED)" || bad "lea: no SESSION_CONTINUED"
else
	bad "lea's SIPp did not start"
fi

# ---- kim: outbound, two flows of one instance (RFC 5626 5.3). P1 (q=1.0)
# is the target, P2 (q=0.5) only a backup flow of the same instance ----
INST='+sip.instance="<urn:uuid:00000000-0000-1000-8000-00000000000a>"'
reg kim "$P1" ";$INST;reg-id=1;q=1.0" && reg kim "$P2" ";$INST;reg-id=2;q=0.5" &&
	ok "kim registered two flows of one instance" || bad "kim registration"
sed 's/486 Busy Here/430 Flow Failed/; s/contact busy/flow failed/' \
	"$DIR/fork_uas_busy.xml" >"$WORK/fork_uas_430.xml"
sed 's/<recv response="486"\/>/<recv response="480"\/>/; s/, busy">/, flows failed">/' \
	"$DIR/fork_uac_busy.xml" >"$WORK/fork_uac_480.xml"
if sipp_uas kim_p1 "$P1" "$WORK/fork_uas_430.xml" && sipp_uas kim_p2 "$P2" "$DIR/fork_uas_answer.xml"; then
	sipp_uac kim_call "$ALICE" "$DIR/fork_uac_answer.xml" -key callee kim &&
		ok "kim: 430 from the first flow, the second flow answers -> 200" ||
		{ bad "kim call"; show_failure kim_call; }
	sipp_wait kim_p1 && ok "kim: the first flow said 430 and got its ACK" ||
		{ bad "kim first flow"; show_failure kim_p1; }
	sipp_wait kim_p2 && ok "kim: the second flow answered" || { bad "kim second flow"; show_failure kim_p2; }
	grep -q "flow sip:kim@127.0.0.1:$P1 failed (430): next flow sip:kim@127.0.0.1:$P2" "$WORK/scscf.log" &&
		ok "kim: the failed flow was replaced by the next flow of the instance" ||
		bad "kim: no next-flow log line"
	grep -q '^SIP/2.0 430' "$WORK/kim_call.msg" && bad "kim: 430 reached the caller" ||
		ok "kim: the 430 stayed at the S-CSCF"
else
	bad "kim's SIPp did not start"
fi
# The first flow dead (nothing listens: transport error or no response)
# -> the next flow of the instance answers.
if sipp_uas kim_live "$P2" "$DIR/fork_uas_answer.xml"; then
	sipp_uac kim_deadflow "$ALICE" "$DIR/fork_uac_answer.xml" -key callee kim &&
		ok "kim: first flow unreachable, the second flow answers -> 200" ||
		{ bad "kim dead flow"; show_failure kim_deadflow; }
	sipp_wait kim_live && ok "kim: the second flow took the call" || { bad "kim live flow"; show_failure kim_live; }
else
	bad "kim's SIPp (dead flow) did not start"
fi
if sipp_uas kim_f1 "$P1" "$WORK/fork_uas_430.xml" && sipp_uas kim_f2 "$P2" "$WORK/fork_uas_430.xml"; then
	sipp_uac kim_dead "$ALICE" "$WORK/fork_uac_480.xml" -key callee kim &&
		ok "kim: 430 from every flow -> 480, not 430" || { bad "kim all flows failed"; show_failure kim_dead; }
	sipp_wait kim_f1 && sipp_wait kim_f2 && ok "kim: both flows tried" ||
		{ bad "kim flows (480)"; show_failure kim_f1; show_failure kim_f2; }
else
	bad "kim's SIPp (480) did not start"
fi

# uac_disposition NAME DIRECTIVES BASE: BASE scenario with a
# Request-Disposition header in its INVITE.
uac_disposition() {
	sed "/CSeq: 1 INVITE/a\\      Request-Disposition: $2" "$3" >"$WORK/$1.xml"
}

# ---- max: Request-Disposition no-fork, two equal-q contacts -> one branch ----
reg max "$P1" && reg max "$P2" && ok "max registered two contacts" || bad "max registration"
uac_disposition nofork "no-fork" "$DIR/fork_uac_busy.xml"
if sipp_uas max_p1 "$P1" "$DIR/fork_uas_busy.xml" && sipp_uas max_p2 "$P2" "$DIR/fork_uas_busy.xml"; then
	sipp_uac max_call "$ALICE" "$WORK/nofork.xml" -key callee max &&
		ok "max: no-fork, the one contact's 486 upstream" || { bad "max call"; show_failure max_call; }
	sipp_stop max_p1
	sipp_stop max_p2
	[ "$(grep -c "fork served=sip:max@open-ims.test class" "$WORK/scscf.log")" -eq 1 ] &&
		ok "max: no-fork gave one branch (fork: parallel configured)" ||
		bad "max: no-fork forked to more than one contact"
else
	bad "max's SIPp did not start"
fi

# ---- ned: Request-Disposition sequential over fork: parallel; equal q
# contacts (one class in parallel) go one after the other ----
reg ned "$P1" && reg ned "$P2" && ok "ned registered two contacts" || bad "ned registration"
uac_disposition seq "sequential" "$DIR/fork_uac_busy.xml"
if sipp_uas ned_p1 "$P1" "$DIR/fork_uas_busy.xml" && sipp_uas ned_p2 "$P2" "$DIR/fork_uas_busy.xml"; then
	sipp_uac ned_call "$ALICE" "$WORK/seq.xml" -key callee ned &&
		ok "ned: sequential, both busy -> 486" || { bad "ned call"; show_failure ned_call; }
	sipp_wait ned_p1 && sipp_wait ned_p2 && ok "ned: both contacts tried" ||
		{ bad "ned contacts"; show_failure ned_p1; show_failure ned_p2; }
	grep -q "fork served=sip:ned@open-ims.test class 1 -> contact" "$WORK/scscf.log" &&
		ok "ned: the second contact in a class of its own (sequential)" ||
		bad "ned: equal-q contacts not sequential"
else
	bad "ned's SIPp did not start"
fi

# ---- ned: Request-Disposition redirect -> 302 with both contacts ----
sed 's/<recv response="486"\/>/<recv response="302"\/>/; s/, busy">/, redirected">/' \
	"$DIR/fork_uac_busy.xml" >"$WORK/fork_uac_302.xml"
uac_disposition redirect "redirect" "$WORK/fork_uac_302.xml"
n_forks=$(grep -c "fork served=sip:ned@open-ims.test class" "$WORK/scscf.log")
sipp_uac ned_redirect "$ALICE" "$WORK/redirect.xml" -key callee ned &&
	ok "ned: redirect -> 302" || { bad "ned redirect"; show_failure ned_redirect; }
contacts=$(grep -iE '^(Contact|m):' "$WORK/ned_redirect.msg")
echo "$contacts" | grep -q "sip:ned@127.0.0.1:$P1" && echo "$contacts" | grep -q "sip:ned@127.0.0.1:$P2" &&
	ok "ned: the 302 lists both contacts" || bad "ned: 302 Contacts: $contacts"
[ "$(grep -c "fork served=sip:ned@open-ims.test class" "$WORK/scscf.log")" -eq "$n_forks" ] &&
	ok "ned: redirect forked nothing" || bad "ned: redirect forked"

# ---- oli: Request-Disposition recurse (RFC 3841 9.1, RFC 3261 16.5): P1
# answers 302 pointing at P2 -> P2 is tried and answers; without the
# directive the 302 goes upstream (no recursion by default) ----
reg oli "$P1" && ok "oli registered one contact" || bad "oli registration"
sed 's/486 Busy Here/302 Moved Temporarily/; s/contact busy/contact redirects/' \
	"$DIR/fork_uas_busy.xml" | sed "/\[last_CSeq:\]/a\\      Contact: <sip:oli@127.0.0.1:$P2>" \
	>"$WORK/fork_uas_302.xml"
uac_disposition recurse "recurse" "$DIR/fork_uac_answer.xml"
if sipp_uas oli_p1 "$P1" "$WORK/fork_uas_302.xml" && sipp_uas oli_p2 "$P2" "$DIR/fork_uas_answer.xml"; then
	sipp_uac oli_call "$ALICE" "$WORK/recurse.xml" -key callee oli &&
		ok "oli: recurse, 302 from the contact, its Contact answers -> 200" ||
		{ bad "oli recurse call"; show_failure oli_call; }
	sipp_wait oli_p1 && ok "oli: the contact said 302 and got its ACK" || { bad "oli P1"; show_failure oli_p1; }
	sipp_wait oli_p2 && ok "oli: the redirect target answered" || { bad "oli P2"; show_failure oli_p2; }
	grep -q "fork served=sip:oli@open-ims.test class 1 -> contact sip:oli@127.0.0.1:$P2" "$WORK/scscf.log" &&
		ok "oli: the 302's Contact became a target of the next class" || bad "oli: no recursion"
else
	bad "oli's SIPp did not start"
fi
if sipp_uas oli_n1 "$P1" "$WORK/fork_uas_302.xml"; then
	sipp_uac oli_norec "$ALICE" "$WORK/fork_uac_302.xml" -key callee oli &&
		ok "oli: no recurse directive -> the 302 goes upstream" ||
		{ bad "oli 302 upstream"; show_failure oli_norec; }
	sipp_wait oli_n1 || { bad "oli P1 (302 upstream)"; show_failure oli_n1; }
else
	bad "oli's SIPp (302) did not start"
fi

# ---- tel URI not in the number table -> breakout ----
if sipp_uas bgcf "$BGCF" "$WORK/bgcf.xml"; then
	message tel_breakout tel:+4930100099 200 &&
		ok "unknown number -> breakout next hop (200 from the BGCF)" ||
		{ bad "tel breakout"; show_failure tel_breakout; }
	sipp_wait bgcf && ok "the BGCF got the tel URI unchanged" || { bad "BGCF side"; show_failure bgcf; }
else
	bad "BGCF SIPp did not start"
fi

# restart_sc NAME CONFIG: stop the S-CSCF (its log checked for sanitizer
# reports and kept as scscf.NAME.log), start it with CONFIG, register alice.
restart_sc() {
	stop_pid "$SC_PID" || bad "ims-scscf did not stop on SIGTERM"
	SC_PID=
	grep -qE "Sanitizer|runtime error" "$WORK/scscf.log" && bad "sanitizer report in ims-scscf log"
	mv "$WORK/scscf.log" "$WORK/scscf.before-$1.log"
	SC_PID=$("$BIN/ims-launch" --timeout 30 --log "$WORK/scscf.log" -- \
		"$BIN/ims-scscf" -c "$2") || die "ims-scscf ($1) did not become ready"
	reg alice "$ALICE" || bad "alice registration ($1 run)"
}

# ---- restarted without a breakout: unknown number -> 604 (config) ----
grep -v "^  breakout:" "$WORK/scscf.yaml" >"$WORK/scscf604.yaml"
restart_sc 604 "$WORK/scscf604.yaml"
message tel_604 tel:+4930100099 604 && ok "no route for the number -> 604 (unknown_number: 604)" ||
	{ bad "tel 604"; show_failure tel_604; }

# ---- fork: sequential, ring_timeout 1s: hal's first contact rings and is
# not answered -> CANCELled after the ring timeout, the second answers ----
sed 's/^  fork: parallel/  fork: sequential\n  ring_timeout: 1s/' "$WORK/scscf.yaml" >"$WORK/scscf_seq.yaml"
restart_sc sequential "$WORK/scscf_seq.yaml"
reg hal "$P1" && reg hal "$P2" || bad "hal registration (sequential run)"
if sipp_uas seq_p1 "$P1" "$DIR/fork_uas_cancelled.xml" && sipp_uas seq_p2 "$P2" "$DIR/fork_uas_answer.xml"; then
	t0=$(ms_now)
	sipp_uac seq_call "$ALICE" "$DIR/fork_uac_answer.xml" -key callee hal &&
		ok "sequential: call answered by the second contact" || { bad "sequential call"; show_failure seq_call; }
	t1=$(ms_now)
	sipp_wait seq_p1 && ok "sequential: the first contact rang and got CANCEL (ring timeout)" ||
		{ bad "sequential first contact"; show_failure seq_p1; }
	sipp_wait seq_p2 && ok "sequential: the second contact answered" ||
		{ bad "sequential second contact"; show_failure seq_p2; }
	[ $((t1 - t0)) -ge 1000 ] && ok "sequential: second contact only after the ring timeout ($((t1 - t0)) ms)" ||
		bad "sequential: $((t1 - t0)) ms, below the ring timeout"
	grep -q "fork served=sip:hal@open-ims.test class 1 -> contact sip:hal@127.0.0.1:$P2" "$WORK/scscf.log" &&
		ok "sequential: P2 in the second class" || bad "sequential: P2 not in class 1"
else
	bad "SIPp (sequential) did not start"
fi

# ---- fork: highest-q: only the best contact; jon's P1 busy -> 486, P2
# never tried ----
sed 's/^  fork: parallel/  fork: highest-q/' "$WORK/scscf.yaml" >"$WORK/scscf_hq.yaml"
restart_sc highest-q "$WORK/scscf_hq.yaml"
reg jon "$P1" && reg jon "$P2" || bad "jon registration (highest-q run)"
if sipp_uas hq_p1 "$P1" "$DIR/fork_uas_busy.xml"; then
	sipp_uac hq_call "$ALICE" "$DIR/fork_uac_busy.xml" -key callee jon &&
		ok "highest-q: the best contact's 486 upstream" || { bad "highest-q call"; show_failure hq_call; }
	sipp_wait hq_p1 || { bad "highest-q contact"; show_failure hq_p1; }
	[ "$(grep -c "fork served=sip:jon@open-ims.test class" "$WORK/scscf.log")" -eq 1 ] &&
		ok "highest-q: one branch only" || bad "highest-q: more than one branch"
else
	bad "SIPp (highest-q) did not start"
fi

# ---- overload control: max_pending 4, a burst of INVITEs to a silent
# contact (overload.py) ----
sed 's/^  fork: parallel/  fork: parallel\n  max_pending: 4/' "$WORK/scscf.yaml" >"$WORK/scscf_ol.yaml"
restart_sc overload "$WORK/scscf_ol.yaml"
reg pam "$P1" && ok "pam registered (the contact overload.py keeps silent)" || bad "pam registration"
if timeout 30 python3 "$DIR/overload.py" "$SC_SIP" "$P1" pam >"$WORK/overload.out" 2>&1; then
	cat "$WORK/overload.out"
	ok "overload: bounded pending INVITEs, fast 503s, in-dialog BYE passes"
else
	cat "$WORK/overload.out"
	bad "overload.py"
fi
for _ in $(seq 30); do
	grep -q "overload: 5 initial request(s) refused with 503 in the last second" "$WORK/scscf.log" && break
	sleep 0.1
done
grep -q "overload: 5 initial request(s) refused with 503 in the last second" "$WORK/scscf.log" &&
	ok "overload: one summary line for the 5 refusals" || bad "overload: no summary line"
[ "$(grep -c "initial request(s) refused" "$WORK/scscf.log")" -le 2 ] &&
	ok "overload: no log line per refused request" || bad "overload: too many summary lines"
kill -0 "$SC_PID" 2>/dev/null && ok "overload: ims-scscf still running" || bad "overload: ims-scscf died"

# ---- clean stop: no sanitizer report ----
stop_pid "$SC_PID" || bad "ims-scscf did not stop on SIGTERM"
SC_PID=
grep -qE "Sanitizer|runtime error" "$WORK/scscf.log" && bad "sanitizer report in ims-scscf log" ||
	ok "ims-scscf stopped cleanly"

[ "$FAILS" -eq 0 ] || { echo "$FAILS check(s) failed"; exit 1; }
echo PASS
