#!/bin/bash
# P-CSCF overload control (overload.py does the talking):
#   overload.sh <ims-pcscf> <ims-launch> <scenario dir>
# max_pending_registers: 4 and a silent core: new registrations are refused
# with 503 + Retry-After from 3 pending, any REGISTER at 4, and relayed
# again once the core has answered; max_pending_requests: 4
# (overload_invite.py): a registered UE's INVITEs beyond 3 pending get 503 +
# Retry-After at the edge, an in-dialog BYE is still relayed.
PCSCF=$1 LAUNCH=$2 DIR=$3
. "$DIR/lib.sh"
start_pcscf "$LAUNCH" "$PCSCF" "max_pending_registers: 4
max_pending_requests: 4"
timeout 60 python3 "$DIR/overload.py" "$P_PORT" "$CORE_PORT" || fail "overload.py"
grep -q "overload: .* REGISTER(s) refused with 503" "$work/pcscf.log" ||
	fail "no overload line in the log"
timeout 60 python3 "$DIR/overload_invite.py" "$P_PORT" "$CORE_PORT" || fail "overload_invite.py"
for _ in $(seq 30); do
	grep -q "overload: 2 initial request(s) from UEs refused" "$work/pcscf.log" && break
	sleep 0.1
done
grep -q "overload: 2 initial request(s) from UEs refused" "$work/pcscf.log" ||
	fail "no summary line for the refused INVITEs"
kill -0 "$pcscf_pid" 2>/dev/null || fail "ims-pcscf died"
stop_pcscf_clean
echo "ok - P-CSCF overload control"
