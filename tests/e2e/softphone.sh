#!/bin/bash
# e2e_softphone: the "ordinary client" case. `deploy/ims up` (standalone),
# then baresip (Debian baresip-core), a plain SIP phone that sends its first
# REGISTER without credentials, registers alice with SIP Digest (password
# alice) through the P-CSCF at 127.0.0.1:4060: the generated S-CSCF config
# has registrar.digest_without_credentials. Headless: no audio modules, no
# terminal input; bounded by timeout. Skipped (77) without baresip.
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
port=$(e2e_free_port)
cat >"$phone/accounts" <<'ACC'
<sip:alice@open-ims.test>;auth_user=alice@open-ims.test;auth_pass=alice;outbound="sip:127.0.0.1:4060;transport=udp";regint=600
ACC
cat >"$phone/config" <<CFG
sip_listen		127.0.0.1:$port
module_path		/usr/lib/baresip/modules
module			g711.so
module_app		account.so
CFG
# baresip has no exit-after-registration switch: run it in the background
# (bounded by timeout), wait up to 10 s for the 200, look, then stop it.
timeout 30 baresip -f "$phone" </dev/null >"$phone/out.log" 2>&1 &
phone_pid=$!
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
e2e_stop_pid "$phone_pid"

e2e_check "deploy/ims down" quiet "$ims" down
e2e_check "no process runs with our state directory" no_process_with "$IMS_STATE_DIR"
e2e_finish
