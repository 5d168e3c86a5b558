#!/bin/bash
# test_hss_cx_admin_rtr_ppr: HSS-initiated Cx (TS 29.228 6.1.3 RTR, 6.1.6
# PPR) from the admin queue: ims-hssctl queues, ims-hss sends to the S-CSCF
# (played by `ims-cxctl serve`), the outcome lands in the queue row and the
# registration state.
#   cx_admin.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=$1
SRC=$2
. "$SRC/tests/integration/hss/hss_env.sh"
hss_env_init cxadmin

ALICE=alice@open-ims.test; ALICE_SIP=sip:alice@open-ims.test; ALICE_TEL=tel:+4930100001
BOB=bob@open-ims.test; BOB_SIP=sip:bob@open-ims.test
SCSCF_ID=scscf-$$.open-ims.test
SCSCF=sip:$SCSCF_ID:6060
GONE=sip:gone.open-ims.test:6060

hss_db_start
hssctl subscriber add --impi "$ALICE" --impu "$ALICE_SIP" --impu "$ALICE_TEL" \
	--k 465b5ce8b199b49faa5f0a2ee238a6bc --op cdc202d5123e20f62b6d676ac72cb318 \
	--auth aka >/dev/null || die "provisioning alice failed"
hssctl subscriber add --impi "$BOB" --impu "$BOB_SIP" --password bob >/dev/null \
	|| die "provisioning bob failed"
hss_write_config "  admin_poll_interval: 200ms
  admin_answer_timeout: 2s
  admin_max_attempts: 2"
hss_start
ok "ims-hss ready (pid $HSS_PID)"

# serve OUTFILE ARGS...: an S-CSCF (ims-cxctl serve) in the background, ready.
serve() {
	local out=$1; shift
	"$BIN/ims-cxctl" --hss-port "$DIAPORT" --identity "$SCSCF_ID" --timeout 20 serve "$@" \
		>"$out" 2>"$out.err" &
	SERVE_PID=$!
	EXTRA_PIDS="$EXTRA_PIDS $SERVE_PID"
	wait_line "$out" '^ready$' 15 || die "ims-cxctl serve not ready: $(cat "$out.err")"
}
register() { cx sar --impi "$1" --impu "$2" --server "$3" --type 1 | head -n1; }

# Answers never carry Route-Record (RFC 6733 6.7.1: only requests record
# their route). On the wire (tshark, when it can capture) and as ims-cxctl
# shows it (freeDiameter adds one locally on receipt; ims-cxctl hides it).
TS_PID=
if command -v tshark >/dev/null; then
	tshark -i lo -f "tcp port $DIAPORT" -w "$WORK/cx.pcap" >/dev/null 2>"$WORK/tshark.err" &
	TS_PID=$!
	EXTRA_PIDS="$EXTRA_PIDS $TS_PID"
	wait_line "$WORK/tshark.err" "Capturing on" 10 || { kill "$TS_PID"; TS_PID=; }
fi
out=$(cx uar --impi "$ALICE" --impu "$ALICE_SIP" --type 0)
expect "UAA -> exp 2001" "$out" '^result=exp:2001$'
if [ -n "$TS_PID" ]; then
	kill -INT "$TS_PID"; wait "$TS_PID"
	rr=$(tshark -r "$WORK/cx.pcap" -d "tcp.port==$DIAPORT,diameter" \
		-Y "diameter.cmd.code == 300 && diameter.flags.request == 0" \
		-T fields -e frame.number -e diameter.Route-Record 2>/dev/null)
	if [ -z "$rr" ]; then
		echo "note - tshark captured no UAA: wire check inconclusive"
	elif awk -F'\t' '$2 != "" { found = 1 } END { exit !found }' <<<"$rr"; then
		bad "UAA on the wire carries Route-Record: $rr"
	else
		ok "UAA on the wire carries no Route-Record"
	fi
else
	echo "note - tshark cannot capture here: wire check skipped"
fi
grep -q "^Route-Record=" <<<"$out" && bad "an answer carries Route-Record: $(grep "^Route-Record=" <<<"$out")" \
	|| ok "answers carry no Route-Record"

# --- RTR: administrative de-registration of every IMPU of alice.
serve "$WORK/rtr.out" --count 1 --answer-rtr 2001
[ "$(register "$ALICE" "$ALICE_SIP" "$SCSCF")" = result=base:2001 ] || bad "SAR registration of alice"
[ "$(state_of "$ALICE" "$ALICE_SIP")" = registered ] && ok "alice registered at $SCSCF" \
	|| bad "alice not registered: $(state_of "$ALICE" "$ALICE_SIP")"
out=$(hssctl subscriber deregister "$ALICE" --reason remove-scscf --reason-info "maintenance" --wait 10)
rc=$?
[ "$rc" -eq 0 ] && ok "subscriber deregister --wait exits 0" || bad "subscriber deregister exit $rc"
expect "the RTR request is done with 2001" "$out" 'state=done attempts=1 result=2001'
wait "$SERVE_PID" && ok "the S-CSCF saw one RTR" || bad "ims-cxctl serve: $(cat "$WORK/rtr.out.err")"
srv=$(cat "$WORK/rtr.out")
expect "RTR arrived" "$srv" '^request=RTR$'
expect "RTR User-Name is the IMPI" "$srv" "^User-Name=$ALICE\$"
expect "RTR lists the SIP IMPU" "$srv" "^Public-Identity=$ALICE_SIP\$"
expect "RTR lists the tel IMPU" "$srv" "^Public-Identity=tel:\\+4930100001\$"
expect "RTR Reason-Code REMOVE_S-CSCF (3)" "$srv" '^Deregistration-Reason.Reason-Code=3$'
expect "RTR Reason-Info" "$srv" '^Deregistration-Reason.Reason-Info=maintenance$'
expect "RTR Destination-Host from the Server-Name" "$srv" "^Destination-Host=$SCSCF_ID\$"
[ "$(state_of "$ALICE" "$ALICE_SIP")" = not-registered ] && ok "alice NOT_REGISTERED after RTA 2001" \
	|| bad "alice after RTR: $(state_of "$ALICE" "$ALICE_SIP")"
[ "$(state_of "$ALICE" "$ALICE_TEL")" = not-registered ] && ok "the whole implicit set deregistered" \
	|| bad "alice tel after RTR: $(state_of "$ALICE" "$ALICE_TEL")"
hssctl subscriber show "$ALICE" | grep -F " $ALICE_SIP " | grep -q "$SCSCF" \
	&& bad "S-CSCF name kept after RTR" || ok "S-CSCF name cleared after RTR"

# --- RTR refused by the S-CSCF: the request fails, the state stays.
serve "$WORK/rtr2.out" --count 1 --answer-rtr 5012
register "$ALICE" "$ALICE_SIP" "$SCSCF" >/dev/null
out=$(hssctl subscriber deregister "$ALICE" --impu "$ALICE_TEL" --reason new-server --wait 10)
rc=$?
[ "$rc" -eq 1 ] && ok "refused RTR: deregister --wait exits 1" || bad "refused RTR: exit $rc"
expect "refused RTR: failed with 5012" "$out" 'state=failed attempts=1 result=5012'
wait "$SERVE_PID"
expect "RTR for one IMPU lists its implicit set" "$(cat "$WORK/rtr2.out")" "^Public-Identity=$ALICE_SIP\$"
expect "RTR Reason-Code NEW_SERVER_ASSIGNED (1)" "$(cat "$WORK/rtr2.out")" '^Deregistration-Reason.Reason-Code=1$'
[ "$(state_of "$ALICE" "$ALICE_SIP")" = registered ] && ok "refused RTR leaves alice registered" \
	|| bad "alice after a refused RTR: $(state_of "$ALICE" "$ALICE_SIP")"

# --- PPR after a service profile change of a registered user.
serve "$WORK/ppr.out" --count 1 --user-data-out "$WORK/ppr.xml"
out=$(hssctl ifc add --impu "$ALICE_SIP" --priority 5 --as sip:as.open-ims.test:5070 \
	--name alice-ppr-ifc --method INVITE)
expect "ifc add queues a Push-Profile" "$out" "Push-Profile to $SCSCF queued"
req=$(sed -n 's/.*(request \([0-9]*\)).*/\1/p' <<<"$out")
wait "$SERVE_PID" && ok "the S-CSCF saw one PPR" || bad "no PPR: $(cat "$WORK/ppr.out.err")"
srv=$(cat "$WORK/ppr.out")
expect "PPR arrived" "$srv" '^request=PPR$'
expect "PPR User-Name" "$srv" "^User-Name=$ALICE\$"
grep -q "<ServerName>sip:as.open-ims.test:5070</ServerName>" "$WORK/ppr.xml" \
	&& ok "PPR User-Data holds the new iFC" || bad "PPR User-Data without the new iFC"
for _ in $(seq 1 50); do
	out=$(hssctl admin-request show "$req"); grep -q 'state=done' <<<"$out" && break; sleep 0.1
done
expect "PPR request done with 2001" "$out" 'state=done attempts=1 result=2001'
serve "$WORK/ppr2.out" --count 1 --user-data-out "$WORK/ppr2.xml"
out=$(hssctl impu bar "$ALICE_TEL" --wait 10)
expect "barring a registered IMPU: PPR done with 2001" "$out" 'state=done attempts=1 result=2001'
wait "$SERVE_PID"
grep -q "<BarringIndication>1</BarringIndication>" "$WORK/ppr2.xml" \
	&& ok "PPR User-Data marks the barred IMPU" || bad "no BarringIndication in the PPR"
out=$(hssctl impu bar "$BOB_SIP")
expect "barring an unregistered IMPU needs no PPR" "$out" 'no S-CSCF assigned'

# --- RTR to an S-CSCF that is not connected: retried, then failed.
register "$BOB" "$BOB_SIP" "$GONE" >/dev/null
out=$(hssctl subscriber deregister "$BOB" --wait 20)
expect "RTR to an absent S-CSCF fails after 2 attempts" "$out" 'state=failed attempts=2'
[ "$(state_of "$BOB" "$BOB_SIP")" = registered ] && ok "absent S-CSCF: bob stays registered" \
	|| bad "bob after an undeliverable RTR: $(state_of "$BOB" "$BOB_SIP")"
out=$(hssctl subscriber deregister nobody@open-ims.test 2>&1)
[ $? -eq 1 ] && ok "deregister of an unknown IMPI is refused" || bad "unknown IMPI: $out"

# A request freeDiameter rejects (5005 by dictionary rule) is one warning,
# not a message dump at ERROR; an undeliverable RTR likewise.
out=$(cx uar --impi "$ALICE" --type 0)
expect "UAR without Public-Identity -> 5005" "$out" '^result=base:5005$'
n=$(grep -c ' ERROR ' "$WORK/hss.log")
[ "$n" -eq 0 ] && ok "no ERROR lines for peer mistakes" \
	|| { bad "$n ERROR lines in the log"; grep ' ERROR ' "$WORK/hss.log" | head -5; }

hss_stop
hss_env_finish
