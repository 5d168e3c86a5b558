#!/bin/bash
# test_icscf_multi_scscf: one ims-icscf in front of THREE real ims-scscf
# (Diameter identities scscf1/2/3.open-ims.test) on a real ims-hss with a
# private MariaDB; SIPp UEs register with SIP Digest (one SIPp per user,
# 16 at once, password by -ap):
#  - 300 users register through the I-CSCF: all succeed and spread over the
#    three S-CSCFs (spread printed, from impu.scscf_name in the HSS DB);
#  - a terminating MESSAGE (LIR) reaches the S-CSCF holding the user and,
#    through it, the UE (200);
#  - one S-CSCF is SIGKILLed: new registrations and re-registrations of its
#    users land on the two others (UAA 2002 + dead Server-Name, forward
#    fails, UAR type 2, another one; the HSS Server-Name is updated) within
#    the failover window (timings printed);
#  - unknown user -> 403; mandatory capability nobody has -> 600 with no
#    forward; HSS down -> 480 with Retry-After, no crash; clean stop.
#   multi_scscf.sh BUILD_DIR SOURCE_DIR
# Ports derive from the PID; every exit path stops what was started, by PID.
set -u
BUILD=$1
SRC=$2
BIN=$BUILD/bin
DIR=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/icscf-multi.XXXXXX")
USERS=300
FRESH=30          # provisioned, registered only after the kill

. "$SRC/tests/lib/ports.sh"
# 20000..29600 like chain.sh (checked free), below the ephemeral range.
BASE=$(free_base 20000 300 32)
PAR=16            # SIPp UEs at once, on ports BASE+16..BASE+31
DBPORT=$BASE HSS_DIA=$((BASE + 1)) I_SIP=$((BASE + 2)) UE2=$((BASE + 4))
for k in 1 2 3; do
	eval "SC${k}_DIA=$((BASE + 4 + 2 * k)) SC${k}_SIP=$((BASE + 5 + 2 * k))"
done
HSS_PID= I_PID= SC1_PID= SC2_PID= SC3_PID= UAS_PID=
FAILS=0

stop_pid() { # TERM, bounded wait, KILL
	[ -n "$1" ] || return 0
	kill -TERM "$1" 2>/dev/null
	for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
	kill -KILL "$1" 2>/dev/null
}
cleanup() {
	local rc=$? f
	[ -n "$UAS_PID" ] && kill -KILL "$UAS_PID" 2>/dev/null
	stop_pid "$I_PID"; stop_pid "$SC1_PID"; stop_pid "$SC2_PID"; stop_pid "$SC3_PID"
	stop_pid "$HSS_PID"
	"$SRC/tests/lib/mariadb.sh" stop "$WORK/db" >/dev/null 2>&1
	if [ "$rc" -ne 0 ] || [ "$FAILS" -ne 0 ]; then
		for f in icscf scscf1 scscf2 scscf3 hss; do
			echo "--- $f log"; tail -n 30 "$WORK/$f.log" 2>/dev/null
		done
		tail -n 20 "$WORK"/*.out 2>/dev/null
	fi
	[ -n "${KEEP_WORK:-}" ] && { rm -rf /tmp/icscf-multi-last; cp -r "$WORK" /tmp/icscf-multi-last; }
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
die() { echo "FATAL: $*" >&2; exit 1; }
ok() { echo "ok   - $*"; }
bad() { echo "FAIL - $*"; FAILS=$((FAILS + 1)); }
wait_log() {
	local deadline=$(( $(date +%s) + $3 ))
	until grep -Eq -- "$2" "$1" 2>/dev/null; do
		[ "$(date +%s)" -ge "$deadline" ] && return 1
		sleep 0.1
	done
}
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
sql() { mariadb --no-defaults --socket="$WORK/db/mysqld.sock" -uroot ims_hss -N -B "$@"; }

# Users user00001..: SIP Digest only (auth_schemes 2), password pwN, one
# IMPU each, written in one SQL transaction (fresh schema: ids 1..N).
provision_sql() {
	awk -v n="$1" '
	function flush(t, cols) {
		if (rows[t] != "") print "INSERT INTO " t " " cols " VALUES " rows[t] ";"
		rows[t] = ""
	}
	function add(t, v) { rows[t] = rows[t] (rows[t] == "" ? "" : ",") v }
	BEGIN {
		print "START TRANSACTION;"
		for (i = 1; i <= n; i++) {
			impi = sprintf("user%05d@open-ims.test", i)
			add("imsu", sprintf("(%d,\x27%s\x27)", i, impi))
			add("impi", sprintf("(%d,\x27%s\x27,%d,2,\x27pw%d\x27)", i, impi, i, i))
			add("service_profile", sprintf("(%d,\x27%s\x27)", i, impi))
			add("implicit_set", sprintf("(%d)", i))
			add("impu", sprintf("(%d,\x27sip:%s\x27,%d,0,%d)", i, impi, i, i))
			add("impi_impu", sprintf("(%d,%d)", i, i))
		}
		flush("imsu", "(id, name)")
		flush("impi", "(id, identity, imsu_id, auth_schemes, digest_password)")
		flush("service_profile", "(id, name)")
		flush("implicit_set", "(id)")
		flush("impu", "(id, identity, implicit_set_id, implicit_set_pos, service_profile_id)")
		flush("impi_impu", "(impi_id, impu_id)")
		print "COMMIT;"
	}'
}
# users FIRST LAST: "userN pwN" lines for users FIRST..LAST.
users() {
	awk -v a="$1" -v b="$2" 'BEGIN { for (i = a; i <= b; i++) printf "user%05d pw%d\n", i, i }'
}
# reg_one USER PASSWORD PORT: one Digest registration through the I-CSCF
# from 127.0.0.1:PORT; SIPp's status (0: 401 then 200).
reg_one() {
	(cd "$WORK" && timeout 90 sipp -sf "$DIR/multi_reg.xml" -s "$1" -au "$1@open-ims.test" \
		-ap "$2" -m 1 -i 127.0.0.1 -p "$3" -nostdin -timeout 80s -timeout_error \
		-recv_timeout 30000 "127.0.0.1:$I_SIP" >/dev/null 2>&1)
}
# register NAME LIST: registers every "user password" line of LIST, PAR at
# once; "user status" lines in NAME.res; 0 when all succeeded.
register() {
	local i=0 u pw pids=()
	: >"$WORK/$1.res"
	while read -r u pw; do
		{ reg_one "$u" "$pw" $((BASE + 16 + i % PAR)); echo "$u $?" >>"$WORK/$1.res"; } &
		pids+=($!)
		i=$((i + 1))
		if [ $((i % PAR)) -eq 0 ]; then wait "${pids[@]}"; pids=(); fi
	done <"$2"
	[ ${#pids[@]} -gt 0 ] && wait "${pids[@]}"
	[ "$(grep -vc ' 0$' "$WORK/$1.res")" -eq 0 ]
}
# spread [WHERE]: "scscf1=N scscf2=N scscf3=N" over registered IMPUs.
spread() {
	local k out=""
	for k in 1 2 3; do
		out="$out scscf$k=$(sql -e "SELECT COUNT(*) FROM impu WHERE reg_state = 1 AND \
			scscf_name = 'sip:scscf$k.open-ims.test:$(eval echo \$SC${k}_SIP)' ${1:-}")"
	done
	echo "${out# }"
}
# one NAME METHOD RURI TO EXTRA: one request through the I-CSCF (uac.xml);
# prints the final status code.
one() {
	local sf="$WORK/one-$1.xml" user=${4#*:}
	user=${user%%[@>]*}
	sed -e "s|@METHOD@|$2|g" -e "s|@RURI@|$3|g" -e "s|@TO@|$4|g" -e "s|@EXTRA@|$5|g" \
		"$DIR/uac.xml" >"$sf"
	(cd "$WORK" && timeout 40 sipp 127.0.0.1:"$I_SIP" -sf "$sf" -s "$user" -i 127.0.0.1 \
		-p "$UE2" -m 1 -nostdin -timeout 30s -timeout_error -trace_logs \
		-log_file "$WORK/one-$1.log" -trace_msg -message_file "$WORK/one-$1.msg" \
		>"$WORK/one-$1.out" 2>&1)
	sed -n 's/.*RESULT code=\([0-9]*\).*/\1/p' "$WORK/one-$1.log" 2>/dev/null | tail -n1
}

export IMS_DB_HOST=127.0.0.1 IMS_DB_PORT=$DBPORT IMS_DB_USER=ims_hss \
	IMS_DB_PASSWORD=ims_hss IMS_DB_NAME=ims_hss
"$SRC/tests/lib/mariadb.sh" start "$WORK/db" "$DBPORT" >/dev/null || die "private MariaDB did not start"
"$BIN/ims-hssctl" db migrate --migrations "$SRC/deploy/db/migrations" >/dev/null ||
	die "db migrate failed"
provision_sql $((USERS + FRESH)) | sql || die "provisioning failed"
"$BIN/ims-hssctl" scscf-caps set --mandatory 1 \
	--name "sip:scscf1.open-ims.test:$SC1_SIP" --name "sip:scscf2.open-ims.test:$SC2_SIP" \
	--name "sip:scscf3.open-ims.test:$SC3_SIP" >/dev/null || die "scscf-caps failed"
ok "provisioned $((USERS + FRESH)) Digest users, capabilities name the three S-CSCFs"

cat >"$WORK/hss.yaml" <<YAML
log:
  level: notice
diameter:
  identity: hss.open-ims.test
  realm: open-ims.test
  listen: 127.0.0.1
  port: $HSS_DIA
  app_threads: 2
  accept_unknown_peers: true
database:
  host: 127.0.0.1
  port: $DBPORT
  user: ims_hss
  password: ims_hss
  name: ims_hss
YAML
for k in 1 2 3; do
	cat >"$WORK/scscf$k.yaml" <<YAML
log:
  level: info
sip:
  address: 127.0.0.1
  port: $(eval echo \$SC${k}_SIP)
diameter:
  identity: scscf$k.open-ims.test
  realm: open-ims.test
  listen: 127.0.0.1
  port: $(eval echo \$SC${k}_DIA)
  peers:
    - identity: hss.open-ims.test
      address: 127.0.0.1
      port: $HSS_DIA
registrar:
  server_name: sip:scscf$k.open-ims.test:$(eval echo \$SC${k}_SIP)
  realm: open-ims.test
session:
  icscf: sip:127.0.0.1:$I_SIP
YAML
done
cat >"$WORK/icscf.yaml" <<YAML
log:
  level: info
sip:
  address: 127.0.0.1
  port: $I_SIP
diameter:
  identity: icscf.open-ims.test
  realm: open-ims.test
  port: 0
  peers:
    - identity: hss.open-ims.test
      address: 127.0.0.1
      port: $HSS_DIA
cx:
  timeout: 3s
domains: [open-ims.test]
scscf:
  probe_interval: 1s
  response_timeout: 3s
  servers:
YAML
for k in 1 2 3; do
	cat >>"$WORK/icscf.yaml" <<YAML
    - name: sip:scscf$k.open-ims.test:$(eval echo \$SC${k}_SIP)
      address: 127.0.0.1:$(eval echo \$SC${k}_SIP)
      mandatory: [1]
YAML
done

HSS_PID=$("$BIN/ims-launch" --timeout 60 --log "$WORK/hss.log" -- \
	"$BIN/ims-hss" -c "$WORK/hss.yaml") || die "ims-hss did not become ready"
for k in 1 2 3; do
	p=$("$BIN/ims-launch" --timeout 60 --log "$WORK/scscf$k.log" -- \
		"$BIN/ims-scscf" -c "$WORK/scscf$k.yaml") || die "ims-scscf $k did not become ready"
	eval "SC${k}_PID=$p"
done
I_PID=$("$BIN/ims-launch" --timeout 60 --log "$WORK/icscf.log" -- \
	"$BIN/ims-icscf" -c "$WORK/icscf.yaml") || die "ims-icscf did not become ready"
for f in icscf scscf1 scscf2 scscf3; do
	wait_log "$WORK/$f.log" "STATE_OPEN.*hss.open-ims.test" 30 || die "$f: Cx not open"
done
ok "ims-hss, three ims-scscf and ims-icscf ready"

# 1. 300 users register; spread over the three.
users 1 "$USERS" >"$WORK/all.txt"
t0=$(date +%s%N)
register reg-all "$WORK/all.txt" && ok "$USERS Digest registrations through the I-CSCF" ||
	bad "registration of $USERS users: $(grep -vc ' 0$' "$WORK/reg-all.res") failed"
echo "     $USERS registrations took $(ms_since "$t0") ms ($PAR UEs at once)"
n=$(sql -e "SELECT COUNT(*) FROM impu WHERE reg_state = 1")
[ "$n" -eq "$USERS" ] && ok "HSS: $n IMPUs registered" || bad "HSS: $n IMPUs registered, want $USERS"
[ "$n" -ge $((USERS / 2)) ] || die "most registrations failed: nothing more to test"
s=$(spread)
echo "     spread: $s"
min=$(echo "$s" | tr ' ' '\n' | cut -d= -f2 | sort -n | head -n1)
# Uniform random over 3 for 300: each ~100; below 60 is far outside chance.
[ "$min" -ge 60 ] && ok "every S-CSCF got a fair share (min $min)" || bad "uneven spread: $s"

# 2. Terminating MESSAGE: LIR -> the S-CSCF holding the user -> the UE, a
# SIPp UAS on the port user00007 registered from (7th of its batch).
UE7=$((BASE + 16 + 6))
(cd "$WORK" && exec timeout 60 sipp -sf "$DIR/multi_ue.xml" -i 127.0.0.1 -p "$UE7" -m 1 \
	-nostdin -trace_msg -message_file "$WORK/uas.msg" >"$WORK/uas.out" 2>&1) &
UAS_PID=$!
for _ in $(seq 100); do ss -Hlun "sport = :$UE7" 2>/dev/null | grep -q . && break; sleep 0.1; done
holder=$(sql -e "SELECT scscf_name FROM impu WHERE identity = 'sip:user00007@open-ims.test'")
hk=$(echo "$holder" | sed -n 's/^sip:scscf\([123]\)\..*/\1/p')
code=$(one msg MESSAGE sip:user00007@open-ims.test "<sip:user00007@open-ims.test>" "Subject: t")
[ "$code" = 200 ] && ok "MESSAGE to user00007 answered 200 by the UE" ||
	bad "MESSAGE to user00007: got '$code'"
grep -q "LIR impu=sip:user00007@open-ims.test" "$WORK/icscf.log" && ok "the I-CSCF asked LIR" ||
	bad "no LIR for user00007"
if [ -n "$hk" ] && grep -Eq "MESSAGE.*user00007|user00007.*MESSAGE|term served=sip:user00007" \
	"$WORK/scscf$hk.log"; then
	ok "the MESSAGE went to scscf$hk, which holds user00007"
else
	bad "MESSAGE not seen at the holder '$holder'"
fi
others=0
for k in 1 2 3; do
	[ "$k" = "$hk" ] && continue
	grep -Eq "term served=sip:user00007" "$WORK/scscf$k.log" && others=1
done
[ "$others" -eq 0 ] && ok "no other S-CSCF served it" || bad "another S-CSCF served user00007"
wait "$UAS_PID" 2>/dev/null; UAS_PID=

# 3. Failover: scscf2 dies (SIGKILL).
victims=$(sql -e "SELECT SUBSTRING(identity, 5, 9) FROM impu WHERE scscf_name = \
	'sip:scscf2.open-ims.test:$SC2_SIP' ORDER BY id")
nv=$(echo "$victims" | grep -c .)
[ "$nv" -gt 0 ] || die "nobody on scscf2"
kill -KILL "$SC2_PID"; wait "$SC2_PID" 2>/dev/null; SC2_PID=
tk=$(date +%s%N)
# 3a. the first re-registration of one of its users: UAA 2002 names the
# dead one, the forward fails, UAR type 2, another one; bounded by the
# response_timeout (3s) plus the two round trips.
v1=$(echo "$victims" | head -n1)
reg_one "$v1" "pw$((10#${v1#user}))" $((BASE + 16)) && ok "$v1 re-registered after the kill" ||
	bad "first re-registration after the kill failed"
ms=$(ms_since "$tk")
[ "$ms" -lt 10000 ] && ok "first failover registration took $ms ms" ||
	bad "first failover registration took $ms ms"
# 3b. new registrations.
users $((USERS + 1)) $((USERS + FRESH)) >"$WORK/fresh.txt"
register reg-fresh "$WORK/fresh.txt" && ok "$FRESH new registrations after the kill" ||
	bad "new registrations after the kill: $(grep -vc ' 0$' "$WORK/reg-fresh.res") failed"
echo "     $FRESH new registrations done $(ms_since "$tk") ms after the kill"
fs=$(spread "AND id > $USERS")
echo "     new users: $fs"
case "$fs" in *scscf2=0*) ok "no new user on the dead scscf2" ;; *) bad "new users on scscf2: $fs" ;; esac
# 3c. re-registrations of the other users of scscf2.
echo "$victims" | sed 1d | awk '{ printf "%s pw%d\n", $0, substr($0, 5) + 0 }' >"$WORK/victims.txt"
t0=$(date +%s%N)
register reg-victims "$WORK/victims.txt" &&
	ok "$((nv - 1)) more re-registrations of scscf2's users succeeded" ||
	bad "re-registrations: $(grep -vc ' 0$' "$WORK/reg-victims.res") of $((nv - 1)) failed"
echo "     $((nv - 1)) re-registrations took $(ms_since "$t0") ms ($(ms_since "$tk") ms after the kill)"
left=$(sql -e "SELECT COUNT(*) FROM impu WHERE scscf_name = 'sip:scscf2.open-ims.test:$SC2_SIP'")
[ "$left" -eq 0 ] && ok "HSS Server-Name updated for all of them" || bad "$left IMPUs still on scscf2"
echo "     spread after failover: $(spread)"
nf=$(grep -c "scscf2.* answered [0-9]*, selecting another" "$WORK/icscf.log")
[ "$nf" -gt 0 ] && ok "I-CSCF failed over $nf REGISTERs from scscf2 (UAR type 2)" ||
	bad "no REGISTER-level failover from scscf2"
grep -q "UAR .*type=2" "$WORK/icscf.log" && ok "UAR REGISTRATION_AND_CAPABILITIES seen" ||
	bad "no UAR type 2"

# 4. Unknown user -> 403.
code=$(one unknown REGISTER sip:open-ims.test "<sip:mallory@open-ims.test>" \
	"P-Visited-Network-ID: open-ims.test")
[ "$code" = 403 ] && ok "unknown user REGISTER -> 403" || bad "unknown user: got '$code'"

# 5. Mandatory capability nobody has -> 600, nothing forwarded.
"$BIN/ims-hssctl" scscf-caps set --mandatory 99 >/dev/null || bad "scscf-caps 99 failed"
sql -e "UPDATE impu SET reg_state = 0, scscf_name = NULL WHERE id = 1"
fwd="REGISTER impu=sip:user00001@open-ims.test -> S-CSCF"
before=$(grep -c "$fwd" "$WORK/icscf.log")
code=$(one nocap REGISTER sip:open-ims.test "<sip:user00001@open-ims.test>" \
	"P-Visited-Network-ID: open-ims.test")
[ "$code" = 600 ] && ok "capability mismatch -> 600" || bad "capability mismatch: got '$code'"
[ "$(grep -c "$fwd" "$WORK/icscf.log")" -eq "$before" ] && ok "nothing forwarded" ||
	bad "user00001 forwarded despite the mismatch"

# 6. HSS down -> 480 with Retry-After, I-CSCF alive.
kill -KILL "$HSS_PID"; wait "$HSS_PID" 2>/dev/null; HSS_PID=
t0=$(date +%s%N)
code=$(one nohss REGISTER sip:open-ims.test "<sip:user00003@open-ims.test>" \
	"P-Visited-Network-ID: open-ims.test")
ms=$(ms_since "$t0")
case "$code" in 480|5??) ok "HSS down -> $code in $ms ms" ;; *) bad "HSS down: got '$code'" ;; esac
tr -d '\r' <"$WORK/one-nohss.msg" | grep -q "^Retry-After: [0-9]" && ok "with Retry-After" ||
	bad "no Retry-After in the $code"
code=$(one nohss2 MESSAGE sip:user00003@open-ims.test "<sip:user00003@open-ims.test>" "Subject: t")
case "$code" in 480|5??) ok "MESSAGE with the HSS down -> $code" ;; *) bad "MESSAGE, HSS down: '$code'" ;; esac
kill -0 "$I_PID" 2>/dev/null && ok "ims-icscf still running" || bad "ims-icscf died"

stop_pid "$I_PID" && ! grep -Eq "Sanitizer|runtime error" "$WORK/icscf.log" &&
	ok "ims-icscf stopped, no sanitizer report" || bad "ims-icscf stop"
I_PID=
[ "$FAILS" -eq 0 ] || { echo "$FAILS check(s) failed"; exit 1; }
echo "all checks passed"
