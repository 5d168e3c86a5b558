#!/bin/bash
# The P-CSCF in the whole chain on loopback: SIPp UEs -> ims-pcscf ->
# ims-icscf -> ims-scscf -> ims-hss (private MariaDB; alice and bob
# provisioned with ims-hssctl, the demo AKA keys of deploy/ims).
#   chain.sh BUILD_DIR SOURCE_DIR basic|services
# basic: registration end to end (Path, Service-Route, P-Associated-URI as
#   the UE sees them), an unregistered UE's INVITE refused with 403, a
#   REGISTER flood from 127.0.0.3 throttled (503) while bob on 127.0.0.2
#   registers. Never skips once the chain is up.
# services: alice calls bob with a forged P-Asserted-Identity (bob must see
#   alice's asserted identity), then alice calls bob again and neither
#   hangs up: `ims-hssctl subscriber deregister bob` (RTR -> S-CSCF BYE to
#   both through the P-CSCF, NOTIFY reg -> the P-CSCF drops bob's binding). Exits 77
#   when the S-CSCF answers 501 to the INVITE or 489/501 to the P-CSCF's
#   reg SUBSCRIBE (not there yet), after running what it can.
# Ports and the daemons come from tests/bench/chain_env.sh (private ports,
# cleanup of everything started, by PID).
set -u
BUILD=$(cd "$1" && pwd)
SRC=$(cd "$2" && pwd)
MODE=$3
DIR=$SRC/tests/integration/pcscf/chain
command -v sipp >/dev/null || { echo "SKIP: sipp is not installed"; exit 77; }
command -v mariadbd >/dev/null || { echo "SKIP: mariadb-server is not installed"; exit 77; }
for b in ims-hss ims-scscf ims-icscf ims-pcscf ims-hssctl ims-launch; do
	[ -x "$BUILD/bin/$b" ] || { echo "SKIP: $BUILD/bin/$b is not built"; exit 77; }
done
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$SRC/tests/lsan.supp:print_suppressions=0}"
. "$SRC/tests/bench/chain_env.sh"

# Our P-CSCF settings on top of the shared chain configuration.
eval "orig_$(declare -f chain_configs)"
chain_configs() {
	orig_chain_configs
	sed -i 's/^  level: .*/  level: info/' "$WORK/pcscf.yaml"
	cat >>"$WORK/pcscf.yaml" <<YAML
reg_event: true
rate_limit:
  rate: 20
  burst: 40
  retry_after: 3
YAML
}

FAILS=0 SKIPS=""
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; FAILS=$((FAILS + 1)); }
skip() { echo "SKIP $*"; SKIPS="$SKIPS; $*"; }

# scenario USER: the register template with USER's demo keys.
scenario() {
	local k op
	case $1 in
	alice) k='\\\\x46\\\\x5b\\\\x5c\\\\xe8\\\\xb1\\\\x99\\\\xb4\\\\x9f\\\\xaa\\\\x5f\\\\x0a\\\\x2e\\\\xe2\\\\x38\\\\xa6\\\\xbc'
	       op='\\\\xcd\\\\xc2\\\\x02\\\\xd5\\\\x12\\\\x3e\\\\x20\\\\xf6\\\\x2b\\\\x6d\\\\x67\\\\x6a\\\\xc7\\\\x2c\\\\xb3\\\\x18' ;;
	bob) k='\\\\xfe\\\\xc8\\\\x6b\\\\xa6\\\\xeb\\\\x70\\\\x7e\\\\xd0\\\\x89\\\\x05\\\\x75\\\\x7b\\\\x1b\\\\xb4\\\\x4b\\\\x8f'
	     op='\\\\xdb\\\\xc5\\\\x9a\\\\xdc\\\\xb6\\\\xf9\\\\xa0\\\\xef\\\\x73\\\\x54\\\\x77\\\\xb7\\\\xfa\\\\xdf\\\\x83\\\\x74' ;;
	esac
	sed -e "s/@USER@/$1/g" -e "s/@K@/$k/" -e "s/@OP@/$op/" -e "s/@PPORT@/$P_SIP/g" \
		-e "s/@SPORT@/$S_SIP/g" "$DIR/register.xml" >"$WORK/$1-register.xml"
}

# register USER LOCAL_IP PORT: up to 3 tries (SIPp hashes RES with
# strlen(): a RES with a 0x00 octet makes its answer wrong, ~3 %).
register() {
	local try
	for try in 1 2 3; do
		(cd "$WORK" && timeout 40 sipp "127.0.0.1:$P_SIP" -sf "$WORK/$1-register.xml" -m 1 \
			-p "$3" -i "$2" -auth_uri open-ims.test -nd -timeout 30s -timeout_error -nostdin \
			-recv_timeout 15000 -trace_msg -message_file "$WORK/$1-reg-$try.msg" \
			-trace_err -error_file "$WORK/$1-reg-$try.err" </dev/null >"$WORK/$1-reg-$try.out" 2>&1) &&
			return 0
		sleep 0.5
	done
	return 1
}

chain_init pcscf-chain
ALICE_PORT=$((UE_PORT)) BOB_PORT=$((UE_PORT + 100)) MALLORY_PORT=$((UE_PORT + 200))
"$SRC/tests/lib/mariadb.sh" start "$WORK/db" "$DBPORT" >/dev/null || chain_die "private MariaDB did not start"
"$BIN/ims-hssctl" db migrate --migrations "$SRC/deploy/db/migrations" >/dev/null || chain_die "db migrate"
"$BIN/ims-hssctl" subscriber add --impi alice@$REALM --impu sip:alice@$REALM \
	--impu tel:+4930100001 --k 465b5ce8b199b49faa5f0a2ee238a6bc \
	--op cdc202d5123e20f62b6d676ac72cb318 --amf 8000 --sqn 0 --auth aka >/dev/null ||
	chain_die "hssctl: alice"
"$BIN/ims-hssctl" subscriber add --impi bob@$REALM --impu sip:bob@$REALM \
	--impu tel:+4930100002 --k fec86ba6eb707ed08905757b1bb44b8f \
	--op dbc59adcb6f9a0ef735477b7fadf8374 --amf 8000 --sqn 0 --auth aka >/dev/null ||
	chain_die "hssctl: bob"
"$BIN/ims-hssctl" scscf-caps set --name "sip:scscf.$REALM:$S_SIP" >/dev/null || chain_die "scscf-caps"
chain_start
scenario alice
scenario bob
echo "chain up: P-CSCF :$P_SIP, I-CSCF :$I_SIP, S-CSCF :$S_SIP"
# Diameter connections come up asynchronously: the first registration
# may need a few seconds.
deadline=$(($(date +%s) + 30))
until register alice 127.0.0.1 "$ALICE_PORT"; do
	[ "$(date +%s)" -ge "$deadline" ] && break
	sleep 1
done

if [ "$MODE" = basic ]; then
	if ls "$WORK"/alice-reg-*.out >/dev/null 2>&1 && grep -q "impu=sip:alice@$REALM" "$WORK/pcscf.log"; then
		ok "alice registered through P -> I -> S -> HSS; her 200 had our Path, a Service-Route to the S-CSCF and P-Associated-URI sip:alice"
	else
		bad "alice did not register end to end (see $WORK/alice-reg-*.err)"
	fi
	(cd "$WORK" && timeout 30 sipp "127.0.0.1:$P_SIP" -sf "$DIR/invite-unregistered.xml" -m 1 \
		-p "$MALLORY_PORT" -i 127.0.0.1 -nd -timeout 20s -timeout_error -nostdin \
		</dev/null >"$WORK/unreg.out" 2>&1) &&
		ok "an unregistered UE's INVITE is refused with 403" ||
		bad "an unregistered UE's INVITE was not refused with 403"
	# Flood: 400 REGISTERs at 1000/s from 127.0.0.3, no retransmissions.
	(cd "$WORK" && timeout 60 sipp "127.0.0.1:$P_SIP" -sf "$DIR/flood.xml" -m 400 -r 1000 \
		-p "$MALLORY_PORT" -i 127.0.0.3 -nd -timeout 30s -nostdin -recv_timeout 5000 \
		-trace_msg -message_file "$WORK/flood.msg" </dev/null >"$WORK/flood.out" 2>&1)
	n503=$(grep -c '^SIP/2.0 503' "$WORK/flood.msg" 2>/dev/null)
	nra=$(grep -ci '^Retry-After: *3' "$WORK/flood.msg" 2>/dev/null)
	if register bob 127.0.0.2 "$BOB_PORT"; then
		ok "bob on 127.0.0.2 registered during/after the flood"
	else
		bad "bob on 127.0.0.2 could not register after the flood"
	fi
	if [ "${n503:-0}" -ge 200 ] && [ "${nra:-0}" -ge "$n503" ]; then
		ok "REGISTER flood from 127.0.0.3: $n503 of 400 refused with 503 + Retry-After"
	else
		bad "REGISTER flood: only ${n503:-0} 503s (${nra:-0} with Retry-After) of 400"
	fi
	# The P-CSCF sums refusals up once a second: allow it a few seconds.
	logged=0
	for _ in $(seq 1 30); do
		grep -q "rate limit: .* refused" "$WORK/pcscf.log" && { logged=1; break; }
		sleep 0.1
	done
	[ "$logged" = 1 ] && ok "refusals counted in the P-CSCF log" || bad "refusals not logged"
else
	register bob 127.0.0.1 "$BOB_PORT" || bad "bob did not register"
	# bob answers one call from the port he registered.
	(cd "$WORK" && exec timeout 40 sipp -sf "$DIR/bob-uas.xml" -m 1 -p "$BOB_PORT" -i 127.0.0.1 \
		-timeout 30s -timeout_error -nostdin -trace_msg -message_file "$WORK/bob.msg" \
		-trace_err -error_file "$WORK/bob.err" </dev/null >"$WORK/bob.out" 2>&1) &
	SIPP_PID=$!
	sleep 0.5
	(cd "$WORK" && timeout 40 sipp "127.0.0.1:$P_SIP" -sf "$DIR/call.xml" -m 1 -p "$ALICE_PORT" \
		-i 127.0.0.1 -nd -timeout 30s -timeout_error -nostdin -trace_msg \
		-message_file "$WORK/alice-call.msg" </dev/null >"$WORK/alice-call.out" 2>&1)
	call_rc=$?
	if [ "$call_rc" -ne 0 ] && grep -q '^SIP/2.0 501' "$WORK/alice-call.msg" 2>/dev/null; then
		skip "the S-CSCF answers 501 to INVITE: no call, no P-Asserted-Identity check at bob"
		kill "$SIPP_PID" 2>/dev/null
	else
		wait "$SIPP_PID"
		bob_rc=$?
		[ "$call_rc" -eq 0 ] && [ "$bob_rc" -eq 0 ] &&
			ok "alice called bob through the whole chain; bob saw P-Asserted-Identity alice, not the forged bob" ||
			bad "the call failed (alice $call_rc, bob $bob_rc; see $WORK/*.msg)"
	fi
	SIPP_PID=
	# Network-initiated de-registration reaches the P-CSCF.
	for _ in $(seq 50); do grep -q "SUBSCRIBE reg impu=sip:bob@$REALM" "$WORK/pcscf.log" && break; sleep 0.1; done
	if grep -qE "SUBSCRIBE reg impu=sip:bob@$REALM refused: (489|501)" "$WORK/pcscf.log"; then
		skip "the S-CSCF answers 489/501 to SUBSCRIBE reg: no network-initiated de-registration check"
	else
		# A call in progress when bob goes: the S-CSCF ends it with BYE to
		# both sides through the P-CSCF (TS 24.229 5.4.5.1.2).
		(cd "$WORK" && exec timeout 40 sipp -sf "$DIR/bob-uas.xml" -m 1 -p "$BOB_PORT" \
			-i 127.0.0.1 -timeout 30s -timeout_error -nostdin -trace_msg \
			-message_file "$WORK/bob-held.msg" -trace_err -error_file "$WORK/bob-held.err" \
			</dev/null >"$WORK/bob-held.out" 2>&1) &
		SIPP_PID=$!
		sleep 0.5
		(cd "$WORK" && exec timeout 40 sipp "127.0.0.1:$P_SIP" -sf "$DIR/call-held.xml" -m 1 \
			-p "$ALICE_PORT" -i 127.0.0.1 -nd -timeout 30s -timeout_error -nostdin \
			-trace_msg -message_file "$WORK/alice-held.msg" -trace_err \
			-error_file "$WORK/alice-held.err" </dev/null >"$WORK/alice-held.out" 2>&1) &
		held_pid=$!
		for _ in $(seq 50); do
			grep -q "^ACK" "$WORK/bob-held.msg" 2>/dev/null && break
			sleep 0.1
		done
		"$BIN/ims-hssctl" subscriber deregister "bob@$REALM" >"$WORK/dereg.out" 2>&1 ||
			bad "ims-hssctl subscriber deregister failed: $(cat "$WORK/dereg.out")"
		wait "$held_pid" && ok "bob de-registered during a call: alice got the S-CSCF's BYE (Reason 480) through the P-CSCF" ||
			bad "alice's held call was not released (see $WORK/alice-held.msg)"
		wait "$SIPP_PID" && ok "... and bob got his BYE through the P-CSCF" ||
			bad "bob's side of the held call was not released (see $WORK/bob-held.msg)"
		SIPP_PID=
		for _ in $(seq 100); do
			grep -q "NOTIFY reg impu=sip:bob@$REALM .*de-registered by the network" "$WORK/pcscf.log" && break
			sleep 0.1
		done
		if grep -q "NOTIFY reg impu=sip:bob@$REALM .*de-registered by the network" "$WORK/pcscf.log"; then
			ok "ims-hssctl deregister bob: RTR -> S-CSCF NOTIFY -> the P-CSCF dropped bob's binding"
		else
			bad "the P-CSCF did not drop bob after ims-hssctl deregister"
		fi
	fi
fi
grep -qE "Sanitizer|runtime error" "$WORK"/*.log && bad "sanitizer report in a daemon log"
if [ "$FAILS" -gt 0 ]; then
	KEEP_WORK=1
	for f in "$WORK"/*.err; do [ -s "$f" ] && { echo "--- $f"; tail -20 "$f"; }; done
	echo "--- pcscf log"; grep -v DEBUG "$WORK/pcscf.log" | tail -40
	exit 1
fi
[ -n "$SKIPS" ] && { echo "SKIP:${SKIPS#;}"; exit 77; }
echo PASS
