#!/bin/sh
# ifc-eval.sh BUILD_DIR [N]: run the iFC engine benchmark built in BUILD_DIR
# (configure it with -DCMAKE_BUILD_TYPE=Release and without IMS_SANITIZE for
# a meaningful figure) and print its result lines: profile compiles/s, full
# iFC walks (evaluations) per second of a realistic 8-iFC profile, and
# microseconds per request with 10 iFCs of 5 SPTs each. Builds nothing.
set -eu
if [ $# -lt 1 ]; then
	echo "usage: $0 BUILD_DIR [N]" >&2
	exit 2
fi
bin="$1/bench/bench_ifc"
if [ ! -x "$bin" ]; then
	echo "$0: $bin not found; build target bench_ifc first" >&2
	exit 1
fi
exec "$bin" "${2:-200000}"
