#!/usr/bin/env bash
# Answers per second through the labeling REST API of a running worker: starts `lifecycle dev`
# (embedded Temporal test server, worker, REST API; H2 under a fresh LIFECYCLE_HOME) on free ports,
# runs a pipeline whose label step holds --items rows, and has --threads annotators answer over
# HTTP. Prints the rate and its ratio to the target (500 answers/s). Not run by CI. See
# BENCHMARKS.md, "Labeling API".
# Usage: bench/labeling-api.sh [--items 20000] [--threads 8] [--loop-items 500]
#        bench/labeling-api.sh --url http://host:8080 --temporal host:7233 --admin-token T ...
#        (the second form measures a worker you started yourself)
set -euo pipefail
cd "$(dirname "$0")/.."

stale() {
  local file=$1
  [ ! -f "$file" ] && return 0
  [ -n "$(find bench/pom.xml bench/src worker/pom.xml worker/src/main workflows/src/main \
    dsl/src/main activities/src/main examples/src/main -newer "$file" -print -quit)" ]
}
if stale bench/target/classpath.txt || stale worker/target/classpath.txt; then
  # -am builds the modules from this tree, so the benchmark never runs a stale ~/.m2 copy.
  mvn -B -q -o -Dspotless.apply.skip=true -pl worker,bench -am package -DskipTests
  touch bench/target/classpath.txt worker/target/classpath.txt
fi
bench_cp="bench/target/classes:$(cat bench/target/classpath.txt)"

if [[ " $* " == *" --url "* ]]; then
  exec java -Xmx1g -cp "$bench_cp" dev.lifecycle.bench.LabelingApiBench "$@"
fi

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
http_port=$(free_port)
temporal_port=$(free_port)
home=$(mktemp -d -t labeling-bench-XXXXXX)
admin=$(/usr/bin/python3 -c 'import secrets; print(secrets.token_hex(16))')
log="$home/worker.log"

LIFECYCLE_HOME="$home" LIFECYCLE_ADMIN_TOKEN="$admin" \
  java -Xmx2g -Dai.djl.offline=true -cp "worker/target/classes:$(cat worker/target/classpath.txt)" \
  dev.lifecycle.worker.Main dev --port "$http_port" --temporal-port "$temporal_port" >"$log" 2>&1 &
worker=$!
cleanup() { kill "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true; rm -rf "$home"; }
trap cleanup EXIT

for _ in $(seq 1 240); do
  if curl -sf "http://localhost:$http_port/label/index.html" >/dev/null; then break; fi
  if ! kill -0 "$worker" 2>/dev/null; then cat "$log" >&2; exit 1; fi
  sleep 0.5
done
echo "Worker up on :$http_port (Temporal :$temporal_port), LIFECYCLE_HOME=$home; load: $(cut -d' ' -f1-3 /proc/loadavg)"

java -Xmx1g -cp "$bench_cp" dev.lifecycle.bench.LabelingApiBench \
  --url "http://localhost:$http_port" --temporal "localhost:$temporal_port" --admin-token "$admin" --worker-pid "$worker" "$@"
echo "Load after: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
