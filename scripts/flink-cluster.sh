#!/usr/bin/env bash
# A standalone Flink 2.2 session cluster (one JobManager, one TaskManager, each its own JVM) built from
# Maven Central jars (stack/flink-cluster/target/lib; flink-dist is not served), to run the shaded
# job jar the way a real cluster does: separate client, user-code class loader, savepoints on disk.
# RECIPES.md section 5. Everything it writes is under $HEADWAY_RUN_DIR/flink-cluster.
set -euo pipefail
source "$(dirname "$0")/common.sh"

USAGE="usage: scripts/flink-cluster.sh start|add-taskmanager|stop|status|submit [JOB ARGS...]|savepoint [JOB_ID]|stop-job [JOB_ID]|resume SAVEPOINT [JOB ARGS...]
  start              start a JobManager and a TaskManager (4 slots) on 127.0.0.1, REST / Web UI on
                     http://127.0.0.1:$HEADWAY_FLINK_CLUSTER_REST_PORT, and wait until the TaskManager has registered
  add-taskmanager    start one more TaskManager (4 slots) against the running JobManager, e.g. to replace one
                     that died (a job waiting for slots then restores from its last checkpoint); waits until it registered
  stop               stop every TaskManager and the JobManager this script started (by their recorded PIDs)
  status             the processes, the TaskManagers registered with the JobManager and their slots, the jobs
                     and their tasks; warns (exit status 4) when a job cannot run for lack of TaskManagers or slots
  submit ARGS...     run the Headway job jar detached with these job arguments, e.g.
                     --kafka.bootstrap-servers 127.0.0.1:$HEADWAY_KAFKA_PORT --checkpoint.interval '5 s'
                     and wait until all its tasks are RUNNING
  savepoint [ID]     take a savepoint of the running Headway job (or job ID); the job keeps running
  stop-job [ID]      stop the running Headway job (or job ID) with a savepoint; prints its path
  resume SP ARGS...  run the job jar from savepoint SP ('last' = the one the last stop-job/savepoint took)
Environment: HEADWAY_RUN_DIR, HEADWAY_FLINK_CLUSTER_REST_PORT ($HEADWAY_FLINK_CLUSTER_REST_PORT), HEADWAY_FLINK_CLUSTER_RPC_PORT ($HEADWAY_FLINK_CLUSTER_RPC_PORT),
HEADWAY_FLINK_METRICS_PORT ($HEADWAY_FLINK_METRICS_PORT: Prometheus; the JobManager and each TaskManager take the first free port from it to it + 8),
HEADWAY_FLINK_CLUSTER_PARALLELISM (default parallelism of jobs, 2), HEADWAY_JOB_JAR (default jobs/target/headway-jobs-*-job.jar),
HEADWAY_FLINK_CLUSTER_START_TIMEOUT_S (90), HEADWAY_FLINK_CLUSTER_RUNNING_TIMEOUT_S (120)"

CLUSTER_DIR="$HEADWAY_RUN_DIR/flink-cluster"
CONF_DIR="$CLUSTER_DIR/conf"
LOG_DIR="$CLUSTER_DIR/log"
# Empty, but Flink warns when its plugins directory (default: ./plugins) is missing.
export FLINK_PLUGINS_DIR="$CLUSTER_DIR/plugins"
TMP_DIR="$CLUSTER_DIR/tmp"
CHECKPOINT_DIR="$CLUSTER_DIR/checkpoints"
SAVEPOINT_DIR="$CLUSTER_DIR/savepoints"
JM_PID_FILE="$CLUSTER_DIR/jobmanager.pid"
# The first TaskManager; add-taskmanager records taskmanager-2.pid, taskmanager-3.pid, ...
TM_PID_FILE="$CLUSTER_DIR/taskmanager.pid"
TM_SLOTS=4
JOB_ID_FILE="$CLUSTER_DIR/job.id"
LAST_SAVEPOINT_FILE="$CLUSTER_DIR/last-savepoint"
REST_URL="http://127.0.0.1:$HEADWAY_FLINK_CLUSTER_REST_PORT"
JM_CLASS=org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint
TM_CLASS=org.apache.flink.runtime.taskexecutor.TaskManagerRunner
PARALLELISM="${HEADWAY_FLINK_CLUSTER_PARALLELISM:-2}"
JOB_NAME="Headway"
# How long start / add-taskmanager wait for a TaskManager to register, and submit for a job's tasks to run.
START_DEADLINE_S="${HEADWAY_FLINK_CLUSTER_START_TIMEOUT_S:-90}"
RUNNING_DEADLINE_S="${HEADWAY_FLINK_CLUSTER_RUNNING_TIMEOUT_S:-120}"

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
taskmanager.numberOfTaskSlots: $TM_SLOTS
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
metrics.reporter.prom.port: $HEADWAY_FLINK_METRICS_PORT-$((HEADWAY_FLINK_METRICS_PORT + 8))
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
  local log_name id_prop=""
  log_name="$(basename "$pid_file" .pid)"
  # A TaskManager registers under its PID file's name (taskmanager, taskmanager-2, ...): add-taskmanager
  # waits for that name and status matches processes to registrations, whatever the JobManager still counts.
  [[ "$role" == jobmanager ]] || id_prop="-Dtaskmanager.resource-id=$log_name"
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
  # Pekko remoting must be up within 10 s by default, which a JVM starting on a busy machine misses (the
  # process then exits). Flink's pekko.startup-timeout sets remote.startup-timeout, a key Pekko's classic
  # remoting does not read; a system property reaches the one it reads.
  nohup java $jvm_flags $HEADWAY_JAVA_OPENS -Djava.io.tmpdir="$TMP_DIR" -Dpekko.remote.classic.startup-timeout=60s \
    -Dlog.file="$LOG_DIR/$log_name.log" -Dlog4j.configurationFile="file:$CONF_DIR/log4j.properties" \
    -cp "$HEADWAY_FLINK_CLUSTER_LIB/*" "$class" --configDir "$CONF_DIR" $dynamic_props $id_prop \
    >"$LOG_DIR/$log_name.out" 2>&1 </dev/null &
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

# PID files of the TaskManagers this script started: the first, then the added ones in order.
tm_pid_files() {
  local f
  [[ ! -f "$TM_PID_FILE" ]] || echo "$TM_PID_FILE"
  for f in $(compgen -G "$CLUSTER_DIR/taskmanager-*.pid" | sort -t- -k2 -n); do echo "$f"; done
}

# A field of the REST /overview answer ($2 = taskmanagers, slots-total, slots-available), or nothing.
overview_field() {
  echo "$1" | grep -o "\"$2\":[0-9]*" | head -n 1 | sed 's/.*://'
}

# Whether TaskManager $1 (its resource id: the PID file's name) is registered with the JobManager.
tm_registered() {
  rest_get /taskmanagers 2>/dev/null | grep -qF "\"id\":\"$1\""
}

# Starts one more TaskManager (pid file $1) and waits until it is registered. Not by counting: the
# JobManager may drop a dead TaskManager at the same moment the new one registers.
add_taskmanager() {
  local pid_file="$1" name t0 overview deadline
  name="$(basename "$pid_file" .pid)"
  rest_get /overview >/dev/null || headway_die "the JobManager's REST API does not answer at $REST_URL"
  t0="$(now_ms)"
  start_process taskmanager "$TM_CLASS" "$pid_file"
  deadline=$((SECONDS + START_DEADLINE_S))
  while :; do
    if ! headway_live_pid "$pid_file" >/dev/null; then
      tail -n 30 "$LOG_DIR/$(basename "$pid_file" .pid).out" "$LOG_DIR/$(basename "$pid_file" .pid).log" >&2 2>/dev/null || true
      headway_die "the new TaskManager exited during start-up; logs in $LOG_DIR"
    fi
    ! tm_registered "$name" || break
    ((SECONDS < deadline)) || headway_die "the new TaskManager did not register within ${START_DEADLINE_S} s; logs in $LOG_DIR"
    sleep 0.25
  done
  overview="$(rest_get /overview || true)"
  echo "TaskManager $name (pid $(cat "$pid_file")) registered in $(secs_since "$t0") s ($(overview_field "$overview" taskmanagers) registered, $(overview_field "$overview" slots-available) of $(overview_field "$overview" slots-total) slots free)."
}

# The status report; returns 4 when a job cannot run as it should (missing TaskManagers or slots).
report_status() {
  local jm="$1" alive=0 dead=0 f pid overview registered total free jobs line id name state tasks running total_tasks
  local needed=0 parallelism problems=0
  echo "JobManager pid ${jm:-(not running)}; $REST_URL; logs in $LOG_DIR"
  for f in $(tm_pid_files); do
    if pid="$(our_pid "$f" "$TM_CLASS")"; then
      alive=$((alive + 1))
      if tm_registered "$(basename "$f" .pid)"; then
        echo "TaskManager pid $pid ($(basename "$f" .pid)) running, registered"
      else
        echo "TaskManager pid $pid ($(basename "$f" .pid)) running, NOT registered with the JobManager"
      fi
    else
      dead=$((dead + 1))
      echo "TaskManager $(basename "$f" .pid) (pid $(tr -dc '0-9' <"$f")) is gone"
    fi
  done
  if ! overview="$(rest_get /overview)"; then
    echo "REST API not answering at $REST_URL"
    return 3
  fi
  registered="$(overview_field "$overview" taskmanagers)"
  total="$(overview_field "$overview" slots-total)"
  free="$(overview_field "$overview" slots-available)"
  echo "TaskManagers registered with the JobManager: $registered (processes of ours alive: $alive); slots: $free free of $total"
  jobs="$(rest_get /jobs/overview || true)"
  while IFS= read -r line; do
    [[ "$line" == '"jid":'* ]] || continue
    id="$(echo "$line" | sed -n 's/^"jid":"\([0-9a-f]*\)".*/\1/p')"
    name="$(echo "$line" | sed -n 's/.*"name":"\([^"]*\)".*/\1/p')"
    state="$(echo "$line" | sed -n 's/.*"state":"\([A-Z_]*\)".*/\1/p')"
    tasks="$(echo "$line" | grep -o '"tasks":{[^}]*}' || true)"
    running="$(echo "$tasks" | grep -o '"running":[0-9]*' | sed 's/.*://')"
    total_tasks="$(echo "$tasks" | grep -o '"total":[0-9]*' | sed 's/.*://')"
    echo "  job $id  $state  $name  (tasks running: ${running:-?} of ${total_tasks:-?})"
    case "$state" in
      RUNNING | RESTARTING | CREATED | INITIALIZING)
        # With slot sharing a job needs as many slots as its largest operator parallelism.
        parallelism="$(rest_get "/jobs/$id" | grep -o '"parallelism":[0-9]*' | sed 's/.*://' | sort -n | tail -n 1)"
        needed=$((needed + ${parallelism:-0}))
        if [[ "$state" != RUNNING || "${running:-0}" != "${total_tasks:-0}" ]]; then
          echo "  WARNING: job $id is $state with ${running:-?} of ${total_tasks:-?} tasks running"
          problems=1
        fi ;;
    esac
  done < <(echo "$jobs" | sed 's/"jid":/\n"jid":/g')
  if ((needed > 0 && ${registered:-0} == 0)); then
    echo "WARNING: jobs need $needed slots and no TaskManager is registered: start one with scripts/flink-cluster.sh add-taskmanager"
    problems=1
  elif ((needed > ${total:-0})); then
    echo "WARNING: jobs need $needed slots, the cluster has ${total:-0}: add a TaskManager with scripts/flink-cluster.sh add-taskmanager"
    problems=1
  fi
  if ((alive > ${registered:-0})); then
    echo "WARNING: $alive TaskManager processes of ours run but $registered registered (one is starting, or lost its JobManager)"
    problems=1
  elif ((alive < ${registered:-0})); then
    echo "WARNING: the JobManager still counts $registered TaskManagers, $alive of ours run: it drops a dead one after missed heartbeats (heartbeat.timeout)"
    problems=1
  fi
  if ((dead > 0)); then
    echo "WARNING: $dead TaskManager(s) this script started are gone (see $LOG_DIR); replace with scripts/flink-cluster.sh add-taskmanager"
    problems=1
  fi
  ((problems == 0)) || return 4
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
    [[ -z "$jm" ]] || headway_die "the JobManager (pid $jm) runs without the first TaskManager: scripts/flink-cluster.sh add-taskmanager starts another, stop stops everything"
    [[ -z "$tm" ]] || headway_die "a TaskManager (pid $tm) runs without the JobManager; run scripts/flink-cluster.sh stop first"
    rm -f "$CLUSTER_DIR"/taskmanager-*.pid
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
    echo "  Prometheus metrics: http://127.0.0.1:$HEADWAY_FLINK_METRICS_PORT/metrics and :$((HEADWAY_FLINK_METRICS_PORT + 1))/metrics (JobManager, TaskManager; added TaskManagers take the next free ports up to +8)"
    ;;
  add-taskmanager)
    (($# == 1)) || headway_usage "$USAGE" 2
    require_running
    require_lib
    n=2
    while [[ -e "$CLUSTER_DIR/taskmanager-$n.pid" ]]; do n=$((n + 1)); done
    add_taskmanager "$CLUSTER_DIR/taskmanager-$n.pid"
    ;;
  stop)
    (($# == 1)) || headway_usage "$USAGE" 2
    stopped=0
    # TaskManagers first: the JobManager then does not wait for a lost TaskManager's heartbeat.
    for f in $(tm_pid_files); do
      if pid="$(our_pid "$f" "$TM_CLASS")"; then stop_pid "$pid" "TaskManager $(basename "$f" .pid)"; stopped=1; fi
      rm -f "$f"
    done
    if pid="$(our_pid "$JM_PID_FILE" "$JM_CLASS")"; then stop_pid "$pid" JobManager; stopped=1; fi
    rm -f "$JM_PID_FILE"
    ((stopped)) || echo "No Flink cluster of ours is running."
    ;;
  status)
    (($# == 1)) || headway_usage "$USAGE" 2
    jm="$(our_pid "$JM_PID_FILE" "$JM_CLASS" || true)"
    if [[ -z "$jm" ]]; then
      echo "Flink cluster not running (no JobManager of ours)."
      for f in $(tm_pid_files); do
        if pid="$(our_pid "$f" "$TM_CLASS")"; then echo "WARNING: TaskManager pid $pid ($(basename "$f" .pid)) runs without it; scripts/flink-cluster.sh stop"; fi
      done
      exit 3
    fi
    report_status "$jm"
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
