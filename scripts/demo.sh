#!/usr/bin/env bash
# The Headway local demo in one command: builds the project, starts a Kafka broker and PostgreSQL
# (under the run dir, on the ports in common.sh), generates touchpoints, runs the Headway job on a
# local Flink MiniCluster with the Web UI and prints live progress and a summary (io.headway.localstack.LocalDemo).
set -euo pipefail
source "$(dirname "$0")/common.sh"

# Timings in the summary count from here, so they include the build.
HEADWAY_DEMO_STARTED_AT_MS="$(date +%s%3N)"
# BSD date has no %N: whole seconds are good enough there.
[[ "$HEADWAY_DEMO_STARTED_AT_MS" =~ ^[0-9]+$ ]] || HEADWAY_DEMO_STARTED_AT_MS="$(($(date +%s) * 1000))"
export HEADWAY_DEMO_STARTED_AT_MS

USAGE="usage: scripts/demo.sh [--accounts N] [--days D] [--seed S] [--parallelism P] [--exit] [--help]
  --accounts N  accounts to generate (default 300)
  --days D      days of history to generate (default 60)
  --seed S      generator seed (default 42)
  --parallelism P  parallelism of the job (default 2; at most 6: seven database sinks x one connection per
                subtask must fit the local PostgreSQL's 50 connections)
  --exit        stop Kafka and PostgreSQL when the job is done (default: keep them up for psql until Ctrl-C)
Ports and paths come from scripts/common.sh (HEADWAY_KAFKA_PORT=$HEADWAY_KAFKA_PORT, HEADWAY_PG_PORT=$HEADWAY_PG_PORT,
HEADWAY_FLINK_UI_PORT=$HEADWAY_FLINK_UI_PORT, HEADWAY_RUN_DIR=$HEADWAY_RUN_DIR); override them in the environment."

args=()
while (($#)); do
  case "$1" in
    --accounts | --days | --seed | --parallelism)
      (($# >= 2)) || { echo "error: $1 needs a value" >&2; headway_usage "$USAGE" 2; }
      [[ "$2" =~ ^[0-9]+$ ]] || { echo "error: $1 needs a number, got '$2'" >&2; headway_usage "$USAGE" 2; }
      args+=("$1" "$2")
      shift 2
      ;;
    --exit | --keep-running)
      args+=("$1")
      shift
      ;;
    -h | --help) headway_usage "$USAGE" ;;
    *)
      echo "error: unknown argument '$1'" >&2
      headway_usage "$USAGE" 2
      ;;
  esac
done

headway_require_java17
headway_build
classpath="$(headway_localstack_classpath)"
mkdir -p "$HEADWAY_RUN_DIR/tmp" "$HEADWAY_RUN_DIR/logs"

# exec: the JVM becomes this process, so Ctrl-C reaches it directly; it stops the broker and PostgreSQL
# it started (by their PIDs, recorded under the run dir) from its shutdown hook.
# shellcheck disable=SC2086 # HEADWAY_JAVA_OPTS and HEADWAY_JAVA_OPENS are lists of flags.
exec java $HEADWAY_JAVA_OPTS $HEADWAY_JAVA_OPENS \
  -Djava.io.tmpdir="$HEADWAY_RUN_DIR/tmp" \
  -Dheadway.log.file="$HEADWAY_RUN_DIR/logs/localdemo.log" \
  -cp "$classpath" io.headway.localstack.LocalDemo \
  --run-dir "$HEADWAY_RUN_DIR" \
  --kafka-port "$HEADWAY_KAFKA_PORT" --kafka-controller-port "$HEADWAY_KAFKA_CONTROLLER_PORT" \
  --pg-port "$HEADWAY_PG_PORT" --ui-port "$HEADWAY_FLINK_UI_PORT" \
  --kafka-classpath-file "$HEADWAY_KAFKA_CLASSPATH_FILE" \
  "${args[@]}"
