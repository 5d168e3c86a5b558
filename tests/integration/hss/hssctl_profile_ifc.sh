#!/bin/bash
# test_hssctl_profile_set_ifc_xml_round_trip: ims-hssctl profile set IMPU
# --ifc FILE.xml loads TS 29.228 iFCs (IMSSubscription, ServiceProfile or a
# bare list of InitialFilterCriteria); the SAR User-Data then carries the
# same iFCs; invalid files give file:line errors, exit 1 and change nothing;
# a database failure half-way rolls back; profile show prints the XML;
# with cx.profile_cache_ttl the profile is reused until the change log
# (sh_change) shows an iFC change or a PPR clears it.
#   hssctl_profile_ifc.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=$1
SRC=$2
. "$SRC/tests/integration/hss/hss_env.sh"
hss_env_init profile
hss_db_start
ALICE=alice@open-ims.test
ALICE_SIP=sip:alice@open-ims.test
SCSCF=sip:scscf.open-ims.test:6060
hssctl subscriber add --impi "$ALICE" --impu "$ALICE_SIP" --password alice >/dev/null \
	|| die "subscriber add alice"
hssctl subscriber add --impi bob@open-ims.test --impu sip:bob@open-ims.test --password bob \
	>/dev/null || die "subscriber add bob"
hss_write_config
hss_start

# The iFCs of an XML text on one line, whitespace between tags removed.
ifcs_of() {
	tr -d '\n\t' <"$1" | sed -e 's/> *</></g' | grep -o '<InitialFilterCriteria>.*</InitialFilterCriteria>'
}
sar_ifcs() {
	rm -f "$WORK/ud.xml"
	cx sar --impi "$ALICE" --impu "$ALICE_SIP" --server "$SCSCF" --type 1 \
		--user-data-out "$WORK/ud.xml" >/dev/null || { echo "SAR failed"; return; }
	ifcs_of "$WORK/ud.xml"
}

# 1. A whole IMSSubscription, in the order and form the HSS writes it:
# every SPT kind, negation, groups, RegistrationType, ServiceInfo,
# IncludeRegister*, ProfilePartIndicator, escaped text.
cat >"$WORK/full.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<IMSSubscription>
  <PrivateID>alice@open-ims.test</PrivateID>
  <ServiceProfile>
    <PublicIdentity><Identity>sip:alice@open-ims.test</Identity></PublicIdentity>
    <InitialFilterCriteria>
      <Priority>1</Priority>
      <TriggerPoint>
        <ConditionTypeCNF>1</ConditionTypeCNF>
        <SPT><ConditionNegated>0</ConditionNegated><Group>0</Group><Method>REGISTER</Method>
          <Extension><RegistrationType>0</RegistrationType><RegistrationType>1</RegistrationType></Extension></SPT>
        <SPT><ConditionNegated>1</ConditionNegated><Group>1</Group><SessionCase>2</SessionCase></SPT>
      </TriggerPoint>
      <ApplicationServer>
        <ServerName>sip:reg-as.open-ims.test:5070</ServerName>
        <DefaultHandling>1</DefaultHandling>
        <ServiceInfo>a &amp; b &lt;c&gt;</ServiceInfo>
        <Extension><IncludeRegisterRequest/><IncludeRegisterResponse/></Extension>
      </ApplicationServer>
      <ProfilePartIndicator>0</ProfilePartIndicator>
    </InitialFilterCriteria>
    <InitialFilterCriteria>
      <Priority>5</Priority>
      <TriggerPoint>
        <ConditionTypeCNF>0</ConditionTypeCNF>
        <SPT><ConditionNegated>0</ConditionNegated><Group>0</Group><RequestURI>^sip:.*@voicemail\.open-ims\.test$</RequestURI></SPT>
        <SPT><ConditionNegated>0</ConditionNegated><Group>0</Group><SIPHeader><Header>Accept-Contact</Header><Content>\+g\.3gpp\.icsi-ref</Content></SIPHeader></SPT>
        <SPT><ConditionNegated>0</ConditionNegated><Group>1</Group><SIPHeader><Header>P-Asserted-Service</Header></SIPHeader></SPT>
        <SPT><ConditionNegated>0</ConditionNegated><Group>2</Group><SessionDescription><Line>m</Line><Content>audio</Content></SessionDescription></SPT>
      </TriggerPoint>
      <ApplicationServer>
        <ServerName>sip:vm.open-ims.test</ServerName>
        <DefaultHandling>0</DefaultHandling>
      </ApplicationServer>
    </InitialFilterCriteria>
    <InitialFilterCriteria>
      <Priority>9</Priority>
      <ApplicationServer>
        <ServerName>sip:all.open-ims.test</ServerName>
        <DefaultHandling>0</DefaultHandling>
      </ApplicationServer>
      <ProfilePartIndicator>1</ProfilePartIndicator>
    </InitialFilterCriteria>
  </ServiceProfile>
</IMSSubscription>
XML
out=$(hssctl profile set "$ALICE_SIP" --ifc "$WORK/full.xml" 2>&1); rc=$?
[ "$rc" -eq 0 ] && ok "profile set IMSSubscription: exit 0" || bad "profile set: exit $rc: $out"
expect "profile set: says how many iFCs" "$out" "3 iFCs loaded"
want=$(ifcs_of "$WORK/full.xml")
got=$(sar_ifcs)
[ -n "$want" ] && [ "$got" = "$want" ] && ok "SAR User-Data carries the same 3 iFCs" \
	|| { bad "SAR iFCs differ"; echo "want: $want"; echo "got:  $got"; }
out=$(hssctl profile show "$ALICE_SIP")
expect "profile show: the IMSSubscription XML" "$out" '<PrivateID>alice@open-ims.test</PrivateID>'
[ "$(echo "$out" | ifcs_of /dev/stdin)" = "$want" ] && ok "profile show: the same iFCs" \
	|| bad "profile show iFCs differ"

# 2. Loading again replaces (no duplicate names, old iFCs gone); a bare
# list in a looser form: Include* directly in ApplicationServer, an SPT in
# two groups, default ConditionNegated and DefaultHandling.
cat >"$WORK/list.xml" <<'XML'
<?xml version="1.0"?>
<InitialFilterCriteria>
  <Priority>3</Priority>
  <TriggerPoint><ConditionTypeCNF>true</ConditionTypeCNF>
    <SPT><Group>0</Group><Group>1</Group><Method>INVITE</Method></SPT>
  </TriggerPoint>
  <ApplicationServer><ServerName>sip:tas.open-ims.test</ServerName>
    <IncludeRegisterRequest/></ApplicationServer>
</InitialFilterCriteria>
<InitialFilterCriteria>
  <Priority>2</Priority>
  <ApplicationServer><ServerName>sip:first.open-ims.test</ServerName></ApplicationServer>
</InitialFilterCriteria>
XML
out=$(hssctl profile set "$ALICE_SIP" --ifc "$WORK/list.xml" 2>&1); rc=$?
[ "$rc" -eq 0 ] && ok "profile set bare list: exit 0" || bad "bare list: exit $rc: $out"
got=$(sar_ifcs)
first='<InitialFilterCriteria><Priority>2</Priority><ApplicationServer><ServerName>sip:first.open-ims.test</ServerName><DefaultHandling>0</DefaultHandling></ApplicationServer></InitialFilterCriteria>'
second='<InitialFilterCriteria><Priority>3</Priority><TriggerPoint><ConditionTypeCNF>1</ConditionTypeCNF><SPT><ConditionNegated>0</ConditionNegated><Group>0</Group><Method>INVITE</Method></SPT><SPT><ConditionNegated>0</ConditionNegated><Group>1</Group><Method>INVITE</Method></SPT></TriggerPoint><ApplicationServer><ServerName>sip:tas.open-ims.test</ServerName><DefaultHandling>0</DefaultHandling><Extension><IncludeRegisterRequest/></Extension></ApplicationServer></InitialFilterCriteria>'
[ "$got" = "$first$second" ] && ok "replaced: the 2 new iFCs by priority, nothing of the old" \
	|| { bad "after replace"; echo "got: $got"; }
n=$(hssctl profile show "$ALICE_SIP" | grep -o '<InitialFilterCriteria>' | wc -l)
[ "$n" -eq 2 ] && ok "profile show: 2 iFCs" || bad "profile show: $n iFCs"

# 3. Invalid files: file:line errors, exit 1, nothing changed.
before=$(sar_ifcs)
check_bad() {  # NAME WANT-REGEX, file $WORK/NAME.xml
	local out rc
	out=$(hssctl profile set "$ALICE_SIP" --ifc "$WORK/$1.xml" 2>&1); rc=$?
	if [ "$rc" -eq 1 ] && grep -Eq -- "$2" <<<"$out"; then
		ok "invalid ($1): exit 1, '$(grep -Eo -- "$2" <<<"$out" | head -n1)'"
	else
		bad "invalid ($1): exit $rc, want /$2/"; echo "$out" | sed 's/^/     /'
	fi
}
printf '<InitialFilterCriteria>\n  <Priority>1</Priority>\n  <ApplicationServer>\n</InitialFilterCriteria>\n' \
	>"$WORK/malformed.xml"
check_bad malformed 'malformed.xml:4: .*(mismatch|ApplicationServer)'
cat >"$WORK/semantic.xml" <<'XML'
<ServiceProfile>
  <InitialFilterCriteria>
    <Priority>1</Priority>
    <TriggerPoint>
      <ConditionTypeCNF>1</ConditionTypeCNF>
      <SPT><Group>0</Group><SessionCase>7</SessionCase></SPT>
      <SPT><Group>0</Group><Method>INVITE</Method><Method>BYE</Method></SPT>
      <SPT><Method>MESSAGE</Method></SPT>
      <SPT><Group>0</Group><Colour>red</Colour></SPT>
    </TriggerPoint>
    <ApplicationServer><ServerName>not a uri</ServerName><DefaultHandling>2</DefaultHandling></ApplicationServer>
  </InitialFilterCriteria>
  <InitialFilterCriteria>
    <TriggerPoint><SPT><Group>0</Group><Method>INVITE</Method></SPT></TriggerPoint>
  </InitialFilterCriteria>
</ServiceProfile>
XML
check_bad semantic 'semantic.xml:6: <SessionCase> must be a number from 0 to 4'
check_bad semantic 'semantic.xml:7: <Method>: this SPT already has <Method>'
check_bad semantic 'semantic.xml:8: <SPT> without <Group>'
check_bad semantic 'semantic.xml:9: unexpected <Colour> in <SPT>'
check_bad semantic 'semantic.xml:9: <SPT> without a trigger'
check_bad semantic "semantic.xml:11: <ServerName> 'not a uri' is not a SIP URI"
check_bad semantic 'semantic.xml:11: <DefaultHandling> must be a number from 0 to 1'
check_bad semantic 'semantic.xml:13: <InitialFilterCriteria> without <Priority>'
check_bad semantic 'semantic.xml:14: <TriggerPoint> without <ConditionTypeCNF>'
check_bad semantic 'semantic.xml:13: <InitialFilterCriteria> without <ApplicationServer>'
check_bad semantic 'semantic.xml: 10 errors, nothing changed'
cat >"$WORK/dup.xml" <<'XML'
<ServiceProfile>
  <InitialFilterCriteria><Priority>4</Priority>
    <ApplicationServer><ServerName>sip:a.open-ims.test</ServerName></ApplicationServer></InitialFilterCriteria>
  <InitialFilterCriteria><Priority>4</Priority>
    <ApplicationServer><ServerName>sip:b.open-ims.test</ServerName></ApplicationServer></InitialFilterCriteria>
</ServiceProfile>
XML
check_bad dup 'dup.xml:1: iFC 1 and iFC 2 have the same Priority 4'
cat >"$WORK/doctype.xml" <<'XML'
<?xml version="1.0"?>
<!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<InitialFilterCriteria><Priority>1</Priority>
  <ApplicationServer><ServerName>sip:&b;</ServerName></ApplicationServer></InitialFilterCriteria>
XML
check_bad doctype 'doctype.xml:2: a DOCTYPE is not accepted'
cat >"$WORK/two.xml" <<'XML'
<IMSSubscription><PrivateID>x@open-ims.test</PrivateID>
  <ServiceProfile/>
  <ServiceProfile/>
</IMSSubscription>
XML
check_bad two 'two.xml:3: a second <ServiceProfile>'
check_bad missing 'missing.xml: No such file or directory'
out=$(hssctl profile set sip:nobody@open-ims.test --ifc "$WORK/list.xml" 2>&1); rc=$?
[ "$rc" -eq 1 ] && ok "unknown IMPU: exit 1 ($out)" || bad "unknown IMPU: exit $rc: $out"
[ "$(sar_ifcs)" = "$before" ] && ok "after the invalid files: iFCs unchanged" \
	|| bad "invalid files changed the profile"

# 4. All or nothing in the database: an iFC name taken by another profile
# fails the insert after the old iFCs were unlinked; the rollback keeps them.
hssctl ifc add --impu sip:bob@open-ims.test --priority 1 --as sip:bob-as.open-ims.test \
	--name "$ALICE_SIP#9" >/dev/null || bad "ifc add for bob"
out=$(hssctl profile set "$ALICE_SIP" --ifc "$WORK/full.xml" 2>&1); rc=$?
[ "$rc" -eq 1 ] && ok "name taken half-way: exit 1" || bad "name taken: exit $rc: $out"
expect "name taken: says which" "$out" "an iFC named $ALICE_SIP#<priority> exists"
[ "$(sar_ifcs)" = "$before" ] && ok "name taken: rolled back, iFCs unchanged" \
	|| bad "name taken: the profile changed"

# 5. An empty ServiceProfile clears the iFCs.
echo '<ServiceProfile/>' >"$WORK/empty.xml"
hssctl profile set "$ALICE_SIP" --ifc "$WORK/empty.xml" >/dev/null && [ -z "$(sar_ifcs)" ] \
	&& ok "empty ServiceProfile: no iFCs left" || bad "empty ServiceProfile"

# The SAA names the other IMPIs of a shared IMPU (Associated-Identities,
# TS 29.229 6.3.33) and only then: counted by the IMPU query.
out=$(cx sar --impi "$ALICE" --impu "$ALICE_SIP" --server "$SCSCF" --type 2)
if grep -q "Associated-Identities" <<<"$out"; then bad "one IMPI: Associated-Identities"
else ok "one IMPI: no Associated-Identities"; fi
hssctl impu add --impi bob@open-ims.test --impu "$ALICE_SIP" >/dev/null || bad "share alice's IMPU"
out=$(cx sar --impi "$ALICE" --impu "$ALICE_SIP" --server "$SCSCF" --type 2)
expect "shared IMPU: Associated-Identities with both IMPIs" \
	"$(grep -A3 Associated-Identities <<<"$out" | paste -sd' ')" 'alice@open-ims.test.*bob@open-ims.test'
hss_stop

# 6. With cx.profile_cache_ttl a SAR reuses the profile read before; an
# ims-hssctl iFC change reaches the cache through the change log (sh_change)
# within cx.profile_cache_poll, long before the TTL; a PPR clears it too.
hss_write_config "  profile_cache_ttl: 60s
  profile_cache_poll: 100ms"
hss_start
hssctl profile set "$ALICE_SIP" --ifc "$WORK/list.xml" >/dev/null || bad "profile set list.xml"
[ "$(sar_ifcs)" = "$first$second" ] && ok "cache: the first SAR reads the profile" \
	|| bad "cache: first SAR"
cat >"$WORK/cache.xml" <<'XML'
<InitialFilterCriteria><Priority>7</Priority><ApplicationServer><ServerName>sip:new.open-ims.test</ServerName><DefaultHandling>1</DefaultHandling></ApplicationServer></InitialFilterCriteria>
XML
hssctl profile set "$ALICE_SIP" --ifc "$WORK/cache.xml" >/dev/null || bad "profile set cache.xml"
# sar_until WANT: SARs until the User-Data has the iFCs WANT, bounded to 5 s
# (far below the 60 s TTL).
sar_until() {
	local _
	for _ in $(seq 1 50); do
		[ "$(sar_ifcs)" = "$1" ] && return 0
		sleep 0.1
	done
	return 1
}
sar_until "$(ifcs_of "$WORK/cache.xml")" \
	&& ok "cache: an ims-hssctl iFC change is seen through the change log, within the TTL" \
	|| bad "cache: still the old iFCs 5 s after the change"
wait_line "$WORK/hss.log" "profile cache: provisioning change logged" 5 \
	&& ok "cache: the change-log clear is logged" || bad "no change-log clear in the log"
hssctl profile set "$ALICE_SIP" --ifc "$WORK/list.xml" >/dev/null || bad "profile set list.xml again"
hssctl subscriber push-profile "$ALICE_SIP" >/dev/null || bad "push-profile"
sar_until "$first$second" && ok "cache: after the change and a PPR the SAR has the new iFCs" \
	|| bad "cache: stale 5 s after the change and a PPR"
hss_stop
hss_env_finish
