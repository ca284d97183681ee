#!/usr/bin/env bash
# Training and batch-64 inference speed of Lifecycle's image CNN in DJL against the same network in
# PyTorch (Debian's python3-torch at /usr/bin/python3), same data, batch size and threads, side by
# side in one run. Not run by CI. See BENCHMARKS.md, "DJL against PyTorch".
# Usage: bench/djl-vs-pytorch.sh [--images 10000] [--batch 64] [--threads 2] [--warmup-epochs 1]
#                                [--epochs 2] [--rounds 2]
set -euo pipefail
cd "$(dirname "$0")/.."

if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "This benchmark needs Debian's python3-torch (import torch from /usr/bin/python3)." >&2
  exit 1
fi

classpath=bench/target/classpath.txt
stale() {
  [ ! -f "$classpath" ] && return 0
  [ -n "$(find bench/pom.xml bench/src workflows/src/main dsl/src/main activities/src/main \
    examples/src/main -newer "$classpath" -print -quit)" ]
}
if stale; then
  # -am builds the modules from this tree, so the benchmark never runs a stale ~/.m2 copy.
  mvn -B -q -o -Dspotless.apply.skip=true -pl bench -am package -DskipTests
fi

# glibc settings the worker launcher and the tests use; DESIGN.md measured DJL 2.5x slower without.
export MALLOC_TRIM_THRESHOLD_=1073741824 MALLOC_MMAP_THRESHOLD_=33554432
exec java -Xmx2g -Dai.djl.offline=true -cp "bench/target/classes:$(cat "$classpath")" \
  dev.lifecycle.bench.DjlVsPytorchBench "$@"
