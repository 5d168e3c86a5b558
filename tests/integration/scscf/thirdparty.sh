#!/bin/bash
# test_scscf_thirdparty: third-party registration (TS 24.229 5.4.1.7)
# against a real ims-hss (private MariaDB, ims-hssctl), SIPp as UE and as
# application servers:
#   alice: iFC REGISTER -> AS (IncludeRegisterRequest/-Response, ServiceInfo,
#     SESSION_CONTINUED): the AS gets REGISTER with Request-URI = AS,
#     From/Contact = the S-CSCF, To = alice, Expires, P-Charging-Vector,
#     P-Access-Network-Info, P-Visited-Network-ID and a multipart/mixed
#     body (message/sip: the UE's REGISTER and our 200 OK;
#     application/3gpp-ims+xml);
#     de-registration -> Expires: 0 to the AS;
#   bob: an AS that never answers, SESSION_TERMINATED -> bob de-registered
#     (SAR ADMINISTRATIVE_DEREGISTRATION: HSS not-registered);
#   carol: another silent AS, SESSION_CONTINUED -> carol stays registered;
#   alice registers again, the HSS de-registers her (RTR, ims-hssctl
#     subscriber deregister): network-initiated de-registration -> Expires: 0
#     to her AS too (TS 24.229 5.4.1.5), without the UE's REGISTER in the body.
#   thirdparty.sh BUILD_DIR SOURCE_DIR
# Ports derive from the PID; every exit path stops what we started, by PID;
# every wait is bounded.
set -u
BUILD=$1
SRC=$2
# shellcheck source=lib.sh
. "$SRC/tests/integration/scscf/lib.sh" tp
AS=$((BASE + 5)) HOLD=$((BASE + 6)) HOLD2=$((BASE + 7))
state_of() { # USER: the HSS registration state of sip:USER@open-ims.test
	hssctl subscriber show "$1@open-ims.test" | grep -F " sip:$1@open-ims.test " |
		sed -n 's/.* state=\([a-z-]*\).*/\1/p'
}
# wait_state USER STATE: until the HSS says so (10 s).
wait_state() {
	for _ in $(seq 100); do
		[ "$(state_of "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}
# wait_log FILE PATTERN COUNT: until PATTERN occurs COUNT times (10 s).
wait_log() {
	for _ in $(seq 100); do
		[ "$(grep -c -- "$2" "$1" 2>/dev/null)" -ge "$3" ] && return 0
		sleep 0.1
	done
	return 1
}

# ue NAME SCENARIO USER: one call as the UE, bounded, messages kept.
ue() {
	local name=$1 sf=$2 user=$3
	(cd "$WORK" && timeout 30 sipp -m 1 -nostdin -timeout 20s -timeout_error \
		-trace_err -error_file "$WORK/$name.err" -trace_msg -message_file "$WORK/$name.msg" \
		-i 127.0.0.1 -p "$UE" -sf "$sf" -key user "$user@open-ims.test" \
		-au "$user@open-ims.test" -ap "$user" "127.0.0.1:$SC_SIP" >"$WORK/$name.out" 2>&1)
}
# as_bg NAME SCENARIO PORT: an application server in the background.
as_bg() {
	local name=$1 sf=$2 port=$3
	(cd "$WORK" && exec timeout 30 sipp -m 1 -nostdin -timeout 20s -timeout_error \
		-trace_err -error_file "$WORK/$name.err" -trace_msg -message_file "$WORK/$name.msg" \
		-i 127.0.0.1 -p "$port" -sf "$sf" >"$WORK/$name.out" 2>&1) &
	BG_PID=$!
}
as_wait() { local rc; wait "$BG_PID"; rc=$?; BG_PID=; return $rc; }
show_failure() { for f in "$WORK/$1.err" "$WORK/$1.msg" "$WORK/$1.out"; do [ -f "$f" ] && tail -n 40 "$f"; done; }
# has NAME LINE: the AS trace holds this exact header line.
has() { grep -qF -- "$2" "$WORK/$1.msg" || { bad "$1: no '$2'"; return 1; }; }

# ---- HSS: alice, bob, carol; iFCs for REGISTER (originating) ----
"$SRC/tests/lib/mariadb.sh" start "$WORK/db" "$DBPORT" || die "private MariaDB did not start"
hssctl db migrate --migrations "$SRC/deploy/db/migrations" >/dev/null || die "db migrate failed"
for u in alice bob carol; do
	hssctl subscriber add --impi "$u@open-ims.test" --impu "sip:$u@open-ims.test" \
		--k 465b5ce8b199b49faa5f0a2ee238a6bc --op cdc202d5123e20f62b6d676ac72cb318 \
		--amf 8000 --sqn 0 --password "$u" --auth aka,digest >/dev/null ||
		die "provisioning $u failed"
done
hssctl ifc add --impu sip:alice@open-ims.test --priority 0 --as "sip:127.0.0.1:$AS" \
	--default-handling continued --include-register-request --include-register-response \
	--service-info 'vm <box> & co' \
	--method REGISTER --session-case 0 >/dev/null || die "ifc add (alice) failed"
hssctl ifc add --impu sip:bob@open-ims.test --priority 0 --as "sip:127.0.0.1:$HOLD" \
	--default-handling terminated --method REGISTER --session-case 0 >/dev/null ||
	die "ifc add (bob) failed"
# (an AS is one row keyed by its URI, DefaultHandling included: carol's is another)
hssctl ifc add --impu sip:carol@open-ims.test --priority 0 --as "sip:127.0.0.1:$HOLD2" \
	--default-handling continued --method REGISTER --session-case 0 >/dev/null ||
	die "ifc add (carol) failed"

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
  cx_timeout: 2s
  third_party_max: 8
  third_party_timeout: 1s
  min_expires: 2
YAML

start_hss
SC_PID=$("$BIN/ims-launch" --timeout 30 --log "$WORK/scscf.log" -- \
	"$BIN/ims-scscf" -c "$WORK/scscf.yaml") || die "ims-scscf did not become ready"
ok "ims-hss ($HSS_PID) and ims-scscf ($SC_PID) ready"

# ---- alice registers: the AS gets the third-party REGISTER ----
as_bg as_reg "$DIR/as_ok.xml" "$AS"
if ue alice_reg "$DIR/reg_user.xml" alice && as_wait; then
	ok "alice registered, the AS answered a third-party REGISTER"
	has as_reg "REGISTER sip:127.0.0.1:$AS SIP/2.0" &&
	has as_reg "From: <sip:scscf.open-ims.test:$SC_SIP>;tag=" &&
	has as_reg "To: <sip:alice@open-ims.test>" &&
	has as_reg "Contact: <sip:scscf.open-ims.test:$SC_SIP>" &&
	has as_reg 'P-Charging-Vector: icid-value="tpr-icid-1";orig-ioi=open-ims.test' &&
	has as_reg "P-Access-Network-Info: 3GPP-E-UTRAN-FDD;utran-cell-id-3gpp=262010001a2b3c4d5" &&
	has as_reg 'P-Visited-Network-ID: "visited.test"' &&
	has as_reg "Content-Type: multipart/mixed;boundary=" &&
	has as_reg "Content-Type: message/sip" &&
	has as_reg "REGISTER sip:open-ims.test SIP/2.0" &&
	has as_reg "CSeq: 2 REGISTER" &&
	has as_reg "SIP/2.0 200 OK" &&
	has as_reg "P-Associated-URI: <sip:alice@open-ims.test>" &&
	has as_reg "Content-Type: application/3gpp-ims+xml" &&
	has as_reg "<service-info>vm &lt;box&gt; &amp; co</service-info>" &&
	ok "third-party REGISTER: Request-URI, From, To, Contact, P-headers, message/sip (REGISTER and 200 OK), service-info"
	e=$(grep -m1 '^Expires:' "$WORK/as_reg.msg" | tr -dc 0-9)
	[ -n "$e" ] && [ "$e" -gt 500 ] && [ "$e" -le 600 ] &&
		ok "third-party REGISTER Expires: $e" || bad "third-party Expires: '$e'"
else
	bad "alice registration / third-party REGISTER"; show_failure alice_reg; show_failure as_reg
fi

# ---- alice de-registers: Expires: 0 to the AS ----
as_bg as_dereg "$DIR/as_ok.xml" "$AS"
if ue alice_dereg "$DIR/dereg_all.xml" alice && as_wait && has as_dereg "Expires: 0" &&
	has as_dereg "To: <sip:alice@open-ims.test>"; then
	ok "de-registration -> third-party REGISTER with Expires: 0"
else
	bad "third-party de-registration"; show_failure alice_dereg; show_failure as_dereg
fi
wait_state alice not-registered && ok "alice not registered at the HSS" ||
	bad "alice state $(state_of alice)"

# ---- bob: the AS does not answer, SESSION_TERMINATED -> de-registered ----
as_bg as_bob "$DIR/as_silent.xml" "$HOLD"
if ue bob_reg "$DIR/reg_user.xml" bob; then
	ok "bob registered (200 OK not held back by the AS)"
else
	bad "bob registration"; show_failure bob_reg
fi
if wait_log "$WORK/scscf.log" "impu=sip:bob@open-ims.test to sip:127.0.0.1:$HOLD: 408, SESSION_TERMINATED" 1 &&
	wait_state bob not-registered; then
	ok "AS timeout with SESSION_TERMINATED -> bob de-registered (HSS not-registered)"
else
	bad "bob not de-registered: state $(state_of bob)"
fi
as_wait || { bad "silent AS (bob) saw no REGISTER"; show_failure as_bob; }

# ---- carol: the same AS, SESSION_CONTINUED -> stays registered ----
as_bg as_carol "$DIR/as_silent.xml" "$HOLD2"
if ue carol_reg "$DIR/reg_user.xml" carol; then
	ok "carol registered"
else
	bad "carol registration"; show_failure carol_reg
fi
if wait_log "$WORK/scscf.log" "impu=sip:carol@open-ims.test to sip:127.0.0.1:$HOLD2: 408, SESSION_CONTINUED" 1 &&
	[ "$(state_of carol)" = registered ]; then
	ok "AS timeout with SESSION_CONTINUED -> carol still registered"
else
	bad "carol: state $(state_of carol)"
fi
as_wait || { bad "silent AS (carol) saw no REGISTER"; show_failure as_carol; }

# ---- RTR: network-initiated de-registration -> Expires: 0 to the AS ----
as_bg as_reg2 "$DIR/as_ok.xml" "$AS"
if ue alice_reg2 "$DIR/reg_user.xml" alice && as_wait; then
	ok "alice registered again (third-party REGISTER answered)"
else
	bad "alice second registration"; show_failure alice_reg2; show_failure as_reg2
fi
as_bg as_rtr "$DIR/as_ok.xml" "$AS"
if hssctl subscriber deregister alice@open-ims.test --reason permanent --wait 10 \
	>"$WORK/rtr.out" 2>&1 && as_wait && has as_rtr "Expires: 0" &&
	has as_rtr "To: <sip:alice@open-ims.test>" &&
	has as_rtr "From: <sip:scscf.open-ims.test:$SC_SIP>;tag=" &&
	! grep -q "REGISTER sip:open-ims.test SIP/2.0" "$WORK/as_rtr.msg"; then
	ok "RTR -> third-party REGISTER with Expires: 0 to the AS (no UE REGISTER in the body)"
else
	bad "third-party de-registration on RTR"; cat "$WORK/rtr.out"; show_failure as_rtr
fi
wait_state alice not-registered && ok "alice not registered at the HSS after RTR" ||
	bad "alice state after RTR: $(state_of alice)"

# ---- expiry: the last binding runs out -> Expires: 0 to the AS ----
sed 's/Expires: 600/Expires: 3/' "$DIR/reg_user.xml" >"$WORK/reg_short.xml"
as_bg as_reg3 "$DIR/as_ok.xml" "$AS"
if ue alice_reg3 "$WORK/reg_short.xml" alice && as_wait; then
	ok "alice registered for 3 s (third-party REGISTER answered)"
else
	bad "alice short registration"; show_failure alice_reg3; show_failure as_reg3
fi
as_bg as_exp "$DIR/as_ok.xml" "$AS"
if as_wait && has as_exp "Expires: 0" && has as_exp "To: <sip:alice@open-ims.test>"; then
	ok "binding expired -> third-party REGISTER with Expires: 0 to the AS"
else
	bad "third-party de-registration on expiry"; show_failure as_exp
fi
wait_state alice not-registered && ok "alice not registered at the HSS after expiry" ||
	bad "alice state after expiry: $(state_of alice)"

# ---- clean stop: no sanitizer report ----
stop_pid "$SC_PID" || bad "ims-scscf did not stop on SIGTERM"
SC_PID=
grep -qE "Sanitizer|runtime error" "$WORK/scscf.log" && bad "sanitizer report in ims-scscf log" ||
	ok "ims-scscf stopped cleanly"

[ "$FAILS" -eq 0 ] || { echo "$FAILS check(s) failed"; exit 1; }
echo PASS
