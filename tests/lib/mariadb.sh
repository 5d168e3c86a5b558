#!/bin/sh
# Tests use the same private-MariaDB helper as deploy/ims.
exec "$(dirname "$0")/../../deploy/lib/mariadb.sh" "$@"
