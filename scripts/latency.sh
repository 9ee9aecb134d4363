#!/usr/bin/env bash
# Measures event -> output latency of the Headway job through a real Kafka broker with exactly-once
# outputs: finds the maximum sustainable input rate, then measures probe latency at half of it.
# Starts its own broker (scripts/kafka.sh, in its own run dir and ports) and stops only that one.
# See io.headway.bench.LatencyBenchmark.
set -euo pipefail
source "$(dirname "$0")/common.sh"

HEADWAY_LATENCY_JVM_OPTS="${HEADWAY_LATENCY_JVM_OPTS:--Xms2g -Xmx2g -XX:+UseG1GC}"
USAGE="usage: scripts/latency.sh [--rate N | --start-rate N --max-rate N --step S] [--duration S] [--probes-per-second N] [--probe alert|journey] [--accounts N] [--parallelism N] [--watermark.max-out-of-orderness '1 s'] [--<job key> value ...]
  defaults: search from 1000/s doubling up to 64000/s, 15 s per step; 60 s of probes (5/s) at half the maximum;
  20000 accounts; parallelism 2; exactly-once outputs, checkpoints every 1 s, watermark.max-out-of-orderness 1 s
  broker: 127.0.0.1:\$HEADWAY_LATENCY_KAFKA_PORT (now ${HEADWAY_LATENCY_KAFKA_PORT:-19192}), data under \$HEADWAY_RUN_DIR/latency
  JVM options: HEADWAY_LATENCY_JVM_OPTS (now: $HEADWAY_LATENCY_JVM_OPTS)"

for arg in "$@"; do
  case "$arg" in
    -h|--help) headway_usage "$USAGE" ;;
    --bootstrap-servers|--bootstrap-servers=*) echo "error: the script starts its own broker" >&2; headway_usage "$USAGE" 2 ;;
  esac
done

headway_require_java17
LATENCY_DIR="$HEADWAY_RUN_DIR/latency"
mkdir -p "$LATENCY_DIR/tmp"
# The tools module with its runtime classpath (Flink included), rebuilt when anything changed.
classpath="$(headway_module_classpath tools io/headway/bench/LatencyBenchmark.class "$LATENCY_DIR/classpath.txt")"

# The broker: scripts/kafka.sh (a KRaft broker in its own JVM, as the demo runs it) in a run dir and on
# ports of its own, so a running demo is not disturbed. Stopped on exit by its recorded PID.
export HEADWAY_RUN_DIR="$LATENCY_DIR"
export HEADWAY_KAFKA_PORT="${HEADWAY_LATENCY_KAFKA_PORT:-19192}"
export HEADWAY_KAFKA_CONTROLLER_PORT="${HEADWAY_LATENCY_KAFKA_CONTROLLER_PORT:-19193}"
if "$HEADWAY_ROOT/scripts/kafka.sh" status >/dev/null 2>&1; then
  headway_die "a latency broker is already running on 127.0.0.1:$HEADWAY_KAFKA_PORT (scripts/kafka.sh with HEADWAY_RUN_DIR=$LATENCY_DIR stops it)"
fi
"$HEADWAY_ROOT/scripts/kafka.sh" start
trap '"$HEADWAY_ROOT/scripts/kafka.sh" stop' EXIT

# shellcheck disable=SC2086  # the JVM options are lists of words
java $HEADWAY_LATENCY_JVM_OPTS $HEADWAY_JAVA_OPENS \
  -Djava.io.tmpdir="$LATENCY_DIR/tmp" -Dlog4j.configurationFile="$HEADWAY_ROOT/scripts/benchmark-log4j2.properties" \
  -cp "$classpath" io.headway.bench.LatencyBenchmark \
  --bootstrap-servers "127.0.0.1:$HEADWAY_KAFKA_PORT" "$@"
