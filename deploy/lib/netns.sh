# shellcheck shell=bash
# deploy/lib/netns.sh (sourced by deploy/ims): the network of the distributed
# topology. One bridge with an address on the host side, one network namespace
# per node, each joined to the bridge by a veth pair (host end ims-v-<node>,
# namespace end eth0). Everything created is appended to $state/net/created
# ("bridge NAME", "netns NAME", "veth NAME"); net_down removes exactly those
# and nothing else, so a name that already exists but is not ours is refused.
# Needs root and iproute2 (ip netns). Environment: IMS_NET (first three
# octets of the /24, default 10.77.0), IMS_BRIDGE (default ims-br0).

net_prefix=${IMS_NET:-10.77.0}
net_bridge=${IMS_BRIDGE:-ims-br0}
net_record() { echo "$state/net/created"; }

# Address of a node: db .2, hss .10, icscf .20, pcscf .30, scscfN .40+N,
# as (application servers) .50, host (bridge) .1.
net_addr() { # NODE
	case "$1" in
	host) echo "$net_prefix.1" ;;
	db) echo "$net_prefix.2" ;;
	hss) echo "$net_prefix.10" ;;
	icscf) echo "$net_prefix.20" ;;
	pcscf) echo "$net_prefix.30" ;;
	scscf[0-9]*) echo "$net_prefix.$((40 + ${1#scscf}))" ;;
	as) echo "$net_prefix.50" ;;
	*) return 1 ;;
	esac
}

net_ns() { echo "ims-$1"; }
net_ns_exists() { [ -e "/run/netns/$1" ]; }

net_recorded() { # KIND NAME
	[ -r "$(net_record)" ] && grep -qx "$1 $2" "$(net_record)"
}

net_note() { # KIND NAME
	net_recorded "$1" "$2" || echo "$1 $2" >>"$(net_record)"
}

net_check() {
	[ "$(id -u)" -eq 0 ] || die "--distributed needs root (network namespaces)"
	command -v ip >/dev/null || die "--distributed needs iproute2 (ip)"
	ip netns list >/dev/null 2>&1 || die "ip netns does not work here"
}

net_bridge_up() {
	mkdir -p "$state/net"
	if ip link show "$net_bridge" >/dev/null 2>&1; then
		net_recorded bridge "$net_bridge" ||
			die "bridge $net_bridge exists and was not created by deploy/ims"
	else
		ip link add "$net_bridge" type bridge || die "cannot create bridge $net_bridge"
		net_note bridge "$net_bridge"
	fi
	ip addr replace "$(net_addr host)/24" dev "$net_bridge"
	ip link set "$net_bridge" up
}

net_node_up() { # NODE
	local node=$1 ns veth addr
	ns=$(net_ns "$node")
	veth=ims-v-$node
	addr=$(net_addr "$node") || die "unknown node $node"
	if net_ns_exists "$ns"; then
		net_recorded netns "$ns" ||
			die "namespace $ns exists and was not created by deploy/ims"
	else
		ip netns add "$ns" || die "cannot create namespace $ns"
		net_note netns "$ns"
	fi
	if ! ip link show "$veth" >/dev/null 2>&1; then
		ip link add "$veth" type veth peer name eth0 netns "$ns" ||
			die "cannot create veth $veth"
		net_note veth "$veth"
	elif ! net_recorded veth "$veth"; then
		die "interface $veth exists and was not created by deploy/ims"
	fi
	ip link set "$veth" master "$net_bridge"
	ip link set "$veth" up
	ip netns exec "$ns" ip link set lo up
	ip netns exec "$ns" ip addr replace "$addr/24" dev eth0
	ip netns exec "$ns" ip link set eth0 up
}

# Remove what the record lists: veths, then namespaces, then the bridge.
net_down() {
	local rec kind name
	rec=$(net_record)
	[ -r "$rec" ] || return 0
	for kind in veth netns bridge; do
		while read -r k name; do
			[ "$k" = "$kind" ] || continue
			case "$kind" in
			veth | bridge) ip link show "$name" >/dev/null 2>&1 && ip link del "$name" ;;
			netns) net_ns_exists "$name" && ip netns del "$name" ;;
			esac
		done <"$rec"
	done
	rm -f "$rec"
}
