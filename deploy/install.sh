#!/bin/bash
# deploy/install.sh: install the IMS core on this host for systemd.
#   binaries      BUILD/bin/ims-*            -> PREFIX/bin (default /usr/local)
#   units         deploy/systemd/*.service   -> /etc/systemd/system
#   configuration deploy/config/<d>.yaml, or --configs DIR/<d>.yaml
#                                            -> /etc/ims/<d>.yaml, only when absent
#   migrations    deploy/db/migrations       -> PREFIX/share/ims-core/migrations
#   this guide    deploy/README.md           -> PREFIX/share/doc/ims-core/deploy-README.md
# and the system user "ims" that runs the daemons. Existing configuration is
# never overwritten. Units are installed, not enabled: that is the admin's call.
#
#   deploy/install.sh [--build-dir DIR] [--prefix DIR] [--configs DIR] [--only LIST]
#     --build-dir  build tree holding bin/ (default build/release)
#     --configs    take the configuration from DIR (e.g. what `deploy/ims up
#                  --distributed` wrote in $STATE/etc; a node's file may be named
#                  scscf2.yaml: give --only scscf and --configs with that file
#                  renamed, or copy it to /etc/ims/scscf.yaml yourself)
#     --only       comma-separated daemons to install units/configs for
#                  (hss,scscf,icscf,pcscf; default all)
# DESTDIR=/some/root stages everything below that directory (no user created,
# no ownership changed, no systemctl): used by the tests and by packagers.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$top/build/release prefix=/usr/local configs=$top/deploy/config only="hss scscf icscf pcscf"
while [ $# -gt 0 ]; do
	case "$1" in
	--build-dir) build=$2 ;;
	--prefix) prefix=$2 ;;
	--configs) configs=$2 ;;
	--only) only=${2//,/ } ;;
	*) echo "usage: deploy/install.sh [--build-dir DIR] [--prefix DIR] [--configs DIR] [--only LIST]" >&2; exit 2 ;;
	esac
	shift 2
done
dest=${DESTDIR:-}
staged() { [ -n "$dest" ]; }
die() { echo "install.sh: $*" >&2; exit 1; }

if ! staged && [ "$(id -u)" -ne 0 ]; then
	die "run as root (or set DESTDIR to stage the files)"
fi
for d in $only; do
	case "$d" in hss | scscf | icscf | pcscf) ;; *) die "--only: unknown daemon $d" ;; esac
	[ -x "$build/bin/ims-$d" ] || die "$build/bin/ims-$d missing: build first (cmake --build $build)"
done

# The system user of the daemons (no login, no home).
if ! staged && ! getent passwd ims >/dev/null; then
	useradd --system --user-group --no-create-home --home-dir /nonexistent \
		--shell /usr/sbin/nologin --comment "IMS core daemons" ims
fi

install -d "$dest$prefix/bin" "$dest/etc/systemd/system" "$dest$prefix/share/ims-core" \
	"$dest$prefix/share/doc/ims-core"
for d in $only; do
	install -m 0755 "$build/bin/ims-$d" "$dest$prefix/bin/ims-$d"
done
# The tools: hssctl (provisioning), cxctl/shctl (Diameter probes), ims-launch.
for t in ims-hssctl ims-cxctl ims-shctl ims-launch; do
	if [ -x "$build/bin/$t" ]; then install -m 0755 "$build/bin/$t" "$dest$prefix/bin/$t"; fi
done
rm -rf "$dest$prefix/share/ims-core/migrations"
cp -r "$top/deploy/db/migrations" "$dest$prefix/share/ims-core/migrations"
install -m 0644 "$top/deploy/README.md" "$dest$prefix/share/doc/ims-core/deploy-README.md"

# Units: the paths in them say /usr/local; follow --prefix.
for d in $only; do
	sed "s|/usr/local/|$prefix/|g" "$top/deploy/systemd/ims-$d.service" \
		>"$dest/etc/systemd/system/ims-$d.service"
	chmod 0644 "$dest/etc/systemd/system/ims-$d.service"
done

# Configuration: readable by the daemons' group only (the HSS's holds the
# database password); never overwrite what the admin has.
install -d -m 0750 "$dest/etc/ims"
staged || chown root:ims "$dest/etc/ims"
for d in $only; do
	target=$dest/etc/ims/$d.yaml
	if [ -e "$target" ]; then
		echo "kept existing $target"
	elif [ -r "$configs/$d.yaml" ]; then
		install -m 0640 "$configs/$d.yaml" "$target"
		staged || chown root:ims "$target"
		echo "installed $target (from $configs/$d.yaml)"
	else
		echo "no $configs/$d.yaml: write $target yourself (ims-$d --describe-config)" >&2
	fi
done

if ! staged && [ -d /run/systemd/system ]; then
	systemctl daemon-reload
fi
cat <<TXT
Installed into ${dest:-/}: $prefix/bin/ims-{${only// /,}}, units in /etc/systemd/system,
configuration in /etc/ims. Check each with: ims-<daemon> --check-config -c /etc/ims/<daemon>.yaml
Then: systemctl enable --now$(for d in $only; do printf ' ims-%s' "$d"; done)
TXT
