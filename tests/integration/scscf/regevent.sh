#!/bin/bash
# test_scscf_regevent: the S-CSCF beyond plain registration, against a real
# ims-hss (private MariaDB, ims-hssctl) with SIPp as UE / P-CSCF:
#   reg event (RFC 3680, TS 24.229 5.4.2.1): refused subscribers (403),
#     unregistered IMPU (480), subscribe + full-state NOTIFY + unsubscribe,
#     subscription expiry (terminated;reason=timeout), P-CSCF subscription
#     (on the Path) -> re-registration (refreshed) -> de-registration ->
#     NOTIFY terminated;
#   bindings and subscriptions survive a restart (state_file): re-REGISTER
#     without a challenge;
#   PPR (ims-hssctl subscriber push-profile) -> PPA 2001;
#   RTR (ims-hssctl subscriber deregister) -> NOTIFY rejected to the
#     subscriber of before the restart, bindings gone, RTA 2001 and the HSS
#     not-registered; RTR naming one IMPU (server change);
#   a truncated state file -> the daemon still starts, says so;
#   pending challenges per IMPI capped (503 beyond).
#   regevent.sh BUILD_DIR SOURCE_DIR
# Ports derive from the PID; every exit path stops what we started, by PID;
# every wait is bounded.
set -u
BUILD=$1
SRC=$2
# shellcheck source=lib.sh
. "$SRC/tests/integration/scscf/lib.sh" re
SUB=$((BASE + 5))
state_of() {
	hssctl subscriber show alice@open-ims.test | grep -F " $1 " |
		sed -n 's/.* state=\([a-z-]*\).*/\1/p'
}

# sipp NAME SCENARIO [args]: one call, bounded, messages kept for failures.
sipp_run() {
	local name=$1 sf=$2; shift 2
	(cd "$WORK" && timeout 30 sipp -m 1 -nostdin -timeout 20s -timeout_error \
		-trace_err -error_file "$WORK/$name.err" -trace_msg -message_file "$WORK/$name.msg" \
		-i 127.0.0.1 -p "$UE" -sf "$sf" "$@" "127.0.0.1:$SC_SIP" >"$WORK/$name.out" 2>&1)
}
# sipp_bg NAME SCENARIO [args]: a subscriber on its own port, in the background.
sipp_bg() {
	local name=$1 sf=$2; shift 2
	(cd "$WORK" && exec timeout 60 sipp -m 1 -nostdin -timeout 50s -timeout_error \
		-trace_err -error_file "$WORK/$name.err" -trace_msg -message_file "$WORK/$name.msg" \
		-i 127.0.0.1 -p "$SUB" -sf "$sf" "$@" "127.0.0.1:$SC_SIP" >"$WORK/$name.out" 2>&1) &
	BG_PID=$!
}
bg_wait() { local rc; wait "$BG_PID"; rc=$?; BG_PID=; return $rc; }
show_failure() { for f in "$WORK/$1.err" "$WORK/$1.msg"; do [ -f "$f" ] && tail -n 40 "$f"; done; }
# wait_log FILE PATTERN COUNT: until PATTERN occurs COUNT times (10 s).
wait_log() {
	for _ in $(seq 100); do
		[ "$(grep -c -- "$2" "$1" 2>/dev/null)" -ge "$3" ] && return 0
		sleep 0.1
	done
	return 1
}

# sub_oneshot NAME RURI PAI STATUS: one SUBSCRIBE, expect one final status.
sub_oneshot() {
	local name=$1 ruri=$2 pai=$3 status=$4 paih=""
	[ -n "$pai" ] && paih="      P-Asserted-Identity: <$pai>"$'\n'
	cat >"$WORK/$name.xml" <<XML
<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="$name">
  <send retrans="500">
    <![CDATA[

      SUBSCRIBE $ruri SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      Max-Forwards: 69
      From: <sip:x@open-ims.test>;tag=[pid]SIPpTag03[call_number]
      To: <$ruri>
      Call-ID: [call_id]
      CSeq: 1 SUBSCRIBE
      Contact: <sip:sub@[local_ip]:[local_port]>
${paih}      Event: reg
      Expires: 600
      Content-Length: 0

    ]]>
  </send>
  <recv response="$status"/>
</scenario>
XML
	if sipp_run "$name" "$WORK/$name.xml"; then
		ok "$name -> $status"
	else
		bad "$name: no $status"; show_failure "$name"
	fi
}

# oneshot NAME TO STATUS [HEADER...]: one REGISTER, expect one final status.
oneshot() {
	local name=$1 to=$2 status=$3; shift 3
	local extra="" h
	for h in "$@"; do extra+="      $h"$'\n'; done
	cat >"$WORK/$name.xml" <<XML
<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="$name">
  <send retrans="500">
    <![CDATA[

      REGISTER sip:open-ims.test SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      Max-Forwards: 69
      From: <$to>;tag=[pid]SIPpTag00[call_number]
      To: <$to>
      Call-ID: [call_id]
      Contact: <sip:ue@[local_ip]:[local_port]>
      Path: <sip:term@pcscf.open-ims.test:4060;lr>
${extra}      Content-Length: 0

    ]]>
  </send>
  <recv response="$status"/>
</scenario>
XML
	if sipp_run "$name" "$WORK/$name.xml"; then
		ok "$name -> $status"
	else
		bad "$name: no $status"; show_failure "$name"
	fi
}

register_alice() { # NAME
	sipp_run "$1" "$DIR/reg_md5.xml" && [ "$(state_of sip:alice@open-ims.test)" = registered ]
}

start_scscf() {
	SC_PID=$("$BIN/ims-launch" --timeout 30 --log "$WORK/scscf.log" -- \
		"$BIN/ims-scscf" -c "$WORK/scscf.yaml") || die "ims-scscf did not become ready"
}

# ---- HSS with alice and carol (SIP Digest) ----
"$SRC/tests/lib/mariadb.sh" start "$WORK/db" "$DBPORT" || die "private MariaDB did not start"
hssctl db migrate --migrations "$SRC/deploy/db/migrations" >/dev/null || die "db migrate failed"
hssctl subscriber add --impi alice@open-ims.test --impu sip:alice@open-ims.test \
	--impu tel:+4930100001 --k 465b5ce8b199b49faa5f0a2ee238a6bc \
	--op cdc202d5123e20f62b6d676ac72cb318 --amf 8000 --sqn 0 --password alice \
	--auth aka,digest >/dev/null || die "provisioning alice failed"
hssctl subscriber add --impi carol@open-ims.test --impu sip:carol@open-ims.test \
	--k 465b5ce8b199b49faa5f0a2ee238a6bc --op cdc202d5123e20f62b6d676ac72cb318 \
	--amf 8000 --sqn 0 --password carol --auth aka,digest >/dev/null ||
	die "provisioning carol failed"

hss_yaml "sip:scscf.open-ims.test:$SC_SIP"
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
  server_name: sip:scscf.open-ims.test:$SC_SIP
  min_expires: 2
  challenge_timeout: 20s
  cx_timeout: 2s
  max_challenges_per_impi: 5
  state_file: $WORK/scscf.state
YAML

start_hss
start_scscf
ok "ims-hss ($HSS_PID) and ims-scscf ($SC_PID) ready"

register_alice reg1 && ok "alice registered (SIP Digest)" || { bad "registration"; show_failure reg1; }

# ---- reg event: who may subscribe (TS 24.229 5.4.2.1.1) ----
sub_oneshot sub_stranger sip:alice@open-ims.test sip:mallory@open-ims.test 403
sub_oneshot sub_no_pai sip:alice@open-ims.test "" 403
sub_oneshot sub_unregistered sip:carol@open-ims.test sip:carol@open-ims.test 480
if sipp_run unsub "$DIR/sub_unsub.xml"; then
	ok "SUBSCRIBE reg -> 200, full-state NOTIFY, unsubscribe -> NOTIFY terminated"
else
	bad "subscribe/unsubscribe"; show_failure unsub
fi

# ---- a subscription that runs out: NOTIFY terminated;reason=timeout ----
sipp_bg sub_short "$DIR/sub_wait.xml" -key pai sip:alice@open-ims.test -key expires 2
if bg_wait && grep -q 'Subscription-State: terminated;reason=timeout' "$WORK/sub_short.msg"; then
	ok "subscription expiry -> NOTIFY terminated;reason=timeout"
else
	bad "subscription expiry"; show_failure sub_short
fi

# ---- the P-CSCF (host on the Path) subscribes; alice de-registers ----
n0=$(grep -c "NOTIFY reg impu=" "$WORK/scscf.log")
sipp_bg sub_pcscf "$DIR/sub_wait.xml" -key pai sip:pcscf@pcscf.open-ims.test \
	-key expires 600000
wait_log "$WORK/scscf.log" "NOTIFY reg impu=" $((n0 + 1)) || bad "no first NOTIFY to the P-CSCF"
sipp_run rereg0 "$DIR/rereg.xml" -key user alice@open-ims.test || bad "re-registration"
if sipp_run dereg "$DIR/dereg.xml" -key user alice@open-ims.test && bg_wait &&
	grep -q 'Subscription-State: terminated' "$WORK/sub_pcscf.msg" &&
	grep -q 'aor="tel:+4930100001" id="[^"]*" state="terminated"' "$WORK/sub_pcscf.msg" &&
	grep -q 'state="active" event="refreshed"' "$WORK/sub_pcscf.msg" &&
	grep -q 'state="terminated" event="unregistered"' "$WORK/sub_pcscf.msg"; then
	ok "P-CSCF subscription: both IMPUs active, re-registration -> NOTIFY refreshed," \
		"de-registration -> NOTIFY terminated/unregistered"
else
	bad "P-CSCF subscription through de-registration"; show_failure sub_pcscf
fi

# ---- bindings and subscriptions survive a restart; then PPR and RTR
# reach the subscriber that subscribed before the restart ----
register_alice reg2 || { bad "registration before restart"; show_failure reg2; }
n0=$(grep -c "NOTIFY reg impu=" "$WORK/scscf.log")
sipp_bg sub_ue "$DIR/sub_wait.xml" -key pai sip:alice@open-ims.test -key expires 600000
wait_log "$WORK/scscf.log" "NOTIFY reg impu=" $((n0 + 1)) || bad "no first NOTIFY to the UE"
stop_pid "$SC_PID" || bad "ims-scscf did not stop on SIGTERM"
SC_PID=
[ -s "$WORK/scscf.state" ] && ok "state file written" || bad "no state file"
start_scscf
grep -q "1 registration set(s) and 1 subscription(s) restored" "$WORK/scscf.log" &&
	ok "restart: registration and reg-event subscription restored" ||
	bad "restart: $(grep -o 'state .*restored.*' "$WORK/scscf.log" | tail -n1)"
rr0=$(grep -c "type=RE_REGISTRATION -> 2001" "$WORK/hss.log")
if sipp_run rereg "$DIR/rereg.xml" -key user alice@open-ims.test &&
	wait_log "$WORK/hss.log" "type=RE_REGISTRATION -> 2001" $((rr0 + 1)); then
	ok "after restart: re-REGISTER is a re-registration (no challenge, SAR RE_REGISTRATION)"
else
	bad "re-registration after restart"; show_failure rereg
fi

# ---- PPR: the HSS pushes the profile (TS 29.228 6.1.6) ----
if hssctl subscriber push-profile sip:alice@open-ims.test --wait 10 >"$WORK/ppr.out" 2>&1 &&
	grep -q "PPR impi=alice@open-ims.test: profile replaced" "$WORK/scscf.log"; then
	ok "PPR -> profile replaced, PPA 2001"
else
	bad "PPR"; cat "$WORK/ppr.out"
fi

# ---- RTR: the HSS de-registers alice (TS 29.228 6.1.3) ----
if hssctl subscriber deregister alice@open-ims.test --reason permanent --wait 10 \
	>"$WORK/rtr.out" 2>&1 && bg_wait &&
	grep -q 'state="terminated" event="rejected"' "$WORK/sub_ue.msg"; then
	ok "RTR -> NOTIFY terminated/rejected to the subscriber of before the restart, RTA 2001"
else
	bad "RTR"; cat "$WORK/rtr.out"; show_failure sub_ue
fi
grep -q "RTR impi=alice@open-ims.test reason=0: 1 registration set(s) removed" "$WORK/scscf.log" &&
	[ "$(state_of sip:alice@open-ims.test)" = not-registered ] &&
	ok "RTR: bindings gone here, HSS not-registered" || bad "RTR: state $(state_of sip:alice@open-ims.test)"
oneshot after_rtr sip:alice@open-ims.test 401 "CSeq: 30 REGISTER" "Expires: 600" \
	'Authorization: Digest username="alice@open-ims.test", realm="open-ims.test", nonce="", uri="sip:open-ims.test", response="", integrity-protected="yes"'

# ---- a damaged state file: start anyway, say so ----
register_alice reg3 || { bad "registration before truncation"; show_failure reg3; }
stop_pid "$SC_PID" || bad "ims-scscf did not stop on SIGTERM"
SC_PID=
size=$(stat -c %s "$WORK/scscf.state")
truncate -s $((size - 20)) "$WORK/scscf.state"
start_scscf
grep -q "damaged" "$WORK/scscf.log" && ok "truncated state file: started, damage logged" ||
	bad "truncated state file not reported"

# ---- RTR naming the IMPU (Public-Identity), reason SERVER_CHANGE ----
register_alice reg4 || { bad "registration before RTR by IMPU"; show_failure reg4; }
if hssctl subscriber deregister alice@open-ims.test --impu tel:+4930100001 \
	--reason server-change --wait 10 >"$WORK/rtr2.out" 2>&1 &&
	grep -q "RTR impi=alice@open-ims.test reason=2: 1 registration set(s) removed" \
		"$WORK/scscf.log"; then
	ok "RTR by IMPU (server change) -> the set removed, RTA 2001"
else
	bad "RTR by IMPU"; cat "$WORK/rtr2.out"
fi

# ---- abuse limit: pending challenges per IMPI ----
for i in 1 2 3 4 5; do
	oneshot "carol_ch$i" sip:carol@open-ims.test 401 "CSeq: $i REGISTER" "Expires: 600"
done
oneshot carol_ch6 sip:carol@open-ims.test 503 "CSeq: 6 REGISTER" "Expires: 600"

# ---- clean stop: no sanitizer report ----
stop_pid "$SC_PID" || bad "ims-scscf did not stop on SIGTERM"
SC_PID=
grep -qE "Sanitizer|runtime error" "$WORK/scscf.log" && bad "sanitizer report in ims-scscf log" ||
	ok "ims-scscf stopped cleanly"

[ "$FAILS" -eq 0 ] || { echo "$FAILS check(s) failed"; exit 1; }
echo PASS
