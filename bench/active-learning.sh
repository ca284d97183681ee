#!/usr/bin/env bash
# Active learning against random selection on Fashion-MNIST with simulated annotators answering
# from the true labels: human labels needed to reach the same test accuracy. See BENCHMARKS.md.
# Usage: bench/active-learning.sh [--pool 10000] [--test 2000] [--start 100] [--batch 100]
#                                 [--max 2000] [--epochs 20] [--seeds 1,2,3]
# Runs at the lowest CPU priority on one core: others share the machine.
set -euo pipefail
cd "$(dirname "$0")/.."

classpath=bench/target/classpath.txt
stale() {
  [ ! -f "$classpath" ] && return 0
  [ -n "$(find bench/pom.xml bench/src workflows/src/main dsl/src/main activities/src/main \
    examples/src/main -newer "$classpath" -print -quit)" ]
}
if stale; then
  # -am builds the upstream modules from this tree, so the benchmark never runs a stale ~/.m2 copy.
  mvn -B -q -o -Dspotless.apply.skip=true -pl bench -am package -DskipTests
fi

exec nice -n 19 java -Xmx2g -XX:ActiveProcessorCount=1 \
  -cp "bench/target/classes:$(cat "$classpath")" \
  dev.lifecycle.bench.ActiveLearningBench "$@"
