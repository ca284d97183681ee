#!/usr/bin/env bash
# Interpreter overhead: PipelineWorkflow running N sequential trivial steps against a hand-written
# Temporal workflow making the same N activity calls, side by side in one JVM. See BENCHMARKS.md.
# Usage: bench/interpreter.sh [--steps 100] [--warmup 3] [--reps 7]
set -euo pipefail
cd "$(dirname "$0")/.."

. bench/lib.sh
classpath=$(bench_classpath)

exec java -Xmx1g -cp "$classpath" \
  dev.lifecycle.bench.InterpreterBench "$@"
