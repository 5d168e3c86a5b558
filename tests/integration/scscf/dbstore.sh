#!/bin/bash
# test_scscf_dbstore: registrar bindings in MariaDB (registrar.store:
# mariadb, scscf/registrar/reg_db.h), against a real ims-hss on the same
# private MariaDB, SIPp as UE:
#   alice and bob register -> one row each (scscf_reg_set) within the
#     write-back window; bob subscribes to his reg event -> one row in
#     scscf_reg_sub; kill -9 of ims-scscf -> restart -> both sets and the
#     subscription restored,
#     re-REGISTER (integrity-protected) is a re-registration without a new
#     challenge (SAR RE_REGISTRATION);
#   alice de-registers -> her row goes;
#   carol registers for 4 s, kill -9, restart -> her binding still expires
#     on time (SAR TIMEOUT_DEREGISTRATION: HSS not-registered, row gone);
#   another owner (registrar.database.owner) does not see those rows (a
#     re-REGISTER is challenged); the same with database.takeover adopts
#     them (restored, rows renamed, re-registration without challenge);
#   the S-CSCF's own database (a second MariaDB) goes down: registrations
#     still answered, the outage logged once, the rows written once it is
#     back.
#   dbstore.sh BUILD_DIR SOURCE_DIR
# Every exit path stops what we started, by PID; every wait is bounded.
set -u
BUILD=$1
SRC=$2
# shellcheck source=lib.sh
. "$SRC/tests/integration/scscf/lib.sh" db
OWNER="sip:scscf.open-ims.test:$SC_SIP"
DB2=$((BASE + 5)) SUB=$((BASE + 6))
# lib.sh's cleanup stops the first MariaDB; the second one is ours.
trap 'rc=$?; "$SRC/tests/lib/mariadb.sh" stop "$WORK/db2" >/dev/null 2>&1; (exit $rc); cleanup' EXIT

sql() { mariadb --no-defaults --socket="$WORK/db/mysqld.sock" -uroot ims_hss -Nse "$1"; }
rows() { sql "SELECT COUNT(*) FROM scscf_reg_set WHERE scscf_name = '$1'${2:+ AND impu = '$2'}"; }
state_of() { # USER: the HSS registration state of sip:USER@open-ims.test
	hssctl subscriber show "$1@open-ims.test" | grep -F " sip:$1@open-ims.test " |
		sed -n 's/.* state=\([a-z-]*\).*/\1/p'
}
# wait_for SECONDS CMD...: until CMD succeeds (bounded).
wait_for() {
	local n=$(($1 * 10)); shift
	for _ in $(seq "$n"); do "$@" && return 0; sleep 0.1; done
	return 1
}
rows_are() { [ "$(rows "$1" "${3:-}")" = "$2" ]; }
state_is() { [ "$(state_of "$1")" = "$2" ]; }
ue() { # NAME SCENARIO USER: one call as the UE, bounded, messages kept
	local name=$1 sf=$2 user=$3
	(cd "$WORK" && timeout 30 sipp -m 1 -nostdin -timeout 20s -timeout_error \
		-trace_err -error_file "$WORK/$name.err" -trace_msg -message_file "$WORK/$name.msg" \
		-i 127.0.0.1 -p "$UE" -sf "$sf" -key user "$user@open-ims.test" \
		-au "$user@open-ims.test" -ap "$user" "127.0.0.1:$SC_SIP" >"$WORK/$name.out" 2>&1)
}
show_failure() { for f in "$WORK/$1.err" "$WORK/$1.msg"; do [ -f "$f" ] && tail -n 30 "$f"; done; }
# register USER [SCENARIO]: Digest registration, retried (SIPp, shared notes 8).
register() {
	local sf=${2:-$DIR/reg_user.xml}
	for i in 1 2 3; do ue "reg_$1_$i" "$sf" "$1" && return 0; done
	show_failure "reg_$1_3"; return 1
}
# rereg USER: integrity-protected re-REGISTER; 0 when answered 200 without a challenge.
rereg() { ue "rereg_$1_$2" "$DIR/rereg.xml" "$1"; }
start_scscf() { # CONFIG
	SC_PID=$("$BIN/ims-launch" --timeout 30 --log "$WORK/scscf.log" -- \
		"$BIN/ims-scscf" -c "$1") || die "ims-scscf did not become ready"
}
kill9_scscf() { kill -KILL "$SC_PID"; wait_for 5 sh -c "! kill -0 $SC_PID 2>/dev/null"; SC_PID=; }
restored() { grep -o "registrar db .*restored.*" "$WORK/scscf.log" | tail -n1; }

"$SRC/tests/lib/mariadb.sh" start "$WORK/db" "$DBPORT" || die "private MariaDB did not start"
hssctl db migrate --migrations "$SRC/deploy/db/migrations" >/dev/null || die "db migrate failed"
for u in alice bob carol; do
	hssctl subscriber add --impi "$u@open-ims.test" --impu "sip:$u@open-ims.test" \
		--k 465b5ce8b199b49faa5f0a2ee238a6bc --op cdc202d5123e20f62b6d676ac72cb318 \
		--amf 8000 --sqn 0 --password "$u" --auth aka,digest >/dev/null ||
		die "provisioning $u failed"
done
sed 's/Expires: 600/Expires: 4/' "$DIR/reg_user.xml" >"$WORK/reg_short.xml"

hss_yaml "$OWNER"
# scscf_yaml FILE [DATABASE-EXTRA-LINES]
scscf_yaml() {
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
  server_name: $OWNER
  min_expires: 2
  cx_timeout: 2s
  store: mariadb
  database:
    host: 127.0.0.1
    port: ${SCDB:-$DBPORT}
    user: ims_hss
    password: ims_hss
    name: ims_hss
    flush_interval: 100ms
${2:-}
YAML
}
scscf_yaml "$WORK/scscf.yaml"
scscf_yaml "$WORK/standby.yaml" "    owner: scscf-standby"
scscf_yaml "$WORK/takeover.yaml" "    owner: scscf-standby
    takeover: $OWNER"

# a bad store value is refused with file:line:column
printf 'registrar:\n  store: redis\n' >"$WORK/bad.yaml"
if ! "$BIN/ims-scscf" --check-config -c "$WORK/bad.yaml" >"$WORK/bad.out" 2>&1 &&
	grep -q "bad.yaml:2:10: registrar.store" "$WORK/bad.out"; then
	ok "registrar.store: redis refused with file:line:column"
else
	bad "bad registrar.store: $(cat "$WORK/bad.out")"
fi

start_hss
start_scscf "$WORK/scscf.yaml"
ok "ims-hss ($HSS_PID) and ims-scscf ($SC_PID, store: mariadb) ready"

# ---- registrations reach the database within the window ----
register alice && register bob || bad "registration"
if wait_for 5 rows_are "$OWNER" 1 sip:alice@open-ims.test &&
	wait_for 5 rows_are "$OWNER" 1 sip:bob@open-ims.test; then
	ok "alice and bob: one row each in scscf_reg_set"
else
	bad "rows after registration: $(sql 'SELECT scscf_name, impu FROM scscf_reg_set')"
fi

# ---- bob subscribes to his reg event: a row in scscf_reg_sub ----
cat >"$WORK/sub_once.xml" <<'XML'
<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="reg event subscription, first NOTIFY answered">
  <send retrans="500">
    <![CDATA[

      SUBSCRIBE sip:bob@open-ims.test SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      Max-Forwards: 69
      From: <sip:bob@open-ims.test>;tag=[pid]SIPpTag05[call_number]
      To: <sip:bob@open-ims.test>
      Call-ID: [call_id]
      CSeq: 1 SUBSCRIBE
      Contact: <sip:sub@[local_ip]:[local_port]>
      P-Asserted-Identity: <sip:bob@open-ims.test>
      Event: reg
      Expires: 600
      Content-Length: 0

    ]]>
  </send>
  <recv response="200"/>
  <recv request="NOTIFY"/>
  <send>
    <![CDATA[

      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0

    ]]>
  </send>
</scenario>
XML
subs_are() { [ "$(sql "SELECT COUNT(*) FROM scscf_reg_sub WHERE scscf_name = '$OWNER' AND impu = 'sip:bob@open-ims.test'")" = "$1" ]; }
if (cd "$WORK" && timeout 30 sipp -m 1 -nostdin -timeout 20s -timeout_error \
	-trace_err -error_file "$WORK/sub.err" -trace_msg -message_file "$WORK/sub.msg" \
	-i 127.0.0.1 -p "$SUB" -sf "$WORK/sub_once.xml" "127.0.0.1:$SC_SIP" >"$WORK/sub.out" 2>&1) &&
	wait_for 5 subs_are 1; then
	ok "bob's reg-event subscription: one row in scscf_reg_sub"
else
	bad "subscription row: $(sql 'SELECT scscf_name, impu FROM scscf_reg_sub')"; show_failure sub
fi

# ---- kill -9, restart: both restored, re-registration without challenge ----
kill9_scscf
start_scscf "$WORK/scscf.yaml"
restored | grep -q "2 registration set(s) and 1 subscription(s)" &&
	ok "kill -9 + restart: 2 sets and 1 subscription restored" || bad "restart: $(restored)"
rr0=$(grep -c "type=RE_REGISTRATION -> 2001" "$WORK/hss.log")
if rereg alice 1 && rereg bob 1 &&
	wait_for 5 sh -c "[ \$(grep -c 'type=RE_REGISTRATION -> 2001' '$WORK/hss.log') -ge $((rr0 + 2)) ]"; then
	ok "after kill -9: re-REGISTER of alice and bob without a challenge (SAR RE_REGISTRATION)"
else
	bad "re-registration after kill -9"; show_failure rereg_alice_1
fi

# ---- de-registration removes the row ----
if ue dereg_alice "$DIR/dereg_all.xml" alice && wait_for 5 rows_are "$OWNER" 0 sip:alice@open-ims.test; then
	ok "alice de-registered: her row is gone"
else
	bad "row after de-registration: $(rows "$OWNER" sip:alice@open-ims.test)"
fi

# ---- expiry is honoured across a kill -9 ----
register carol "$WORK/reg_short.xml" || bad "carol registration (4 s)"
wait_for 5 rows_are "$OWNER" 1 sip:carol@open-ims.test || bad "no row for carol"
kill9_scscf
start_scscf "$WORK/scscf.yaml"
if wait_for 10 state_is carol not-registered && wait_for 5 rows_are "$OWNER" 0 sip:carol@open-ims.test &&
	grep -q "registration impi=carol@open-ims.test impu=sip:carol@open-ims.test expired" "$WORK/scscf.log"; then
	ok "carol's 4 s binding expired after the restart (HSS not-registered, row gone)"
else
	bad "carol after restart: HSS $(state_of carol), rows $(rows "$OWNER" sip:carol@open-ims.test)"
fi
[ "$(state_of bob)" = registered ] && ok "bob still registered" || bad "bob: $(state_of bob)"

# ---- another owner does not see our rows ----
stop_pid "$SC_PID" || bad "ims-scscf did not stop on SIGTERM"
SC_PID=
start_scscf "$WORK/standby.yaml"
restored | grep -q "0 registration set(s)" && ok "owner scscf-standby: none of $OWNER's rows loaded" ||
	bad "standby loaded: $(restored)"
if ! rereg bob 2; then
	ok "standby without takeover: bob's re-REGISTER is challenged"
else
	bad "standby without takeover knew bob"
fi
[ "$(rows "$OWNER")" = 1 ] && ok "$OWNER's row untouched" || bad "rows of $OWNER: $(rows "$OWNER")"
stop_pid "$SC_PID" || bad "ims-scscf did not stop on SIGTERM"
SC_PID=

# ---- takeover: the standby adopts them ----
start_scscf "$WORK/takeover.yaml"
restored | grep -q "1 registration set(s)" && ok "takeover: bob's set restored by scscf-standby" ||
	bad "takeover: $(restored)"
[ "$(rows scscf-standby)" = 1 ] && [ "$(rows "$OWNER")" = 0 ] &&
	ok "takeover: the row now belongs to scscf-standby" ||
	bad "rows after takeover: $(sql 'SELECT scscf_name, impu FROM scscf_reg_set')"
rereg bob 3 && ok "takeover: bob re-registers without a challenge" ||
	{ bad "re-registration after takeover"; show_failure rereg_bob_3; }

# ---- the S-CSCF's database goes down and comes back ----
stop_pid "$SC_PID" || bad "ims-scscf did not stop on SIGTERM"
SC_PID=
"$SRC/tests/lib/mariadb.sh" start "$WORK/db2" "$DB2" || die "second MariaDB did not start"
IMS_DB_PORT=$DB2 hssctl db migrate --migrations "$SRC/deploy/db/migrations" >/dev/null ||
	die "db migrate (second MariaDB) failed"
sql2() { mariadb --no-defaults --socket="$WORK/db2/mysqld.sock" -uroot ims_hss -Nse "$1"; }
rows2_are() { [ "$(sql2 "SELECT COUNT(*) FROM scscf_reg_set WHERE impu = '$1'")" = "$2" ]; }
SCDB=$DB2 scscf_yaml "$WORK/own_db.yaml"
start_scscf "$WORK/own_db.yaml"
"$SRC/tests/lib/mariadb.sh" stop "$WORK/db2"
down0=$(grep -c "registrar db: cannot write" "$WORK/scscf.log")
if register alice && register carol; then
	ok "database down: alice and carol still register"
else
	bad "registration while the S-CSCF's database is down"
fi
wait_for 5 sh -c "[ \$(grep -c 'registrar db: cannot write' '$WORK/scscf.log') -gt $down0 ]" ||
	bad "outage not logged"
sleep 2.5 # retries meanwhile (every second) must not log again
[ "$(grep -c "registrar db: cannot write" "$WORK/scscf.log")" -eq $((down0 + 1)) ] &&
	ok "outage logged once" ||
	bad "outage logged $(($(grep -c "registrar db: cannot write" "$WORK/scscf.log") - down0)) times"
"$SRC/tests/lib/mariadb.sh" start "$WORK/db2" "$DB2" || die "second MariaDB did not restart"
if wait_for 10 rows2_are sip:alice@open-ims.test 1 && wait_for 5 rows2_are sip:carol@open-ims.test 1 &&
	grep -q "registrar db: reachable again" "$WORK/scscf.log"; then
	ok "database back: the changes made meanwhile are written"
else
	bad "after the outage: $(sql2 'SELECT impu FROM scscf_reg_set' | tr '\n' ' ')"
fi

# ---- clean stop: no sanitizer report ----
stop_pid "$SC_PID" || bad "ims-scscf did not stop on SIGTERM"
SC_PID=
grep -qE "Sanitizer|runtime error" "$WORK/scscf.log" && bad "sanitizer report in ims-scscf log" ||
	ok "ims-scscf stopped cleanly"

[ "$FAILS" -eq 0 ] || { echo "$FAILS check(s) failed"; exit 1; }
echo PASS
