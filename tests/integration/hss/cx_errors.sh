#!/bin/bash
# test_hss_cx_base_protocol_errors: the error paths of the Diameter base
# protocol on ims-hss (RFC 6733), as received by ims-cxctl:
#   unknown Command-Code        -> 3001 DIAMETER_COMMAND_UNSUPPORTED, E bit
#   Application-Id not served   -> 3007 DIAMETER_APPLICATION_UNSUPPORTED, E bit
#   missing mandatory AVP       -> 5005 with Failed-AVP (RFC 6733 7.5)
#   unknown peer (accept_unknown_peers: false) -> CEA 3010 DIAMETER_UNKNOWN_PEER
# (freeDiameter answers 3001/3007/3010 itself; the test asserts what arrives).
#   cx_errors.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=$1
SRC=$2
. "$SRC/tests/integration/hss/hss_env.sh"
hss_env_init errors
KNOWN=known-$$.open-ims.test
IMPI=alice@open-ims.test; IMPU=sip:alice@open-ims.test
kcx() { "$BIN/ims-cxctl" --hss-port "$DIAPORT" --identity "$KNOWN" "$@"; }

hss_db_start
hssctl subscriber add --impi "$IMPI" --impu "$IMPU" --k 465b5ce8b199b49faa5f0a2ee238a6bc \
	--op cdc202d5123e20f62b6d676ac72cb318 --auth aka >/dev/null || die "provisioning failed"
# Only KNOWN may connect (its listed address is never dialled successfully:
# nothing listens there; it connects in).
HSS_DIA_EXTRA="  peers:
    - identity: $KNOWN
      address: 127.0.0.1
      port: $(( DIAPORT + 2 ))" hss_write_config
sed -i 's/accept_unknown_peers: true/accept_unknown_peers: false/' "$WORK/hss.yaml"
grep -q 'accept_unknown_peers: false' "$WORK/hss.yaml" || die "config not restricted"
hss_start

out=$(kcx uar --impi "$IMPI" --impu "$IMPU" --type 0)
expect "configured peer: UAR answered by the Cx application (exp 2001)" "$out" '^result=exp:2001$'
expect "configured peer: no E bit on a Cx answer" "$out" '^header=300/16777216$'

out=$(kcx uar --impi "$IMPI" --impu "$IMPU" --type 0 --command-code 999)
expect "unknown Command-Code 999 -> 3001" "$out" '^result=base:3001$'
expect "3001 answer has the E bit and code 999" "$out" '^header=999/16777216 E$'

out=$(kcx uar --impi "$IMPI" --impu "$IMPU" --type 0 --app-id 16777251)
expect "Application-Id 16777251 (S6a, not served) -> 3007" "$out" '^result=base:3007$'
expect "3007 answer has the E bit" "$out" '^header=300/16777251 E$'

out=$(kcx mar --impi "$IMPI" --impu "$IMPU" --scheme Digest-AKAv1-MD5)
expect "MAR without Server-Name -> 5005" "$out" '^result=base:5005$'
expect "5005 names the missing AVP in Failed-AVP" "$out" '^Failed-AVP.Server-Name='

# freeDiameter waits a random 0-2 s before its first connection attempt; a
# sanitizer build under load needs a few more for CER/CEA: 8 s, not 3.
out=$(timeout 30 "$BIN/ims-cxctl" --verbose --timeout 8 --hss-port "$DIAPORT" \
	--identity "stranger-$$.open-ims.test" uar --impi "$IMPI" --impu "$IMPU" --type 0 2>&1)
rc=$?
[ "$rc" -eq 1 ] && ok "unknown peer: ims-cxctl gets no answer (exit 1)" || bad "unknown peer: exit $rc"
expect "unknown peer: CEA carries Result-Code 3010 DIAMETER_UNKNOWN_PEER" "$out" \
	"Capabilities-Exchange-Answer.*Result-Code\(268\).*DIAMETER_UNKNOWN_PEER' \(3010"
grep -q '^result=' <<<"$out" && bad "unknown peer got a Cx answer" || ok "unknown peer: no Cx answer"
wait_line "$WORK/hss.log" "Rejected CER from peer 'stranger-$$" 5 \
	&& ok "ims-hss logs the refused CER" || bad "no refusal in the ims-hss log"

out=$(kcx uar --impi "$IMPI" --impu "$IMPU" --type 0)
expect "after all that: the configured peer is still served" "$out" '^result=exp:2001$'
hss_stop
hss_env_finish
