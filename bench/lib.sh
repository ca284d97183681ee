# Sourced by the bench/*.sh scripts (from the repository root).
# bench_classpath: builds the bench module and the modules it depends on when any of their sources
# is newer than the last build (-am builds them from this tree, so a benchmark never runs a stale
# ~/.m2 copy), then prints the Java classpath to run a benchmark class with.
bench_classpath() {
  local classpath=bench/target/classpath.txt
  if [ ! -f "$classpath" ] || [ -n "$(find bench/pom.xml bench/src workflows/src/main \
    dsl/src/main activities/src/main examples/src/main worker/src/main -newer "$classpath" -print -quit)" ]; then
    mvn -B -q -o -Dspotless.apply.skip=true -pl bench -am package -DskipTests >&2 || return 1
  fi
  echo "bench/target/classes:$(cat "$classpath")"
}

# glibc settings the worker launcher and the tests use; DESIGN.md measured DJL 2.5x slower without.
export MALLOC_TRIM_THRESHOLD_=1073741824 MALLOC_MMAP_THRESHOLD_=33554432
