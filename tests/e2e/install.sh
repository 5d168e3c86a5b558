#!/bin/bash
# e2e_install: deploy/install.sh staged under DESTDIR: binaries, units,
# configuration (kept when present on a second run), migrations; every unit
# passes `systemd-analyze verify` (offline: no systemd needed as PID 1) and
# has the required settings; every installed configuration passes
# --check-config. A unit with a syntax error must fail the same verify.
#   install.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=$1
SRC=$2
# shellcheck source=lib.sh
. "$SRC/tests/e2e/lib.sh"
[ -x "$BUILD/bin/ims-hss" ] || e2e_skip "no daemons in $BUILD/bin"
E2E_WORK=$(mktemp -d "${TMPDIR:-/tmp}/e2e-install.XXXXXX")
trap e2e_cleanup EXIT
stage=$E2E_WORK/root
daemons="hss scscf icscf pcscf"

e2e_check "install.sh stages everything" \
	quiet env DESTDIR="$stage" "$SRC/deploy/install.sh" --build-dir "$BUILD"
for d in $daemons; do
	e2e_check "ims-$d installed" [ -x "$stage/usr/local/bin/ims-$d" ]
	e2e_check "ims-$d.service installed" [ -r "$stage/etc/systemd/system/ims-$d.service" ]
	e2e_check "/etc/ims/$d.yaml installed, mode 0640" [ "$(stat -c %a "$stage/etc/ims/$d.yaml")" = 640 ]
	e2e_check "/etc/ims/$d.yaml passes --check-config" \
		quiet "$BUILD/bin/ims-$d" --check-config -c "$stage/etc/ims/$d.yaml"
done
e2e_check "migrations installed" [ -r "$stage/usr/local/share/ims-core/migrations/0001_initial.sql" ]
echo "# edited by the admin" >>"$stage/etc/ims/hss.yaml"
e2e_check "second install succeeds" \
	quiet env DESTDIR="$stage" "$SRC/deploy/install.sh" --build-dir "$BUILD"
e2e_check "second install keeps an existing config" \
	grep -q '^# edited by the admin' "$stage/etc/ims/hss.yaml"

# Unit contents: what the deployment issue asks of every unit.
for d in $daemons; do
	u=$stage/etc/systemd/system/ims-$d.service
	for want in 'Type=notify' "ExecStart=/usr/local/bin/ims-$d -c /etc/ims/$d.yaml" \
		'ExecReload=/bin/kill -HUP $MAINPID' 'WatchdogSec=30' 'Restart=on-failure' \
		'NoNewPrivileges=yes' 'ProtectSystem=strict' 'ProtectHome=yes' 'PrivateTmp=yes' \
		'CapabilityBoundingSet=' 'User=ims'; do
		e2e_check "ims-$d.service: $want" grep -qxF "$want" "$u"
	done
	e2e_check "ims-$d.service: after network-online.target" \
		grep -q '^After=network-online.target' "$u"
done
e2e_check "ims-hss.service: after mariadb.service" \
	grep -q '^After=.*mariadb.service' "$stage/etc/systemd/system/ims-hss.service"

if command -v systemd-analyze >/dev/null; then
	# Offline verify needs the executables to exist: point them into the stage.
	mkdir -p "$E2E_WORK/units"
	for d in $daemons; do
		sed "s|/usr/local/|$stage/usr/local/|g" "$stage/etc/systemd/system/ims-$d.service" \
			>"$E2E_WORK/units/ims-$d.service"
	done
	e2e_check "systemd-analyze verify accepts all units" \
		sh -c "cd '$E2E_WORK/units' && systemd-analyze verify ./ims-*.service"
	sed 's/^Type=notify/Type=notfy/' "$E2E_WORK/units/ims-pcscf.service" >"$E2E_WORK/units/ims-broken.service"
	if (cd "$E2E_WORK/units" && systemd-analyze verify ./ims-broken.service 2>&1) | grep -q 'notfy'; then
		e2e_ok "systemd-analyze verify catches a broken unit"
	else
		e2e_fail "systemd-analyze verify catches a broken unit"
	fi
else
	e2e_log "systemd-analyze not installed: units not verified"
fi
e2e_finish
