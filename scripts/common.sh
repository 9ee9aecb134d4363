# Sourced by every script in scripts/: one place for paths, ports and shared helpers.
# Override any of these in the environment, e.g. HEADWAY_KAFKA_PORT=19092 scripts/demo.sh

HEADWAY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Everything a script starts or writes (logs, data dirs, PID files) lives under the run dir.
HEADWAY_RUN_DIR="${HEADWAY_RUN_DIR:-$HEADWAY_ROOT/.run}"
HEADWAY_KAFKA_PORT="${HEADWAY_KAFKA_PORT:-19092}"
HEADWAY_KAFKA_CONTROLLER_PORT="${HEADWAY_KAFKA_CONTROLLER_PORT:-19093}"
HEADWAY_PG_PORT="${HEADWAY_PG_PORT:-15432}"
HEADWAY_FLINK_UI_PORT="${HEADWAY_FLINK_UI_PORT:-8081}"
HEADWAY_MVN="${HEADWAY_MVN:-mvn -B -q}"

headway_die() {
  echo "error: $*" >&2
  exit 1
}

# Prints the usage text given as $1 and exits 0 on --help/-h, or 2 when called for wrong arguments.
headway_usage() {
  echo "$1"
  exit "${2:-0}"
}

headway_require_java() {
  command -v java >/dev/null 2>&1 || headway_die "java (JDK 17) is not on the PATH"
  command -v mvn >/dev/null 2>&1 || headway_die "mvn (Maven 3.8+) is not on the PATH"
}
