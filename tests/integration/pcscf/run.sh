#!/bin/bash
# P-CSCF flow test: ims-pcscf between a SIPp UE and a SIPp core (I/S-CSCF).
#   run.sh <ims-pcscf> <ims-launch> <scenario dir> [udp|tcp]
# The transport is the UE's (Gm); P-CSCF to core stays on UDP.
PCSCF=$1 LAUNCH=$2 DIR=$3 UE_TRANSPORT=${4:-udp}
. "$DIR/lib.sh"
case $UE_TRANSPORT in udp) UE_T=u1 ;; tcp) UE_T=t1 ;; *) echo "bad transport"; exit 2 ;; esac

start_pcscf "$LAUNCH" "$PCSCF"

# RFC 5626 4.4.1 keep-alive: CRLFCRLF on a TCP connection gets CRLF back.
if [ "$UE_TRANSPORT" = tcp ]; then
	exec 3<>"/dev/tcp/127.0.0.1/$P_PORT" || fail "cannot connect over TCP"
	printf '\r\n\r\n' >&3
	pong=""
	IFS= read -r -t 3 -N 2 pong <&3
	exec 3<&-
	[ "$pong" = $'\r\n' ] || fail "no CRLF pong to a CRLFCRLF ping"
fi

# The core waits for the REGISTER; the UE plays its part against the P-CSCF.
sipp_run core -sf "$DIR/core.xml" -p "$CORE_PORT" -t u1 -key ue_port "$UE_PORT" &
core=$!
bg_pids=$core
wait_udp_bound "$CORE_PORT"
sipp_run ue -sf "$DIR/ue.xml" -t "$UE_T" -p "$UE_PORT" "127.0.0.1:$P_PORT" || fail "UE scenario"
wait "$core" || fail "core scenario"
bg_pids=""

# A UE that never registered is refused.
sipp_run unregistered -sf "$DIR/unregistered.xml" -t "$UE_T" -p "$AUX_PORT" "127.0.0.1:$P_PORT" ||
	fail "unregistered UE was not refused with 403"

grep -q "REGISTER impi=alice@open-ims.test impu=sip:alice@open-ims.test" "$work/pcscf.log" ||
	fail "registration not logged as stored"
stop_pcscf_clean
echo "PASS"
