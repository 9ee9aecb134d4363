package io.headway.deploy;

import static io.headway.deploy.Manifests.DASHBOARD;
import static io.headway.deploy.Manifests.JOB_SOURCES;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every metric the dashboard queries exists: the job's own ones as its sources register them (read from
 * {@code jobs/src/main/java}), Flink's and the Kafka source's by the names the Prometheus endpoint of a
 * running Headway job showed (docs/operations.md, "Metrics").
 */
class GrafanaDashboardTest {

    /** Prometheus names: scope, then user groups and the metric name joined by '_'. */
    private static final String OPERATOR = "flink_taskmanager_job_task_operator_";
    private static final String JOB = "flink_jobmanager_job_";

    /** Flink's own metrics the dashboard uses, as seen on the endpoint of scripts/flink-cluster.sh. */
    private static final Set<String> FLINK_METRICS =
            Set.of(
                    OPERATOR + "KafkaSourceReader_KafkaConsumer_records_lag_max",
                    OPERATOR + "pendingRecords",
                    JOB + "lastCheckpointDuration",
                    JOB + "lastCheckpointSize",
                    JOB + "lastCheckpointFullSize",
                    JOB + "numRestarts",
                    JOB + "numberOfFailedCheckpoints",
                    JOB + "uptime");

    private static final Pattern METRIC = Pattern.compile("\\b(flink_[A-Za-z0-9_]+)");
    private static final Pattern CONSTANT = Pattern.compile("static final String (\\w+)\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern REGISTRATION =
            Pattern.compile("(?:addGroup\\(\"(\\w+)\"(?:[^()]|\\([^()]*\\))*\\)\\s*\\.)?counter\\(\\s*([\\w.]+|\"[^\"]+\")\\s*\\)");

    @Test
    void shouldQueryOnlyMetricsTheJobOrFlinkRegisters() throws Exception {
        Set<String> registered = jobMetrics();
        Set<String> queried = queriedMetrics();

        assertThat(registered).as("counters registered in jobs/src/main/java").contains("touchpointsIn", "reason_deadLetters", "alertsOpened");
        for (String metric : queried) {
            boolean known = FLINK_METRICS.contains(metric)
                    || (metric.startsWith(OPERATOR) && registered.contains(metric.substring(OPERATOR.length())));
            assertThat(known).as(metric + " is registered by the job or Flink").isTrue();
        }
    }

    @Test
    void shouldShowWhatAnOperatorWatchesFirst() throws Exception {
        assertThat(queriedMetrics())
                .contains(
                        OPERATOR + "touchpointsIn",
                        OPERATOR + "touchpointsValid",
                        OPERATOR + "reason_deadLetters",
                        OPERATOR + "touchpointsLate",
                        OPERATOR + "alertsOpened",
                        OPERATOR + "KafkaSourceReader_KafkaConsumer_records_lag_max",
                        JOB + "lastCheckpointDuration",
                        JOB + "lastCheckpointSize",
                        JOB + "numRestarts");
    }

    private static Set<String> queriedMetrics() throws IOException {
        JsonNode dashboard = Manifests.JSON.readTree(DASHBOARD.toFile());
        Set<String> out = new TreeSet<>();
        dashboard.findValues("expr").forEach(e -> collect(e.asText(), out));
        dashboard.findValues("query").forEach(q -> collect(q.asText(), out));
        return out;
    }

    private static void collect(String expression, Set<String> into) {
        Matcher m = METRIC.matcher(expression);
        while (m.find()) {
            into.add(m.group(1));
        }
    }

    /** Counter names as registered: {@code counter("x")} or {@code counter(SOME_CONSTANT)}, with {@code addGroup("key", ...)} in front. */
    static Set<String> jobMetrics() throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.walk(JOB_SOURCES)) {
            sources = files.filter(f -> f.toString().endsWith(".java")).toList();
        }
        Map<String, String> constants = new HashMap<>();
        for (Path f : sources) {
            String className = f.getFileName().toString().replace(".java", "");
            Matcher m = CONSTANT.matcher(Files.readString(f));
            while (m.find()) {
                constants.put(className + "." + m.group(1), m.group(2));
            }
        }
        Set<String> out = new TreeSet<>();
        for (Path f : sources) {
            String className = f.getFileName().toString().replace(".java", "");
            Matcher m = REGISTRATION.matcher(Files.readString(f));
            while (m.find()) {
                String argument = m.group(2);
                String name = argument.startsWith("\"")
                        ? argument.substring(1, argument.length() - 1)
                        : constants.get(argument.contains(".") ? argument : className + "." + argument);
                assertThat(name).as("counter(" + argument + ") in " + f).isNotNull();
                out.add(m.group(1) == null ? name : m.group(1) + "_" + name);
            }
        }
        return out;
    }
}
