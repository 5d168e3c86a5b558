#!/bin/bash
# Stopping with a request in flight: the REGISTER of a SIPp UE is at a core
# that never answers when ims-pcscf gets SIGTERM. The P-CSCF must answer
# the UE (503) on its way out and exit without a sanitizer report (the
# forwarded request's context was leaked before sipagent_close).
#   inflight.sh <ims-pcscf> <ims-launch> <scenario dir>
PCSCF=$1 LAUNCH=$2 DIR=$3
. "$DIR/lib.sh"

start_pcscf "$LAUNCH" "$PCSCF"
# The core in the background (-bg: its own PID, stopped by cleanup); it
# must outlive the P-CSCF, or an ICMP error would end the request first.
(cd "$work" && sipp -sf "$DIR/silent_core.xml" -i 127.0.0.1 -p "$CORE_PORT" -t u1 -m 1 \
	-nostdin -bg -trace_msg -message_file "$work/core.msg" >"$work/core.out" 2>&1)
bg_pids=$(sed -n 's/.*PID=\[\([0-9]*\)\].*/\1/p' "$work/core.out")
[ -n "$bg_pids" ] || fail "SIPp core did not start"
wait_udp_bound "$CORE_PORT"
sipp_run ue -sf "$DIR/inflight_ue.xml" -t u1 -p "$UE_PORT" "127.0.0.1:$P_PORT" &
ue=$!
# The REGISTER reached the core through the P-CSCF (bounded wait).
for _ in $(seq 200); do
	grep -q "^REGISTER " "$work/core.msg" 2>/dev/null && break
	sleep 0.05
done
grep -q "^REGISTER " "$work/core.msg" || fail "the REGISTER did not reach the core"
stop_pcscf_clean
wait "$ue" || fail "the UE did not get 503 when the P-CSCF stopped"
echo "PASS"
