#!/usr/bin/env bash
# Evaluates the fitted account risk on data its fit did not see: OULAD leave-one-module-out (each
# module held out once, the risk fitted on the others' samples, the held-out module scored with its
# own model and the fitted risk: section), or a generated history of seed A fitted and seed B scored.
# Prints and writes evaluation.json and evaluation.md: account_risk, the default rule and (OULAD) the
# first-deadline baseline, per held-out set and pooled. See io.headway.eval.RiskEvaluation and
# docs/oulad.md. The data is never copied into the repository.
set -euo pipefail
source "$(dirname "$0")/common.sh"

HEADWAY_EVAL_JVM_OPTS="${HEADWAY_EVAL_JVM_OPTS:--Xmx4g -XX:+UseG1GC}"
DEFAULT_DATA="$(cd "$HEADWAY_ROOT/.." && pwd)/shared/data/oulad"
USAGE="usage: scripts/evaluate-risk.sh [--data DIR] [--modules AAA,BBB,DDD,FFF] --out DIR [--target-precision 0.8] [--budget true|false] [--parallelism 1]
       scripts/evaluate-risk.sh --generator-seeds 23,24 [--accounts 1000] --out DIR [--target-precision 0.8] [--budget true|false]
  --data: the directory with the OULAD CSV files (default: $DEFAULT_DATA)
  JVM options: HEADWAY_EVAL_JVM_OPTS (now: $HEADWAY_EVAL_JVM_OPTS)"

headway_exec_evaluation io.headway.eval.RiskEvaluation "$USAGE" "$@"
