# Shared by the P-CSCF integration scripts (sourced, not run).
# Ports come from the PID so parallel runs do not collide; every process
# started is stopped by PID in the trap; every wait is bounded.
set -u
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$(dirname "$0")/../../lsan.supp:print_suppressions=0}"
. "$(dirname "$0")/../../lib/ports.sh"
base=$(free_base 20000 3000 4)   # below the ephemeral range (32768)
P_PORT=$base CORE_PORT=$((base + 1)) UE_PORT=$((base + 2)) AUX_PORT=$((base + 3))
work=$(mktemp -d /tmp/pcscf-it.XXXXXX)
pcscf_pid="" bg_pids=""

cleanup() {
	for p in $bg_pids; do kill "$p" 2>/dev/null; done
	[ -n "$pcscf_pid" ] && kill "$pcscf_pid" 2>/dev/null
	for _ in $(seq 50); do
		[ -n "$pcscf_pid" ] && kill -0 "$pcscf_pid" 2>/dev/null || break
		sleep 0.1
	done
	[ -n "$pcscf_pid" ] && kill -9 "$pcscf_pid" 2>/dev/null
	[ -n "${PCSCF_IT_KEEP:-}" ] && cp "$work/pcscf.log" "$PCSCF_IT_KEEP"
	rm -rf "$work"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*"
	echo "--- ims-pcscf log"; cat "$work/pcscf.log"
	for f in "$work"/*_errors.log "$work"/*.out; do [ -f "$f" ] && { echo "--- $f"; cat "$f"; }; done
	exit 1
}

# start_pcscf <ims-launch> <ims-pcscf> [extra YAML lines]
start_pcscf() {
	cat > "$work/pcscf.yaml" <<YAML
log:
  level: debug
sip:
  address: 127.0.0.1
  port: $P_PORT
  tcp: true
${PCSCF_SIP_EXTRA:-}
home_network: open-ims.test
icscf: sip:127.0.0.1:$CORE_PORT
visited_network_id: open-ims.test
max_registrations: 16
${3:-}
YAML
	pcscf_pid=$("$1" --timeout 10 --log "$work/pcscf.log" -- "$2" -c "$work/pcscf.yaml") ||
		fail "ims-pcscf did not become ready"
}

# sipp_run <name> <sipp arguments...>: one call, bounded in time.
sipp_run() {
	local name=$1; shift
	(cd "$work" && timeout 30 sipp -m 1 -nostdin -timeout 20s -timeout_error -trace_err \
		-error_file "$work/${name}_errors.log" -i 127.0.0.1 "$@" > "$work/$name.out" 2>&1)
}

# wait_udp_bound <port>: until a socket listens on UDP port (a SIPp UAS
# started in the background), polled for at most 5 s.
wait_udp_bound() {
	for _ in $(seq 100); do
		[ -n "$(ss -Hlun "sport = :$1")" ] && return 0
		sleep 0.05
	done
	fail "nothing listens on UDP port $1"
}

# Stop ims-pcscf with SIGTERM; fail on a hang or a sanitizer report.
stop_pcscf_clean() {
	kill "$pcscf_pid"
	for _ in $(seq 100); do kill -0 "$pcscf_pid" 2>/dev/null || break; sleep 0.1; done
	kill -0 "$pcscf_pid" 2>/dev/null && fail "ims-pcscf did not stop on SIGTERM"
	pcscf_pid=""
	grep -qE "Sanitizer|runtime error" "$work/pcscf.log" && fail "sanitizer report"
}
