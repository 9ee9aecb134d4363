#!/usr/bin/env bash
# Backtests a history: replays touchpoint files through the production Headway workflow on a
# MiniCluster in one JVM and scores every alert rule against the outcomes that really happened.
# See docs/backtest.md and io.headway.backtest.BacktestMain.
#
#   scripts/backtest.sh --events /data/history/ --outcomes /data/outcomes.csv --out /tmp/backtest
#   scripts/backtest.sh --events h.jsonl.gz --outcomes o.csv --model mine.yaml --compare candidate.yaml --out /tmp/ab
#   scripts/backtest.sh --events h.jsonl.gz --outcomes o.csv --fit fitted.yaml --out /tmp/fit   # fit the account risk
set -euo pipefail
source "$(dirname "$0")/common.sh"

HEADWAY_BACKTEST_JVM_OPTS="${HEADWAY_BACKTEST_JVM_OPTS:--Xmx4g -XX:+UseParallelGC}"

headway_require_java17
classpath="$(headway_module_classpath tools io/headway/backtest/BacktestMain.class "$HEADWAY_RUN_DIR/backtest/classpath.txt")"

# shellcheck disable=SC2086  # the JVM options are a list of words
exec java $HEADWAY_BACKTEST_JVM_OPTS $HEADWAY_JAVA_OPENS \
  -Dlog4j.configurationFile="$HEADWAY_ROOT/scripts/benchmark-log4j2.properties" \
  -cp "$classpath" io.headway.backtest.BacktestMain "$@"
