#!/bin/bash
# test_hss_sh_procedures: ims-hss answers UDR/PUR/SNR and sends PNRs as
# TS 29.328 says, against a private MariaDB provisioned with ims-hssctl
# (subscribers and application servers), driven by ims-shctl as the ASs.
# Every Data-Reference the HSS serves is read; DSAI, AliasesRepositoryData,
# several Service-Indications, One-Time-Notification, and PNRs for changes
# made with ims-hssctl (iFCs, DSAI) are covered.
#   sh_procedures.sh BUILD_DIR SOURCE_DIR
# Ports derive from the PID; every exit path stops what was started, by PID.
set -u
BUILD=$1
SRC=$(cd "$2" && pwd)
BIN=$BUILD/bin
HSS_BIN=$BIN/ims-hss
WORK=$(mktemp -d "${TMPDIR:-/tmp}/hss-sh.XXXXXX")
. "$SRC/tests/lib/ports.sh"
DBPORT=$(free_base 26000 1600 4)   # below the ephemeral range (32768)
DIAPORT=$(( DBPORT + 1 ))
HSS_PID=
WRAP_PID=
BG_PID=
FAILS=0

cleanup() {
	local rc=$?
	for p in "$BG_PID" "$HSS_PID" "$WRAP_PID"; do
		if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then kill -KILL "$p" 2>/dev/null; fi
	done
	"$SRC/tests/lib/mariadb.sh" stop "$WORK/db" >/dev/null 2>&1
	if [ "$rc" -ne 0 ] || [ "$FAILS" -ne 0 ]; then
		echo "--- ims-hss log ---"; tail -n 80 "$WORK/hss.log" 2>/dev/null
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

die() { echo "FATAL: $*" >&2; exit 1; }
ok() { echo "ok   - $*"; }
bad() { echo "FAIL - $*"; FAILS=$((FAILS + 1)); }
# expect NAME OUTPUT REGEX: the output has a line matching the regex.
expect() { if grep -Eq -- "$3" <<<"$2"; then ok "$1"; else bad "$1 (want /$3/)"; echo "$2" | sed 's/^/     /'; fi; }
expect_not() { if grep -Eq -- "$3" <<<"$2"; then bad "$1 (unwanted /$3/)"; echo "$2" | sed 's/^/     /'; else ok "$1"; fi; }
# until_true SECONDS CMD...: run CMD every 0.1 s until it succeeds (bounded).
until_true() {
	local end=$(( $(date +%s) + $1 )); shift
	until "$@"; do [ "$(date +%s)" -ge "$end" ] && return 1; sleep 0.1; done
}

export IMS_DB_HOST=127.0.0.1 IMS_DB_PORT=$DBPORT IMS_DB_USER=ims_hss \
	IMS_DB_PASSWORD=ims_hss IMS_DB_NAME=ims_hss
hssctl() { "$BIN/ims-hssctl" "$@"; }
# sh AS-HOST COMMAND ARGS...: one Sh request from the AS with that identity.
# Everything it prints is also kept in all.out (checked for sanitizer reports).
sh_as() {
	local id=$1; shift
	"$BIN/ims-shctl" --hss-port "$DIAPORT" --identity "$id" "$@" 2>&1 | tee -a "$WORK/all.out"
	return "${PIPESTATUS[0]}"
}
AS1=as.open-ims.test; AS2=as2.open-ims.test; AS3=as3.open-ims.test
ALICE=alice@open-ims.test; ALICE_SIP=sip:alice@open-ims.test; ALICE_TEL=tel:+4930100001
PSI=sip:conference@open-ims.test

"$SRC/tests/lib/mariadb.sh" start "$WORK/db" "$DBPORT" || die "private MariaDB did not start"

# The schema this ims-hss build expects (it refuses any other).
hssctl db migrate --migrations "$SRC/deploy/db/migrations" >/dev/null || die "db migrate failed"

hssctl subscriber add --impi "$ALICE" --impu "$ALICE_SIP" --impu "$ALICE_TEL" \
	--k 465b5ce8b199b49faa5f0a2ee238a6bc --op cdc202d5123e20f62b6d676ac72cb318 \
	--amf 8000 --sqn 0 --password alice --auth aka,digest >/dev/null || die "provisioning alice"
hssctl subscriber add --impi bob@open-ims.test --impu sip:bob@open-ims.test \
	--impu tel:+4930100002 --k fec86ba6eb707ed08905757b1bb44b8f \
	--op dbc59adcb6f9a0ef735477b7fadf8374 --amf 8000 --password bob \
	--auth aka,digest >/dev/null || die "provisioning bob"
hssctl impu add --impi "$ALICE" --impu "$PSI" --type psi >/dev/null || die "provisioning the PSI"
hssctl ifc add --impu "$ALICE_SIP" --priority 1 --as sip:$AS1 --method INVITE >/dev/null \
	|| die "provisioning alice's iFC"
hssctl ifc add --impu "$ALICE_SIP" --priority 2 --as sip:other.open-ims.test --method MESSAGE \
	>/dev/null || die "provisioning alice's second iFC"

out=$(hssctl as add as1 --host $AS1 --allow 'udr:*,pur:RepositoryData,pur:PSIActivation' \
	--allow snr:RepositoryData,snr:IMSUserState,snr:S-CSCFName,snr:InitialFilterCriteria \
	--allow pur:DSAI,snr:DSAI,pur:AliasesRepositoryData,snr:AliasesRepositoryData)
expect "as add as1" "$out" "application server as1 \($AS1\) allowed udr:RepositoryData,"
hssctl as add as2 --host $AS2 --allow udr:IMSUserState,pur:RepositoryData,snr:RepositoryData \
	>/dev/null || die "as add as2"
hssctl as add as4 --host as4.open-ims.test --allow udr:DSAI,pur:DSAI,snr:DSAI >/dev/null \
	|| die "as add as4"
out=$(hssctl as dsai as1 --impu "$ALICE_SIP" --tag video --value active)
expect "as dsai configures a DSAI-Tag" "$out" "^as1 DSAI video of $ALICE_SIP: active$"
hssctl as dsai as1 --impu "$ALICE_SIP" --tag fax --value inactive >/dev/null || die "as dsai fax"
out=$(hssctl as dsai as1 --impu "$ALICE_SIP")
expect "as dsai lists the AS's tags" "$out" "^fax inactive$"
out=$(hssctl as dsai nosuch --impu "$ALICE_SIP" --tag x 2>&1)
[ $? -ne 0 ] && ok "as dsai of an unknown AS fails" || bad "as dsai nosuch: $out"
out=$(hssctl as add bad --host x.open-ims.test --allow udr:NoSuchData 2>&1)
[ $? -eq 2 ] && ok "as add rejects an unknown Data-Reference (exit 2)" || bad "as add bad: $out"
out=$(hssctl as list)
expect "as list shows as2's permissions" "$out" \
	"^as2 host=$AS2 realm=open-ims.test allow=udr:IMSUserState,pur:RepositoryData,snr:RepositoryData$"

cat >"$WORK/hss.yaml" <<YAML
log:
  level: info
diameter:
  identity: hss.open-ims.test
  realm: open-ims.test
  listen: 127.0.0.1
  port: $DIAPORT
  app_threads: 2
  accept_unknown_peers: true
database:
  host: 127.0.0.1
  port: $DBPORT
  user: ims_hss
  password: ims_hss
  name: ims_hss
YAML

WRAP_PID=$("$BIN/ims-launch" --timeout 30 --log "$WORK/hss.log" -- bash -c \
	'"$0" -c "$1"; echo $? >"$2"' "$HSS_BIN" "$WORK/hss.yaml" "$WORK/hss.status") \
	|| die "ims-hss did not become ready"
HSS_PID=$(pgrep -P "$WRAP_PID" | head -n1)
[ -n "$HSS_PID" ] || die "no ims-hss under wrapper $WRAP_PID"
ok "ims-hss with Sh ready (pid $HSS_PID)"

# ---- UDR (TS 29.328 6.1.1) ----
out=$(sh_as $AS1 udr --user "$ALICE_SIP" --ref RepositoryData --service-indication mmtel)
expect "UDR RepositoryData, nothing stored -> 2001" "$out" '^result=base:2001$'
expect_not "UDR RepositoryData, nothing stored: no RepositoryData" "$out" '<RepositoryData>'

out=$(sh_as $AS1 udr --user "$ALICE_SIP" --ref IMSPublicIdentity)
expect "UDR IMSPublicIdentity (all) -> sip and tel URI" "$out" \
	"<IMSPublicIdentity>$ALICE_SIP</IMSPublicIdentity><IMSPublicIdentity>tel:\+4930100001</IMSPublicIdentity>"
out=$(sh_as $AS1 udr --user "$ALICE_SIP" --ref IMSPublicIdentity --identity-set 1)
expect "UDR IMSPublicIdentity REGISTERED_IDENTITIES -> none (not registered)" "$out" '^result=base:2001$'
expect_not "UDR REGISTERED_IDENTITIES lists nothing" "$out" '<IMSPublicIdentity>'
out=$(sh_as $AS1 udr --user "$ALICE_SIP" --ref IMSPublicIdentity --identity-set 2)
expect "UDR IMPLICIT_IDENTITIES -> the implicit set" "$out" "<IMSPublicIdentity>tel:\+4930100001<"
out=$(sh_as $AS1 udr --user "$ALICE_SIP" --ref IMSUserState)
expect "UDR IMSUserState -> NOT_REGISTERED (0)" "$out" '<IMSUserState>0</IMSUserState>'
out=$(sh_as $AS1 udr --user "$ALICE_SIP" --ref S-CSCFName)
expect "UDR S-CSCFName (none assigned) -> 2001" "$out" '^result=base:2001$'
out=$(sh_as $AS1 udr --user "$ALICE_SIP" --ref InitialFilterCriteria --server-name sip:$AS1)
expect "UDR InitialFilterCriteria -> this AS's iFC" "$out" "<ServerName>sip:$AS1</ServerName>"
expect_not "UDR InitialFilterCriteria -> not other ASs' iFCs" "$out" 'other.open-ims.test'
out=$(sh_as $AS1 udr --user "$ALICE_SIP" --ref InitialFilterCriteria)
expect "UDR InitialFilterCriteria without Server-Name -> 5005" "$out" '^result=base:5005$'
out=$(sh_as $AS1 udr --user "$ALICE_SIP" --ref LocationInformation)
expect "UDR LocationInformation -> 4100 USER_DATA_NOT_AVAILABLE" "$out" '^result=exp:4100$'
out=$(sh_as $AS1 udr --user "$ALICE_SIP" --ref UserState)
expect "UDR UserState (CS/PS) -> 4100 USER_DATA_NOT_AVAILABLE" "$out" '^result=exp:4100$'
out=$(sh_as $AS1 udr --user "$ALICE_SIP" --ref IMSPublicIdentity --identity-set 3)
expect "UDR ALIAS_IDENTITIES -> the IMPUs sharing the service profile" "$out" \
	"<IMSPublicIdentity>$ALICE_SIP</IMSPublicIdentity>"
out=$(sh_as $AS1 udr --user "$ALICE_SIP" --ref ChargingInformation)
expect "UDR ChargingInformation -> 2001" "$out" '^result=base:2001$'
out=$(sh_as $AS1 udr --user "$ALICE_SIP" --ref MSISDN)
expect "UDR MSISDN -> the tel URI's digits" "$out" '<MSISDN>4930100001</MSISDN>'
out=$(sh_as $AS1 udr --msisdn 4930100001 --ref IMSUserState)
expect "UDR by MSISDN (TBCD) finds alice" "$out" '^result=base:2001$'
out=$(sh_as $AS1 udr --user sip:nobody@open-ims.test --ref IMSUserState)
expect "UDR unknown user -> 5001 USER_UNKNOWN" "$out" '^result=exp:5001$'
out=$(sh_as $AS1 udr --no-identity --ref IMSUserState)
expect "UDR without User-Identity -> 5005 MISSING_AVP" "$out" '^result=base:5005$'
out=$(sh_as $AS2 udr --user "$ALICE_SIP" --ref RepositoryData --service-indication mmtel)
expect "UDR RepositoryData by an AS without udr:RepositoryData -> 5102" "$out" '^result=exp:5102$'
out=$(sh_as $AS2 udr --user "$ALICE_SIP" --ref IMSUserState)
expect "UDR IMSUserState by as2 (allowed) -> 2001" "$out" '^result=base:2001$'
out=$(sh_as $AS3 udr --user "$ALICE_SIP" --ref IMSUserState)
expect "UDR by an unprovisioned AS -> 5102" "$out" '^result=exp:5102$'

# ---- PUR (TS 29.328 6.1.2, 7.6.1 sequence numbers) ----
repo() { echo "<Sh-Data><RepositoryData><ServiceIndication>$1</ServiceIndication><SequenceNumber>$2</SequenceNumber>$3</RepositoryData></Sh-Data>"; }
out=$(sh_as $AS1 pur --user "$ALICE_SIP" --ref RepositoryData \
	--data-string "$(repo mmtel 0 '<ServiceData><cfu a="1">sip:bob@open-ims.test</cfu></ServiceData>')")
expect "PUR create with SequenceNumber 0 -> 2001" "$out" '^result=base:2001$'
out=$(sh_as $AS1 udr --user "$ALICE_SIP" --ref RepositoryData --service-indication mmtel)
expect "UDR returns the stored ServiceData with sequence 0" "$out" \
	'<SequenceNumber>0</SequenceNumber><ServiceData><cfu a="1">sip:bob@open-ims.test</cfu></ServiceData>'
out=$(sh_as $AS1 pur --user "$ALICE_SIP" --ref RepositoryData \
	--data-string "$(repo mmtel 0 '<ServiceData><x/></ServiceData>')")
expect "PUR creating over existing data -> 5105 OUT_OF_SYNC" "$out" '^result=exp:5105$'
out=$(sh_as $AS1 pur --user "$ALICE_SIP" --ref RepositoryData \
	--data-string "$(repo mmtel 1 '<ServiceData><cfu>sip:carol@open-ims.test</cfu></ServiceData>')")
expect "PUR update with n+1 -> 2001" "$out" '^result=base:2001$'
out=$(sh_as $AS1 pur --user "$ALICE_SIP" --ref RepositoryData \
	--data-string "$(repo mmtel 1 '<ServiceData><stale/></ServiceData>')")
expect "PUR with a stale sequence number -> 5105" "$out" '^result=exp:5105$'
out=$(sh_as $AS1 udr --user "$ALICE_SIP" --ref RepositoryData --service-indication mmtel)
expect "the stale PUR changed nothing" "$out" '<SequenceNumber>1</SequenceNumber><ServiceData><cfu>sip:carol'
out=$(sh_as $AS1 pur --user "$ALICE_SIP" --ref RepositoryData --data-string '<Sh-Data><RepositoryData>')
expect "PUR with malformed XML -> 5100 USER_DATA_NOT_RECOGNIZED" "$out" '^result=exp:5100$'
head -c 20000 /dev/zero | tr '\0' 'a' >"$WORK/big.txt"
repo big 0 "<ServiceData><b>$(cat "$WORK/big.txt")</b></ServiceData>" >"$WORK/big.xml"
out=$(sh_as $AS1 pur --user "$ALICE_SIP" --ref RepositoryData --data "$WORK/big.xml")
expect "PUR larger than the limit -> 5008 TOO_MUCH_DATA" "$out" '^result=exp:5008$'
out=$(sh_as $AS2 pur --user "$ALICE_SIP" --ref IMSUserState --data-string '<Sh-Data/>')
expect "PUR on IMSUserState -> 5103 CANNOT_BE_MODIFIED" "$out" '^result=exp:5103$'
psi_doc='<Sh-Data><Sh-IMS-Data><Extension><PSIActivation>1</PSIActivation></Extension></Sh-IMS-Data></Sh-Data>'
out=$(sh_as $AS1 pur --user "$ALICE_SIP" --ref PSIActivation --data-string "$psi_doc")
expect "PUR PSIActivation on a public user identity -> 5101" "$out" '^result=exp:5101$'
out=$(sh_as $AS1 pur --user "$PSI" --ref PSIActivation --data-string "$psi_doc")
expect "PUR PSIActivation on a PSI -> 2001" "$out" '^result=base:2001$'
out=$(sh_as $AS1 udr --user "$PSI" --ref PSIActivation)
expect "UDR PSIActivation -> 1" "$out" '<PSIActivation>1</PSIActivation>'

# ---- SNR and PNR (TS 29.328 6.1.3, 6.1.4) ----
out=$(sh_as $AS1 snr --user "$ALICE_SIP" --ref RepositoryData --service-indication nothing-here)
expect "SNR to absent RepositoryData -> 5106 SUBS_DATA_ABSENT" "$out" '^result=exp:5106$'
out=$(sh_as $AS2 snr --user "$ALICE_SIP" --ref IMSUserState)
expect "SNR without snr permission -> 5104" "$out" '^result=exp:5104$'

# as1 subscribes and stays connected; as2 updates; as1 receives the PNR.
sh_as $AS1 snr --user "$ALICE_SIP" --ref RepositoryData --service-indication mmtel \
	--expiry 3600 --send-data --wait 20 --expect-pnr 1 >"$WORK/as1.out" &
BG_PID=$!
until_true 10 grep -q '^result=' "$WORK/as1.out" || bad "SNR: no answer"
out=$(cat "$WORK/as1.out")
expect "SNR subscribe -> 2001" "$out" '^result=base:2001$'
expect "SNA carries the granted Expiry-Time" "$out" '^Expiry-Time=[0-9]+$'
expect "SNA carries User-Data (Send-Data-Indication)" "$out" '^User-Data=.*<SequenceNumber>1</SequenceNumber>'
out=$(hssctl as subscriptions)
expect "as subscriptions lists it" "$out" "^as1 $ALICE_SIP RepositoryData si=mmtel expires="
out=$(sh_as $AS2 pur --user "$ALICE_SIP" --ref RepositoryData \
	--data-string "$(repo mmtel 2 '<ServiceData><cfu>sip:dave@open-ims.test</cfu></ServiceData>')")
expect "PUR by another AS -> 2001" "$out" '^result=base:2001$'
wait "$BG_PID"; rc=$?; BG_PID=
out=$(cat "$WORK/as1.out")
[ "$rc" -eq 0 ] && ok "the subscriber got its PNR in time" || bad "ims-shctl snr exit $rc"
expect "PNR carries the new data with sequence 2" "$out" \
	"^pnr impu=$ALICE_SIP User-Data=.*<SequenceNumber>2</SequenceNumber><ServiceData><cfu>sip:dave"

# An AS that is gone: the PNR cannot be delivered, is retried, and then the
# AS's subscriptions are dropped.
out=$(sh_as $AS1 snr --user "$ALICE_SIP" --ref RepositoryData --service-indication mmtel)
expect "SNR (then the AS disconnects) -> 2001" "$out" '^result=base:2001$'
out=$(sh_as $AS2 pur --user "$ALICE_SIP" --ref RepositoryData \
	--data-string "$(repo mmtel 3 '<ServiceData><cfu/></ServiceData>')")
expect "PUR while the subscriber is away -> 2001" "$out" '^result=base:2001$'
no_as1_subs() { ! hssctl as subscriptions | grep -q '^as1 '; }
until_true 30 no_as1_subs && ok "subscriptions of an AS that does not answer are dropped" \
	|| bad "as1's subscriptions still there: $(hssctl as subscriptions)"
grep -q "PNR to $AS1 .*retry" "$WORK/hss.log" && ok "the PNR was retried before dropping" \
	|| bad "no PNR retry in the log"

# Deletion (RepositoryData without ServiceData) is notified with the
# ServiceIndication and SequenceNumber only.
sh_as $AS1 snr --user "$ALICE_SIP" --ref RepositoryData --service-indication mmtel \
	--wait 20 --expect-pnr 1 >"$WORK/as1.out" &
BG_PID=$!
until_true 10 grep -q '^result=' "$WORK/as1.out" || bad "SNR: no answer"
out=$(sh_as $AS2 pur --user "$ALICE_SIP" --ref RepositoryData --data-string "$(repo mmtel 4 '')")
expect "PUR deleting with n+1 -> 2001" "$out" '^result=base:2001$'
wait "$BG_PID"; rc=$?; BG_PID=
out=$(cat "$WORK/as1.out")
expect "PNR of a deletion: sequence 4, no ServiceData" "$out" \
	'^pnr impu=.*<ServiceIndication>mmtel</ServiceIndication><SequenceNumber>4</SequenceNumber></RepositoryData>'
out=$(sh_as $AS1 udr --user "$ALICE_SIP" --ref RepositoryData --service-indication mmtel)
expect_not "UDR after deletion: no RepositoryData" "$out" '<RepositoryData>'
out=$(sh_as $AS2 pur --user "$ALICE_SIP" --ref RepositoryData --data-string "$(repo mmtel 5 '')")
expect "PUR deleting absent data -> 5105" "$out" '^result=exp:5105$'

# Two ASs create the same data at once: exactly one wins (compare-and-set).
# as1 reads its node settings from a YAML file (the diameter section).
cat >"$WORK/as1.yaml" <<YAML
identity: $AS1
realm: open-ims.test
port: 0
peers:
  - identity: hss.open-ims.test
    address: 127.0.0.1
    port: $DIAPORT
YAML
"$BIN/ims-shctl" --config "$WORK/as1.yaml" pur --user "$ALICE_SIP" --ref RepositoryData \
	--data-string "$(repo race 0 '<ServiceData><by>as1</by></ServiceData>')" >"$WORK/r1.out" 2>&1 &
BG_PID=$!
sh_as $AS2 pur --user "$ALICE_SIP" --ref RepositoryData \
	--data-string "$(repo race 0 '<ServiceData><by>as2</by></ServiceData>')" >"$WORK/r2.out"
wait "$BG_PID"; BG_PID=
wins=$(cat "$WORK/r1.out" "$WORK/r2.out" | grep -c '^result=base:2001$')
syncs=$(cat "$WORK/r1.out" "$WORK/r2.out" | grep -c '^result=exp:5105$')
[ "$wins" -eq 1 ] && [ "$syncs" -eq 1 ] && ok "racing creations: one 2001, one 5105" \
	|| bad "racing creations: $wins x 2001, $syncs x 5105: $(cat "$WORK/r1.out" "$WORK/r2.out")"

out=$(sh_as $AS1 snr --user "$ALICE_SIP" --ref IMSUserState --unsubscribe)
expect "SNR unsubscribe (nothing subscribed) -> 2001" "$out" '^result=base:2001$'

# ---- several Service-Indications in one UDR / SNR ----
for si in svc-a svc-b; do
	out=$(sh_as $AS1 pur --user "$ALICE_SIP" --ref RepositoryData \
		--data-string "$(repo $si 0 "<ServiceData><v>$si-0</v></ServiceData>")")
	expect "PUR create $si -> 2001" "$out" '^result=base:2001$'
done
out=$(sh_as $AS1 udr --user "$ALICE_SIP" --ref RepositoryData --service-indication svc-a \
	--service-indication not-stored --service-indication svc-b)
expect "UDR with three Service-Indications -> the two stored, in order" "$out" \
	'<ServiceIndication>svc-a</ServiceIndication>.*<v>svc-a-0</v>.*<ServiceIndication>svc-b</ServiceIndication>.*<v>svc-b-0</v>'
expect_not "UDR with three Service-Indications: nothing for the absent one" "$out" 'not-stored'
sh_as $AS1 snr --user "$ALICE_SIP" --ref RepositoryData --service-indication svc-a \
	--service-indication svc-b --wait 20 --expect-pnr 2 >"$WORK/as1.out" &
BG_PID=$!
until_true 10 grep -q '^result=' "$WORK/as1.out" || bad "SNR two SIs: no answer"
out=$(hssctl as subscriptions)
expect "SNR with two Service-Indications -> one subscription each" "$out" \
	"^as1 $ALICE_SIP RepositoryData si=svc-b"
for si in svc-a svc-b; do
	sh_as $AS2 pur --user "$ALICE_SIP" --ref RepositoryData \
		--data-string "$(repo $si 1 "<ServiceData><v>$si-1</v></ServiceData>")" >/dev/null
done
wait "$BG_PID"; rc=$?; BG_PID=
out=$(cat "$WORK/as1.out")
[ "$rc" -eq 0 ] && ok "two PNRs, one per Service-Indication" || bad "snr two SIs exit $rc"
expect "PNR for svc-b carries svc-b only" "$out" \
	'^pnr impu=.*<ServiceIndication>svc-b</ServiceIndication><SequenceNumber>1</SequenceNumber>'
out=$(sh_as $AS1 snr --user "$ALICE_SIP" --ref RepositoryData --service-indication svc-a \
	--service-indication svc-b --unsubscribe)
expect "SNR unsubscribe of both -> 2001" "$out" '^result=base:2001$'
expect_not "both subscriptions are gone" "$(hssctl as subscriptions)" "^as1 .*si=svc-"

# ---- One-Time-Notification: the subscription ends with the first PNR ----
sh_as $AS1 snr --user "$ALICE_SIP" --ref RepositoryData --service-indication svc-a --one-time \
	--wait 20 --expect-pnr 1 >"$WORK/as1.out" &
BG_PID=$!
until_true 10 grep -q '^result=' "$WORK/as1.out" || bad "SNR one-time: no answer"
expect "one-time subscription listed as such" "$(hssctl as subscriptions)" \
	"^as1 $ALICE_SIP RepositoryData si=svc-a.* one-time$"
sh_as $AS2 pur --user "$ALICE_SIP" --ref RepositoryData \
	--data-string "$(repo svc-a 2 '<ServiceData><v>once</v></ServiceData>')" >/dev/null
wait "$BG_PID"; rc=$?; BG_PID=
[ "$rc" -eq 0 ] && ok "one-time subscription: PNR received" || bad "snr one-time exit $rc"
expect_not "one-time subscription removed after its PNR" "$(hssctl as subscriptions)" \
	"^as1 .*si=svc-a"

# ---- AliasesRepositoryData (Data-Reference 20): repository data of the
# IMPUs sharing alice's service profile ----
out=$(sh_as $AS1 pur --user "$ALICE_TEL" --ref RepositoryData \
	--data-string "$(repo shared 0 '<ServiceData><alias>0</alias></ServiceData>')")
expect "PUR RepositoryData on the alias (tel URI) -> 2001" "$out" '^result=base:2001$'
out=$(sh_as $AS1 udr --user "$ALICE_SIP" --ref AliasesRepositoryData --service-indication shared)
expect "UDR AliasesRepositoryData on the sip URI -> the alias's data" "$out" \
	'<Extension><AliasesRepositoryData><ServiceIndication>shared</ServiceIndication><SequenceNumber>0</SequenceNumber><ServiceData><alias>0</alias>'
out=$(sh_as $AS1 udr --user "$ALICE_SIP" --ref RepositoryData --service-indication shared)
expect_not "RepositoryData of the sip URI itself has none" "$out" '<RepositoryData>'
alias_doc() { echo "<Sh-Data><Extension><AliasesRepositoryData><ServiceIndication>shared</ServiceIndication><SequenceNumber>$1</SequenceNumber><ServiceData><alias>$1</alias></ServiceData></AliasesRepositoryData></Extension></Sh-Data>"; }
out=$(sh_as $AS1 pur --user "$ALICE_SIP" --ref AliasesRepositoryData --data-string "$(alias_doc 0)")
expect "PUR AliasesRepositoryData with a stale sequence -> 5105" "$out" '^result=exp:5105$'
out=$(sh_as $AS1 pur --user "$ALICE_SIP" --ref AliasesRepositoryData --data-string "$(alias_doc 1)")
expect "PUR AliasesRepositoryData n+1 -> 2001" "$out" '^result=base:2001$'
out=$(sh_as $AS1 udr --user "$ALICE_TEL" --ref RepositoryData --service-indication shared)
expect "the alias group's data was updated where it lives" "$out" \
	'<SequenceNumber>1</SequenceNumber><ServiceData><alias>1</alias>'
out=$(sh_as $AS1 udr --user sip:bob@open-ims.test --ref AliasesRepositoryData \
	--service-indication shared)
expect_not "another user's aliases do not see it" "$out" 'AliasesRepositoryData'

# ---- DSAI (Data-Reference 19): per IMPU and AS ----
out=$(sh_as $AS1 udr --user "$ALICE_SIP" --ref DSAI)
expect "UDR DSAI -> every tag of the AS" "$out" \
	'<Extension><Extension><DSAI><DSAI-Tag>fax</DSAI-Tag><DSAI-Value>1</DSAI-Value></DSAI><DSAI><DSAI-Tag>video</DSAI-Tag><DSAI-Value>0</DSAI-Value></DSAI>'
out=$(sh_as $AS1 udr --user "$ALICE_SIP" --ref DSAI --dsai-tag video)
expect "UDR DSAI with a DSAI-Tag -> that tag" "$out" '<DSAI-Tag>video</DSAI-Tag>'
expect_not "UDR DSAI with a DSAI-Tag -> not the others" "$out" 'fax'
out=$(sh_as $AS1 udr --user "$ALICE_SIP" --ref DSAI --dsai-tag nosuch)
expect "UDR DSAI with an unknown tag -> 5108 DSAI_NOT_AVAILABLE" "$out" '^result=exp:5108$'
out=$(sh_as as4.open-ims.test udr --user "$ALICE_SIP" --ref DSAI)
expect "UDR DSAI by an AS without tags -> 5108" "$out" '^result=exp:5108$'
out=$(sh_as $AS2 udr --user "$ALICE_SIP" --ref DSAI)
expect "UDR DSAI without udr:DSAI -> 5102" "$out" '^result=exp:5102$'
dsai_doc() { echo "<Sh-Data><Sh-IMS-Data><Extension><Extension>$*</Extension></Extension></Sh-IMS-Data></Sh-Data>"; }
dsai() { echo "<DSAI><DSAI-Tag>$1</DSAI-Tag><DSAI-Value>$2</DSAI-Value></DSAI>"; }
out=$(sh_as $AS1 pur --user "$ALICE_SIP" --ref DSAI --data-string "$(dsai_doc "$(dsai video 1)")")
expect "PUR DSAI video inactive -> 2001" "$out" '^result=base:2001$'
out=$(sh_as $AS1 pur --user "$ALICE_SIP" --ref DSAI \
	--data-string "$(dsai_doc "$(dsai fax 0)$(dsai nosuch 0)")")
expect "PUR DSAI with an unknown tag -> 5108" "$out" '^result=exp:5108$'
out=$(sh_as $AS1 pur --user "$ALICE_SIP" --ref DSAI --data-string "$(dsai_doc "$(dsai fax 2)")")
expect "PUR DSAI with a value other than 0/1 -> 5100" "$out" '^result=exp:5100$'
out=$(sh_as $AS1 udr --user "$ALICE_SIP" --ref DSAI)
expect "UDR DSAI after the PURs: video 1, fax still 1 (the failed PUR changed nothing)" "$out" \
	'<DSAI-Tag>fax</DSAI-Tag><DSAI-Value>1</DSAI-Value></DSAI><DSAI><DSAI-Tag>video</DSAI-Tag><DSAI-Value>1</DSAI-Value>'
out=$(sh_as as4.open-ims.test snr --user "$ALICE_SIP" --ref DSAI)
expect "SNR DSAI by an AS without tags -> 5108" "$out" '^result=exp:5108$'
sh_as $AS1 snr --user "$ALICE_SIP" --ref DSAI --one-time --wait 20 --expect-pnr 1 \
	>"$WORK/as1.out" &
BG_PID=$!
until_true 10 grep -q '^result=' "$WORK/as1.out" || bad "SNR DSAI: no answer"
out=$(hssctl as dsai as1 --impu "$ALICE_SIP" --tag video --value active)
wait "$BG_PID"; rc=$?; BG_PID=
out=$(cat "$WORK/as1.out")
[ "$rc" -eq 0 ] && ok "SNR DSAI: a change by ims-hssctl is notified" || bad "snr DSAI exit $rc"
expect "PNR carries the new DSAI value" "$out" \
	"^pnr impu=$ALICE_SIP User-Data=.*<DSAI-Tag>video</DSAI-Tag><DSAI-Value>0</DSAI-Value>"

# ---- iFC changes made with ims-hssctl reach InitialFilterCriteria
# subscribers (change log filled by triggers, polled by ims-hss) ----
sh_as $AS1 snr --user "$ALICE_SIP" --ref InitialFilterCriteria --server-name sip:$AS1 \
	--one-time --wait 20 --expect-pnr 1 >"$WORK/as1.out" &
BG_PID=$!
until_true 10 grep -q '^result=' "$WORK/as1.out" || bad "SNR iFC: no answer"
hssctl ifc add --impu "$ALICE_SIP" --priority 3 --as sip:$AS1 --method SUBSCRIBE >/dev/null \
	|| bad "ifc add while subscribed"
wait "$BG_PID"; rc=$?; BG_PID=
out=$(cat "$WORK/as1.out")
[ "$rc" -eq 0 ] && ok "ifc add -> PNR to the subscribed AS" || bad "snr iFC exit $rc"
expect "the PNR carries the new iFC" "$out" \
	"^pnr impu=$ALICE_SIP User-Data=.*<Priority>3</Priority>.*<Method>SUBSCRIBE</Method>"
expect_not "the PNR carries only this AS's iFCs" "$out" '^pnr .*other.open-ims.test'

# Registration changes through Cx reach IMSUserState subscribers once the
# Cx SAR code calls sh_notify_user_state() (hook in hss/cx/sar.c).
if grep -q sh_notify_user_state "$SRC/hss/cx/sar.c" 2>/dev/null && [ -x "$BIN/ims-cxctl" ]; then
	sh_as $AS1 snr --user "$ALICE_SIP" --ref IMSUserState --wait 20 --expect-pnr 1 \
		>"$WORK/as1.out" &
	BG_PID=$!
	until_true 10 grep -q '^result=' "$WORK/as1.out" || bad "SNR IMSUserState: no answer"
	"$BIN/ims-cxctl" --hss-port "$DIAPORT" --identity "cxctl-$$.open-ims.test" sar \
		--impi "$ALICE" --impu "$ALICE_SIP" --server sip:scscf.open-ims.test:6060 --type 1 \
		>/dev/null
	wait "$BG_PID"; rc=$?; BG_PID=
	out=$(cat "$WORK/as1.out")
	expect "SAR registration -> PNR with IMSUserState 1" "$out" \
		"^pnr impu=$ALICE_SIP User-Data=.*<IMSUserState>1</IMSUserState>"
else
	echo "skip - Cx SAR -> PNR (sh_notify_user_state not called from hss/cx/sar.c yet)"
fi

cat "$WORK"/as1.out "$WORK"/r1.out >>"$WORK/all.out" 2>/dev/null
if grep -Eq 'Sanitizer|runtime error' "$WORK/all.out"; then
	bad "ims-shctl sanitizer reports"; grep -E -A5 'Sanitizer|runtime error' "$WORK/all.out" | head -40
else
	ok "no sanitizer report from ims-shctl"
fi

# Clean stop: SIGTERM, exit status 0 (sanitizers report leaks at exit).
kill -TERM "$HSS_PID"
until_true 20 test -s "$WORK/hss.status" || bad "ims-hss did not stop on SIGTERM"
st=$(cat "$WORK/hss.status" 2>/dev/null)
[ "$st" = 0 ] && ok "ims-hss stopped cleanly" || bad "ims-hss exit status '$st'"
HSS_PID=

echo "$FAILS failure(s)"
[ "$FAILS" -eq 0 ]
