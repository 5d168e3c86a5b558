#!/bin/bash
# e2e_standalone: `deploy/ims up` as a user runs it (private state directory
# and MariaDB port, classic SIP/Diameter ports on loopback), then
#   bob and alice register through the P-CSCF with SIPp (AKA, retried: SIPp
#   RES quirk), an unprovisioned user is refused;
#   on the wire (tshark on lo): the REGISTER leaving the P-CSCF for the I-CSCF
#   carries Path and P-Charging-Vector, the 401 reaching the UE carries no
#   ck=/ik= (TS 33.203 7.1: the P-CSCF removes them);
#   `status` shows 4 running and >= 4 registered identities;
#   a second `up` changes nothing; `up` after SIGKILL of the S-CSCF starts it
#   again (stale PID file) and registration works again;
#   `down` leaves no process of ours.
#   standalone.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=$1
SRC=$2
# shellcheck source=lib.sh
. "$SRC/tests/e2e/lib.sh"
unset IMS_CPU_PIN # the default (auto) is what is checked below
e2e_init standalone
e2e_need_classic_ports
ims=$SRC/deploy/ims
reg=$SRC/deploy/sipp/register

t=$(date +%s)
e2e_check "deploy/ims up" "$ims" up >"$E2E_WORK/up.log" 2>&1 || { cat "$E2E_WORK/up.log"; exit 1; }
e2e_log "up took $(($(date +%s) - t)) s"

# ---- capture the REGISTER path (skipped when tshark cannot capture here)
pcap=$E2E_WORK/register.pcap
wire=0
e2e_capture_start "$pcap" "udp port 4060 or udp port 5060" && wire=1

e2e_check "bob registers via the P-CSCF" "$reg" --port 15061 bob
e2e_check "alice registers via the P-CSCF" "$reg" --port 15060 alice
if "$reg" --port 15062 --scenario "$SRC/tests/e2e/user-register.xml" nobody 2>/dev/null; then
	e2e_fail "an unprovisioned user must not register"
else
	e2e_ok "an unprovisioned user is refused"
fi

if [ "$wire" = 1 ]; then
	e2e_capture_stop
	fwd=$(tshark -r "$pcap" -Y 'sip.Method == "REGISTER" && udp.srcport == 4060 && udp.dstport == 5060' \
		-T fields -e sip.msg_hdr 2>/dev/null)
	n_fwd=$(printf '%s\n' "$fwd" | grep -c 'REGISTER')
	e2e_check "wire: the P-CSCF forwarded REGISTERs to the I-CSCF ($n_fwd)" [ "$n_fwd" -ge 4 ]
	e2e_check "wire: every forwarded REGISTER has Path" \
		[ "$(printf '%s\n' "$fwd" | grep -c 'Path: <sip:')" -eq "$n_fwd" ]
	e2e_check "wire: every forwarded REGISTER has P-Charging-Vector with icid-value" \
		[ "$(printf '%s\n' "$fwd" | grep -c 'P-Charging-Vector: icid-value=')" -eq "$n_fwd" ]
	to_ue=$(tshark -r "$pcap" -Y 'sip.Status-Code == 401 && udp.srcport == 4060' \
		-T fields -e sip.msg_hdr 2>/dev/null)
	e2e_check "wire: 401 challenges reached the UEs" \
		[ "$(printf '%s\n' "$to_ue" | grep -c 'WWW-Authenticate: Digest')" -ge 2 ]
	if printf '%s\n' "$to_ue" | grep -q -E '(ck|ik)='; then
		e2e_fail "wire: a 401 reaching the UE carries ck= or ik="
	else
		e2e_ok "wire: no ck=/ik= in the 401s reaching the UE"
	fi
	at_p=$(tshark -r "$pcap" -Y 'sip.Status-Code == 401 && udp.dstport == 4060' \
		-T fields -e sip.msg_hdr 2>/dev/null | grep -c -E 'ck=.*ik=|ik=.*ck=')
	e2e_log "info: 401s reaching the P-CSCF with ck/ik: $at_p"
fi

# ---- status
e2e_check "status: 4 daemons running" [ "$(e2e_running)" = 4 ]
e2e_check "status: at least 4 registered identities" [ "$(e2e_registered)" -ge 4 ]
"$ims" status

# ---- CPU pinning (IMS_CPU_PIN=auto): on 2 to 4 CPUs every daemon runs
# on one CPU (all its threads), spread round robin; otherwise unpinned.
ncpu=$(nproc)
for d in hss scscf icscf pcscf; do
	pid=$(cat "$IMS_STATE_DIR/run/$d.pid")
	bad_threads=0
	for t in /proc/"$pid"/task/*; do
		n=$(awk '/^Cpus_allowed_list:/ { print $2 }' "$t/status")
		if [ "$ncpu" -ge 2 ] && [ "$ncpu" -le 4 ]; then
			case $n in *[,-]*) bad_threads=$((bad_threads + 1)) ;; esac
		elif [ "$ncpu" -gt 4 ]; then
			case $n in *[,-]*) ;; *) bad_threads=$((bad_threads + 1)) ;; esac
		fi
	done
	e2e_check "cpu pinning: $d's threads as IMS_CPU_PIN=auto says ($ncpu CPUs)" [ "$bad_threads" = 0 ]
done

# ---- a second up is harmless
pids_before=$(cat "$IMS_STATE_DIR"/run/*.pid | tr '\n' ' ')
e2e_check "second up succeeds" quiet "$ims" up
pids_after=$(cat "$IMS_STATE_DIR"/run/*.pid | tr '\n' ' ')
e2e_check "second up keeps the same processes" [ "$pids_before" = "$pids_after" ]

# ---- up restarts a daemon killed with SIGKILL (stale PID file)
old=$(cat "$IMS_STATE_DIR/run/scscf.pid")
kill -KILL "$old"
for _ in $(seq 1 50); do kill -0 "$old" 2>/dev/null || break; sleep 0.1; done
e2e_check "status after SIGKILL: 3 running" [ "$(e2e_running)" = 3 ]
e2e_check "up after SIGKILL succeeds" quiet "$ims" up
new=$(cat "$IMS_STATE_DIR/run/scscf.pid" 2>/dev/null)
e2e_check "the S-CSCF runs again with a new PID" [ "${new:-none}" != "$old" ]
e2e_check "status: 4 running again" [ "$(e2e_running)" = 4 ]
e2e_check "alice registers at the restarted S-CSCF" "$reg" --port 15060 alice

# ---- down leaves nothing of ours
pids=$(cat "$IMS_STATE_DIR"/run/*.pid "$IMS_STATE_DIR/db/mariadbd.pid" 2>/dev/null | tr '\n' ' ')
e2e_check "deploy/ims down" quiet "$ims" down
left=
for p in $pids; do kill -0 "$p" 2>/dev/null && left="$left $p"; done
e2e_check "down stopped every process (left:${left:- none})" [ -z "$left" ]
e2e_check "no process runs with our state directory" no_process_with "$IMS_STATE_DIR"
e2e_check "status after down reports down" [ "$("$ims" status)" = "IMS is down (state $IMS_STATE_DIR)" ]
e2e_finish
