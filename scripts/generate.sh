#!/usr/bin/env bash
# Writes simulated touchpoints (and optionally their ground truth) to a file, standard output or Kafka.
# Builds the job jar first when it is missing or older than the sources.
#
#   scripts/generate.sh --accounts 50 --days 30 --start 2025-01-01T00:00:00Z --file /tmp/t.jsonl --ground-truth /tmp/truth.jsonl
#   scripts/generate.sh --file /tmp/history.jsonl --outcomes /tmp/outcomes.csv   # a history for scripts/backtest.sh
#   scripts/generate.sh --mix realistic --behaviour-share transient_dip=0.5 --file /tmp/h.jsonl --outcomes /tmp/o.csv
#   scripts/generate.sh --out kafka --bootstrap-servers 127.0.0.1:19092 --topic touchpoints --malformed-rate 0.01
set -euo pipefail
source "$(dirname "$0")/common.sh"

USAGE="usage: scripts/generate.sh [--accounts N] [--days D] [--start ISO-INSTANT] [--seed S] [--deteriorating-share X] [--malformed-rate R] [--duplicate-rate R] [--out-of-order-minutes M] [--out jsonl|avro|kafka] [--file PATH] [--format json|avro] [--bootstrap-servers HOST:PORT] [--topic NAME] [--partitions N] [--ground-truth PATH] [--outcomes PATH.csv] [--mix classic|realistic] [--behaviour-share NAME=X] [--help]"

# Option names are checked here so that a typo fails at once instead of after a build; values are
# checked by the generator itself.
args=("$@")
i=0
while [ "$i" -lt "${#args[@]}" ]; do
  case "${args[$i]}" in
    -h|--help) headway_usage "$USAGE" ;;
    --accounts|--days|--start|--seed|--deteriorating-share|--malformed-rate|--duplicate-rate|--out-of-order-minutes|--out|--file|--format|--bootstrap-servers|--topic|--partitions|--ground-truth|--outcomes|--mix|--behaviour-share)
      if [ $((i + 1)) -ge "${#args[@]}" ]; then
        echo "error: ${args[$i]} needs a value" >&2
        headway_usage "$USAGE" 2 >&2
      fi
      i=$((i + 2)) ;;
    *)
      echo "error: ${args[$i]}: unknown argument" >&2
      headway_usage "$USAGE" 2 >&2 ;;
  esac
done

headway_require_java

# The generator module's classes and runtime classpath, rebuilt when anything changed. Build output goes
# to standard error: standard output may be carrying the records.
classpath="$(headway_module_classpath generator io/headway/generator/GeneratorMain.class "$HEADWAY_RUN_DIR/generator/classpath.txt")"

exec java ${HEADWAY_GENERATOR_JAVA_OPTS:-} \
  -Dlog4j.configurationFile="$HEADWAY_ROOT/scripts/generator-log4j2.properties" \
  -cp "$classpath" io.headway.generator.GeneratorMain "$@"
