#!/bin/bash
# P-CSCF flow test: ims-pcscf between a SIPp UE and a SIPp core (I/S-CSCF).
#   run.sh <ims-pcscf> <ims-launch> <scenario dir>
# Ports come from the PID so parallel runs do not collide; every process we
# start is stopped by PID in the trap; every wait is bounded.
set -u
PCSCF=$1 LAUNCH=$2 DIR=$3
base=$((20000 + ($$ % 4000) * 4))
P_PORT=$base CORE_PORT=$((base + 1)) UE_PORT=$((base + 2)) BAD_PORT=$((base + 3))
work=$(mktemp -d /tmp/pcscf-it.XXXXXX)
pcscf_pid="" core_pid=""

cleanup() {
	[ -n "$core_pid" ] && kill "$core_pid" 2>/dev/null
	[ -n "$pcscf_pid" ] && kill "$pcscf_pid" 2>/dev/null
	for _ in $(seq 50); do
		[ -n "$pcscf_pid" ] && kill -0 "$pcscf_pid" 2>/dev/null || break
		sleep 0.1
	done
	[ -n "$pcscf_pid" ] && kill -9 "$pcscf_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*"
	echo "--- ims-pcscf log"; cat "$work/pcscf.log"
	for f in "$work"/*_errors.log "$work"/*.out; do [ -f "$f" ] && { echo "--- $f"; cat "$f"; }; done
	exit 1
}

cat > "$work/pcscf.yaml" <<YAML
log:
  level: debug
sip:
  address: 127.0.0.1
  port: $P_PORT
  tcp: false
home_network: open-ims.test
icscf: sip:127.0.0.1:$CORE_PORT
visited_network_id: open-ims.test
max_registrations: 16
YAML

pcscf_pid=$("$LAUNCH" --timeout 10 --log "$work/pcscf.log" -- "$PCSCF" -c "$work/pcscf.yaml") ||
	fail "ims-pcscf did not become ready"

sipp_run() { # name, then sipp arguments
	local name=$1; shift
	(cd "$work" && timeout 30 sipp -m 1 -nostdin -timeout 20s -timeout_error -trace_err \
		-error_file "$work/${name}_errors.log" -i 127.0.0.1 "$@" > "$work/$name.out" 2>&1)
}

# The core waits for the REGISTER; the UE plays its part against the P-CSCF.
sipp_run core -sf "$DIR/core.xml" -p "$CORE_PORT" -key ue_port "$UE_PORT" &
core_pid=$!
sipp_run ue -sf "$DIR/ue.xml" -p "$UE_PORT" "127.0.0.1:$P_PORT" || fail "UE scenario"
wait "$core_pid" || { core_pid=""; fail "core scenario"; }
core_pid=""

# A UE that never registered is refused.
sipp_run unregistered -sf "$DIR/unregistered.xml" -p "$BAD_PORT" "127.0.0.1:$P_PORT" ||
	fail "unregistered UE was not refused with 403"

grep -q "REGISTER impi=alice@open-ims.test impu=sip:alice@open-ims.test" "$work/pcscf.log" ||
	fail "registration not logged as stored"
echo "PASS"
