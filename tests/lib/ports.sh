# ports.sh: sourced by test and benchmark scripts that need a block of free
# loopback ports.
#   free_base START SLOTS [WIDTH (8)]
# prints START + k*WIDTH, k in 0..SLOTS-1 derived from the caller's PID (so
# concurrent tests spread), for the first k tried whose WIDTH ports have no
# TCP or UDP listener now; after 31 busy tries it prints the last one and
# lets the daemons' bind fail loudly. Keep START + SLOTS*WIDTH below the
# ephemeral range (32768).
free_base() {
	local width=${3:-8} b i try busy
	for try in $(seq 0 30); do
		b=$(( $1 + (($$ + try * 7919) % $2) * width ))
		busy=0
		for i in $(seq 0 $((width - 1))); do
			ss -Hltun "sport = :$((b + i))" 2>/dev/null | grep -q . && { busy=1; break; }
		done
		[ "$busy" -eq 0 ] && break
	done
	echo "$b"
}
