#!/bin/bash
# test_scscf_shared_ifc: shared iFC sets (TS 29.228 B.2.1 SharedIFCSetID)
# end to end, with a real ims-hss (private MariaDB), ims-hssctl, ims-scscf
# and SIPp as UE and application server:
#   ims-hssctl shared-ifc set 7: an iFC sending REGISTER (originating) to
#     the SIPp AS; profile set --ifc links alice's profile to set 7 through
#     <Extension><SharedIFCSetID>; an unknown set id is refused with
#     file:line and nothing written; the SAR User-Data carries the id;
#   shared-ifc export writes the S-CSCF's registrar.shared_ifc_sets file;
#     a bad file is refused by --check-config with file:line:column;
#   alice registers (SIP Digest, as thirdparty.sh): the S-CSCF merges set 7
#     into her profile and the AS gets the third-party REGISTER;
#   SIGHUP with a broken file: the error is logged, the old sets stay.
#   shared_ifc.sh BUILD_DIR SOURCE_DIR
# Ports derive from the PID; every exit path stops what we started, by PID;
# every wait is bounded.
set -u
BUILD=$1
SRC=$2
# shellcheck source=lib.sh
. "$SRC/tests/integration/scscf/lib.sh" sifc
AS=$((BASE + 5))
# wait_log FILE PATTERN: until PATTERN occurs (10 s).
wait_log() {
	for _ in $(seq 100); do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
ue() { # NAME SCENARIO USER
	(cd "$WORK" && timeout 30 sipp -m 1 -nostdin -timeout 20s -timeout_error \
		-trace_err -error_file "$WORK/$1.err" -trace_msg -message_file "$WORK/$1.msg" \
		-i 127.0.0.1 -p "$UE" -sf "$2" -key user "$3@open-ims.test" \
		-au "$3@open-ims.test" -ap "$3" "127.0.0.1:$SC_SIP" >"$WORK/$1.out" 2>&1)
}
as_bg() { # NAME SCENARIO PORT
	(cd "$WORK" && exec timeout 30 sipp -m 1 -nostdin -timeout 20s -timeout_error \
		-trace_err -error_file "$WORK/$1.err" -trace_msg -message_file "$WORK/$1.msg" \
		-i 127.0.0.1 -p "$3" -sf "$2" >"$WORK/$1.out" 2>&1) &
	BG_PID=$!
}
as_wait() { local rc; wait "$BG_PID"; rc=$?; BG_PID=; return $rc; }
show_failure() { for f in "$WORK/$1.err" "$WORK/$1.msg" "$WORK/$1.out"; do [ -f "$f" ] && tail -n 40 "$f"; done; }

# ---- HSS: alice; shared set 7 ----
"$SRC/tests/lib/mariadb.sh" start "$WORK/db" "$DBPORT" || die "private MariaDB did not start"
hssctl db migrate --migrations "$SRC/deploy/db/migrations" >/dev/null || die "db migrate failed"
hssctl subscriber add --impi alice@open-ims.test --impu sip:alice@open-ims.test \
	--k 465b5ce8b199b49faa5f0a2ee238a6bc --op cdc202d5123e20f62b6d676ac72cb318 \
	--amf 8000 --sqn 0 --password alice --auth aka,digest >/dev/null || die "provisioning failed"

cat >"$WORK/set7.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<InitialFilterCriteria>
  <Priority>5</Priority>
  <TriggerPoint>
    <ConditionTypeCNF>1</ConditionTypeCNF>
    <SPT><ConditionNegated>0</ConditionNegated><Group>0</Group><Method>REGISTER</Method></SPT>
    <SPT><ConditionNegated>0</ConditionNegated><Group>1</Group><SessionCase>0</SessionCase></SPT>
  </TriggerPoint>
  <ApplicationServer>
    <ServerName>sip:127.0.0.1:$AS</ServerName>
    <DefaultHandling>0</DefaultHandling>
  </ApplicationServer>
</InitialFilterCriteria>
XML
out=$(hssctl shared-ifc set 7 --name third-party --ifc "$WORK/set7.xml" 2>&1) &&
	grep -q "shared iFC set 7: 1 iFC loaded" <<<"$out" && ok "shared-ifc set 7" ||
	bad "shared-ifc set 7: $out"
out=$(hssctl shared-ifc set 7 --ifc "$WORK/set7.xml" 2>&1) &&
	[ "$(hssctl shared-ifc list)" = "$(printf '7\tthird-party\t1 iFC\t0 profiles')" ] &&
	ok "shared-ifc set again replaces the iFCs, keeps the name; list" ||
	bad "shared-ifc replace/list: $out / $(hssctl shared-ifc list 2>&1)"

# A set cannot name sets; an unknown id for a profile is file:line, nothing written.
printf '<ServiceProfile>\n<Extension>\n<SharedIFCSetID>7</SharedIFCSetID>\n</Extension>\n</ServiceProfile>\n' \
	>"$WORK/nested.xml"
out=$(hssctl shared-ifc set 8 --ifc "$WORK/nested.xml" 2>&1) && bad "nested set accepted" ||
	{ grep -q "nested.xml:3: SharedIFCSetID inside a shared iFC set" <<<"$out" &&
	  ok "a set naming a set is refused with file:line"; } || bad "nested set: $out"
cat >"$WORK/unknown.xml" <<'XML'
<ServiceProfile>
  <Extension>
    <SharedIFCSetID>7</SharedIFCSetID>
    <SharedIFCSetID>9</SharedIFCSetID>
  </Extension>
</ServiceProfile>
XML
out=$(hssctl profile set sip:alice@open-ims.test --ifc "$WORK/unknown.xml" 2>&1)
rc=$?
if [ $rc -eq 1 ] && grep -q "unknown.xml:4: SharedIFCSetID 9: no such shared iFC set" <<<"$out" &&
	! hssctl profile show sip:alice@open-ims.test | grep -q SharedIFCSetID; then
	ok "profile set: unknown SharedIFCSetID 9 -> file:line error, nothing written"
else
	bad "profile set with unknown set (rc $rc): $out"
fi
cat >"$WORK/profile.xml" <<'XML'
<IMSSubscription>
  <ServiceProfile>
    <Extension><SharedIFCSetID>7</SharedIFCSetID></Extension>
  </ServiceProfile>
</IMSSubscription>
XML
out=$(hssctl profile set sip:alice@open-ims.test --ifc "$WORK/profile.xml" 2>&1) &&
	grep -q "0 iFCs loaded from .*; shared iFC sets 7" <<<"$out" &&
	hssctl profile show sip:alice@open-ims.test |
	grep -q "<Extension><SharedIFCSetID>7</SharedIFCSetID></Extension>" &&
	ok "profile set links set 7; the SAR User-Data names it" || bad "profile set: $out"
out=$(hssctl shared-ifc del 7 2>&1) && bad "del of a linked set accepted" ||
	{ grep -q "service profiles link this set" <<<"$out" && ok "shared-ifc del refuses a linked set"; } ||
	bad "shared-ifc del: $out"

# ---- the S-CSCF's file, from the database ----
hssctl shared-ifc export >"$WORK/shared-ifc.xml" || die "shared-ifc export failed"
grep -q "<SharedIFCSetID>7</SharedIFCSetID>" "$WORK/shared-ifc.xml" &&
	grep -q "<ServerName>sip:127.0.0.1:$AS</ServerName>" "$WORK/shared-ifc.xml" &&
	[ "$(hssctl shared-ifc show 7)" = "$(cat "$WORK/shared-ifc.xml")" ] &&
	ok "shared-ifc export/show: the S-CSCF's file form" || bad "export: $(cat "$WORK/shared-ifc.xml")"

hss_yaml
scscf_yaml() { # FILE SHARED_FILE
	cat >"$1" <<YAML
log:
  level: info
sip:
  address: 127.0.0.1
  port: $SC_SIP
  tcp: false
diameter:
  identity: scscf.open-ims.test
  realm: open-ims.test
  port: $SC_DIA
  peers:
    - identity: hss.open-ims.test
      address: 127.0.0.1
      port: $HSS_DIA
registrar:
  server_name: sip:scscf.open-ims.test:$SC_SIP
  cx_timeout: 2s
  third_party_timeout: 1s
  shared_ifc_sets: $2
YAML
}
printf '<SharedIFCSets>\n <SharedIFCSet>\n  <SharedIFCSetID>7</SharedIFCSetID\n' >"$WORK/bad.xml"
scscf_yaml "$WORK/bad.yaml" "$WORK/bad.xml"
out=$("$BIN/ims-scscf" --check-config -c "$WORK/bad.yaml" 2>&1) && bad "bad shared set file accepted" ||
	{ grep -qE "bad.xml:[34]:[0-9]+: " <<<"$out" &&
	  ok "--check-config refuses a bad shared set file with file:line:column"; } ||
	bad "bad file error: $out"
scscf_yaml "$WORK/scscf.yaml" "$WORK/shared-ifc.xml"

start_hss
SC_PID=$("$BIN/ims-launch" --timeout 30 --log "$WORK/scscf.log" -- \
	"$BIN/ims-scscf" -c "$WORK/scscf.yaml") || die "ims-scscf did not become ready"
ok "ims-hss ($HSS_PID) and ims-scscf ($SC_PID) ready"
grep -q "1 shared iFC set(s) loaded from $WORK/shared-ifc.xml" "$WORK/scscf.log" &&
	ok "the S-CSCF loaded set 7" || bad "no load line in the S-CSCF log"

# ---- alice registers: set 7's AS gets the third-party REGISTER ----
as_bg as_reg "$DIR/as_ok.xml" "$AS"
if ue alice_reg "$DIR/reg_user.xml" alice && as_wait &&
	grep -qF "REGISTER sip:127.0.0.1:$AS SIP/2.0" "$WORK/as_reg.msg" &&
	grep -qF "To: <sip:alice@open-ims.test>" "$WORK/as_reg.msg"; then
	ok "alice registered; the AS of shared set 7 got the third-party REGISTER"
else
	bad "registration / third-party REGISTER through set 7"; show_failure alice_reg; show_failure as_reg
fi
grep -q "SharedIFCSetID 7 unknown" "$WORK/scscf.log" && bad "the S-CSCF did not know set 7"

# ---- SIGHUP with a broken file: error logged, the old table stays ----
cp "$WORK/bad.xml" "$WORK/shared-ifc.xml"
kill -HUP "$SC_PID"
wait_log "$WORK/scscf.log" "shared-ifc.xml:[34]:[0-9]*: " &&
	wait_log "$WORK/scscf.log" "keeping the running configuration" &&
	kill -0 "$SC_PID" && ok "SIGHUP with a bad file: file:line:column logged, S-CSCF keeps running" ||
	bad "SIGHUP with a bad file"
hssctl shared-ifc export >"$WORK/shared-ifc.xml"
kill -HUP "$SC_PID"
wait_log "$WORK/scscf.log" "reloadable settings applied" &&
	[ "$(grep -c "1 shared iFC set(s) loaded" "$WORK/scscf.log")" -ge 2 ] &&
	ok "SIGHUP with a good file: sets reloaded" || bad "SIGHUP reload"

# ---- cx.expand_shared_ifc_sets: the HSS puts set 7 inline, for an
# S-CSCF without the file (as Kamailio's) ----
stop_pid "$SC_PID" || bad "ims-scscf did not stop on SIGTERM"
SC_PID=
grep -qE "Sanitizer|runtime error" "$WORK/scscf.log" && bad "sanitizer report in ims-scscf log"
stop_pid "$HSS_PID" || bad "ims-hss did not stop on SIGTERM"
HSS_PID=
grep -qE "Sanitizer|runtime error" "$WORK/hss.log" && bad "sanitizer report in ims-hss log"
printf 'cx:\n  expand_shared_ifc_sets: true\n' >>"$WORK/hss.yaml"
sed -i '/shared_ifc_sets:/d' "$WORK/scscf.yaml"
start_hss hss2.log
SC_PID=$("$BIN/ims-launch" --timeout 30 --log "$WORK/scscf.log" -- \
	"$BIN/ims-scscf" -c "$WORK/scscf.yaml") || die "ims-scscf (no sets) did not become ready"
as_bg as_exp "$DIR/as_ok.xml" "$AS"
if ue alice_exp "$DIR/reg_user.xml" alice && as_wait &&
	grep -qF "REGISTER sip:127.0.0.1:$AS SIP/2.0" "$WORK/as_exp.msg" &&
	! grep -q "SharedIFCSetID" "$WORK/scscf.log"; then
	ok "expand_shared_ifc_sets: set 7's iFC inline in the SAA; its AS got the third-party REGISTER"
else
	bad "expanded shared set"; show_failure alice_exp; show_failure as_exp
	echo "--- ims-hss (expand) log"; tail -n 40 "$WORK/hss2.log"
fi
grep -qE "Sanitizer|runtime error" "$WORK/hss2.log" && bad "sanitizer report in ims-hss log"

# ---- clean stop: no sanitizer report ----
stop_pid "$SC_PID" || bad "ims-scscf did not stop on SIGTERM"
SC_PID=
grep -qE "Sanitizer|runtime error" "$WORK/scscf.log" && bad "sanitizer report in ims-scscf log" ||
	ok "ims-scscf stopped cleanly"

[ "$FAILS" -eq 0 ] || { echo "$FAILS check(s) failed"; exit 1; }
echo PASS
