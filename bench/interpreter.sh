#!/usr/bin/env bash
# Interpreter overhead: PipelineWorkflow running N sequential trivial steps against a hand-written
# Temporal workflow making the same N activity calls, side by side in one JVM. See BENCHMARKS.md.
# Usage: bench/interpreter.sh [--steps 100] [--warmup 3] [--reps 7]
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

exec java -Xmx1g -cp "bench/target/classes:$(cat "$classpath")" \
  dev.lifecycle.bench.InterpreterBench "$@"
