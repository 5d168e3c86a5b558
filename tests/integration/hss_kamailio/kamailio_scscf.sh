#!/bin/bash
# test_hss_kamailio_scscf_aka_registration: Cx interop with the reference
# peer. Kamailio 5.6 (ims_auth, ims_registrar_scscf, cdp) is the S-CSCF;
# SIPp registers an AKA subscriber through it: MAR to ims-hss, 401 with
# the vector, SIPp checks MAC-A and answers, SAR to ims-hss, 200 OK.
# Checks SIPp's exit status and the REGISTERED state in the HSS database.
# Then an administrative de-registration reaches Kamailio as an RTR.
#   kamailio_scscf.sh BUILD_DIR SOURCE_DIR
# Skips (exit 77) without kamailio/ims modules or sipp. Kamailio runs in
# its own process group, without core dumps, and is stopped by that id.
set -u
BUILD=$1
SRC=$2
KAM_MODULES=/usr/lib/x86_64-linux-gnu/kamailio/modules
if ! command -v kamailio >/dev/null || ! command -v sipp >/dev/null ||
   [ ! -e "$KAM_MODULES/ims_registrar_scscf.so" ] || [ ! -e "$KAM_MODULES/presence.so" ]; then
	echo "SKIP: needs kamailio, kamailio-ims-modules, kamailio-presence-modules and sipp"
	exit 77
fi
. "$SRC/tests/integration/hss/hss_env.sh"
hss_env_init kamailio
ulimit -c 0
KAM_PGID=
SIPPORT=$(free_base 30000 600 4)   # ports.sh via hss_env.sh; below the ephemeral range
CDPPORT=$(( SIPPORT + 1 ))
UEPORT=$(( SIPPORT + 2 ))
SCSCF_NAME=sip:scscf.open-ims.test:$SIPPORT
USER=kamtest   # as in register_aka.xml
IMPI=$USER@open-ims.test
IMPU=sip:$USER@open-ims.test

kam_stop() {
	[ -n "$KAM_PGID" ] || return 0
	kill -TERM -- "-$KAM_PGID" 2>/dev/null
	for _ in $(seq 1 50); do kill -0 -- "-$KAM_PGID" 2>/dev/null || break; sleep 0.1; done
	kill -KILL -- "-$KAM_PGID" 2>/dev/null
	KAM_PGID=
	# Kamailio 5.6 may crash on shutdown: remove any core it left.
	rm -f "$WORK"/kam/core "$WORK"/kam/core.*
}
trap 'kam_stop; hss_env_cleanup' EXIT

. "$SRC/tests/integration/hss_kamailio/kamailio_cfg.sh"

hss_db_start
hssctl subscriber add --impi "$IMPI" --impu "$IMPU" --impu "tel:+4930199999" \
	--k 696d732d616b612d746573742d6b3031 --op 696d732d616b612d746573742d6f7031 \
	--amf 8000 --auth aka >/dev/null || die "provisioning $IMPI failed"
# ims-hss connects to Kamailio's cdp (no DNS needed for the test names).
HSS_DIA_EXTRA="  peers:
    - identity: scscf.open-ims.test
      address: 127.0.0.1
      port: $CDPPORT
  reconnect_interval: 1s" hss_write_config "  admin_poll_interval: 200ms
  admin_answer_timeout: 2s
  admin_max_attempts: 1"
mkdir -p "$WORK/kam/run"
kamailio_cfg "$WORK/kam" "$SIPPORT" "$CDPPORT" "$DIAPORT"
( cd "$WORK/kam" && exec setsid kamailio -f "$WORK/kam/kamailio.cfg" -DD -E -m 64 -M 8 \
	-Y "$WORK/kam/run" -P "$WORK/kam/kamailio.pid" -w "$WORK/kam" >"$WORK/kam/kamailio.log" 2>&1 ) &
KAM_PGID=$!
wait_line "$WORK/kam/kamailio.log" 'Listening on' 20 || die "kamailio did not start"
hss_start
kill -0 -- "-$KAM_PGID" 2>/dev/null || die "kamailio exited: $(grep -E 'ERROR|CRIT' "$WORK/kam/kamailio.log" | head -5)"
ok "ims-hss and Kamailio S-CSCF running"
# Bounded wait for the Diameter connection (the HSS connects, Tc 1 s).
wait_line "$WORK/hss.log" "STATE_OPEN.*'scscf.open-ims.test'" 20 \
	&& ok "Cx connection HSS <-> Kamailio open" || bad "Cx connection not seen open"

# SIPp UE: a RES with a 0x00 octet breaks SIPp's digest (notes), so a
# failed attempt is retried with a fresh REGISTER, up to 3 times.
rc=1
for attempt in 1 2 3; do
	timeout 30 sipp -sf "$SRC/tests/integration/hss_kamailio/register_aka.xml" \
		-i 127.0.0.1 -p "$UEPORT" -m 1 -timeout 15s \
		-timeout_error -trace_err -error_file "$WORK/sipp.err" \
		127.0.0.1:"$SIPPORT" >"$WORK/sipp.out" 2>&1 </dev/null
	rc=$?
	[ "$rc" -eq 0 ] && break
done
[ "$rc" -eq 0 ] && ok "SIPp AKA registration through Kamailio: 200 OK (attempt $attempt)" \
	|| { bad "SIPp registration failed (exit $rc)"; tail -n 20 "$WORK/sipp.err" 2>/dev/null; }
grep -q "MAR impi=$IMPI" "$WORK/hss.log" && ok "Kamailio sent a MAR" || bad "no MAR in the HSS log"
grep -Eq "SAR impi=$IMPI .*type=REGISTRATION -> 2001" "$WORK/hss.log" \
	&& ok "Kamailio sent SAR REGISTRATION, answered 2001" || bad "no successful SAR"
st=$(state_of "$IMPI" "$IMPU")
[ "$st" = registered ] && ok "HSS state REGISTERED" || bad "HSS state after registration: '$st'"
hssctl subscriber show "$IMPI" | grep -F " $IMPU " | grep -qF "$SCSCF_NAME" \
	&& ok "HSS stored Kamailio's Server-Name" || bad "Server-Name not stored"

# A service profile change of the registered user: PPR to Kamailio.
# Kamailio 5.6's ims_registrar_scscf handles only RTR among the
# HSS-initiated requests: the PPR gets no answer, and the HSS gives up
# after its bounded attempts (1 here, 2 s each) and marks it failed.
out=$(hssctl ifc add --impu "$IMPU" --priority 1 --as sip:as.open-ims.test:5070 \
	--name kamtest-ifc --method MESSAGE)
expect "ifc add queues a Push-Profile to Kamailio" "$out" "Push-Profile to $SCSCF_NAME queued"
req=$(sed -n 's/.*(request \([0-9]*\)).*/\1/p' <<<"$out")
for _ in $(seq 1 100); do
	out=$(hssctl admin-request show "$req"); grep -Eq 'state=(done|failed)' <<<"$out" && break; sleep 0.1
done
expect "unanswered PPR (Kamailio 5.6 has no PPR handler) fails after 1 attempt" "$out" \
	'state=failed attempts=1 result=0 detail=PPR to .*: no answer'

# Administrative de-registration: the RTR is answered by Kamailio.
out=$(hssctl subscriber deregister "$IMPI" --reason permanent --wait 15)
expect "RTR to Kamailio answered 2001" "$out" 'state=done attempts=1 result=2001'
st=$(state_of "$IMPI" "$IMPU")
[ "$st" = not-registered ] && ok "HSS state NOT_REGISTERED after RTR" || bad "after RTR: '$st'"

kam_stop
hss_stop
hss_env_finish
