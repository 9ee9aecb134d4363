#!/usr/bin/env bash
# A standalone single-node Kafka broker (KRaft) for use outside the demo, e.g. running the Headway
# job from an IDE against it. Same run dir and ports as scripts/demo.sh, so use one or the other.
set -euo pipefail
source "$(dirname "$0")/common.sh"

USAGE="usage: scripts/kafka.sh start|stop|status|consume [--headers] TOPIC [N]
  start          start an empty broker on 127.0.0.1:$HEADWAY_KAFKA_PORT with the Headway topics
  stop           stop the broker that 'start' started (by its recorded PID)
  status         say whether it runs
  consume [--headers] TOPIC [N]
                 print the first N (default 10) records of TOPIC with their keys; --headers also
                 prints each record's headers (e.g. a dead letter's headway.dlq.reason.code)"

KAFKA_DIR="$HEADWAY_RUN_DIR/kafka"
PID_FILE="$KAFKA_DIR/kafka.pid"

# Our broker, not merely a live PID: after a reboot the number may belong to something else.
our_broker_pid() {
  local pid
  pid="$(headway_live_pid "$PID_FILE")" || return 1
  ps -o args= -p "$pid" 2>/dev/null | grep -qF "kafka.Kafka $KAFKA_DIR/server.properties" || return 1
  echo "$pid"
}

cmd="${1:-}"
case "$cmd" in
  start)
    (($# == 1)) || headway_usage "$USAGE" 2
    headway_require_java17
    if pid="$(our_broker_pid)"; then
      echo "Kafka broker already running at 127.0.0.1:$HEADWAY_KAFKA_PORT (pid $pid)."
      exit 0
    fi
    [[ -f "$HEADWAY_KAFKA_CLASSPATH_FILE" && -f "$HEADWAY_LOCALSTACK_CLASSPATH_FILE" ]] || headway_build
    mkdir -p "$HEADWAY_RUN_DIR/tmp" "$HEADWAY_RUN_DIR/logs"
    # The launcher JVM writes the PID file and exits; the broker keeps running on its own.
    # shellcheck disable=SC2086
    java $HEADWAY_JAVA_OPENS -Djava.io.tmpdir="$HEADWAY_RUN_DIR/tmp" \
      -Dheadway.log.file="$HEADWAY_RUN_DIR/logs/kafka-launcher.log" \
      -cp "$(headway_localstack_classpath)" io.headway.localstack.KafkaBrokerCommand \
      --dir "$KAFKA_DIR" --classpath-file "$HEADWAY_KAFKA_CLASSPATH_FILE" \
      --port "$HEADWAY_KAFKA_PORT" --controller-port "$HEADWAY_KAFKA_CONTROLLER_PORT"
    ;;
  stop)
    (($# == 1)) || headway_usage "$USAGE" 2
    if ! pid="$(our_broker_pid)"; then
      echo "No Kafka broker of ours is running."
      rm -f "$PID_FILE"
      exit 0
    fi
    kill -TERM "$pid"
    # A controlled shutdown takes a few seconds; wait up to 20 s, then force.
    for _ in $(seq 1 200); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "The broker did not stop within 20 s; killing pid $pid."
      kill -KILL "$pid"
    fi
    rm -f "$PID_FILE"
    echo "Stopped the Kafka broker (pid $pid)."
    ;;
  status)
    (($# == 1)) || headway_usage "$USAGE" 2
    if pid="$(our_broker_pid)"; then
      echo "Kafka broker running at 127.0.0.1:$HEADWAY_KAFKA_PORT (pid $pid); data and log under $KAFKA_DIR"
    else
      echo "Kafka broker not running."
      exit 3
    fi
    ;;
  consume)
    shift
    headers=false
    if [[ "${1:-}" == "--headers" ]]; then
      headers=true
      shift
    fi
    (($# == 1 || $# == 2)) || headway_usage "$USAGE" 2
    n="${2:-10}"
    [[ "$n" =~ ^[0-9]+$ ]] || headway_usage "$USAGE" 2
    [[ -f "$HEADWAY_KAFKA_CLASSPATH_FILE" ]] || headway_build
    # With --headers each line reads: name:value,name:value | key | value.
    exec java -cp "$(cat "$HEADWAY_KAFKA_CLASSPATH_FILE")" \
      org.apache.kafka.tools.consumer.ConsoleConsumer \
      --bootstrap-server "127.0.0.1:$HEADWAY_KAFKA_PORT" --topic "$1" --from-beginning \
      --max-messages "$n" --timeout-ms 10000 --formatter-property print.key=true --formatter-property key.separator=' | ' \
      --formatter-property print.headers="$headers" --formatter-property headers.separator=',' \
      --formatter-property headers.key.separator=':' --formatter-property headers.deserializer=org.apache.kafka.common.serialization.StringDeserializer \
      --command-property isolation.level=read_committed
    ;;
  -h | --help) headway_usage "$USAGE" ;;
  *) headway_usage "$USAGE" 2 ;;
esac
