#!/bin/bash
# test_hss_sqn_never_reused: SQN durability of ims-hss (TS 33.102 Annex C;
# ranges reserved in the database before any vector of them leaves):
#   1. SQN grows across a clean restart (MAR, restart, MAR);
#   2. kill -9 during a burst of MARs, restart: every SQN answered is unique
#      and the next one is larger than all of them;
#   3. two ims-hss on one database, MAR bursts for the same user through
#      both at once: no SQN is answered twice.
# Every vector is checked at the USIM side (MAC-A, RES) by hss_aka_tool.
#   cx_sqn.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=$1
SRC=$2
. "$SRC/tests/integration/hss/hss_env.sh"
hss_env_init sqn
AKA=$BUILD/tests/hss_aka_tool
K=465b5ce8b199b49faa5f0a2ee238a6bc; OP=cdc202d5123e20f62b6d676ac72cb318
IMPI=alice@open-ims.test; IMPU=sip:alice@open-ims.test
SCSCF=sip:scscf.open-ims.test:6060

mar_sqn() {  # one MAR through HSS at port $1; prints the vector's SQN
	local out
	out=$("$BIN/ims-cxctl" --hss-port "$1" --hss-identity "$2" --identity "cxctl-$$.open-ims.test" --timeout 35 \
		mar --impi "$IMPI" --impu "$IMPU" --server "$SCSCF" --scheme Digest-AKAv1-MD5)
	"$AKA" sqns "$K" "$OP" <<<"$(grep -E '^SIP-Auth-Data-Item.SIP-(Authenticate|Authorization)=' <<<"$out" \
		| cut -d= -f2 | sed 's/^0x//' | paste -sd' ')"
}
burst() {  # burst PORT HSS_ID CLIENT_ID N DUMP: MARs, 16 in flight
	"$BIN/ims-cxctl" --hss-port "$1" --hss-identity "$2" --identity "$3" --timeout 30 \
		mar --impi "$IMPI" --impu "$IMPU" --server "$SCSCF" --scheme Digest-AKAv1-MD5 \
		--repeat "$4" --concurrency 16 --dump "$5" >/dev/null 2>&1
}
lines() { [ -f "$1" ] && wc -l <"$1" || echo 0; }

hss_db_start
hssctl subscriber add --impi "$IMPI" --impu "$IMPU" --k "$K" --op "$OP" --auth aka \
	>/dev/null || die "provisioning failed"
HSS_LOG_LEVEL=warn hss_write_config "  sqn_reserve: 64"
hss_start

# 1. Clean restart.
s1=$(mar_sqn "$DIAPORT" hss.open-ims.test)
hss_stop
hss_start
s2=$(mar_sqn "$DIAPORT" hss.open-ims.test)
[ -n "$s1" ] && [ -n "$s2" ] && [ "$s2" -gt "$s1" ] && ok "SQN after restart $s2 > before $s1" \
	|| bad "SQN across restart: '$s1' -> '$s2'"

# 2. kill -9 in the middle of a burst.
burst "$DIAPORT" hss.open-ims.test "burst-$$.open-ims.test" 5000 "$WORK/burst.txt" &
BURST=$!
EXTRA_PIDS="$BURST"
for _ in $(seq 1 300); do [ "$(lines "$WORK/burst.txt")" -ge 300 ] && break; sleep 0.1; done
kill -KILL "$HSS_PID"
HSS_PID=
n_before=$(lines "$WORK/burst.txt")
wait "$BURST" 2>/dev/null
EXTRA_PIDS=
WRAP_PID=
n_all=$(lines "$WORK/burst.txt")
[ "$n_before" -ge 300 ] && [ "$n_all" -lt 5000 ] && ok "kill -9 after $n_before answers ($n_all in all)" \
	|| bad "burst: $n_before answers before the kill, $n_all in all"
"$AKA" sqns "$K" "$OP" <"$WORK/burst.txt" >"$WORK/burst.sqn" && ok "every burst vector verifies" \
	|| bad "some burst vector does not verify"
head -n1 "$WORK/burst.txt" | "$AKA" sqns 00112233445566778899aabbccddeeff "$OP" >/dev/null 2>&1 \
	&& bad "a burst vector verifies with the wrong key" || ok "a burst vector fails with the wrong key"
dups=$(sort -n "$WORK/burst.sqn" | uniq -d | wc -l)
[ "$dups" -eq 0 ] && ok "no SQN twice among $(wc -l <"$WORK/burst.sqn") burst answers" \
	|| bad "$dups SQNs answered twice in the burst"
maxb=$(sort -n "$WORK/burst.sqn" | tail -n1)
hss_start
s3=$(mar_sqn "$DIAPORT" hss.open-ims.test)
[ -n "$s3" ] && [ -n "$maxb" ] && [ "$s3" -gt "$maxb" ] \
	&& ok "after kill -9 and restart: SQN $s3 > every burst SQN (max $maxb)" \
	|| bad "after kill -9: SQN '$s3' vs burst max '$maxb'"
# Negative control of the check itself: a list with a repeated SQN is caught.
[ "$(printf '5\n7\n5\n' | sort -n | uniq -d | wc -l)" -eq 1 ] && ok "duplicate check catches a repeat" \
	|| bad "duplicate check is blind"

# 3. A second ims-hss on the same database, both serving one user at once.
DIAPORT2=$(( DIAPORT + 2 ))   # inside the block hss_env_init picked
sed -e "s/identity: hss.open-ims.test/identity: hss2.open-ims.test/" \
	-e "s/port: $DIAPORT\$/port: $DIAPORT2/" "$WORK/hss.yaml" >"$WORK/hss2.yaml"
WRAP2=$("$BIN/ims-launch" --timeout 30 --log "$WORK/hss2.log" -- "$BIN/ims-hss" -c "$WORK/hss2.yaml") \
	|| die "second ims-hss did not become ready"
EXTRA_PIDS="$WRAP2"
burst "$DIAPORT" hss.open-ims.test "a-$$.open-ims.test" 2000 "$WORK/a.txt" &
B1=$!
burst "$DIAPORT2" hss2.open-ims.test "b-$$.open-ims.test" 2000 "$WORK/b.txt" &
B2=$!
EXTRA_PIDS="$WRAP2 $B1 $B2"
wait "$B1"; r1=$?
wait "$B2"; r2=$?
EXTRA_PIDS="$WRAP2"
[ "$r1" -eq 0 ] && [ "$r2" -eq 0 ] && ok "both HSS answered 2000 MARs each with 2001" \
	|| bad "bursts through two HSS: exit $r1/$r2"
cat "$WORK/a.txt" "$WORK/b.txt" | "$AKA" sqns "$K" "$OP" >"$WORK/ab.sqn" \
	&& ok "every vector of both HSS verifies" || bad "a vector of the two HSS does not verify"
dups=$(sort -n "$WORK/ab.sqn" | uniq -d | wc -l)
total=$(wc -l <"$WORK/ab.sqn")
[ "$dups" -eq 0 ] && [ "$total" -eq 4000 ] && ok "two HSS: $total SQNs, none twice" \
	|| bad "two HSS: $dups SQNs twice among $total"
kill -TERM "$WRAP2"
for _ in $(seq 1 100); do kill -0 "$WRAP2" 2>/dev/null || break; sleep 0.1; done
EXTRA_PIDS=
hss_stop
hss_env_finish
