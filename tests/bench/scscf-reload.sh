#!/bin/bash
# scscf-reload.sh BUILD_DIR [N (100000)]: the S-CSCF's start with N
# registrations in its MariaDB store (registrar.store: mariadb). One real
# registration (SIP Digest through SIPp against ims-hss) gives a genuine row
# (profile XML, contact, Path); N - 1 copies are made in SQL with the user
# name "alice" replaced by "a" + 4 base-36 digits (same length, so the
# length-prefixed fields of the row stay valid), expiring in an hour. Then
# ims-scscf is restarted and timed from exec to READY (ims-launch), and
# prints:
#   reload: N sets restored in X s (log: ...), RSS before/after, bytes per set
# BENCH_IFCS=K gives the profile K iFCs (default 0: no iFCs).
# Build BUILD_DIR with -DCMAKE_BUILD_TYPE=RelWithDebInfo, no sanitizer.
# Stops what it started, by PID; bounded waits.
set -u
[ $# -ge 1 ] || { echo "usage: $0 BUILD_DIR [N]" >&2; exit 2; }
BUILD=$(cd "$1" && pwd)
SRC=$(cd "$(dirname "$0")/../.." && pwd)
N=${2:-100000}
[ "$N" -ge 2 ] && [ "$N" -le 1679616 ] || { echo "N: 2 to 1679616" >&2; exit 2; }
# shellcheck source=../integration/scscf/lib.sh
. "$SRC/tests/integration/scscf/lib.sh" reload
OWNER="sip:scscf.open-ims.test:$SC_SIP"
sql() { mariadb --no-defaults --socket="$WORK/db/mysqld.sock" -uroot ims_hss -Nse "$1"; }

"$SRC/tests/lib/mariadb.sh" start "$WORK/db" "$DBPORT" || die "private MariaDB did not start"
hssctl db migrate --migrations "$SRC/deploy/db/migrations" >/dev/null || die "db migrate failed"
hssctl subscriber add --impi alice@open-ims.test --impu sip:alice@open-ims.test \
	--password alice --auth digest >/dev/null || die "provisioning alice failed"
# BENCH_IFCS=K: a typical profile instead of a bare one: K iFCs (methods and
# session cases in turn, one header SPT each; never REGISTER, which would
# send third-party REGISTERs), all users sharing the same service profile.
methods=(INVITE MESSAGE SUBSCRIBE PUBLISH OPTIONS)
for ((k = 0; k < ${BENCH_IFCS:-0}; k++)); do
	hssctl ifc add --impu sip:alice@open-ims.test --priority "$k" \
		--as "sip:as$k.open-ims.test:5070" --method "${methods[k % 5]}" \
		--header "Accept-Contact=.*video.*" --session-case $((k % 2)) >/dev/null ||
		die "ifc add $k failed"
done
cat >"$WORK/hss.yaml" <<YAML
log:
  level: warn
diameter:
  identity: hss.open-ims.test
  realm: open-ims.test
  listen: 127.0.0.1
  port: $HSS_DIA
  accept_unknown_peers: true
database:
  host: 127.0.0.1
  port: $DBPORT
  user: ims_hss
  password: ims_hss
  name: ims_hss
YAML
cat >"$WORK/scscf.yaml" <<YAML
log:
  level: notice
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
  store: mariadb
  database:
    host: 127.0.0.1
    port: $DBPORT
    user: ims_hss
    password: ims_hss
    name: ims_hss
YAML
HSS_PID=$("$BIN/ims-launch" --timeout 30 --log "$WORK/hss.log" -- \
	"$BIN/ims-hss" -c "$WORK/hss.yaml") || die "ims-hss did not become ready"
SC_PID=$("$BIN/ims-launch" --timeout 30 --log "$WORK/scscf.log" -- \
	"$BIN/ims-scscf" -c "$WORK/scscf.yaml") || die "ims-scscf did not become ready"
for i in 1 2 3; do
	(cd "$WORK" && timeout 30 sipp -m 1 -nostdin -timeout 20s -timeout_error -i 127.0.0.1 \
		-p "$UE" -sf "$DIR/reg_user.xml" -key user alice@open-ims.test \
		-au alice@open-ims.test -ap alice "127.0.0.1:$SC_SIP" >/dev/null 2>&1) && break
	[ "$i" = 3 ] && die "alice did not register"
done
for _ in $(seq 50); do
	[ "$(sql "SELECT COUNT(*) FROM scscf_reg_set")" = 1 ] && break
	sleep 0.1
done
[ "$(sql "SELECT COUNT(*) FROM scscf_reg_set")" = 1 ] || die "alice's row was not written"
stop_pid "$SC_PID" || die "ims-scscf did not stop"
SC_PID=
cols=$(sql "SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY ORDINAL_POSITION) FROM information_schema.COLUMNS
	WHERE TABLE_SCHEMA = 'ims_hss' AND TABLE_NAME = 'scscf_reg_set'")
# Every column copied, names rewritten in the text ones, expiry an hour on.
sel=""
for c in ${cols//,/ }; do
	case $c in
	expires_at) e="NOW() + INTERVAL 1 HOUR" ;;
	scscf_name) e="s.scscf_name" ;;
	*) e="IF(s.$c IS NULL, NULL, REPLACE(s.$c, 'alice', CONCAT('a', LPAD(LOWER(CONV(n.i, 10, 36)), 4, '0'))))" ;;
	esac
	sel="$sel${sel:+, }$e"
done
t0=$(date +%s.%N)
sql "CREATE TABLE bench_n (i INT PRIMARY KEY);
	INSERT INTO bench_n SELECT seq FROM seq_1_to_$((N - 1));
	INSERT INTO scscf_reg_set ($cols) SELECT $sel FROM scscf_reg_set s JOIN bench_n n;
	DROP TABLE bench_n;" || die "cannot copy the row"
t1=$(date +%s.%N)
have=$(sql "SELECT COUNT(*) FROM scscf_reg_set")
echo "rows: $have in scscf_reg_set ($(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s to make)," \
	"$(sql "SELECT ROUND(AVG(LENGTH(data))) FROM scscf_reg_set") bytes of data each"

t0=$(date +%s.%N)
SC_PID=$("$BIN/ims-launch" --timeout 120 --log "$WORK/scscf2.log" -- \
	"$BIN/ims-scscf" -c "$WORK/scscf.yaml") || { tail -20 "$WORK/scscf2.log"; die "ims-scscf did not restart"; }
t1=$(date +%s.%N)
rss=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$SC_PID/status")
echo "reload: exec to READY in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s;" \
	"$(grep -o 'registrar db .*restored.*' "$WORK/scscf2.log" | tail -n1)"
echo "ims-scscf RSS with $have sets: $rss kB = $(awk -v r="$rss" -v n="$have" 'BEGIN { printf "%.0f", r * 1024 / n }') bytes per set (incl. the process's base)"
