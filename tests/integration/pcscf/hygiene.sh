#!/bin/bash
# P-CSCF security hygiene (hygiene.py does the talking):
#   hygiene.sh <ims-pcscf> <ims-launch> <scenario dir> flood|oversize|tls
# flood: rate_limit on, a REGISTER flood from 127.0.0.3 is throttled while
# a UE on 127.0.0.2 registers, and 20000 more refused requests do not grow
# the P-CSCF's memory (refusals are stateless); oversize: a REGISTER over the (default,
# 65535) max_message_size over TCP gets 513 or is dropped, the largest UDP
# datagram does no harm; tls: a lab certificate
# (openssl req), REGISTER over TLS (openssl s_client smoke, then Python's
# ssl as the UE), RFC 3329 494 on UDP.
PCSCF=$1 LAUNCH=$2 DIR=$3 MODE=$4
. "$DIR/lib.sh"
TLS_PORT=$((P_PORT + 16000))
case $MODE in
flood)
	start_pcscf "$LAUNCH" "$PCSCF" "rate_limit:
  rate: 10
  burst: 20
  sources: 64
  retry_after: 7" ;;
oversize)
	start_pcscf "$LAUNCH" "$PCSCF" ;;
tls)
	command -v openssl >/dev/null || { echo "SKIP: no openssl"; exit 77; }
	# sofia-sip 1.12.11's TLS tport does not free the per-connection SSL
	# objects (OpenSSL allocations, no sofia frame in the shallow stacks):
	# suppressed for this test only, on top of the shared list.
	{ cat "$DIR/../../lsan.supp" 2>/dev/null
	  printf 'leak:libcrypto.so\nleak:libssl.so\n'; } > "$work/lsan-tls.supp"
	export LSAN_OPTIONS="suppressions=$work/lsan-tls.supp:print_suppressions=0"
	openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=127.0.0.1" \
		-keyout "$work/key.pem" -out "$work/cert.pem" >/dev/null 2>&1 ||
		fail "openssl req could not make a lab certificate"
	start_pcscf "$LAUNCH" "$PCSCF" "tls:
  port: $TLS_PORT
  cert: $work/cert.pem
  key: $work/key.pem"
	grep -q "SIP listening on TLS port $TLS_PORT" "$work/pcscf.log" || fail "no TLS listener"
	# openssl s_client as a UE: an OPTIONS to the node over TLS gets 200.
	{ printf 'OPTIONS sip:127.0.0.1:%s SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bKsc1\r\nMax-Forwards: 70\r\nFrom: <sip:probe@open-ims.test>;tag=sc\r\nTo: <sip:127.0.0.1:%s>\r\nCall-ID: sclient-1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n' "$P_PORT" "$P_PORT"; sleep 2; } |
		timeout 10 openssl s_client -quiet -connect "127.0.0.1:$TLS_PORT" \
			> "$work/s_client.out" 2>&1
	grep -q "^SIP/2.0 200" "$work/s_client.out" || fail "s_client OPTIONS: $(head -5 "$work/s_client.out")"
	echo "openssl s_client: $(grep -m1 '^SIP/2.0' "$work/s_client.out")" ;;
*) echo "bad mode $MODE"; exit 2 ;;
esac
extra=""
[ "$MODE" = oversize ] && extra=65535
[ "$MODE" = tls ] && extra=$TLS_PORT
PCSCF_PID=$pcscf_pid timeout 60 python3 "$DIR/hygiene.py" "$MODE" "$P_PORT" "$CORE_PORT" $extra \
	> "$work/hygiene.out" 2>&1 ||
	fail "$(cat "$work/hygiene.out")"
cat "$work/hygiene.out"
# The P-CSCF sums refusals up once a second: allow it a few seconds.
if [ "$MODE" = flood ]; then
	for _ in $(seq 1 30); do
		grep -q "rate limit: .* refused" "$work/pcscf.log" && break
		sleep 0.1
	done
	grep -q "rate limit: .* refused" "$work/pcscf.log" || fail "refusals not logged"
fi
stop_pcscf_clean
echo "PASS"
