#!/usr/bin/env bash
# Every drift statistic Lifecycle's monitor computes (PSI, Jensen-Shannon, Kolmogorov-Smirnov,
# Wasserstein per numeric feature; chi-square, PSI, Jensen-Shannon per categorical feature) over
# ROWS x FEATURES, baseline against a shifted window, in Lifecycle (Java) and in NumPy/SciPy
# (Debian's python3-scipy at /usr/bin/python3) on the same data, one after the other in one run.
# Prints time and peak-memory ratios and checks that both sides agree to 1e-9. Not run by CI.
# See BENCHMARKS.md, "Drift statistics".
# Usage: bench/drift.sh [ROWS=1000000] [FEATURES=20] [CATEGORICAL=4] [ROUNDS=3]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
features=${2:-20}
categorical=${3:-4}
rounds=${4:-3}

if ! /usr/bin/python3 -c 'import scipy, numpy' 2>/dev/null; then
  echo "This benchmark needs Debian's python3-scipy and python3-numpy (/usr/bin/python3)." >&2
  exit 1
fi

. bench/lib.sh
classpath=$(bench_classpath)

dir=$(mktemp -d /tmp/lifecycle-drift-bench.XXXXXX)
trap 'rm -rf "$dir"' EXIT
java_run() {
  java -Xmx8g -cp "$classpath" dev.lifecycle.bench.DriftBench "$@"
}
echo "Generating ${rows} rows x ${features} features (${categorical} categorical), seed 7 ..."
java_run generate "$dir" "$rows" "$features" "$categorical" 7
echo "Lifecycle (Java $(java -version 2>&1 | head -1 | cut -d'"' -f2)), ${rounds} rounds ..."
java_run run "$dir" "$rounds" "$dir/java.json"
echo "NumPy $(/usr/bin/python3 -c 'import numpy; print(numpy.__version__)') /" \
  "SciPy $(/usr/bin/python3 -c 'import scipy; print(scipy.__version__)'), ${rounds} rounds ..."
/usr/bin/python3 bench/python/drift_bench.py "$dir" "$rounds" "$dir/python.json"
java_run compare "$dir/java.json" "$dir/python.json"
