#!/usr/bin/env bash
# Active learning against random selection on Fashion-MNIST with simulated annotators answering
# from the true labels: human labels needed to reach the same test accuracy. See BENCHMARKS.md.
# Usage: bench/active-learning.sh [--pool 10000] [--test 2000] [--start 100] [--batch 100]
#                                 [--max 2000] [--epochs 20] [--seeds 1,2,3]
# Runs at the lowest CPU priority on one core: others share the machine.
set -euo pipefail
cd "$(dirname "$0")/.."

. bench/lib.sh
classpath=$(bench_classpath)

exec nice -n 19 java -Xmx2g -XX:ActiveProcessorCount=1 \
  -cp "$classpath" \
  dev.lifecycle.bench.ActiveLearningBench "$@"
