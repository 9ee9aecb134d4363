#!/usr/bin/env bash
# A standalone Flink 2.2 session cluster (one JobManager, one TaskManager, each its own JVM) built from
# Maven Central jars (stack/flink-cluster/target/lib; flink-dist is not served), to run the shaded
# job jar the way a real cluster does: separate client, user-code class loader, savepoints on disk.
# RECIPES.md section 5. Everything it writes is under $HEADWAY_RUN_DIR/flink-cluster.
set -euo pipefail
source "$(dirname "$0")/common.sh"

USAGE="usage: scripts/flink-cluster.sh start|stop|status|submit [JOB ARGS...]|savepoint [JOB_ID]|stop-job [JOB_ID]|resume SAVEPOINT [JOB ARGS...]
  start              start a JobManager and a TaskManager (4 slots) on 127.0.0.1, REST / Web UI on
                     http://127.0.0.1:$HEADWAY_FLINK_CLUSTER_REST_PORT, and wait until the TaskManager has registered
  stop               stop the JobManager and TaskManager that 'start' started (by their recorded PIDs)
  status             say whether they run, with the cluster's jobs
  submit ARGS...     run the Headway job jar detached with these job arguments, e.g.
                     --kafka.bootstrap-servers 127.0.0.1:$HEADWAY_KAFKA_PORT --checkpoint.interval '5 s'
                     and wait until all its tasks are RUNNING
  savepoint [ID]     take a savepoint of the running Headway job (or job ID); the job keeps running
  stop-job [ID]      stop the running Headway job (or job ID) with a savepoint; prints its path
  resume SP ARGS...  run the job jar from savepoint SP ('last' = the one the last stop-job/savepoint took)
Environment: HEADWAY_RUN_DIR, HEADWAY_FLINK_CLUSTER_REST_PORT ($HEADWAY_FLINK_CLUSTER_REST_PORT), HEADWAY_FLINK_CLUSTER_RPC_PORT ($HEADWAY_FLINK_CLUSTER_RPC_PORT),
HEADWAY_FLINK_METRICS_PORT ($HEADWAY_FLINK_METRICS_PORT: Prometheus; JobManager and TaskManager take it and the next),
HEADWAY_FLINK_CLUSTER_PARALLELISM (default parallelism of jobs, 2), HEADWAY_JOB_JAR (default jobs/target/headway-jobs-*-job.jar)"

CLUSTER_DIR="$HEADWAY_RUN_DIR/flink-cluster"
CONF_DIR="$CLUSTER_DIR/conf"
LOG_DIR="$CLUSTER_DIR/log"
# Empty, but Flink warns when its plugins directory (default: ./plugins) is missing.
export FLINK_PLUGINS_DIR="$CLUSTER_DIR/plugins"
TMP_DIR="$CLUSTER_DIR/tmp"
CHECKPOINT_DIR="$CLUSTER_DIR/checkpoints"
SAVEPOINT_DIR="$CLUSTER_DIR/savepoints"
JM_PID_FILE="$CLUSTER_DIR/jobmanager.pid"
TM_PID_FILE="$CLUSTER_DIR/taskmanager.pid"
JOB_ID_FILE="$CLUSTER_DIR/job.id"
LAST_SAVEPOINT_FILE="$CLUSTER_DIR/last-savepoint"
REST_URL="http://127.0.0.1:$HEADWAY_FLINK_CLUSTER_REST_PORT"
JM_CLASS=org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint
TM_CLASS=org.apache.flink.runtime.taskexecutor.TaskManagerRunner
PARALLELISM="${HEADWAY_FLINK_CLUSTER_PARALLELISM:-2}"
JOB_NAME="Headway"
START_DEADLINE_S=90
RUNNING_DEADLINE_S=120

now_ms() { date +%s%3N; }
secs_since() { local d=$(($(now_ms) - $1)); printf '%d.%01d' $((d / 1000)) $((d % 1000 / 100)); }

# Our JobManager / TaskManager, not merely a live PID: after a reboot the number may belong to something else.
our_pid() { # pid-file main-class
  local pid
  pid="$(headway_live_pid "$1")" || return 1
  ps -o args= -p "$pid" 2>/dev/null | grep -qF "$2 --configDir $CONF_DIR" || return 1
  echo "$pid"
}

rest_get() { curl -sf --max-time 5 "$REST_URL$1"; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

require_lib() {
  compgen -G "$HEADWAY_FLINK_CLUSTER_LIB/flink-runtime-*.jar" >/dev/null || headway_build
  compgen -G "$HEADWAY_FLINK_CLUSTER_LIB/flink-runtime-*.jar" >/dev/null \
    || headway_die "no Flink jars in $HEADWAY_FLINK_CLUSTER_LIB after the build"
}

job_jar() {
  local jar="${HEADWAY_JOB_JAR:-}"
  [[ -n "$jar" ]] || jar="$(compgen -G "$HEADWAY_ROOT/jobs/target/headway-jobs-*-job.jar" | head -n 1 || true)"
  if [[ -z "$jar" ]]; then
    headway_build >&2
    jar="$(compgen -G "$HEADWAY_ROOT/jobs/target/headway-jobs-*-job.jar" | head -n 1 || true)"
  fi
  [[ -f "$jar" ]] || headway_die "no job jar (${HEADWAY_JOB_JAR:-jobs/target/headway-jobs-*-job.jar})"
  echo "$jar"
}

write_conf() {
  mkdir -p "$CONF_DIR" "$LOG_DIR" "$TMP_DIR" "$FLINK_PLUGINS_DIR" "$CHECKPOINT_DIR" "$SAVEPOINT_DIR"
  cat >"$CONF_DIR/config.yaml" <<EOF
# Written by scripts/flink-cluster.sh start; rewritten on every start.
jobmanager.rpc.address: 127.0.0.1
jobmanager.rpc.port: $HEADWAY_FLINK_CLUSTER_RPC_PORT
jobmanager.bind-host: 127.0.0.1
jobmanager.memory.process.size: 1024m
taskmanager.host: 127.0.0.1
taskmanager.bind-host: 127.0.0.1
taskmanager.numberOfTaskSlots: 4
taskmanager.memory.process.size: 1536m
parallelism.default: $PARALLELISM
rest.address: 127.0.0.1
rest.bind-address: 127.0.0.1
rest.port: $HEADWAY_FLINK_CLUSTER_REST_PORT
execution.checkpointing.dir: file://$CHECKPOINT_DIR
execution.checkpointing.savepoint-dir: file://$SAVEPOINT_DIR
io.tmp.dirs: $TMP_DIR
web.tmpdir: $TMP_DIR/web
# Prometheus: one endpoint per process, http://127.0.0.1:<port>/metrics (docs/operations.md, "Metrics").
metrics.reporter.prom.factory.class: org.apache.flink.metrics.prometheus.PrometheusReporterFactory
metrics.reporter.prom.host: 127.0.0.1
metrics.reporter.prom.port: $HEADWAY_FLINK_METRICS_PORT-$((HEADWAY_FLINK_METRICS_PORT + 1))
EOF
  # As flink-dist's conf/log4j.properties: one rolling file per process (log.file is set per JVM).
  cat >"$CONF_DIR/log4j.properties" <<'EOF'
monitorInterval = 30
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = MainAppender
logger.pekko.name = org.apache.pekko
logger.pekko.level = INFO
logger.kafka.name = org.apache.kafka
logger.kafka.level = INFO
logger.netty.name = org.jboss.netty.channel.DefaultChannelPipeline
logger.netty.level = OFF
appender.main.name = MainAppender
appender.main.type = RollingFile
appender.main.append = true
appender.main.fileName = ${sys:log.file}
appender.main.filePattern = ${sys:log.file}.%i
appender.main.layout.type = PatternLayout
appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
appender.main.policies.type = Policies
appender.main.policies.size.type = SizeBasedTriggeringPolicy
appender.main.policies.size.size = 100MB
appender.main.strategy.type = DefaultRolloverStrategy
appender.main.strategy.max = 10
EOF
  # The CLI logs to a file only; its messages for the user go to standard output anyway. The YARN
  # session CLI it probes for is not on the classpath: that warning is noise here.
  cat >"$CONF_DIR/log4j-cli.properties" <<'EOF'
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FileAppender
logger.cli.name = org.apache.flink.client.cli.CliFrontend
logger.cli.level = ERROR
appender.file.name = FileAppender
appender.file.type = FILE
appender.file.append = true
appender.file.fileName = ${sys:log.file}
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
EOF
}

# Starts one Flink process ($1 = jobmanager|taskmanager) in the background, as Flink's bin scripts do:
# JVM flags and -D memory settings computed by BashJavaUtils from config.yaml.
start_process() {
  local role="$1" class="$2" pid_file="$3" params jvm_flags dynamic_props
  local what=GET_TM_RESOURCE_PARAMS
  [[ "$role" == jobmanager ]] && what=GET_JM_RESOURCE_PARAMS
  params="$(java -Djava.io.tmpdir="$TMP_DIR" -cp "$HEADWAY_FLINK_CLUSTER_LIB/*" \
    org.apache.flink.runtime.util.bash.BashJavaUtils "$what" --configDir "$CONF_DIR" 2>&1)" \
    || { echo "$params" | tail -n 20 >&2; headway_die "BashJavaUtils $what failed"; }
  params="$(echo "$params" | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p')"
  jvm_flags="$(echo "$params" | sed -n 1p)"
  dynamic_props="$(echo "$params" | sed -n 2p)"
  [[ -n "$jvm_flags" ]] || headway_die "BashJavaUtils $what printed no JVM flags"
  # shellcheck disable=SC2086  # flag lists are meant to be split into words
  nohup java $jvm_flags $HEADWAY_JAVA_OPENS -Djava.io.tmpdir="$TMP_DIR" \
    -Dlog.file="$LOG_DIR/$role.log" -Dlog4j.configurationFile="file:$CONF_DIR/log4j.properties" \
    -cp "$HEADWAY_FLINK_CLUSTER_LIB/*" "$class" --configDir "$CONF_DIR" $dynamic_props \
    >"$LOG_DIR/$role.out" 2>&1 </dev/null &
  echo $! >"$pid_file"
}

# The Flink CLI (CliFrontend) against this cluster; its output goes to standard output.
flink_cli() {
  # shellcheck disable=SC2086
  FLINK_CONF_DIR="$CONF_DIR" java -Xmx512m $HEADWAY_JAVA_OPENS -Djava.io.tmpdir="$TMP_DIR" \
    -Dlog.file="$LOG_DIR/flink-cli.log" -Dlog4j.configurationFile="file:$CONF_DIR/log4j-cli.properties" \
    -cp "$HEADWAY_FLINK_CLUSTER_LIB/*" org.apache.flink.client.cli.CliFrontend "$@"
}

require_running() {
  our_pid "$JM_PID_FILE" "$JM_CLASS" >/dev/null && rest_get /overview >/dev/null \
    || headway_die "the Flink cluster is not running (scripts/flink-cluster.sh start)"
}

# "state" of job $1 (RUNNING, FINISHED, ...) from the REST API, or nothing.
job_state() {
  rest_get "/jobs/$1" 2>/dev/null | grep -o '"state":"[A-Z_]*"' | head -n 1 | sed 's/.*:"\(.*\)"/\1/'
}

# The job to act on: $1 if given, else the one submit/resume recorded if it still runs, else the only
# RUNNING job named Headway.
target_job() {
  local id
  if [[ -n "${1:-}" ]]; then echo "$1"; return; fi
  id="$(cat "$JOB_ID_FILE" 2>/dev/null || true)"
  if [[ -n "$id" && "$(job_state "$id")" == RUNNING ]]; then echo "$id"; return; fi
  # /jobs/overview: one object per job, nested "tasks" object after the flat fields we need.
  id="$(rest_get /jobs/overview | sed 's/"jid":/\n"jid":/g' | grep '"state":"RUNNING"' \
    | grep -F "\"name\":\"$JOB_NAME\"" | sed 's/^"jid":"\([0-9a-f]*\)".*/\1/')"
  [[ -n "$id" ]] || headway_die "no RUNNING job named $JOB_NAME on the cluster (pass a job id)"
  (($(echo "$id" | wc -l) == 1)) || headway_die "several RUNNING jobs named $JOB_NAME: $(echo $id); pass a job id"
  echo "$id"
}

# Waits until job $1 and all its tasks are RUNNING (a job is RUNNING before its tasks are deployed).
wait_until_running() {
  local id="$1" t0="$2" deadline=$((SECONDS + RUNNING_DEADLINE_S)) json states
  while ((SECONDS < deadline)); do
    json="$(rest_get "/jobs/$id" 2>/dev/null || true)"
    case "$(echo "$json" | grep -o '"state":"[A-Z_]*"' | head -n 1)" in
      *FAILED* | *CANCELED* | *FINISHED*)
        headway_die "job $id ended: $(echo "$json" | grep -o '"state":"[A-Z_]*"' | head -n 1); see $LOG_DIR/jobmanager.log" ;;
      *RUNNING*)
        # Vertex statuses: all RUNNING once every task has been deployed and started.
        states="$(echo "$json" | grep -o '"status":"[A-Z_]*"' | sort -u)"
        if [[ "$states" == '"status":"RUNNING"' ]]; then
          echo "Job $id RUNNING (all tasks) $(secs_since "$t0") s after the submit command. Web UI: $REST_URL/#/job/running/$id/overview"
          return 0
        fi ;;
    esac
    sleep 0.25
  done
  headway_die "job $id is not RUNNING after ${RUNNING_DEADLINE_S} s; see $LOG_DIR/jobmanager.log and taskmanager.log"
}

# Runs the job jar detached (with "-s SAVEPOINT" when $1 is given), records its id, waits for RUNNING.
run_job() {
  local savepoint="$1" jar out id t0
  shift
  require_running
  jar="$(job_jar)"
  t0="$(now_ms)"
  local run_args=(run -d)
  [[ -z "$savepoint" ]] || run_args+=(-s "$savepoint")
  if ! out="$(flink_cli "${run_args[@]}" "$jar" "$@" 2>&1)"; then
    echo "$out" >&2
    headway_die "the submit failed; client log: $LOG_DIR/flink-cli.log"
  fi
  echo "$out"
  id="$(echo "$out" | sed -n 's/.*submitted with JobID \([0-9a-f]*\).*/\1/p' | head -n 1)"
  [[ -n "$id" ]] || headway_die "no job id in the CLI output"
  echo "$id" >"$JOB_ID_FILE"
  wait_until_running "$id" "$t0"
}

# Takes a savepoint ($1 = savepoint: keep running, stop: stop with savepoint) and records its path.
savepoint_of() {
  local mode="$1" id out path t0
  require_running
  id="$(target_job "${2:-}")"
  t0="$(now_ms)"
  if [[ "$mode" == stop ]]; then
    out="$(flink_cli stop --savepointPath "file://$SAVEPOINT_DIR" "$id" 2>&1)" \
      || { echo "$out" >&2; headway_die "stop-with-savepoint of job $id failed; see $LOG_DIR/jobmanager.log"; }
  else
    out="$(flink_cli savepoint "$id" "file://$SAVEPOINT_DIR" 2>&1)" \
      || { echo "$out" >&2; headway_die "savepoint of job $id failed; see $LOG_DIR/jobmanager.log"; }
  fi
  path="$(echo "$out" | sed -n 's/.*Savepoint completed\. Path: \(.*\)$/\1/p' | head -n 1)"
  [[ -n "$path" ]] || { echo "$out" >&2; headway_die "no savepoint path in the CLI output"; }
  echo "$path" >"$LAST_SAVEPOINT_FILE"
  if [[ "$mode" == stop ]]; then
    # The CLI returns once the savepoint is complete; the job reaches FINISHED a moment later.
    local state="" deadline=$((SECONDS + 30))
    while ((SECONDS < deadline)); do
      state="$(job_state "$id")"
      [[ "$state" == RUNNING || -z "$state" ]] || break
      sleep 0.25
    done
    echo "Stopped job $id with a savepoint in $(secs_since "$t0") s (job state: ${state:-unknown})."
  else
    echo "Savepoint of job $id taken in $(secs_since "$t0") s; the job keeps running."
  fi
  echo "Savepoint: $path"
  echo "Resume:    scripts/flink-cluster.sh resume last <job args...>"
}

stop_pid() { # pid role
  kill -TERM "$1" 2>/dev/null || return 0
  for _ in $(seq 1 200); do
    kill -0 "$1" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$1" 2>/dev/null; then
    echo "The $2 did not stop within 20 s; killing pid $1."
    kill -KILL "$1"
  fi
  echo "Stopped the $2 (pid $1)."
}

cmd="${1:-}"
case "$cmd" in
  start)
    (($# == 1)) || headway_usage "$USAGE" 2
    headway_require_java17
    command -v curl >/dev/null 2>&1 || headway_die "curl is needed to talk to the Flink REST API"
    jm="$(our_pid "$JM_PID_FILE" "$JM_CLASS" || true)"
    tm="$(our_pid "$TM_PID_FILE" "$TM_CLASS" || true)"
    if [[ -n "$jm" && -n "$tm" ]]; then
      echo "Flink cluster already running (JobManager pid $jm, TaskManager pid $tm), $REST_URL"
      exit 0
    fi
    [[ -z "$jm$tm" ]] || headway_die "only half a cluster is running (JobManager '${jm}', TaskManager '${tm}'); run scripts/flink-cluster.sh stop first"
    for port in "$HEADWAY_FLINK_CLUSTER_REST_PORT" "$HEADWAY_FLINK_CLUSTER_RPC_PORT" "$HEADWAY_FLINK_METRICS_PORT" "$((HEADWAY_FLINK_METRICS_PORT + 1))"; do
      ! port_in_use "$port" || headway_die "port $port on 127.0.0.1 is in use (set HEADWAY_FLINK_CLUSTER_REST_PORT / _RPC_PORT / HEADWAY_FLINK_METRICS_PORT)"
    done
    require_lib
    write_conf
    t0="$(now_ms)"
    start_process jobmanager "$JM_CLASS" "$JM_PID_FILE"
    start_process taskmanager "$TM_CLASS" "$TM_PID_FILE"
    deadline=$((SECONDS + START_DEADLINE_S))
    rest_up=""
    while :; do
      for f in "$JM_PID_FILE" "$TM_PID_FILE"; do
        if ! headway_live_pid "$f" >/dev/null; then
          role="$(basename "$f" .pid)"
          tail -n 30 "$LOG_DIR/$role.out" "$LOG_DIR/$role.log" >&2 2>/dev/null || true
          headway_die "the $role exited during start-up; logs in $LOG_DIR (run stop to clean up)"
        fi
      done
      if overview="$(rest_get /overview)"; then
        [[ -n "$rest_up" ]] || rest_up="$(secs_since "$t0")"
        [[ "$overview" == *'"taskmanagers":1'* ]] && break
      fi
      ((SECONDS < deadline)) || headway_die "no TaskManager registered within ${START_DEADLINE_S} s; logs in $LOG_DIR (run stop to clean up)"
      sleep 0.25
    done
    echo "Flink cluster up: REST in ${rest_up} s, TaskManager registered in $(secs_since "$t0") s."
    echo "  JobManager pid $(cat "$JM_PID_FILE"), TaskManager pid $(cat "$TM_PID_FILE"), 4 slots, default parallelism $PARALLELISM"
    echo "  Web UI / REST: $REST_URL   logs: $LOG_DIR   savepoints: $SAVEPOINT_DIR"
    echo "  Prometheus metrics: http://127.0.0.1:$HEADWAY_FLINK_METRICS_PORT/metrics and :$((HEADWAY_FLINK_METRICS_PORT + 1))/metrics (JobManager, TaskManager)"
    ;;
  stop)
    (($# == 1)) || headway_usage "$USAGE" 2
    stopped=0
    # TaskManager first: the JobManager then does not wait for a lost TaskManager's heartbeat.
    if pid="$(our_pid "$TM_PID_FILE" "$TM_CLASS")"; then stop_pid "$pid" TaskManager; stopped=1; fi
    if pid="$(our_pid "$JM_PID_FILE" "$JM_CLASS")"; then stop_pid "$pid" JobManager; stopped=1; fi
    rm -f "$TM_PID_FILE" "$JM_PID_FILE"
    ((stopped)) || echo "No Flink cluster of ours is running."
    ;;
  status)
    (($# == 1)) || headway_usage "$USAGE" 2
    jm="$(our_pid "$JM_PID_FILE" "$JM_CLASS" || true)"
    tm="$(our_pid "$TM_PID_FILE" "$TM_CLASS" || true)"
    if [[ -z "$jm$tm" ]]; then
      echo "Flink cluster not running."
      exit 3
    fi
    echo "JobManager pid ${jm:-(not running)}, TaskManager pid ${tm:-(not running)}; $REST_URL; logs in $LOG_DIR"
    if overview="$(rest_get /overview)"; then
      echo "Overview: $overview"
      { rest_get /jobs/overview; echo; } | sed 's/"jid":/\n"jid":/g' | sed -n 's/^"jid":"\([0-9a-f]*\)","name":"\([^"]*\)".*"state":"\([A-Z_]*\)".*/  job \1  \3  \2/p'
    else
      echo "REST API not answering at $REST_URL"
    fi
    [[ -n "$jm" && -n "$tm" ]] || exit 3
    ;;
  submit)
    run_job "" "${@:2}"
    ;;
  resume)
    (($# >= 2)) || headway_usage "$USAGE" 2
    sp="$2"
    if [[ "$sp" == last ]]; then
      sp="$(cat "$LAST_SAVEPOINT_FILE" 2>/dev/null)" || headway_die "no savepoint recorded yet ($LAST_SAVEPOINT_FILE)"
    fi
    run_job "$sp" "${@:3}"
    ;;
  savepoint | stop-job)
    (($# <= 2)) || headway_usage "$USAGE" 2
    [[ "${2:-}" != -* ]] || headway_usage "$USAGE" 2
    mode=savepoint
    [[ "$cmd" == stop-job ]] && mode=stop
    savepoint_of "$mode" "${2:-}"
    ;;
  -h | --help) headway_usage "$USAGE" ;;
  *) headway_usage "$USAGE" 2 ;;
esac
