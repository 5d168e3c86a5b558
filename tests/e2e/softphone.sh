#!/bin/bash
# e2e_softphone: the "ordinary client" case. `deploy/ims up` (standalone),
# then baresip (Debian baresip-core), a plain SIP phone that sends its first
# REGISTER without credentials, registers alice with SIP Digest (password
# alice) through the P-CSCF at 127.0.0.1:4060: the generated S-CSCF config
# has registrar.digest_without_credentials. Then bob registers with SIPp
# (AKA) and waits; baresip calls him (dial and hangup sent to baresip's
# ctrl_tcp socket as netstring JSON): INVITE, 180, 200, ACK through
# P-CSCF, S-CSCF, I-CSCF (LIR), S-CSCF, P-CSCF, then baresip's BYE.
# Headless: a 440 Hz sine as microphone, no player, no terminal input;
# bounded by timeout. Skipped (77) without baresip.
#   softphone.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=$1 # used by lib.sh
SRC=$2
# shellcheck source=lib.sh
. "$SRC/tests/e2e/lib.sh"
command -v baresip >/dev/null || e2e_skip "baresip not installed (Debian baresip-core)"
e2e_init softphone
e2e_need_classic_ports
ims=$SRC/deploy/ims

"$ims" up >"$E2E_WORK/up.log" 2>&1 || { cat "$E2E_WORK/up.log"; e2e_fail "deploy/ims up"; exit 1; }
e2e_ok "deploy/ims up"

phone=$E2E_WORK/baresip
mkdir -p "$phone"
# baresip also binds TLS on the SIP port + 1: control socket at + 3, bob + 2.
port=$(e2e_free_port)
bob_port=$((port + 2)) ctrl_port=$((port + 3))
cat >"$phone/accounts" <<'ACC'
<sip:alice@open-ims.test>;auth_user=alice@open-ims.test;auth_pass=alice;outbound="sip:127.0.0.1:4060;transport=udp";regint=600
ACC
cat >"$phone/config" <<CFG
sip_listen		127.0.0.1:$port
module_path		/usr/lib/baresip/modules
module			g711.so
module			ausine.so
module_app		account.so
module_app		menu.so
module_app		ctrl_tcp.so
ctrl_tcp_listen		127.0.0.1:$ctrl_port
audio_source		ausine,440
ausrc_srate		48000
ausrc_channels		2
CFG
# baresip has no exit-after-registration switch: run it in the background
# (bounded by timeout), wait up to 10 s for the 200, look, then stop it.
timeout 60 baresip -f "$phone" </dev/null >"$phone/out.log" 2>&1 &
phone_pid=$!
E2E_PIDS+=("$phone_pid")
for _ in $(seq 1 100); do
	grep -q 'alice@open-ims.test: .*200 OK' "$phone/out.log" && break
	sleep 0.1
done
if grep -q 'alice@open-ims.test: .*200 OK' "$phone/out.log"; then
	e2e_ok "baresip registered alice with SIP Digest through 127.0.0.1:4060"
else
	e2e_fail "baresip did not register"; sed 's/^/     /' "$phone/out.log"
fi
# baresip cannot answer AKA: a 200 means the S-CSCF chose Digest.
n=$(e2e_registered)
[ "${n:-0}" -ge 1 ] && e2e_ok "deploy/ims status counts alice's identities ($n)" ||
	e2e_fail "deploy/ims status: no registered identity"

# phone_cmd JSON: one command to baresip's ctrl_tcp (a netstring), no wait.
phone_cmd() {
	local fd
	exec {fd}<>"/dev/tcp/127.0.0.1/$ctrl_port" || return 1
	printf '%d:%s,' "${#1}" "$1" >&"$fd"
	timeout 2 head -c 1 <&"$fd" >/dev/null # the response: command taken
	exec {fd}>&-
}
wait_phone() { # PATTERN SECONDS
	local i
	for i in $(seq 1 $(($2 * 10))); do
		grep -q "$1" "$phone/out.log" && return 0
		sleep 0.1
	done
	return 1
}

"$SRC/deploy/sipp/register" --pcscf 127.0.0.1 --port "$bob_port" --local 127.0.0.1 bob \
	>"$E2E_WORK/bob-register.log" 2>&1
e2e_check "bob registers with SIPp (AKA) beside the softphone" test $? -eq 0
(cd "$E2E_WORK" && exec timeout 60 sipp -sf "$SRC/deploy/sipp/bob-uas.xml" -m 1 -p "$bob_port" \
	-i 127.0.0.1 -timeout 40 -timeout_error -nostdin -trace_msg \
	-message_file "$E2E_WORK/bob.msg" </dev/null >"$E2E_WORK/bob.out" 2>&1) &
bob_pid=$!
E2E_PIDS+=("$bob_pid")
sleep 0.5 # SIPp binds its port
phone_cmd '{"command":"dial","params":"sip:bob@open-ims.test","token":"dial"}'
if wait_phone 'Call established: sip:bob@open-ims.test' 15; then
	e2e_ok "baresip (Digest) called bob (SIPp, AKA): call established"
else
	e2e_fail "baresip's call to bob was not established"; sed 's/^/     /' "$phone/out.log" | tail -20
fi
sleep 1
phone_cmd '{"command":"hangup","token":"hangup"}'
wait_phone 'terminated' 10 || e2e_fail "baresip did not end the call"
bob_rc=1
for _ in $(seq 1 100); do kill -0 "$bob_pid" 2>/dev/null || break; sleep 0.1; done
if ! kill -0 "$bob_pid" 2>/dev/null; then wait "$bob_pid"; bob_rc=$?; fi
e2e_check "bob's SIPp saw INVITE, ACK and baresip's BYE (exit $bob_rc)" test "$bob_rc" -eq 0
# What bob got was asserted by alice's P-CSCF and recorded by the S-CSCF.
e2e_check "bob's INVITE carries P-Asserted-Identity alice" \
	grep -qi '^P-Asserted-Identity: <sip:alice@open-ims.test>' "$E2E_WORK/bob.msg"
e2e_check "bob's INVITE was Record-Routed by the S-CSCF" \
	grep -qiE '^Record-Route: <sip:127.0.0.1:6060;lr(;dlg=[0-9a-f]{16})?>' "$E2E_WORK/bob.msg"
e2e_stop_pid "$phone_pid"

e2e_check "deploy/ims down" quiet "$ims" down
e2e_check "no process runs with our state directory" no_process_with "$IMS_STATE_DIR"
e2e_finish
