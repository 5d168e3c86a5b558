#!/bin/bash
# e2e_distributed: `deploy/ims up --distributed --scscf 2`: every node in
# its own network namespace on the bridge 10.77.0.0/24, SIPp on the host.
#   alice registers via the P-CSCF's namespace address (10.77.0.30);
#   demo-call: bob registers, alice calls him across the namespaces;
#   bob's MESSAGE reaches alice; alice de-registers (Expires: 0) and bob's
#   MESSAGE ends in 480; she registers again; ims-hssctl subscriber
#   deregister (HSS RTR to her S-CSCF) and bob's MESSAGE ends in 480 again;
#   presence PUBLISH/SUBSCRIBE/NOTIFY through the Kamailio presence AS and a
#   MESSAGE to the PSI sip:vod@open-ims.test, both ASs in the namespace
#   ims-as (10.77.0.50);
#   a MESSAGE to a domain no nameserver can resolve gets a final answer and
#   the nodes keep serving;
#   e2e users e2e1..e2e4 register: the I-CSCF picks the S-CSCF (weights);
#   the S-CSCF serving alice is killed (SIGKILL): e2e5, e2e6 and alice
#   again still register, at the other one (I-CSCF failover), so both
#   S-CSCFs have served registrations; an unprovisioned user is refused;
#   tshark on the bridge over the whole run: no malformed SIP or Diameter
#   packet, every Cx request answered;
#   `down` removes the processes, namespaces, veths and bridge.
# Needs root and `ip netns` (skipped, 77, otherwise).
#   distributed.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=$1
SRC=$2
# shellcheck source=lib.sh
. "$SRC/tests/e2e/lib.sh"
[ "$(id -u)" -eq 0 ] || e2e_skip "needs root (network namespaces)"
command -v ip >/dev/null && ip netns list >/dev/null 2>&1 || e2e_skip "ip netns does not work here"
for ns in ims-db ims-hss ims-scscf1 ims-scscf2 ims-icscf ims-pcscf ims-as; do
	[ -e "/run/netns/$ns" ] && e2e_skip "namespace $ns exists already (another deploy/ims --distributed?)"
done
ip link show ims-br0 >/dev/null 2>&1 && e2e_skip "bridge ims-br0 exists already"
e2e_init distributed
ims=$SRC/deploy/ims
reg=$SRC/deploy/sipp/register
pcscf=10.77.0.30

t=$(date +%s)
"$ims" up --distributed --scscf 2 --with-presence --with-psi >"$E2E_WORK/up.log" 2>&1 ||
	{ cat "$E2E_WORK/up.log"; e2e_fail "deploy/ims up --distributed --scscf 2 --with-presence --with-psi"; exit 1; }
e2e_ok "deploy/ims up --distributed --scscf 2 --with-presence --with-psi ($(($(date +%s) - t)) s)"
e2e_check "status shows the presence AS running at 10.77.0.50" \
	grep -q '^  presence  *10.77.0.50 .*running' <("$ims" status)
e2e_check "status: 5 daemons running" [ "$(e2e_running)" = 5 ]
for f in hss scscf1 scscf2 icscf pcscf; do
	e2e_check "config $f.yaml written and printed" grep -q "$IMS_STATE_DIR/etc/$f.yaml" "$E2E_WORK/up.log"
done
e2e_check "the P-CSCF listens in its namespace only" \
	sh -c "ip netns exec ims-pcscf ss -Hlun 'sport = :4060' | grep -q '$pcscf:4060'"

db() { # SQL: as the host (10.77.0.1) sees the database
	mariadb --no-defaults -h10.77.0.2 -P"$IMS_DB_PORT" -uims_hss -pims_hss ims_hss -N -e "$1"
}
at() { db "SELECT scscf_name FROM impu WHERE identity = 'sip:$1@open-ims.test' AND reg_state = 1"; }

# tshark on the bridge for the rest of the run (every hop between two
# namespaces crosses it; started after `up`, which creates the bridge).
pcap=$E2E_WORK/run.pcap
wire=0
E2E_CAPTURE_IF=ims-br0 e2e_capture_start "$pcap" \
	'port 3868 or port 3869 or port 3870 or port 4060 or port 5060 or port 5065 or port 5066 or port 6060 or portrange 15060-15069' &&
	wire=1

e2e_check "alice registers via $pcscf" "$reg" --pcscf "$pcscf" --port 15060 alice
export IMS_DB_HOST=10.77.0.2 IMS_DB_USER=ims_hss IMS_DB_PASSWORD=ims_hss IMS_DB_NAME=ims_hss
for i in 1 2 3 4 5 6; do
	"$BUILD/bin/ims-hssctl" subscriber add --impi "e2e$i@open-ims.test" \
		--impu "sip:e2e$i@open-ims.test" --k 112233445566778899aabbccddeeff01 \
		--op 2132435465768798a9bacbdcedfe0f1e --amf 8000 --auth aka >/dev/null ||
		e2e_fail "provision e2e$i"
done
for i in 1 2 3 4; do
	e2e_check "e2e$i registers" "$reg" --pcscf "$pcscf" --port $((15060 + i)) \
		--scenario "$SRC/tests/e2e/user-register.xml" "e2e$i"
done
db "SELECT scscf_name, COUNT(*) FROM impu WHERE reg_state = 1 GROUP BY scscf_name"

# A call across the namespaces (alice and bob may sit at different S-CSCFs:
# then the originating one finds bob's through the I-CSCF, LIR).
IMS_DEMO_DIR=$E2E_WORK/demo timeout 120 "$SRC/deploy/sipp/demo-call" --pcscf "$pcscf"
case $? in
0) e2e_ok "demo-call through the namespaces: alice called bob" ;;
77) e2e_log "info: the S-CSCF answers 501 to INVITE; call not checked" ;;
*) e2e_fail "demo-call through the namespaces (traces in $E2E_WORK/demo)" ;;
esac

# MESSAGE and de-registrations across the namespaces (alice on 15060 and
# bob on 15061 are registered by demo-call).
E2E_PCSCF=$pcscf
E2E_LOCAL=$(ip -o route get "$pcscf" 2>/dev/null | sed -n 's/.* src \([^ ]*\).*/\1/p')
E2E_LOCAL=${E2E_LOCAL:-10.77.0.1}
e2e_check "bob's MESSAGE reaches alice across the namespaces" e2e_message_delivered to-alice
e2e_dereg_scenario alice "$E2E_WORK/alice-deregister.xml"
e2e_check "alice de-registers (Expires: 0): 200" "$reg" --pcscf "$pcscf" --port 15060 \
	--scenario "$E2E_WORK/alice-deregister.xml" alice
e2e_check "alice is no longer registered in the HSS" [ -z "$(at alice)" ]
e2e_check "bob's MESSAGE to de-registered alice ends in 480" e2e_message_refused to-alice-dereg 480
e2e_check "alice registers again" "$reg" --pcscf "$pcscf" --port 15060 alice
e2e_check "ims-hssctl subscriber deregister alice (RTR across namespaces, answered)" \
	quiet "$ims" hssctl subscriber deregister alice@open-ims.test --wait 10
e2e_check "alice is no longer registered after the RTR" [ -z "$(at alice)" ]
e2e_check "bob's MESSAGE to alice after the RTR ends in 480" e2e_message_refused to-alice-rtr 480
e2e_check "alice registers again after the RTR" "$reg" --pcscf "$pcscf" --port 15060 alice

# Presence through the AS in its own namespace (10.77.0.50), over ISC from
# whichever S-CSCF serves the user.
e2e_check "presence: alice's PUBLISH is answered 200 by the presence AS" \
	e2e_sipp alice-publish "$pcscf:4060" -sf "$SRC/deploy/sipp/alice-publish.xml" -p 15060
e2e_check "presence: bob's SUBSCRIBE to alice, NOTIFY with her note, unsubscribe" \
	e2e_sipp bob-subscribe "$pcscf:4060" -sf "$SRC/deploy/sipp/bob-subscribe.xml" -p 15061
# The PSI sip:vod@open-ims.test: a SIPp AS in the AS namespace on 5066.
(cd "$E2E_WORK" && exec ip netns exec ims-as timeout 30 sipp -sf "$SRC/tests/e2e/message-uas.xml" \
	-p 5066 -i 10.77.0.50 -m 1 -nostdin -timeout 15 -timeout_error -trace_msg \
	-message_file "$E2E_WORK/vod-as.msg" </dev/null >"$E2E_WORK/vod-as.out" 2>&1) &
as_pid=$!
E2E_PIDS+=("$as_pid")
for _ in $(seq 1 50); do
	ip netns exec ims-as ss -Hlun 'sport = :5066' 2>/dev/null | grep -q . && break
	sleep 0.1
done
e2e_check "PSI: alice's MESSAGE to sip:vod@open-ims.test is answered 200" e2e_sipp alice-vod \
	"$pcscf:4060" -sf "$SRC/tests/e2e/message.xml" -p 15060 -key user alice -s vod
e2e_check "PSI: the AS at 10.77.0.50:5066 received it" e2e_wait_pid "$as_pid"

# A name nobody can resolve from the namespaces (no route to the host's
# nameserver there): a quick final answer, and every node keeps serving
# (sofia-sip's resolver used to spin forever in that case).
sed 's/@open-ims.test/@unresolvable.example/g' "$SRC/tests/e2e/message.xml" >"$E2E_WORK/foreign.xml"
t0=$(date +%s)
e2e_sipp foreign-message "$pcscf:4060" -sf "$E2E_WORK/foreign.xml" -p 15061 -key user bob -s carol
answer=$(grep -m1 -oE '^SIP/2.0 [3-6][0-9][0-9]' "$E2E_WORK/foreign-message.msg")
e2e_check "MESSAGE to an unresolvable domain: final answer (${answer:-none}) in $(($(date +%s) - t0)) s" \
	test -n "$answer"
e2e_check "bob's MESSAGE still reaches alice afterwards" e2e_message_delivered to-alice-after

victim=$(at alice)
case "$victim" in
sip:scscf.open-ims.test:6060) node=scscf1 other=sip:scscf2.open-ims.test:6060 ;;
sip:scscf2.open-ims.test:6060) node=scscf2 other=sip:scscf.open-ims.test:6060 ;;
*) node= ;;
esac
if [ -z "$node" ]; then
	e2e_fail "alice is registered at an S-CSCF we know (got '$victim')"
else
	e2e_ok "alice is served by $node ($victim)"
	kill -KILL "$(cat "$IMS_STATE_DIR/run/$node.pid")"
	e2e_log "killed $node; waiting for the I-CSCF's keep-alive (2 s) to notice"
	sleep 5
	e2e_check "status: 4 daemons running" [ "$(e2e_running)" = 4 ]
	for i in 5 6; do
		e2e_check "e2e$i registers after the kill" "$reg" --pcscf "$pcscf" \
			--port $((15060 + i)) --scenario "$SRC/tests/e2e/user-register.xml" "e2e$i"
		e2e_check "e2e$i is served by the surviving S-CSCF" [ "$(at "e2e$i")" = "$other" ]
	done
	e2e_check "alice registers again after the kill" "$reg" --pcscf "$pcscf" --port 15060 alice
	e2e_check "alice moved to the surviving S-CSCF" [ "$(at alice)" = "$other" ]
	e2e_check "both S-CSCFs have served registrations" [ "$victim" != "$other" ]
fi
if "$reg" --pcscf "$pcscf" --port 15070 --scenario "$SRC/tests/e2e/user-register.xml" nobody 2>/dev/null; then
	e2e_fail "an unprovisioned user must not register"
else
	e2e_ok "an unprovisioned user is refused"
fi
"$ims" status

if [ "$wire" = 1 ]; then
	e2e_capture_stop
	e2e_wire_clean "$pcap"
	n=$(e2e_count "$pcap" 'diameter.cmd.code == 304 && diameter.flags.request == 0 && diameter.Result-Code == 2001')
	e2e_check "wire: the RTR crossed the bridge and was answered 2001 ($n)" test "${n/error/0}" -ge 1
	n=$(e2e_count "$pcap" 'sip.Method == "PUBLISH" && ip.dst == 10.77.0.50')
	e2e_check "wire: PUBLISH reached the presence AS over ISC ($n)" test "${n/error/0}" -ge 1
	n=$(e2e_count "$pcap" 'sip.Method == "NOTIFY" && ip.src == 10.77.0.50')
	e2e_check "wire: the presence AS sent NOTIFYs ($n)" test "${n/error/0}" -ge 2
fi

e2e_check "deploy/ims down" quiet "$ims" down
e2e_check "no process runs with our state directory" no_process_with "$IMS_STATE_DIR"
for ns in ims-db ims-hss ims-scscf1 ims-scscf2 ims-icscf ims-pcscf ims-as; do
	e2e_check "namespace $ns removed" [ ! -e "/run/netns/$ns" ]
done
e2e_check "bridge ims-br0 removed" sh -c '! ip link show ims-br0 >/dev/null 2>&1'
e2e_check "no ims-v-* veth left" sh -c '! ip -o link | grep -q " ims-v-"'
e2e_finish
