# shellcheck shell=bash
# deploy/lib/as.sh (sourced by deploy/ims): the application servers and
# their provisioning in the HSS. They live at the address of the node "as":
# 127.0.0.1 standalone, its own namespace (10.77.0.50) when distributed.
#
#   presence  Kamailio with deploy/as/presence.cfg on AS:$as_presence_port
#             (IMS_PRESENCE_PORT, default 5065), state in db_text files under
#             $state/as/presence (no database server); iFCs send PUBLISH and
#             SUBSCRIBE with "Event: presence" addressed to alice or bob to it.
#   psi       the Public Service Identity sip:vod@$realm (TS 23.228 4.3.5),
#             hosted by the AS at IMS_PSI_AS (default sip:AS:5066): a PSI in
#             the HSS with a terminating-unregistered iFC to that AS. Nothing
#             listens there unless you run an AS (the e2e tests run a SIPp one,
#             in the "as" namespace when distributed).
#
# Which ones run is recorded, one name a line, in $state/as/enabled until
# `down`. Needs $state, $realm and hssctl / db_query from deploy/ims.

as_presence_port=${IMS_PRESENCE_PORT:-5065}
as_psi=sip:vod@$realm
as_psi_server() { echo "${IMS_PSI_AS:-sip:$(node_addr as):5066}"; }
# db_text tables the presence modules open (templates of the kamailio package).
as_dbtext_tables="version presentity active_watchers watchers xcap pua"
as_dbtext_src=/usr/share/kamailio/dbtext/kamailio

as_enabled() { [ -r "$state/as/enabled" ] && grep -qx "$1" "$state/as/enabled"; }
as_enable() {
	mkdir -p "$state/as"
	as_enabled "$1" || echo "$1" >>"$state/as/enabled"
}

# ifc NAME ARGS...: add the iFC NAME (ims-hssctl ifc add ARGS) once.
as_ifc() {
	local name=$1
	shift
	[ "$(db_query "SELECT COUNT(*) FROM ifc WHERE name = '$name'")" = 1 ] && return 0
	hssctl ifc add --name "$name" "$@" >/dev/null || die "cannot add the iFC $name"
}

# Requests for presence addressed to a user reach his S-CSCF as terminating
# requests (session case 1 registered, 2 unregistered): PUBLISH from the
# presentity herself (TS 24.141 5.3.2, her own URI is the Request-URI) and
# SUBSCRIBE from watchers. Both go to the presence server over ISC. The
# ProfilePartIndicator says which part of the profile each iFC belongs to;
# the unregistered one also makes the HSS answer an LIR for the user, when
# offline, with "unregistered services" (TS 29.228 6.1.4.1), so a SUBSCRIBE
# to an offline user still reaches the presence server.
as_presence_provision() {
	local u as
	as="sip:$(node_addr as):$as_presence_port"
	for u in alice bob; do
		as_ifc "presence-publish-$u" --impu "sip:$u@$realm" --priority 10 --as "$as" \
			--ppi registered --method PUBLISH --header 'Event=presence' --session-case 1
		as_ifc "presence-subscribe-$u" --impu "sip:$u@$realm" --priority 11 --as "$as" \
			--ppi registered --method SUBSCRIBE --header 'Event=presence' --session-case 1
		as_ifc "presence-subscribe-unreg-$u" --impu "sip:$u@$realm" --priority 12 \
			--as "$as" --ppi unregistered --method SUBSCRIBE --header 'Event=presence' \
			--session-case 2
	done
}

# The PSI lives in its own subscription (an IMPI that never registers: a
# random password nobody knows); its iFC belongs to the unregistered part of
# the profile, so the HSS answers an LIR with "unregistered services", the
# I-CSCF picks an S-CSCF, which fetches the profile (SAR) and sends the
# request to the AS.
as_psi_provision() {
	local impi=services@$realm pw
	if ! hssctl subscriber show "$impi" >/dev/null 2>&1; then
		pw=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
		hssctl subscriber add --impi "$impi" --impu "sip:services@$realm" \
			--password "$pw" >/dev/null || die "cannot add the subscription $impi"
	fi
	if [ "$(db_query "SELECT COUNT(*) FROM impu WHERE identity = '$as_psi'")" != 1 ]; then
		hssctl impu add --impi "$impi" --impu "$as_psi" --type psi --no-register >/dev/null ||
			die "cannot add the PSI $as_psi"
	fi
	as_ifc "psi-vod" --impu "$as_psi" --priority 1 --as "$(as_psi_server)" --ppi unregistered \
		--session-case 2
}

as_presence_start() {
	local pidfile=$state/run/presence.pid dir=$state/as/presence t pid addr
	addr=$(node_addr as)
	if pid_alive "$pidfile" kamailio; then
		return 0
	fi
	rm -f "$pidfile"
	command -v kamailio >/dev/null || die "kamailio is not installed (deploy/install-deps)"
	mkdir -p "$dir/db"
	for t in $as_dbtext_tables; do
		[ -e "$dir/db/$t" ] || cp "$as_dbtext_src/$t" "$dir/db/$t" ||
			die "no db_text template $as_dbtext_src/$t (package kamailio)"
	done
	# -DD: stay in the foreground (our PID is Kamailio's main process), -E: log
	# to stderr, which goes to the log file. No sd_notify in Kamailio: ready
	# once its UDP port is bound (bounded wait).
	(cd "$dir" && exec_in as kamailio -f "$top/deploy/as/presence.cfg" -DD -E -m 64 -M 8 \
		-A "AS_LISTEN=udp:$addr:$as_presence_port" \
		-A "AS_LISTEN_TCP=tcp:$addr:$as_presence_port" \
		-A "AS_CONTACT=\"sip:$addr:$as_presence_port\"" \
		-A "AS_DB=\"text://$dir/db\"" \
		</dev/null >>"$state/log/presence.log" 2>&1) &
	pid=$!
	echo "$pid" >"$pidfile"
	for _ in $(seq 1 100); do
		kill -0 "$pid" 2>/dev/null || break
		if run_in as ss -Hlun "sport = :$as_presence_port" 2>/dev/null | grep -q .; then
			return 0
		fi
		sleep 0.1
	done
	kill -TERM "$pid" 2>/dev/null || true
	rm -f "$pidfile"
	die "the presence AS did not start; see $state/log/presence.log"
}

as_up() { # called by up after the CSCFs
	if as_enabled presence; then as_presence_start; fi
}

as_status() {
	local pidfile=$state/run/presence.pid
	as_enabled presence || return 0
	if pid_alive "$pidfile" kamailio; then
		printf '  %-7s %-15s running (pid %s, port %s)\n' presence "$(node_addr as)" \
			"$(cat "$pidfile")" "$as_presence_port"
	else
		printf '  %-7s %-15s stopped\n' presence "$(node_addr as)"
	fi
}

as_down() {
	local pidfile=$state/run/presence.pid pid
	if pid_alive "$pidfile" kamailio; then
		pid=$(cat "$pidfile")
		kill -TERM "$pid" 2>/dev/null || true
		for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$pid" 2>/dev/null || true
	fi
	rm -f "$pidfile" "$state/as/enabled"
}

as_summary() {
	if as_enabled presence; then
		say "  Presence AS (Kamailio) SIP $(node_addr as):$as_presence_port  log $state/log/presence.log"
	fi
	if as_enabled psi; then
		say "  PSI $as_psi -> AS $(as_psi_server) (HSS iFC; run an AS there)"
	fi
	return 0
}
