#!/bin/bash
# hss_store_integration: private MariaDB on a free port, schema migration and
# provisioning with ims-hssctl, then the cmocka store tests; the server is
# stopped by PID on any exit (trap).
#   run.sh HSSCTL TEST_BINARY MIGRATIONS_DIR MARIADB_SH
set -eu
hssctl=$1 test_bin=$2 migrations=$3 mariadb_sh=$4

dir=$(mktemp -d /tmp/hss_store.XXXXXX)
cleanup() {
	"$mariadb_sh" stop "$dir" || true
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A free TCP port: nothing answers on it.
port=
for _ in $(seq 1 50); do
	p=$(( 20000 + RANDOM % 30000 ))
	if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then port=$p; break; fi
done
[ -n "$port" ] || { echo "no free port" >&2; exit 1; }

"$mariadb_sh" start "$dir" "$port"
# Guard outside our process tree: if this script is killed without running
# its traps (SIGKILL from a test runner), stop the server anyway.
setsid bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 0.5; done
	"$2" stop "$3"; rm -rf "$3"' guard $$ "$mariadb_sh" "$dir" </dev/null >/dev/null 2>&1 &

export IMS_DB_HOST=127.0.0.1 IMS_DB_PORT=$port IMS_DB_USER=ims_hss \
	IMS_DB_PASSWORD=ims_hss IMS_DB_NAME=ims_hss

fail() { echo "FAIL: $*" >&2; exit 1; }
ctl() { "$hssctl" "$@"; }

# Schema: a fresh database is version 0 and is refused, then migrated to the
# newest migration (the version the binaries are built for).
latest=$(ls "$migrations" | sed -n 's/^0*\([0-9][0-9]*\)_.*\.sql$/\1/p' | sort -n | tail -n1)
out=$(ctl db version || true)
echo "$out" | grep -q "database schema is version 0, this ims-hss needs $latest: apply deploy/db/migrations/0001_initial.sql" \
	|| fail "db version on an empty database: $out"
ctl db migrate --migrations "$migrations" | grep -q "from version 0 to $latest" || fail "migrate"
ctl db migrate --migrations "$migrations" | grep -q "up to date at version $latest" || fail "migrate twice"
ctl db version >/dev/null || fail "db version after migrate"

# The demo users.
ctl subscriber add --impi alice@open-ims.test --impu sip:alice@open-ims.test \
	--impu tel:+4930100001 --k 465b5ce8b199b49faa5f0a2ee238a6bc \
	--op cdc202d5123e20f62b6d676ac72cb318 --amf 8000 --sqn 0 --password alice --auth aka,digest
ctl subscriber add --impi bob@open-ims.test --impu sip:bob@open-ims.test \
	--impu tel:+4930100002 --k fec86ba6eb707ed08905757b1bb44b8f \
	--op dbc59adcb6f9a0ef735477b7fadf8374 --amf 8000 --sqn 0 --password bob --auth aka,digest
ctl impu add --impi alice@open-ims.test --impu sip:shared@open-ims.test
ctl impu add --impi bob@open-ims.test --impu sip:shared@open-ims.test
ctl impu add --impi bob@open-ims.test --impu 'sip:chatroom-!.*!@open-ims.test' \
	--type wildcard-psi --regex 'sip:chatroom-[^@]*@open-ims\.test'
ctl ifc add --impu sip:alice@open-ims.test --priority 0 --as sip:as.open-ims.test:5070 \
	--method INVITE --session-case 0 --default-handling terminated --service-info hello
ctl ifc add --impu sip:alice@open-ims.test --priority 1 --as sip:as2.open-ims.test:5070 \
	--header 'Event=.*reg.*' --method '!MESSAGE' --match any --include-register-request
ctl scscf-caps set --mandatory 1,2 --optional 3 --name sip:scscf.open-ims.test:6060
ctl visited-network add roam.test --impi alice@open-ims.test

# Negative CLI checks: bad input is refused, duplicates are reported.
ctl subscriber add --impi eve@open-ims.test --impu sip:eve@open-ims.test \
	--k 465b5ce8 --op cdc202d5123e20f62b6d676ac72cb318 2>/dev/null && fail "short K accepted"
ctl subscriber add --impi eve@open-ims.test --impu 'eve at home' --password x 2>/dev/null \
	&& fail "bad URI accepted"
ctl subscriber add --impi alice@open-ims.test --impu sip:alice2@open-ims.test --password x \
	2>/dev/null && fail "duplicate IMPI accepted"
# show never prints secrets.
show=$(ctl subscriber show alice@open-ims.test)
echo "$show" | grep -q "^k: set$" || fail "show: $show"
echo "$show" | grep -qi -e 465b5ce8 -e cdc202d5 -e "password: alice" && fail "show leaks a secret"
echo "$show" | grep -q "tel:+4930100001" || fail "show lacks the tel URI"
# del removes a subscriber completely (and a second del is "not found").
ctl subscriber add --impi carol@open-ims.test --impu sip:carol@open-ims.test --password c >/dev/null
ctl subscriber del carol@open-ims.test >/dev/null
ctl subscriber del carol@open-ims.test 2>/dev/null && fail "second del succeeded"

"$test_bin"
