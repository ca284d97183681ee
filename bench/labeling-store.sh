#!/usr/bin/env bash
# The labeling store without HTTP (dev.lifecycle.bench.LabelingStoreBench), on H2 in a fresh
# directory, or on PostgreSQL with --jdbc URL --jdbc-user U --jdbc-password P. Not run by CI. See
# BENCHMARKS.md, "Labeling API".
#   bench/labeling-store.sh loop [--items 10000] [--loop-items 500] [--threads 8] [--per-item 1]
#     the page's loop (next, progress, answer) over the last --loop-items items of a job whose
#     other items are answered; items/s, latencies, and no item over- or under-answered.
#   bench/labeling-store.sh prepare [--items 200000] [--xmx 96m]
#     preparing a label step over that many small text rows; time and peak heap in use.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
classpath=$(bench_classpath)
mode=${1:-loop}
shift || true
xmx=1g
args=()
while [ $# -gt 0 ]; do
  if [ "$1" = "--xmx" ]; then xmx=$2; shift 2; else args+=("$1"); shift; fi
done
exec java "-Xmx$xmx" -Dai.djl.offline=true -cp "$classpath" dev.lifecycle.bench.LabelingStoreBench \
  "$mode" "${args[@]}"
