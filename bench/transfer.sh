#!/usr/bin/env bash
# Transfer learning on shifted Fashion-MNIST: fine-tuning the pretrained base CNN against training
# from scratch on 100, 500 and 2,000 labelled images from a new camera, all run as Lifecycle
# pipelines with the real activities. See BENCHMARKS.md, "Transfer learning on shifted
# Fashion-MNIST". Needs /usr/share/datasets/fashion-mnist (Debian dataset-fashion-mnist).
# Usage: bench/transfer.sh [--pretrain-epochs 2] [--epochs 30] [--labels 100,500,2000]
#                          [--threads 2] [--home DIR]
set -euo pipefail
cd "$(dirname "$0")/.."

classpath=bench/target/classpath.txt
stale() {
  [ ! -f "$classpath" ] && return 0
  [ -n "$(find bench/pom.xml bench/src workflows/src/main dsl/src/main activities/src/main \
    examples/src/main -newer "$classpath" -print -quit)" ]
}
if stale; then
  # -am builds the modules from this tree, so the experiment never runs a stale ~/.m2 copy.
  mvn -B -q -o -Dspotless.apply.skip=true -pl bench -am package -DskipTests
fi

export MALLOC_TRIM_THRESHOLD_=1073741824 MALLOC_MMAP_THRESHOLD_=33554432 DJL_OFFLINE=true
exec java -Xmx4g -Dai.djl.offline=true -cp "bench/target/classes:$(cat "$classpath")" \
  dev.lifecycle.bench.TransferExperiment "$@"
