#!/bin/bash
# e2e_packages: `cpack -G DEB` from the build tree makes ims-core-common and
# one package per daemon; their contents (dpkg-deb -c), control fields and
# maintainer scripts are what deploy/packaging/CMakeLists.txt promises:
# daemons in /usr/sbin, tools in /usr/bin, units in /lib/systemd/system
# starting /usr/sbin/ims-<daemon>, configurations in /etc/ims as conffiles,
# the migrations in /usr/share/ims-core, nothing under /usr/local, no test
# binaries. Nothing is installed on this system.
#   packages.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=$1
SRC=$2
# shellcheck source=lib.sh
. "$SRC/tests/e2e/lib.sh"
command -v cpack >/dev/null || e2e_skip "cpack is not installed"
command -v dpkg-deb >/dev/null || e2e_skip "dpkg-deb is not installed"
[ -r "$BUILD/CPackConfig.cmake" ] || e2e_skip "no CPackConfig.cmake in $BUILD"
for d in hss scscf icscf pcscf; do
	[ -x "$BUILD/bin/ims-$d" ] || e2e_skip "no ims-$d in $BUILD/bin"
done
E2E_WORK=$(mktemp -d "${TMPDIR:-/tmp}/e2e-packages.XXXXXX")
trap e2e_cleanup EXIT
trap 'exit 1' INT TERM
out=$E2E_WORK/out

t=$(date +%s)
if (cd "$E2E_WORK" && timeout 300 cpack -G DEB --config "$BUILD/CPackConfig.cmake" -B "$out") \
	>"$E2E_WORK/cpack.log" 2>&1; then
	e2e_ok "cpack -G DEB ($(($(date +%s) - t)) s)"
else
	cat "$E2E_WORK/cpack.log"
	e2e_fail "cpack -G DEB"
	e2e_finish
fi

deb() { ls "$out"/"$1"_*.deb 2>/dev/null | head -1; }
has() { # DEB PATH: dpkg-deb -c lists PATH
	dpkg-deb -c "$1" | awk '{print $6}' | grep -qx "$2"
}
field() { dpkg-deb -f "$1" "$2"; }

n=$(find "$out" -maxdepth 1 -name '*.deb' | wc -l)
e2e_check "five packages ($n)" [ "$n" = 5 ]

c=$(deb ims-core-common)
e2e_check "ims-core-common exists" [ -n "$c" ]
if [ -n "$c" ]; then
	e2e_check "common: /usr/bin/ims-launch" has "$c" ./usr/bin/ims-launch
	e2e_check "common: the guides" has "$c" ./usr/share/doc/ims-core/deploy-README.md
	mkdir -p "$E2E_WORK/ctl-common"
	dpkg-deb -e "$c" "$E2E_WORK/ctl-common"
	e2e_check "common: postinst creates the ims user" \
		grep -q 'adduser --system --group' "$E2E_WORK/ctl-common/postinst"
	e2e_check "common: postinst is executable" [ -x "$E2E_WORK/ctl-common/postinst" ]
fi

for d in hss scscf icscf pcscf; do
	p=$(deb "ims-core-$d")
	if [ -z "$p" ]; then
		e2e_fail "ims-core-$d exists"
		continue
	fi
	e2e_check "$d: /usr/sbin/ims-$d" has "$p" "./usr/sbin/ims-$d"
	e2e_check "$d: unit in /lib/systemd/system" has "$p" "./lib/systemd/system/ims-$d.service"
	e2e_check "$d: /etc/ims/$d.yaml" has "$p" "./etc/ims/$d.yaml"
	e2e_check "$d: depends on ims-core-common" \
		grep -q 'ims-core-common (= ' <(field "$p" Depends)
	e2e_check "$d: depends on the shared libraries it links (libsofia-sip-ua0)" \
		grep -q 'libsofia-sip-ua0' <(field "$p" Depends)
	mkdir -p "$E2E_WORK/ctl-$d" "$E2E_WORK/root-$d"
	dpkg-deb -e "$p" "$E2E_WORK/ctl-$d"
	dpkg-deb -x "$p" "$E2E_WORK/root-$d"
	e2e_check "$d: /etc/ims/$d.yaml is a conffile" grep -qx "/etc/ims/$d.yaml" "$E2E_WORK/ctl-$d/conffiles"
	e2e_check "$d: the unit starts /usr/sbin/ims-$d" \
		grep -q "^ExecStart=/usr/sbin/ims-$d -c /etc/ims/$d.yaml" \
		"$E2E_WORK/root-$d/lib/systemd/system/ims-$d.service"
	e2e_check "$d: the configuration passes ims-$d --check-config" \
		quiet "$E2E_WORK/root-$d/usr/sbin/ims-$d" --check-config -c "$E2E_WORK/root-$d/etc/ims/$d.yaml"
	if dpkg-deb -c "$p" | awk '{print $6}' | grep -E '^\./usr/local/|/test' >/dev/null; then
		e2e_fail "$d: no file under /usr/local, no test files"
	else
		e2e_ok "$d: no file under /usr/local, no test files"
	fi
done
h=$(deb ims-core-hss)
if [ -n "$h" ]; then
	e2e_check "hss: ims-hssctl" has "$h" ./usr/bin/ims-hssctl
	e2e_check "hss: the migrations" has "$h" ./usr/share/ims-core/db/migrations/0001_initial.sql
fi
e2e_finish
