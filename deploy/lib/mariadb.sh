#!/bin/bash
# Private MariaDB (deploy/ims and the tests): one server per directory, on 127.0.0.1:PORT and
# DIR/mysqld.sock, never touching the system instance (--no-defaults).
# IMS_MARIADB_BIND overrides the listen address (deploy/ims --distributed runs
# the server in its own network namespace on that namespace's address).
# IMS_MARIADB_FLUSH sets innodb_flush_log_at_trx_commit (default 2: commits
# survive a crash of mariadbd, not of the host; 1: fsync per commit).
# IMS_MARIADB_BUFFER_POOL sets innodb_buffer_pool_size (default 128M, the
# server's own default). IMS_MARIADB_OPTS: more mariadbd options (words).
#
#   deploy/lib/mariadb.sh start DIR PORT   install, start, wait ready, create
#                                         database ims_hss and user ims_hss
#                                         (password ims_hss) for TCP and socket
#   deploy/lib/mariadb.sh stop DIR         stop the server started in DIR, by PID
#
# Root on the socket has no password (auth method "normal"). Works as root
# (CI): mariadbd refuses to run as root unless told --user=root.
# Readiness: mariadb-admin ping in a loop bounded by IMS_MARIADB_TIMEOUT
# seconds (default 30), never a blind sleep.
set -u

mdb_user_opt() {
	if [ "$(id -u)" -eq 0 ]; then echo "--user=root"; else echo "--user=$(id -un)"; fi
}

mdb_start() {
	local dir=$1 port=$2
	local deadline=$(( $(date +%s) + ${IMS_MARIADB_TIMEOUT:-30} ))
	# A private tmpdir: concurrent servers sharing /tmp have lost each
	# other's temporary tables during mariadb-install-db.
	mkdir -p "$dir/tmp" || return 1
	dir=$(cd "$dir" && pwd)
	if [ -e "$dir/mariadbd.pid" ] && kill -0 "$(cat "$dir/mariadbd.pid")" 2>/dev/null; then
		echo "mariadb.sh: a server already runs for $dir" >&2
		return 1
	fi
	if [ ! -d "$dir/data/mysql" ]; then
		mariadb-install-db --no-defaults --auth-root-authentication-method=normal \
			--datadir="$dir/data" "$(mdb_user_opt)" --skip-test-db --tmpdir="$dir/tmp" \
			>"$dir/install.log" 2>&1 || {
			echo "mariadb.sh: mariadb-install-db failed, see $dir/install.log" >&2
			return 1
		}
	fi
	mariadbd --no-defaults --datadir="$dir/data" --socket="$dir/mysqld.sock" \
		--port="$port" --bind-address="${IMS_MARIADB_BIND:-127.0.0.1}" --pid-file="$dir/mysqld.pid" \
		"$(mdb_user_opt)" --log-error="$dir/error.log" --skip-log-bin --tmpdir="$dir/tmp" \
		--innodb-buffer-pool-size="${IMS_MARIADB_BUFFER_POOL:-128M}" --innodb-log-file-size=16M \
		--innodb-flush-log-at-trx-commit="${IMS_MARIADB_FLUSH:-2}" --skip-name-resolve \
		${IMS_MARIADB_OPTS:-} </dev/null >>"$dir/error.log" 2>&1 &
	echo $! >"$dir/mariadbd.pid"
	until mariadb-admin --no-defaults --socket="$dir/mysqld.sock" -uroot \
		--connect-timeout=1 ping >/dev/null 2>&1; do
		if ! kill -0 "$(cat "$dir/mariadbd.pid")" 2>/dev/null; then
			echo "mariadb.sh: mariadbd exited, see $dir/error.log" >&2
			return 1
		fi
		if [ "$(date +%s)" -ge "$deadline" ]; then
			echo "mariadb.sh: mariadbd not ready in time, see $dir/error.log" >&2
			mdb_stop "$dir"
			return 1
		fi
		sleep 0.1
	done
	mariadb --no-defaults --socket="$dir/mysqld.sock" -uroot <<'SQL' || return 1
CREATE DATABASE IF NOT EXISTS ims_hss CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
CREATE USER IF NOT EXISTS 'ims_hss'@'127.0.0.1' IDENTIFIED BY 'ims_hss';
CREATE USER IF NOT EXISTS 'ims_hss'@'localhost' IDENTIFIED BY 'ims_hss';
GRANT ALL PRIVILEGES ON ims_hss.* TO 'ims_hss'@'127.0.0.1';
GRANT ALL PRIVILEGES ON ims_hss.* TO 'ims_hss'@'localhost';
SQL
}

mdb_stop() {
	local dir=$1 pid i
	[ -r "$dir/mariadbd.pid" ] || return 0
	pid=$(cat "$dir/mariadbd.pid")
	if kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid"
		# Bounded wait for a clean shutdown, then force.
		for i in $(seq 1 150); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
	fi
	rm -f "$dir/mariadbd.pid"
}

case "${1:-}" in
start) [ $# -eq 3 ] || { echo "usage: $0 start DIR PORT" >&2; exit 2; }; mdb_start "$2" "$3" ;;
stop)  [ $# -eq 2 ] || { echo "usage: $0 stop DIR" >&2; exit 2; }; mdb_stop "$2" ;;
*)     echo "usage: $0 start DIR PORT | stop DIR" >&2; exit 2 ;;
esac
