#!/bin/bash
# P-CSCF reg event test (TS 24.229 5.2.3, 5.2.5.2): after a registration the
# P-CSCF subscribes at the S-CSCF (a SIPp UAS on the Service-Route); a
# NOTIFY saying the registration is terminated removes it, so the UE's next
# request is refused.
#   regevent.sh <ims-pcscf> <ims-launch> <scenario dir>
PCSCF=$1 LAUNCH=$2 DIR=$3
. "$DIR/lib.sh"
SCSCF_PORT=$AUX_PORT

start_pcscf "$LAUNCH" "$PCSCF" "reg_event: true"

sipp_run scscf -sf "$DIR/regevent_scscf.xml" -p "$SCSCF_PORT" -key pcscf_port "$P_PORT" &
scscf=$!
sipp_run core -sf "$DIR/regevent_core.xml" -p "$CORE_PORT" -key scscf_port "$SCSCF_PORT" &
core=$!
bg_pids="$scscf $core"
wait_udp_bound "$SCSCF_PORT"
wait_udp_bound "$CORE_PORT"
sipp_run ue1 -sf "$DIR/regevent_ue_register.xml" -p "$UE_PORT" "127.0.0.1:$P_PORT" ||
	fail "UE registration"
wait "$core" || fail "core (registrar) scenario"
wait "$scscf" || fail "S-CSCF (reg event) scenario"
bg_pids=""
grep -q "de-registered by the network" "$work/pcscf.log" || fail "NOTIFY did not de-register"
# Same UE flow (same port) after the network de-registered it: 403.
sipp_run ue2 -sf "$DIR/unregistered.xml" -p "$UE_PORT" "127.0.0.1:$P_PORT" ||
	fail "de-registered UE was not refused"
stop_pcscf_clean
echo "PASS"
