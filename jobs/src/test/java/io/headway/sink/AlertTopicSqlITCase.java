package io.headway.sink;

import static io.headway.testing.AnalystRows.alert;
import static io.headway.testing.AnalystRows.day;
import static org.assertj.core.api.Assertions.assertThat;

import io.headway.schema.Alert;
import io.headway.testing.KafkaTestBroker;
import io.headway.testing.MiniClusters;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Flink SQL DDL under {@code schemas/src/main/resources/sql} against a real broker: every table is
 * created from its file, and a SQL query over the alert topic, holding alert records in the bytes the
 * job writes ({@link AvroJson}), gives the rows worked out by hand.
 */
class AlertTopicSqlITCase {

    @Order(1)
    @RegisterExtension
    static final KafkaTestBroker KAFKA = new KafkaTestBroker();

    /** The table environment runs its queries here (the test context), not on a MiniCluster per query. */
    @Order(2)
    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.parallelismTwo();

    @Test
    void shouldQueryTheAlertTopicWithTheShippedDdl() throws Exception {
        String topic = KAFKA.newTopic("alerts", 2, Map.of());
        List<Alert> alerts = List.of(
                alert("acme", "silence", "open", "fired", day(1), day(1), day(10)),
                alert("acme", "silence", "escalated", "still_open", day(1), day(4), day(10)),
                alert("acme", "silence", "resolved", "cleared", day(1), day(6), day(10)),
                alert("globex", "health-red", "open", "fired", day(2), day(2), null),
                alert("initech", "goal-achieved", "won", "won", day(3), day(3), null));
        try (KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
            for (Alert a : alerts) {
                producer.send(new ProducerRecord<>(topic, a.getAccountId().getBytes(StandardCharsets.UTF_8), AvroJson.toJson(a))).get();
            }
        }

        TableEnvironment sql = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        for (String file : List.of("alerts", "scores", "journeys")) {
            for (String statement : statements("sql/" + file + ".sql")) {
                sql.executeSql(statement);
            }
        }
        sql.executeSql("ALTER TABLE headway_alerts SET ('topic' = '" + topic + "', 'properties.bootstrap.servers' = '"
                + KAFKA.bootstrapServers() + "', 'scan.bounded.mode' = 'latest-offset')");

        assertThat(rows(sql, "SELECT `rule`, COUNT(*) AS transitions, COUNT(DISTINCT alert_id) AS alerts"
                        + " FROM headway_alerts WHERE kind = 'risk' GROUP BY `rule`"))
                .containsExactlyInAnyOrder("+I[silence, 3, 1]", "+I[health-red, 1, 1]");
        // Nested explanation, event times and the lead time: how long the resolved one was open, how early it warned.
        assertThat(rows(sql, "SELECT account_id, explanation.`text`, TIMESTAMPDIFF(DAY, opened_at, updated_at) AS open_days,"
                        + " lead_time_ms / 86400000 AS lead_days FROM headway_alerts WHERE state = 'resolved'"))
                .containsExactly("+I[acme, because, 5, 9]");
        assertThat(rows(sql, "SELECT account_id FROM headway_alerts WHERE kind = 'win'")).containsExactly("+I[initech]");
    }

    private static List<String> rows(TableEnvironment sql, String query) throws Exception {
        List<String> out = new ArrayList<>();
        try (CloseableIterator<Row> it = sql.executeSql(query).collect()) {
            it.forEachRemaining(r -> out.add(r.toString()));
        }
        return out;
    }

    /** The statements of a DDL file: comment lines dropped, split at semicolons ending a line. */
    static List<String> statements(String resource) throws IOException {
        String text;
        try (InputStream in = AlertTopicSqlITCase.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        StringBuilder kept = new StringBuilder();
        for (String line : text.split("\n")) {
            if (!line.strip().startsWith("--")) {
                kept.append(line).append('\n');
            }
        }
        List<String> out = new ArrayList<>();
        for (String s : kept.toString().split(";\\s*\n")) {
            if (!s.isBlank()) {
                out.add(s.strip());
            }
        }
        return out;
    }
}
