package io.headway.localstack;

import io.headway.ingest.IngestMetrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo end to end, as {@code scripts/demo.sh --exit} runs it but small: a real broker process,
 * a real PostgreSQL, the generator and the production pipeline on a MiniCluster. Ports are free ones
 * and the run dir is a temporary directory, so it runs beside a developer's own demo.
 */
class LocalDemoITCase {

    private static final int ACCOUNTS = 20;
    private static final int DAYS = 10;

    @TempDir Path runDir;

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void shouldSummarizeEveryGeneratedAccountAndStopEverythingItStarted() throws Exception {
        String classpathFile = System.getProperty("headway.kafka.classpath-file");
        assertThat(classpathFile).as("surefire passes the broker classpath file").isNotBlank();
        int[] ports = freePorts(4);
        DemoOptions options =
                DemoOptions.parse(
                        new String[] {
                            "--accounts", Integer.toString(ACCOUNTS),
                            "--days", Integer.toString(DAYS),
                            "--seed", "7",
                            "--malformed-rate", "0.05",
                            "--duplicate-rate", "0.02",
                            "--exit",
                            "--run-dir", runDir.toString(),
                            "--kafka-port", Integer.toString(ports[0]),
                            "--kafka-controller-port", Integer.toString(ports[1]),
                            "--pg-port", Integer.toString(ports[2]),
                            "--ui-port", Integer.toString(ports[3]),
                            "--kafka-classpath-file", classpathFile,
                            // Outside the temporary run dir, so later runs skip unpacking ~90 MB.
                            "--pg-binaries-dir", Path.of("target", "embedded-pg").toString()
                        },
                        Map.of());
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        DemoResult result;
        try (PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8)) {
            result = new LocalDemo(options, out).run();
        } finally {
            System.out.print(console.toString(StandardCharsets.UTF_8));
        }

        assertThat(result.jobStatus).isEqualTo("FINISHED");
        assertThat(result.counter(IngestMetrics.IN)).isEqualTo(result.eventsInKafka).isPositive();
        assertThat(result.counter(IngestMetrics.VALID)
                        + result.counter(IngestMetrics.INVALID)
                        + result.counter(IngestMetrics.DUPLICATE)
                        + result.counter(IngestMetrics.LATE))
                .isEqualTo(result.counter(IngestMetrics.IN));
        assertThat(result.generatedAccountIds).hasSize(ACCOUNTS);
        assertThat(result.accountIds).isEqualTo(result.generatedAccountIds);
        assertThat(result.generatorReport.malformed()).isPositive();
        // The generator knows what it broke: every malformed record is a dead letter and the rest is
        // accepted, except re-sent ones. Those are dropped as duplicates, or diverted as late when the
        // watermark has passed the original's time by then (which depends on partition interleaving).
        assertThat(result.counter(IngestMetrics.INVALID)).isEqualTo(result.generatorReport.malformed());
        assertThat(result.counter(IngestMetrics.VALID)).isEqualTo(result.generatorReport.valid());
        assertThat(result.counter(IngestMetrics.DUPLICATE) + result.counter(IngestMetrics.LATE))
                .isEqualTo(result.generatorReport.duplicates());
        assertThat(result.deadLetterRecords).isEqualTo(result.generatorReport.malformed());
        assertThat(result.scoreRecords).as("health scores").isPositive();
        assertThat(result.goalRecords).as("goal records: at least the declarations").isPositive();
        assertThat(result.secondsToFirstRow).isPositive();

        assertThat(result.brokerPid).isPositive();
        assertThat(result.postgresPid).isPositive();
        assertThat(ProcessHandle.of(result.brokerPid).filter(ProcessHandle::isAlive))
                .as("broker process %d", result.brokerPid)
                .isEmpty();
        assertThat(ProcessHandle.of(result.postgresPid).filter(ProcessHandle::isAlive))
                .as("postgres process %d", result.postgresPid)
                .isEmpty();
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive))
                .as("child processes left behind")
                .isEmpty();
    }

    /** Ports the OS reports free now; each is bound once, so the four are distinct. */
    private static int[] freePorts(int n) throws IOException {
        ServerSocket[] sockets = new ServerSocket[n];
        int[] ports = new int[n];
        try {
            for (int i = 0; i < n; i++) {
                sockets[i] = new ServerSocket(0);
                ports[i] = sockets[i].getLocalPort();
            }
        } finally {
            for (ServerSocket s : sockets) {
                if (s != null) {
                    s.close();
                }
            }
        }
        return ports;
    }
}
