#!/usr/bin/env bash
# Converts the Open University Learning Analytics Dataset into a history scripts/backtest.sh replays:
# per batch of at most 8 module presentations (the customer model's journey limit), events.jsonl.gz
# (the touchpoints), outcomes.csv (the final results as the ground truth), model.yaml (one journey per
# presentation) and headway.properties. See io.headway.eval.OuladConvert and docs/oulad.md. The data
# is never copied into the repository: pass where it is, and write the output outside it.
set -euo pipefail
source "$(dirname "$0")/common.sh"

HEADWAY_EVAL_JVM_OPTS="${HEADWAY_EVAL_JVM_OPTS:--Xmx2g -XX:+UseG1GC}"
DEFAULT_DATA="$(cd "$HEADWAY_ROOT/.." && pwd)/shared/data/oulad"
USAGE="usage: scripts/oulad-convert.sh --out DIR [--data DIR] [--modules AAA,BBB] [--rules milestone-overdue[,goal-at-risk,milestone-at-risk]] [--grace-days 7] [--min-missed 1] [--behind-share 0.8 | --behind-before-days N]
  --data: the directory with the OULAD CSV files (default: $DEFAULT_DATA)
  --out: where to write; one directory per batch of presentations (DIR/batch-1, ...) when there is more than one batch"

for arg in "$@"; do
  case "$arg" in -h|--help) headway_usage "$USAGE" ;; esac
done

headway_require_java17
classpath="$(headway_module_classpath tools io/headway/eval/OuladConvert.class "$HEADWAY_RUN_DIR/evaluation/classpath.txt")"

# shellcheck disable=SC2086  # the JVM options are a list of words
exec java $HEADWAY_EVAL_JVM_OPTS \
  -Dlog4j.configurationFile="$HEADWAY_ROOT/scripts/benchmark-log4j2.properties" \
  -Dheadway.oulad.default-data="$DEFAULT_DATA" \
  -cp "$classpath" io.headway.eval.OuladConvert "$@"
