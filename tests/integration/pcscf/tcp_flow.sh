#!/bin/bash
# P-CSCF terminating delivery over the UE's own TCP connection (NAT case).
#   tcp_flow.sh <ims-pcscf> <ims-launch> <scenario dir>
PCSCF=$1 LAUNCH=$2 DIR=$3
. "$DIR/lib.sh"
start_pcscf "$LAUNCH" "$PCSCF"
timeout 20 python3 "$DIR/tcp_flow.py" "$P_PORT" "$CORE_PORT" > "$work/tcp_flow.out" 2>&1 ||
	fail "$(cat "$work/tcp_flow.out")"
cat "$work/tcp_flow.out"
stop_pcscf_clean
echo "PASS"
