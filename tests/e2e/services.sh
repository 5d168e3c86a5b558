#!/bin/bash
# e2e_services: `deploy/ims up --with-presence --with-psi` (standalone,
# private state directory and MariaDB port, classic ports), with tshark on lo
# over the whole run, then
#   bob and alice register;
#   MESSAGE alice -> bob through the P-CSCF, the S-CSCF (originating, then
#   terminating: both users are served there) and the P-CSCF again;
#   presence: alice PUBLISHes (her S-CSCF's iFC sends it over ISC to the
#   presence AS, Kamailio), bob SUBSCRIBEs to her and gets a NOTIFY carrying
#   her published note, then unsubscribes; once more while alice is
#   de-registered (her iFC for the unregistered case, HSS "unregistered
#   services" in the LIA);
#   PSI: alice sends a MESSAGE to sip:vod@open-ims.test, which the HSS knows as
#   a PSI; the S-CSCF asks the I-CSCF, the I-CSCF the HSS (LIR: unregistered
#   services), an S-CSCF fetches the PSI's profile (SAR) and its iFC sends the
#   MESSAGE to the AS on 127.0.0.1:5066 (a SIPp UAS started here);
#   alice registers a second contact with SIP Digest (password) instead of AKA;
#   the capture holds no malformed SIP or Diameter packet and every Cx
#   request was answered; `down` stops everything, the presence AS too.
#   services.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=$1 # used by lib.sh
SRC=$2
# shellcheck source=lib.sh
. "$SRC/tests/e2e/lib.sh"
e2e_init services
e2e_need_classic_ports
command -v kamailio >/dev/null || e2e_skip "kamailio is not installed (deploy/install-deps)"
for p in 5065 5066; do port_busy "$p" && e2e_skip "port $p is in use"; done
ims=$SRC/deploy/ims
reg=$SRC/deploy/sipp/register

pcap=$E2E_WORK/run.pcap
wire=0
e2e_capture_start "$pcap" \
	'port 3868 or port 3869 or port 3870 or port 4060 or port 5060 or port 6060 or port 5065 or port 5066 or portrange 15060-15069' &&
	wire=1

t=$(date +%s)
"$ims" up --with-presence --with-psi >"$E2E_WORK/up.log" 2>&1 ||
	{ cat "$E2E_WORK/up.log"; e2e_fail "deploy/ims up --with-presence --with-psi"; exit 1; }
e2e_ok "deploy/ims up --with-presence --with-psi ($(($(date +%s) - t)) s)"
e2e_check "status shows the presence AS running" \
	grep -q '^  presence .*running' <("$ims" status)

e2e_check "bob registers" "$reg" --port 15061 bob
e2e_check "alice registers" "$reg" --port 15060 alice

# ---- MESSAGE alice -> bob
e2e_sipp bob-message -sf "$SRC/tests/e2e/message-uas.xml" -p 15061 &
uas=$!
E2E_PIDS+=("$uas")
e2e_wait_udp 15061
e2e_check "MESSAGE alice -> bob: 200 at alice" e2e_sipp alice-message 127.0.0.1:4060 \
	-sf "$SRC/tests/e2e/message.xml" -p 15060 -key user alice -s bob
e2e_check "MESSAGE alice -> bob: bob received it and answered" e2e_wait_pid "$uas"
e2e_check "MESSAGE alice -> bob: delivered to bob's contact, asserted as alice" \
	grep -q -E '^P-Asserted-Identity: .*sip:alice@open-ims.test' "$E2E_WORK/bob-message.msg"

# ---- presence through the AS
e2e_check "presence: alice's PUBLISH is answered 200 by the presence AS" \
	e2e_sipp alice-publish 127.0.0.1:4060 -sf "$SRC/deploy/sipp/alice-publish.xml" -p 15060
e2e_check "presence: bob's SUBSCRIBE to alice, NOTIFY with her note, unsubscribe" \
	e2e_sipp bob-subscribe 127.0.0.1:4060 -sf "$SRC/deploy/sipp/bob-subscribe.xml" -p 15061
e2e_check "presence: the AS logged alice's PUBLISH and bob's SUBSCRIBE" \
	[ "$(grep -c -E '(PUBLISH sip:alice@open-ims.test from sip:alice|SUBSCRIBE sip:alice@open-ims.test from sip:bob)@' \
		"$IMS_STATE_DIR/log/presence.log")" -ge 2 ]

# ---- presence of an offline user: the unregistered part of her profile
e2e_dereg_scenario alice "$E2E_WORK/alice-deregister.xml"
e2e_check "presence: alice de-registers" \
	"$reg" --port 15060 --scenario "$E2E_WORK/alice-deregister.xml" alice
e2e_check "presence: bob's SUBSCRIBE to offline alice still reaches the AS, NOTIFY with her note" \
	e2e_sipp bob-subscribe-offline 127.0.0.1:4060 -sf "$SRC/deploy/sipp/bob-subscribe.xml" -p 15061
e2e_check "alice registers again" "$reg" --port 15060 alice

# ---- PSI sip:vod@open-ims.test hosted by the AS at 127.0.0.1:5066
e2e_sipp vod-as -sf "$SRC/tests/e2e/message-uas.xml" -p 5066 &
as_pid=$!
E2E_PIDS+=("$as_pid")
e2e_wait_udp 5066
e2e_check "PSI: alice's MESSAGE to sip:vod@open-ims.test is answered 200" e2e_sipp alice-vod \
	127.0.0.1:4060 -sf "$SRC/tests/e2e/message.xml" -p 15060 -key user alice -s vod
e2e_check "PSI: the AS on port 5066 received it" e2e_wait_pid "$as_pid"
e2e_check "PSI: with the PSI as Request-URI" \
	grep -q '^MESSAGE sip:vod@open-ims.test' "$E2E_WORK/vod-as.msg"

# ---- SIP Digest instead of AKA (what a softphone without AKA would need)
e2e_check "alice registers with SIP Digest (password alice) from a second contact" \
	e2e_sipp alice-digest 127.0.0.1:4060 -sf "$SRC/deploy/sipp/digest-register.xml" -p 15062 \
	-key user alice -au alice@open-ims.test -ap alice -auth_uri open-ims.test

# ---- the wire over the whole run
if [ "$wire" = 1 ]; then
	e2e_capture_stop
	e2e_wire_clean "$pcap"
	n=$(e2e_count "$pcap" 'sip.Method == "PUBLISH" && udp.dstport == 5065')
	e2e_check "wire: PUBLISH reached the presence AS over ISC ($n)" test "${n/error/0}" -ge 1
	n=$(e2e_count "$pcap" 'sip.Method == "NOTIFY" && udp.srcport == 5065')
	e2e_check "wire: the presence AS sent NOTIFYs ($n)" test "${n/error/0}" -ge 2
fi

# ---- down stops the AS too
pids=$(cat "$IMS_STATE_DIR"/run/*.pid "$IMS_STATE_DIR/db/mariadbd.pid" 2>/dev/null | tr '\n' ' ')
e2e_check "deploy/ims down" quiet "$ims" down
left=
for p in $pids; do kill -0 "$p" 2>/dev/null && left="$left $p"; done
e2e_check "down stopped every process, the presence AS too (left:${left:- none})" [ -z "$left" ]
e2e_check "no process runs with our state directory" no_process_with "$IMS_STATE_DIR"
e2e_finish
