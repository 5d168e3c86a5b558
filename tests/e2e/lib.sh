# shellcheck shell=bash
# tests/e2e/lib.sh (sourced by the e2e tests): a private deploy/ims state
# directory, a free private MariaDB port, checks that count failures, and a
# cleanup that runs `deploy/ims down` and stops what the test started, by PID.
# Callers set BUILD and SRC first; they call e2e_init NAME, then e2e_finish.

E2E_FAILS=0
# Never act on a state directory of the caller's environment.
unset IMS_STATE_DIR
E2E_PIDS=()
E2E_T0=$(date +%s)

e2e_log() { printf '[%3ds] %s\n' "$(($(date +%s) - E2E_T0))" "$*"; }
e2e_ok() { e2e_log "ok   $*"; }
e2e_fail() { e2e_log "FAIL $*"; E2E_FAILS=$((E2E_FAILS + 1)); }
e2e_check() { # DESCRIPTION CMD...: pass when CMD exits 0
	local what=$1
	shift
	if "$@"; then e2e_ok "$what"; else e2e_fail "$what"; fi
}
quiet() { "$@" >/dev/null 2>&1; }
# True when no process has TEXT in its command line.
no_process_with() { ! pgrep -f -- "$1" >/dev/null; }
e2e_skip() { echo "SKIP: $*"; exit 77; }

port_busy() { ss -Hltun "sport = :$1" 2>/dev/null | grep -q .; }
# Wait (bounded, 5 s) until something listens on UDP PORT: a SIPp UAS we just
# started in the background, before anyone sends to it.
e2e_wait_udp() {
	for _ in $(seq 1 50); do
		ss -Hlun "sport = :$1" 2>/dev/null | grep -q . && return 0
		sleep 0.1
	done
	return 1
}

# A free TCP port in 20000..29999 derived from our PID (private MariaDB).
e2e_free_port() {
	local p try
	for try in $(seq 0 50); do
		p=$((20000 + ($$ * 13 + try * 97) % 10000))
		port_busy "$p" || { echo "$p"; return 0; }
	done
	echo "$p"
}

e2e_stop_pid() { # PID: TERM, bounded wait, KILL
	local pid=$1 i
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null
	for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
	kill -KILL "$pid" 2>/dev/null
}

e2e_cleanup() {
	local p
	for p in "${E2E_PIDS[@]}"; do e2e_stop_pid "$p"; done
	if [ -n "${IMS_STATE_DIR:-}" ] && [ -d "$IMS_STATE_DIR" ] &&
		[ "${IMS_STATE_DIR#"$E2E_WORK"/}" != "$IMS_STATE_DIR" ]; then
		timeout 60 "$SRC/deploy/ims" down >/dev/null 2>&1
		# Sanitizer reports of the daemons (an -DIMS_SANITIZE=ON build):
		# shown, not failed on here; each daemon's own tests own that.
		if grep -l -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' \
			"$IMS_STATE_DIR"/log/*.log 2>/dev/null; then
			echo "WARNING: sanitizer reports in the daemon logs above:"
			grep -h -A12 -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' \
				"$IMS_STATE_DIR"/log/*.log | head -60
		fi
	fi
	if [ "$E2E_FAILS" -eq 0 ] && [ -n "${E2E_WORK:-}" ] && [ -z "${E2E_KEEP:-}" ]; then
		rm -rf "$E2E_WORK"
	elif [ -n "${E2E_WORK:-}" ]; then
		echo "logs kept in $E2E_WORK (state $IMS_STATE_DIR/log)"
	fi
}

e2e_init() { # NAME
	command -v sipp >/dev/null || e2e_skip "sipp (sip-tester) is not installed"
	command -v mariadbd >/dev/null || e2e_skip "mariadb-server is not installed"
	[ -x "$BUILD/bin/ims-launch" ] || e2e_skip "no daemons in $BUILD/bin"
	E2E_WORK=$(mktemp -d "${TMPDIR:-/tmp}/e2e-$1.XXXXXX")
	export IMS_STATE_DIR=$E2E_WORK/state IMS_BUILD_DIR=$BUILD IMS_NO_BUILD=1
	IMS_DB_PORT=$(e2e_free_port)
	export IMS_DB_PORT
	export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$SRC/tests/lsan.supp:print_suppressions=0}"
	trap e2e_cleanup EXIT
	trap 'exit 1' INT TERM
}

# The classic ports of the standalone topology must be free.
e2e_need_classic_ports() {
	local p
	for p in 3868 3869 3870 4060 5060 6060; do
		port_busy "$p" && e2e_skip "port $p is in use (another IMS runs here?)"
	done
	return 0
}

# e2e_sipp NAME ARGS...: one SIPp call (bounded) run in $E2E_WORK, from
# 127.0.0.1, its message trace in NAME.msg and its screen in NAME.out.
# e2e_sipp NAME SIPP-ARGS...: one SIPp call from E2E_LOCAL (default
# 127.0.0.1), traces in $E2E_WORK/NAME.msg.
e2e_sipp() {
	local name=$1
	shift
	(cd "$E2E_WORK" && exec timeout 30 sipp "$@" -m 1 -i "${E2E_LOCAL:-127.0.0.1}" -nostdin \
		-timeout 15 -timeout_error -trace_msg -message_file "$E2E_WORK/$name.msg" \
		</dev/null >"$E2E_WORK/$name.out" 2>&1)
}
e2e_wait_pid() { # PID (a child of ours): bounded wait, then its exit status
	for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
	wait "$1"
}

# e2e_dereg_scenario USER OUT: deploy/sipp/USER-register.xml turned into a
# de-registration (Expires: 0; challenged like any REGISTER without IPsec).
# bob (port 15061) -> alice MESSAGE through the P-CSCF E2E_PCSCF (default
# 127.0.0.1) that must fail with STATUS (alice not registered).
e2e_message_refused() { # NAME STATUS
	if e2e_sipp "$1" "${E2E_PCSCF:-127.0.0.1}:4060" -sf "$SRC/tests/e2e/message.xml" \
		-p 15061 -key user bob -s alice; then
		return 1
	fi
	grep -q "^SIP/2.0 $2 " "$E2E_WORK/$1.msg"
}
# bob -> alice MESSAGE delivered to alice's SIPp on 15060.
e2e_message_delivered() { # NAME
	local uas rc
	e2e_sipp "$1-uas" -sf "$SRC/tests/e2e/message-uas.xml" -p 15060 &
	uas=$!
	E2E_PIDS+=("$uas")
	e2e_wait_udp 15060
	e2e_sipp "$1" "${E2E_PCSCF:-127.0.0.1}:4060" -sf "$SRC/tests/e2e/message.xml" \
		-p 15061 -key user bob -s alice
	rc=$?
	e2e_wait_pid "$uas" && [ "$rc" = 0 ]
}
e2e_dereg_scenario() {
	sed -e 's/Expires: 600/Expires: 0/' \
		-e '/<recv response="200">/,/<Reference/c\  <recv response="200"/>' \
		"$SRC/deploy/sipp/$1-register.xml" >"$2"
}

# ---- packet capture over a whole test run (tshark on lo)
# e2e_capture_start PCAP BPF: start tshark in the background and wait until it
# captures (bounded). Returns 1, with a note, when tshark is missing or cannot
# capture here; the caller then skips its wire checks.
E2E_TSHARK_PID=
e2e_capture_start() {
	local pcap=$1 filter=$2
	command -v tshark >/dev/null || { e2e_log "tshark not installed: wire checks skipped"; return 1; }
	timeout 300 tshark -i "${E2E_CAPTURE_IF:-lo}" -f "$filter" -w "$pcap" >/dev/null 2>"$pcap.err" &
	E2E_TSHARK_PID=$!
	E2E_PIDS+=("$E2E_TSHARK_PID")
	for _ in $(seq 1 150); do
		grep -q 'Capture started\|Capturing on' "$pcap.err" && return 0
		kill -0 "$E2E_TSHARK_PID" 2>/dev/null || break
		sleep 0.1
	done
	e2e_log "tshark cannot capture here ($(head -c 200 "$pcap.err")): wire checks skipped"
	E2E_TSHARK_PID=
	return 1
}
e2e_capture_stop() { # let the last packets land, then stop tshark (by PID)
	[ -n "$E2E_TSHARK_PID" ] || return 0
	sleep 0.3
	kill -INT "$E2E_TSHARK_PID" 2>/dev/null
	for _ in $(seq 1 50); do kill -0 "$E2E_TSHARK_PID" 2>/dev/null || break; sleep 0.1; done
	E2E_TSHARK_PID=
}
# Decode our SIP and Diameter ports whatever tshark's heuristics think.
E2E_DECODE=(-d udp.port==4060,sip -d udp.port==6060,sip -d udp.port==5065,sip
	-d udp.port==5066,sip -d tcp.port==3869,diameter -d tcp.port==3870,diameter)
# e2e_tshark PCAP FILTER FIELDS...: one line per matching packet (two passes,
# slower, when E2E_TSHARK_2PASS is set: requests then know their answers); a
# filter tshark refuses is an error (status 1, message on stderr), never "no
# match".
e2e_tshark() {
	local pcap=$1 filter=$2 f args=() out
	shift 2
	for f in "$@"; do args+=(-e "$f"); done
	if ! out=$(tshark ${E2E_TSHARK_2PASS:+-2} -r "$pcap" "${E2E_DECODE[@]}" -Y "$filter" -T fields "${args[@]}" \
		2>"$pcap.filter-err"); then
		echo "tshark refused '$filter': $(head -c 300 "$pcap.filter-err")" >&2
		return 1
	fi
	[ -z "$out" ] || printf '%s\n' "$out"
}
e2e_count() { # PCAP FILTER: number of matching packets, "error" if tshark refused
	local out
	out=$(e2e_tshark "$1" "$2" frame.number) || { echo error; return 1; }
	if [ -z "$out" ]; then echo 0; else printf '%s\n' "$out" | wc -l; fi
}
# e2e_wire_clean PCAP: the whole capture holds SIP and Diameter, no packet of
# either is malformed, and every Cx request (UAR MAR SAR LIR RTR PPR) was
# answered.
e2e_wire_clean() {
	local pcap=$1 n_sip n_dia bad unanswered
	n_sip=$(e2e_count "$pcap" sip)
	n_dia=$(e2e_count "$pcap" diameter)
	e2e_check "wire: SIP ($n_sip) and Diameter ($n_dia) packets were captured" \
		test "${n_sip/error/0}" -gt 0 -a "${n_dia/error/0}" -gt 0
	bad=$(e2e_tshark "$pcap" '(sip || diameter) && _ws.malformed' frame.number) ||
		bad="(tshark error)"
	bad=$(printf '%s' "$bad" | tr '\n' ' ')
	e2e_check "wire: no malformed SIP or Diameter packet${bad:+ (frames $bad)}" [ -z "$bad" ]
	unanswered=$(E2E_TSHARK_2PASS=1 e2e_tshark "$pcap" \
		'diameter.flags.request == 1 && diameter.cmd.code in {300, 301, 302, 303, 304, 305} && !diameter.answer_in' \
		diameter.cmd.code) || unanswered="(tshark error)"
	unanswered=$(printf '%s' "$unanswered" | tr '\n' ' ')
	e2e_check "wire: every Cx request was answered${unanswered:+ (unanswered: $unanswered)}" \
		[ -z "$unanswered" ]
}

# deploy/ims status, and the number after "daemons running:".
e2e_running() { "$SRC/deploy/ims" status | sed -n 's/^daemons running: \([0-9]*\) of.*/\1/p'; }
e2e_registered() {
	"$SRC/deploy/ims" status | sed -n 's/^registered public identities: \([0-9]*\).*/\1/p'
}

e2e_finish() {
	e2e_log "$E2E_FAILS failure(s)"
	[ "$E2E_FAILS" -eq 0 ]
	exit $?
}
