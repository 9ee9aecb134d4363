#!/usr/bin/env bash
# Scores Headway's risk alerts against real results: the Open University Learning Analytics Dataset
# (students on module presentations, assessment deadlines, final results) converted as
# scripts/oulad-convert.sh does, each batch backtested as scripts/backtest.sh does (the production
# workflow on a MiniCluster), the table printed from the scorecards; all in one JVM. See
# io.headway.eval.OuladEvaluation and docs/oulad.md. The data is never copied into the repository.
set -euo pipefail
source "$(dirname "$0")/common.sh"

HEADWAY_EVAL_JVM_OPTS="${HEADWAY_EVAL_JVM_OPTS:--Xmx4g -XX:+UseG1GC}"
DEFAULT_DATA="$(cd "$HEADWAY_ROOT/.." && pwd)/shared/data/oulad"
USAGE="usage: scripts/evaluate-oulad.sh [--data DIR] [--modules AAA,BBB] [--rules milestone-overdue[,goal-at-risk,milestone-at-risk]] [--grace-days 7] [--min-missed 1] [--behind-share 0.8 | --behind-before-days N] [--parallelism 1] [--students FILE.csv] [--out DIR]
  --data: the directory with the OULAD CSV files (default: $DEFAULT_DATA)
  --out: keep the converted batches and their backtests (scorecard.json, alerts.jsonl, report.html) there (default: a temporary directory, deleted)
  JVM options: HEADWAY_EVAL_JVM_OPTS (now: $HEADWAY_EVAL_JVM_OPTS)"

headway_exec_evaluation io.headway.eval.OuladEvaluation "$USAGE" "$@"
