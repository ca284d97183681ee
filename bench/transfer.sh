#!/usr/bin/env bash
# Transfer learning on shifted Fashion-MNIST: fine-tuning the pretrained base CNN against training
# from scratch on 100, 500 and 2,000 labelled images from a new camera, all run as Lifecycle
# pipelines with the real activities. See BENCHMARKS.md, "Transfer learning on shifted
# Fashion-MNIST". Needs /usr/share/datasets/fashion-mnist (Debian dataset-fashion-mnist).
# Usage: bench/transfer.sh [--pretrain-epochs 2] [--epochs 30] [--labels 100,500,2000]
#                          [--threads 2] [--home DIR]
set -euo pipefail
cd "$(dirname "$0")/.."

. bench/lib.sh
classpath=$(bench_classpath)

export DJL_OFFLINE=true
exec java -Xmx4g -Dai.djl.offline=true -cp "$classpath" \
  dev.lifecycle.bench.TransferExperiment "$@"
