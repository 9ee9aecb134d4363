#!/usr/bin/env bash
# Benchmarks the Headway job: replays pre-generated touchpoints through the full workflow and through a
# bare source -> keyBy -> no-op pipeline on a MiniCluster in one JVM, and prints CPU-ns per event.
# See io.headway.bench.Benchmark and RECIPES.md section 7.
set -euo pipefail
source "$(dirname "$0")/common.sh"

HEADWAY_BENCH_JVM_OPTS="${HEADWAY_BENCH_JVM_OPTS:--Xms6g -Xmx6g -XX:+UseG1GC}"
USAGE="usage: scripts/benchmark.sh [--events N] [--accounts N] [--rounds N] [--parallelism N] [--state-backend hashmap|rocksdb] [--seed N] [--days N] [--flink.<option> value ...]
  defaults: 2000000 events, 100000 accounts over 30 days, 3 rounds (+1 warm-up), parallelism 1, hashmap, seed 1
  JVM options: HEADWAY_BENCH_JVM_OPTS (now: $HEADWAY_BENCH_JVM_OPTS)"
BENCH_DIR="$HEADWAY_RUN_DIR/benchmark"

state_backend=hashmap
args=("$@")
i=0
while [ "$i" -lt "${#args[@]}" ]; do
  arg="${args[$i]}"
  case "$arg" in
    -h|--help)
      headway_usage "$USAGE" ;;
    --events=*|--accounts=*|--rounds=*|--parallelism=*|--seed=*|--days=*|--flink.?*=*)
      i=$((i + 1)) ;;
    --state-backend=*)
      state_backend="${arg#*=}"; i=$((i + 1)) ;;
    --events|--accounts|--rounds|--parallelism|--seed|--days|--state-backend|--flink.?*)
      [ $((i + 1)) -lt "${#args[@]}" ] || { echo "error: $arg needs a value" >&2; headway_usage "$USAGE" 2 >&2; }
      [ "$arg" = --state-backend ] && state_backend="${args[$((i + 1))]}"
      i=$((i + 2)) ;;
    *)
      echo "error: unknown argument: $arg" >&2
      headway_usage "$USAGE" 2 >&2 ;;
  esac
done
case "$state_backend" in
  hashmap|rocksdb) ;;
  *) echo "error: --state-backend must be hashmap or rocksdb" >&2; headway_usage "$USAGE" 2 >&2 ;;
esac

headway_require_java
mkdir -p "$BENCH_DIR"
classpath_file="$BENCH_DIR/classpath.txt"

# The tools module with its runtime classpath (Flink included), rebuilt when anything changed.
classpath="$(headway_module_classpath tools io/headway/bench/Benchmark.class "$classpath_file")"

# shellcheck disable=SC2086  # the JVM options are a list of words
exec java $HEADWAY_BENCH_JVM_OPTS \
  -Dlog4j.configurationFile="$HEADWAY_ROOT/scripts/benchmark-log4j2.properties" \
  -cp "$classpath" io.headway.bench.Benchmark "$@"
