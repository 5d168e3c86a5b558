#!/bin/bash
# P-CSCF overload control (overload.py does the talking):
#   overload.sh <ims-pcscf> <ims-launch> <scenario dir>
# max_pending_registers: 4 and a silent core: new registrations are refused
# with 503 + Retry-After from 3 pending, any REGISTER at 4, and relayed
# again once the core has answered.
PCSCF=$1 LAUNCH=$2 DIR=$3
. "$DIR/lib.sh"
start_pcscf "$LAUNCH" "$PCSCF" "max_pending_registers: 4"
timeout 60 python3 "$DIR/overload.py" "$P_PORT" "$CORE_PORT" || fail "overload.py"
grep -q "overload: .* REGISTER(s) refused with 503" "$work/pcscf.log" ||
	fail "no overload line in the log"
kill -0 "$pcscf_pid" 2>/dev/null || fail "ims-pcscf died"
stop_pcscf_clean
echo "ok - P-CSCF overload control"
