package io.headway;

import static io.headway.testing.Fixtures.day;
import static io.headway.testing.Fixtures.json;
import static io.headway.testing.Fixtures.touchpoint;
import static org.assertj.core.api.Assertions.assertThat;

import io.headway.ingest.AcceptTouchpoints;
import io.headway.ingest.DeadLetterReason;
import io.headway.ingest.TouchpointJson;
import io.headway.schema.Touchpoint;
import io.headway.sink.DeadLetterSerializer;
import io.headway.sink.LateTouchpointSerializer;
import io.headway.testing.KafkaTestBroker;
import io.headway.testing.TestJobConfig;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Issue 17's large record on the real broker: a valid touchpoint of 1,048,500 bytes that arrives
 * late goes to the late topic whole and the job keeps running (it used to fail with
 * RecordTooLargeException and replay into the same failure on every restart). The job is configured
 * as a user who wants 1 MiB records has to configure it now: validation.max-payload-bytes=1048576
 * needs kafka.producer.max.request.size at least 64 KiB above it.
 */
class LargeRecordITCase {

    @Order(1)
    @RegisterExtension
    static final KafkaTestBroker KAFKA = new KafkaTestBroker();

    @Order(2)
    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final Map<String, String> LARGE = Map.of("max.message.bytes", Integer.toString(2 << 20));
    private static final List<String> ACCOUNTS = List.of("acme", "globex");

    @Test
    void shouldWriteAValidLateRecordOf1048500BytesToTheLateTopicAndKeepRunning() throws Exception {
        String input = KAFKA.newTopic("touchpoints", 2, LARGE);
        String activity = KAFKA.newTopic("activity", 2, Map.of());
        String deadLetters = KAFKA.newTopic("dead-letters", 2, LARGE);
        String late = KAFKA.newTopic("late", 2, LARGE);
        Map<String, String> settings = TestJobConfig.settings(KAFKA.bootstrapServers(), input, activity, deadLetters, late, "");
        settings.put("kafka.producer.max.request.size", "1179648");
        settings.put("validation.max-payload-bytes", "1048576");
        settings.put("output.transactional-id-prefix", "it-" + input);
        TestJobConfig.freshOutputTopics(settings, prefix -> KAFKA.newTopic(prefix, 2, Map.of()));
        JobClient job = TestJobConfig.submit(settings, "headway-large-record-it");
        byte[] bigJson;
        try (KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
            // Event time moves to DAY_3 on both partitions; DAY_2's hourly summary shows it has.
            for (int p = 0; p < 2; p++) {
                String account = ACCOUNTS.get(p);
                send(producer, input, p, account, json(touchpoint(account + "-d2", account, day(2).plus(Duration.ofHours(10)), "product", "login")));
                send(producer, input, p, account, json(touchpoint(account + "-d3", account, day(3).plus(Duration.ofHours(10)), "product", "login")));
            }
            producer.flush();
            KAFKA.readUntil(activity, r -> r.size() >= 2, TIMEOUT);

            bigJson = json(padded(touchpoint("acme-big", "acme", day(1), "support", "ticket_opened"), 1_048_500));
            assertThat(bigJson).hasSize(1_048_500);
            send(producer, input, 0, "acme", bigJson);
            // Sent after the large record on the same partition: its dead letter shows the job went on.
            byte[] nul = new String(json(touchpoint("acme-nul", "acme", day(3).plus(Duration.ofHours(11)), "product", "login")), StandardCharsets.UTF_8)
                    .replace("\"acme\"", "\"ac\\u0000me\"").getBytes(StandardCharsets.UTF_8);
            send(producer, input, 0, "acme", nul);
            producer.flush();
        }

        List<ConsumerRecord<byte[], byte[]>> dead = KAFKA.readUntil(deadLetters, r -> r.size() >= 1, TIMEOUT);
        assertThat(dead).hasSize(1);
        assertThat(header(dead.get(0), DeadLetterSerializer.HEADER_REASON_CODE)).isEqualTo(DeadLetterReason.CONTROL_CHARACTER.name());
        assertThat(header(dead.get(0), DeadLetterSerializer.HEADER_REASON)).isEqualTo("account_id contains the control character U+0000 at index 2");

        List<ConsumerRecord<byte[], byte[]>> lateRecords = KAFKA.readUntil(late, r -> r.size() >= 1, TIMEOUT);
        assertThat(lateRecords).hasSize(1);
        ConsumerRecord<byte[], byte[]> record = lateRecords.get(0);
        assertThat(header(record, LateTouchpointSerializer.REASON_HEADER)).isEqualTo(AcceptTouchpoints.BEHIND_WATERMARK);
        assertThat(record.headers().lastHeader(DeadLetterSerializer.HEADER_TRUNCATED)).isNull();
        assertThat(record.value()).isEqualTo(bigJson);
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        job.cancel().get();
    }

    /** {@code t} with an attribute that makes its JSON exactly {@code size} bytes. */
    private static Touchpoint padded(Touchpoint t, int size) {
        Touchpoint copy = Touchpoint.newBuilder(t).build();
        copy.setAttributes(new HashMap<>(Map.of("note", "")));
        int fill = size - TouchpointJson.toJson(copy).length;
        copy.setAttributes(new HashMap<>(Map.of("note", "x".repeat(fill))));
        return copy;
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, int partition, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, partition, key.getBytes(StandardCharsets.UTF_8), value)).get();
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
