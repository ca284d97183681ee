#!/usr/bin/env bash
# Training and batch-64 inference speed of Lifecycle's image CNN in DJL against the same network in
# PyTorch (Debian's python3-torch at /usr/bin/python3), same data, batch size and threads, side by
# side in one run. Not run by CI. See BENCHMARKS.md, "DJL against PyTorch".
# Usage: bench/djl-vs-pytorch.sh [--images 10000] [--batch 64] [--threads 2] [--warmup-epochs 1]
#                                [--epochs 2] [--rounds 2] [--profile]
# --profile times each phase of every training step in both engines (and the training thread's CPU
# time) instead, and prints the medians over rounds with the load average of each round.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "This benchmark needs Debian's python3-torch (import torch from /usr/bin/python3)." >&2
  exit 1
fi

. bench/lib.sh
classpath=$(bench_classpath)

exec java -Xmx2g -Dai.djl.offline=true -cp "$classpath" \
  dev.lifecycle.bench.DjlVsPytorchBench "$@"
