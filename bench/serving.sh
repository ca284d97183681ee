#!/usr/bin/env bash
# Serving speed: the worker's HTTP endpoint at 1, 16 and 64 concurrent clients, with and without
# dynamic batching, against the same model called in-process (the limit); batch transform rows per
# second. Ratios printed in one run. Not run by CI. See BENCHMARKS.md, "Serving".
# Usage: bench/serving.sh [--seconds 5] [--clients 1,16,64] [--batch 32] [--delay-ms 2] [--hidden 64,32]
#                         [--rows 1000000]
set -euo pipefail
cd "$(dirname "$0")/.."

. bench/lib.sh
classpath=$(bench_classpath)

exec java -Xmx2g -Dai.djl.offline=true -cp "$classpath" \
  dev.lifecycle.bench.ServingBench "$@"
