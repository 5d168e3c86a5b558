#!/bin/bash
# test_hssctl_import_list_sqn_deregister: ims-hssctl subscriber import
# (bulk CSV, all-or-nothing per batch, whole file checked first),
# subscriber list, sqn show|set and deregister IMPU, with their errors.
#   hssctl_bulk.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=$1
SRC=$2
. "$SRC/tests/integration/hss/hss_env.sh"
hss_env_init hssctl
N=3000
hss_db_start

awk -v n=$N 'BEGIN { print "impi,impus,k,opc,amf,sqn,password";
	for (i = 0; i < n; i++)
		printf "u%d@open-ims.test,sip:u%d@open-ims.test;tel:+4930%07d,696d732d616b612d746573742d6b3031,696d732d616b612d746573742d6f7031,8000,%d,pw%d\n", i, i, i, i, i }' \
	>"$WORK/subs.csv"
out=$(hssctl subscriber import "$WORK/subs.csv")
expect "import $N subscribers (header names OPc)" "$out" "^imported $N subscribers in "
[ "$(hssctl subscriber list | wc -l)" -eq "$N" ] && ok "subscriber list prints $N IMPIs" \
	|| bad "subscriber list: $(hssctl subscriber list | wc -l) lines"
hssctl subscriber list >"$WORK/list.txt"
LC_ALL=C sort -c "$WORK/list.txt" 2>/dev/null && [ "$(sort -u "$WORK/list.txt" | wc -l)" -eq "$N" ] \
	&& ok "list: in byte order, each once (pages of 1000 joined)" || bad "list order/duplicates"
out=$(hssctl subscriber list --after u10@open-ims.test --limit 2 | paste -sd' ')
want=$(grep -A2 -x 'u10@open-ims.test' "$WORK/list.txt" | tail -n2 | paste -sd' ')
[ -n "$want" ] && [ "$out" = "$want" ] && ok "list --after --limit: the next two ($out)" \
	|| bad "list --after u10 --limit 2: '$out' want '$want'"
out=$(hssctl subscriber show u7@open-ims.test)
expect "imported: OPc flag from the header" "$out" '^opc: set$'
expect "imported: SQN column" "$out" '^sqn: 7$'
expect "imported: second IMPU in the implicit set" "$out" 'tel:\+49300000007 .*implicit-set=[0-9]+#1 '
expect "imported: digest password" "$out" '^auth: aka,digest$'

# Errors: a bad line anywhere -> nothing written.
{ echo "a1@open-ims.test,sip:a1@open-ims.test,,,,,pw"
  echo "a2@open-ims.test,sip:a2@open-ims.test,00112233,696d732d616b612d746573742d6f7031,8000,0,"; } >"$WORK/bad.csv"
out=$(hssctl subscriber import "$WORK/bad.csv" 2>&1); rc=$?
[ "$rc" -eq 1 ] && ok "bad hex K: exit 1" || bad "bad hex K: exit $rc"
expect "bad hex K: the message names file:line and column" "$out" 'bad.csv:2: k: expected 32 hex digits'
hssctl subscriber show a1@open-ims.test >/dev/null 2>&1 && bad "line 1 of a bad file was written" \
	|| ok "nothing of the bad file written"
printf 'b1@open-ims.test,sip:b1@open-ims.test,,,,,pw\nb2@open-ims.test,sip:b1@open-ims.test,,,,,pw\n' >"$WORK/dup.csv"
out=$(hssctl subscriber import "$WORK/dup.csv" 2>&1); rc=$?
[ "$rc" -eq 1 ] && grep -q 'sip:b1@open-ims.test appears twice' <<<"$out" \
	&& ok "identity twice in the file: refused before writing" || bad "duplicate in file: exit $rc: $out"
printf 'c1@open-ims.test,sip:c1@open-ims.test,,,,,pw\nu3@open-ims.test,sip:c2@open-ims.test,,,,,pw\n' >"$WORK/exists.csv"
out=$(hssctl subscriber import "$WORK/exists.csv" 2>&1); rc=$?
[ "$rc" -eq 1 ] && grep -q "Duplicate entry 'u3@open-ims.test'" <<<"$out" \
	&& ok "existing IMPI: exit 1 naming it" || bad "existing IMPI: exit $rc: $out"
hssctl subscriber show c1@open-ims.test >/dev/null 2>&1 && bad "batch half-written (c1 exists)" \
	|| ok "existing IMPI: the whole batch rolled back"
printf 'd1@open-ims.test,sip:d1@open-ims.test,,,,\n' >"$WORK/cols.csv"
out=$(hssctl subscriber import "$WORK/cols.csv" 2>&1)
expect "6 columns: refused with the expected layout" "$out" 'expected 7 columns'

# sqn show|set.
out=$(hssctl sqn show u7@open-ims.test)
expect "sqn show" "$out" '^u7@open-ims.test sqn=7 seq=0 ind=7$'
hssctl sqn set u7@open-ims.test 4242 >/dev/null && out=$(hssctl sqn show u7@open-ims.test)
expect "sqn set 4242 then show: SEQ 132 IND 18" "$out" '^u7@open-ims.test sqn=4242 seq=132 ind=18$'
hssctl sqn set u7@open-ims.test 281474976710656 >/dev/null 2>&1; rc=$?
[ "$rc" -eq 2 ] && ok "sqn set 2^48: usage error" || bad "sqn set 2^48: exit $rc"
hssctl sqn set nobody@open-ims.test 5 >/dev/null 2>&1; rc=$?
[ "$rc" -eq 1 ] && ok "sqn set unknown IMPI: exit 1" || bad "sqn set unknown IMPI: exit $rc"

# deregister IMPU = subscriber deregister IMPI --impu IMPU (queued RTR).
out=$(hssctl deregister tel:+49300000009)
expect "deregister IMPU queues an RTR for its IMPI" "$out" '^u9@open-ims.test: Registration-Termination .* queued'
hssctl deregister sip:nobody@open-ims.test >/dev/null 2>&1; rc=$?
[ "$rc" -eq 1 ] && ok "deregister unknown IMPU: exit 1" || bad "deregister unknown IMPU: exit $rc"
hssctl deregister not-a-uri >/dev/null 2>&1; rc=$?
[ "$rc" -eq 2 ] && ok "deregister non-URI: usage error" || bad "deregister non-URI: exit $rc"
out=$("$BIN/ims-hssctl" --help)
expect "--help documents import" "$out" 'subscriber import FILE.csv'
expect "--help documents sqn set" "$out" 'sqn set IMPI N'
hss_env_finish
