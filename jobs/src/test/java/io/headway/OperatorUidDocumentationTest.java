package io.headway;

import static org.assertj.core.api.Assertions.assertThat;

import io.headway.config.HeadwayConfig;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Savepoints map state to operators by uid, so the uids are a contract with every deployment: the
 * operations guide lists them, and this test keeps that list equal to the job's (database sinks on).
 */
class OperatorUidDocumentationTest {

    private static final Pattern UID_CELL = Pattern.compile("`([a-z0-9-]+)`");

    @Test
    void shouldDocumentEveryOperatorUid() throws Exception {
        HeadwayConfig config = HeadwayConfig.of(
                Map.of("kafka.bootstrap-servers", "127.0.0.1:9",
                        "jdbc.url", "jdbc:postgresql://127.0.0.1:9/none",
                        "jdbc.migrate", "false"),
                Map.of());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        HeadwayJob.buildPipeline(env, config);

        Set<String> uids = new TreeSet<>();
        for (StreamNode node : env.getStreamGraph().getStreamNodes()) {
            // Flink derives "Sink Committer: <uid>" from a sink's uid: not a name anyone chose.
            if (node.getTransformationUID() != null && !node.getTransformationUID().startsWith("Sink Committer: ")) {
                uids.add(node.getTransformationUID());
            }
        }

        assertThat(uids).hasSizeGreaterThanOrEqualTo(26);
        assertThat(documentedUids()).isEqualTo(uids);
    }

    /** The uids in the first column of the uid table in docs/operations.md. */
    private static Set<String> documentedUids() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "operations.md"), StandardCharsets.UTF_8);
        String table = doc.substring(doc.indexOf("| uid | what |"));
        table = table.substring(0, table.indexOf("\n\n"));
        Set<String> uids = new TreeSet<>();
        for (String row : table.split("\n")) {
            String[] cells = row.split("\\|");
            if (cells.length > 1) {
                Matcher m = UID_CELL.matcher(cells[1]);
                while (m.find()) {
                    uids.add(m.group(1));
                }
            }
        }
        return uids;
    }
}
