# Sourced by every script in scripts/: one place for paths, ports and shared helpers.
# Override any of these in the environment, e.g. HEADWAY_KAFKA_PORT=19092 scripts/demo.sh

HEADWAY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Everything a script starts or writes (logs, data dirs, PID files) lives under the run dir.
HEADWAY_RUN_DIR="${HEADWAY_RUN_DIR:-$HEADWAY_ROOT/.run}"
HEADWAY_KAFKA_PORT="${HEADWAY_KAFKA_PORT:-19092}"
HEADWAY_KAFKA_CONTROLLER_PORT="${HEADWAY_KAFKA_CONTROLLER_PORT:-19093}"
HEADWAY_PG_PORT="${HEADWAY_PG_PORT:-15432}"
HEADWAY_FLINK_UI_PORT="${HEADWAY_FLINK_UI_PORT:-8081}"
# The standalone session cluster of scripts/flink-cluster.sh: REST / Web UI and JobManager RPC, on 127.0.0.1.
HEADWAY_FLINK_CLUSTER_REST_PORT="${HEADWAY_FLINK_CLUSTER_REST_PORT:-18081}"
HEADWAY_FLINK_CLUSTER_RPC_PORT="${HEADWAY_FLINK_CLUSTER_RPC_PORT:-16123}"
# Prometheus metrics of that cluster: the JobManager and the TaskManager each take one of this port and the next.
HEADWAY_FLINK_METRICS_PORT="${HEADWAY_FLINK_METRICS_PORT:-19249}"
HEADWAY_MVN="${HEADWAY_MVN:-mvn -B -q}"

headway_die() {
  echo "error: $*" >&2
  exit 1
}

# Prints the usage text given as $1 and exits 0 on --help/-h, or 2 when called for wrong arguments.
headway_usage() {
  if [[ "${2:-0}" == 0 ]]; then echo "$1"; else echo "$1" >&2; fi
  exit "${2:-0}"
}

headway_require_java() {
  command -v java >/dev/null 2>&1 || headway_die "java (JDK 17) is not on the PATH"
  command -v mvn >/dev/null 2>&1 || headway_die "mvn (Maven 3.8+) is not on the PATH"
}

# Classpaths written by the build (`mvn package`): the broker's and the local stack's.
HEADWAY_KAFKA_CLASSPATH_FILE="$HEADWAY_ROOT/stack/kafka-broker/target/classpath.txt"
HEADWAY_LOCALSTACK_CLASSPATH_FILE="$HEADWAY_ROOT/stack/localstack/target/classpath.txt"
# The Flink session cluster's lib/ (jars copied by stack/flink-cluster at `mvn package`).
HEADWAY_FLINK_CLUSTER_LIB="$HEADWAY_ROOT/stack/flink-cluster/target/lib"
# Heap of the demo JVM (MiniCluster + generator); the broker has its own (-Xmx512m).
HEADWAY_JAVA_OPTS="${HEADWAY_JAVA_OPTS:--Xmx2g -XX:+UseParallelGC}"
# JDK 17 module flags Flink's own distribution passes (RECIPES.md section 5).
HEADWAY_JAVA_OPENS="--add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
 --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED
 --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
 --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
 --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.text=ALL-UNNAMED
 --add-opens=java.base/java.time=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
 --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
 --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED"

# Fails unless `java` is 17 or newer (the build targets release 17; Flink 2.2 needs 11+).
headway_require_java17() {
  headway_require_java
  local version major
  version="$(java -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -1)"
  major="${version%%.*}"
  [[ "$major" =~ ^[0-9]+$ ]] || headway_die "cannot tell the Java version from 'java -version' ($version)"
  ((major >= 17)) || headway_die "Java 17 or newer is needed, found $version ($(command -v java))"
}

# Builds the reactor once (quiet; the first run downloads dependencies from Maven Central).
headway_build() {
  mkdir -p "$HEADWAY_RUN_DIR/logs"
  local log="$HEADWAY_RUN_DIR/logs/build.log" start=$SECONDS
  echo "Building Headway (mvn package -DskipTests; the first run downloads dependencies, a few minutes) ..."
  if ! (cd "$HEADWAY_ROOT" && $HEADWAY_MVN package -DskipTests) >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    headway_die "the build failed; full output in $log"
  fi
  echo "Built in $((SECONDS - start)) s."
}

# Prints the PID recorded in file $1 if that process is alive, else nothing (exit status 1).
headway_live_pid() {
  local pid
  [[ -f "$1" ]] || return 1
  pid="$(tr -dc '0-9' <"$1")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

# Classpath of the local stack: its jar, then its dependencies (headway-jobs, Flink, PostgreSQL, ...).
headway_localstack_classpath() {
  local jar
  jar="$(ls "$HEADWAY_ROOT"/stack/localstack/target/headway-localstack-*.jar 2>/dev/null | head -1)"
  [[ -n "$jar" && -f "$HEADWAY_LOCALSTACK_CLASSPATH_FILE" ]] || headway_die "the local stack is not built (run scripts/demo.sh, or mvn -B -q package -DskipTests)"
  echo "$jar:$(cat "$HEADWAY_LOCALSTACK_CLASSPATH_FILE")"
}

# Classpath of a tool module (generator, tools) for the command-line tools run from its classes: the
# module's classes, then its runtime dependencies (headway-jobs' classes, Flink, Kafka, ...). Builds the
# module (with its tests: their fixtures resolve from the reactor) and writes the dependency list to
# file $3 when class $2 (a path under $1/target/classes) is missing or a pom or source changed since
# that file was written. Offline first, online if something is missing (an empty Maven cache).
headway_module_classpath() {
  local module="$1" classes="$HEADWAY_ROOT/$1/target/classes" marker="$HEADWAY_ROOT/$1/target/classes/$2" classpath_file="$3"
  mkdir -p "$(dirname "$classpath_file")"
  if [ ! -f "$marker" ] || [ ! -s "$classpath_file" ] || [ -n "$(find "$HEADWAY_ROOT/pom.xml" "$HEADWAY_ROOT/schemas" \
      "$HEADWAY_ROOT/jobs/pom.xml" "$HEADWAY_ROOT/jobs/src/main" "$HEADWAY_ROOT/generator/pom.xml" "$HEADWAY_ROOT/generator/src/main" \
      "$HEADWAY_ROOT/$module/pom.xml" "$HEADWAY_ROOT/$module/src/main" -newer "$classpath_file" -type f -not -path '*/target/*' -print -quit)" ]; then
    echo "Building $module..." >&2
    # Every module of the reactor writes the file in turn: only a build that succeeded leaves the module's own list.
    rm -f "$classpath_file"
    (cd "$HEADWAY_ROOT" && $HEADWAY_MVN -o -pl "$module" -am test-compile dependency:build-classpath \
      -Dmdep.outputFile="$classpath_file" -DincludeScope=runtime) >&2 \
      || (cd "$HEADWAY_ROOT" && $HEADWAY_MVN -pl "$module" -am test-compile dependency:build-classpath \
      -Dmdep.outputFile="$classpath_file" -DincludeScope=runtime) >&2 \
      || { rm -f "$classpath_file"; headway_die "building the $module module failed"; }
    touch "$marker"
  fi
  echo "$classes:$(cat "$classpath_file")"
}

# Runs an evaluation main of the tools module (OuladEvaluation, RiskEvaluation) with the OULAD
# default data directory: the caller sets HEADWAY_EVAL_JVM_OPTS and DEFAULT_DATA, then
# `headway_exec_evaluation io.headway.eval.Main "$USAGE" "$@"`. Does not return.
headway_exec_evaluation() {
  local main="$1" usage="$2" arg classpath
  shift 2
  for arg in "$@"; do
    case "$arg" in -h|--help) headway_usage "$usage" ;; esac
  done
  headway_require_java17
  classpath="$(headway_module_classpath tools "${main//.//}.class" "$HEADWAY_RUN_DIR/evaluation/${main##*.}-classpath.txt")"
  # shellcheck disable=SC2086  # the JVM options are a list of words
  exec java $HEADWAY_EVAL_JVM_OPTS $HEADWAY_JAVA_OPENS \
    -Dlog4j.configurationFile="$HEADWAY_ROOT/scripts/benchmark-log4j2.properties" \
    -Dheadway.oulad.default-data="$DEFAULT_DATA" \
    -cp "$classpath" "$main" "$@"
}
