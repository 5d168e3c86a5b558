#!/bin/bash
# e2e_dereg: `deploy/ims up` (standalone, private state directory and
# MariaDB port, classic ports), tshark on lo over the whole run, then
#   bob and alice register;
#   alice de-registers (REGISTER Expires: 0, challenged like any REGISTER
#   without IPsec): 200, her identities leave the registered count, the
#   S-CSCF tells the P-CSCF (reg event NOTIFY, contact event "unregistered"),
#   and bob's MESSAGE to her now ends in 480;
#   alice registers again and bob's MESSAGE reaches her;
#   network-initiated de-registration: `deploy/ims hssctl subscriber deregister`
#   makes the HSS send an RTR to the S-CSCF, which removes her bindings and
#   NOTIFYs the P-CSCF (event "rejected" or "deactivated"); bob's next
#   MESSAGE to her ends in 480 again;
#   no malformed SIP or Diameter packet, every Cx request answered.
#   dereg.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=$1
SRC=$2
# shellcheck source=lib.sh
. "$SRC/tests/e2e/lib.sh"
e2e_init dereg
e2e_need_classic_ports
ims=$SRC/deploy/ims
reg=$SRC/deploy/sipp/register
pcap=$E2E_WORK/run.pcap
wire=0
e2e_capture_start "$pcap" \
	'port 3868 or port 3869 or port 3870 or port 4060 or port 5060 or port 6060 or portrange 15060-15069' &&
	wire=1

"$ims" up >"$E2E_WORK/up.log" 2>&1 || { cat "$E2E_WORK/up.log"; e2e_fail "deploy/ims up"; exit 1; }
e2e_ok "deploy/ims up"
e2e_check "bob registers" "$reg" --port 15061 bob
e2e_check "alice registers" "$reg" --port 15060 alice
before=$(e2e_registered)
e2e_check "registered identities: 4 ($before)" [ "$before" = 4 ]

# ---- UE-initiated de-registration (the registration scenario with Expires: 0)
e2e_dereg_scenario alice "$E2E_WORK/alice-deregister.xml"
e2e_check "alice de-registers (Expires: 0): 200" \
	"$reg" --port 15060 --scenario "$E2E_WORK/alice-deregister.xml" alice
e2e_check "registered identities: bob's 2 left ($(e2e_registered))" [ "$(e2e_registered)" = 2 ]
e2e_check "bob's MESSAGE to de-registered alice ends in 480" e2e_message_refused to-alice-dereg 480

# ---- alice comes back
e2e_check "alice registers again" "$reg" --port 15060 alice
e2e_check "bob's MESSAGE reaches alice" e2e_message_delivered to-alice-back

# ---- network-initiated: HSS -> RTR -> S-CSCF
e2e_check "ims-hssctl subscriber deregister alice (RTR answered)" \
	quiet "$ims" hssctl subscriber deregister alice@open-ims.test --wait 10
n=
for _ in $(seq 1 50); do
	n=$(e2e_registered)
	[ "$n" = 2 ] && break
	sleep 0.1
done
e2e_check "registered identities after the RTR: bob's 2 ($n)" [ "$n" = 2 ]
e2e_check "bob's MESSAGE to alice after the RTR ends in 480" e2e_message_refused to-alice-rtr 480
e2e_check "alice registers again after the RTR" \
	"$reg" --port 15060 alice

if [ "$wire" = 1 ]; then
	e2e_capture_stop
	e2e_wire_clean "$pcap"
	n=$(e2e_count "$pcap" 'diameter.cmd.code == 304 && diameter.flags.request == 1')
	e2e_check "wire: the HSS sent an RTR ($n)" test "${n/error/0}" -ge 1
	n=$(e2e_count "$pcap" 'diameter.cmd.code == 304 && diameter.flags.request == 0 && diameter.Result-Code == 2001')
	e2e_check "wire: the S-CSCF answered it with 2001 ($n)" test "${n/error/0}" -ge 1
	notify='sip.Method == "NOTIFY" && udp.srcport == 6060 && udp.dstport == 4060'
	n=$(e2e_count "$pcap" "$notify && frame contains \"event=\\\"unregistered\\\"\"")
	e2e_check "wire: reg event NOTIFY to the P-CSCF for alice's de-registration ($n)" \
		test "${n/error/0}" -ge 1
	n=$(e2e_count "$pcap" "$notify && (frame contains \"event=\\\"rejected\\\"\" || frame contains \"event=\\\"deactivated\\\"\")")
	e2e_check "wire: reg event NOTIFY to the P-CSCF for the RTR ($n)" test "${n/error/0}" -ge 1
fi

e2e_check "deploy/ims down" quiet "$ims" down
e2e_check "no process runs with our state directory" no_process_with "$IMS_STATE_DIR"
e2e_finish
