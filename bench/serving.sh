#!/usr/bin/env bash
# Serving speed: the worker's HTTP endpoint at 1, 16 and 64 concurrent clients, with and without
# dynamic batching, against the same model called in-process (the limit); batch transform rows per
# second. Ratios printed in one run. Not run by CI. See BENCHMARKS.md, "Serving".
# Usage: bench/serving.sh [--seconds 5] [--clients 1,16,64] [--batch 32] [--delay-ms 2] [--hidden 64,32]
#                         [--rows 1000000]
set -euo pipefail
cd "$(dirname "$0")/.."

classpath=bench/target/classpath.txt
stale() {
  [ ! -f "$classpath" ] && return 0
  [ -n "$(find bench/pom.xml bench/src workflows/src/main dsl/src/main activities/src/main \
    examples/src/main worker/src/main -newer "$classpath" -print -quit)" ]
}
if stale; then
  # -am builds the modules from this tree, so the benchmark never runs a stale ~/.m2 copy.
  mvn -B -q -o -Dspotless.apply.skip=true -pl bench -am package -DskipTests
fi

# glibc settings the worker launcher and the tests use; DESIGN.md measured DJL 2.5x slower without.
export MALLOC_TRIM_THRESHOLD_=1073741824 MALLOC_MMAP_THRESHOLD_=33554432
exec java -Xmx2g -Dai.djl.offline=true -cp "bench/target/classes:$(cat "$classpath")" \
  dev.lifecycle.bench.ServingBench "$@"
