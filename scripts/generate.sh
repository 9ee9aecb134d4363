#!/usr/bin/env bash
# Writes simulated touchpoints (and optionally their ground truth) to a file, standard output or Kafka.
# Builds the job jar first when it is missing or older than the sources.
#
#   scripts/generate.sh --accounts 50 --days 30 --start 2025-01-01T00:00:00Z --file /tmp/t.jsonl --ground-truth /tmp/truth.jsonl
#   scripts/generate.sh --out kafka --bootstrap-servers 127.0.0.1:19092 --topic touchpoints --malformed-rate 0.01
set -euo pipefail
source "$(dirname "$0")/common.sh"

USAGE="usage: scripts/generate.sh [--accounts N] [--days D] [--start ISO-INSTANT] [--seed S] [--deteriorating-share X] [--malformed-rate R] [--duplicate-rate R] [--out-of-order-minutes M] [--out jsonl|avro|kafka] [--file PATH] [--format json|avro] [--bootstrap-servers HOST:PORT] [--topic NAME] [--partitions N] [--ground-truth PATH] [--help]"

# Option names are checked here so that a typo fails at once instead of after a build; values are
# checked by the generator itself.
args=("$@")
i=0
while [ "$i" -lt "${#args[@]}" ]; do
  case "${args[$i]}" in
    -h|--help) headway_usage "$USAGE" ;;
    --accounts|--days|--start|--seed|--deteriorating-share|--malformed-rate|--duplicate-rate|--out-of-order-minutes|--out|--file|--format|--bootstrap-servers|--topic|--partitions|--ground-truth)
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

jar() {
  compgen -G "$HEADWAY_ROOT/jobs/target/headway-jobs-*-job.jar" | head -n 1 || true
}

# The shaded job jar leaves out the logging jars (the Flink cluster provides them), but Avro and the
# Kafka client need slf4j; Maven lists where they are, next to the jar.
LOGGING_CP="$HEADWAY_ROOT/jobs/target/logging.classpath"
JAR="$(jar)"
if [ -z "$JAR" ] || [ ! -f "$LOGGING_CP" ] \
    || [ -n "$(find "$HEADWAY_ROOT/jobs/src/main" "$HEADWAY_ROOT/schemas/src/main" "$HEADWAY_ROOT/pom.xml" \
                    "$HEADWAY_ROOT/jobs/pom.xml" "$HEADWAY_ROOT/schemas/pom.xml" -newer "$JAR" -print -quit)" ]; then
  echo "generate.sh: building the job jar" >&2
  # Build output goes to standard error: standard output may be carrying the records. Offline first
  # (fast, and works without a network once the cache is full), then online for an empty or partial
  # Maven cache, like headway_jobs_classpath in common.sh.
  build_jar() {
    (cd "$HEADWAY_ROOT" && $HEADWAY_MVN "$@" -pl jobs -am package dependency:build-classpath -DskipTests \
        -Dmdep.outputFile=target/logging.classpath -DincludeGroupIds=org.slf4j,org.apache.logging.log4j >&2)
  }
  build_jar -o 2>/dev/null || { echo "generate.sh: offline build failed; building online (downloads dependencies)" >&2; build_jar; } \
    || headway_die "the build failed"
  JAR="$(jar)"
  [ -n "$JAR" ] || headway_die "no job jar under jobs/target after the build"
fi

exec java ${HEADWAY_GENERATOR_JAVA_OPTS:-} \
  -Dlog4j.configurationFile="$HEADWAY_ROOT/scripts/generator-log4j2.properties" \
  -cp "$JAR:$(cat "$LOGGING_CP")" io.headway.generator.GeneratorMain "$@"
