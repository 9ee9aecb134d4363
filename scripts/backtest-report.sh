#!/usr/bin/env bash
# Writes report.html again from a backtest output directory (scorecard.json and alerts.jsonl), e.g.
# one copied off a server. See io.headway.backtest.report.HtmlReport and docs/backtest.md, "The report".
set -euo pipefail
source "$(dirname "$0")/common.sh"

USAGE="usage: scripts/backtest-report.sh DIR  (a backtest --out directory: reads scorecard.json and alerts.jsonl, writes report.html)"
case "${1:-}" in
  -h|--help) headway_usage "$USAGE" ;;
  "") headway_usage "$USAGE" 2 ;;
esac
[ $# -eq 1 ] || headway_usage "$USAGE" 2
[ -f "$1/scorecard.json" ] || headway_die "no scorecard.json in $1"

headway_require_java17
classpath="$(headway_module_classpath tools io/headway/backtest/report/HtmlReport.class "$HEADWAY_RUN_DIR/backtest/classpath.txt")"
exec java -cp "$classpath" io.headway.backtest.report.HtmlReport "$1"
