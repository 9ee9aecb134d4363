package io.headway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.headway.config.HeadwayConfig;
import io.headway.schema.IngestedRecord;
import io.headway.schema.LateTouchpoint;
import io.headway.sink.DeadLetterSerializer;
import io.headway.sink.LateTouchpointSerializer;
import io.headway.testing.Fixtures;
import io.headway.testing.ProducerRecordSize;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Replays the regression corpus ({@code src/test/resources/corpus/index.tsv}: record file, format,
 * expected outcome) through the production parser and the serializer of the output each record goes
 * to, and prints the table record → expected → actual.
 */
class CorpusTest {

    private static final String DIR = "/corpus/";

    /** The issue's user wanted 1 MiB records: that now takes a producer limit 64 KiB above it. */
    private static final HeadwayConfig CONFIG =
            HeadwayConfig.of(
                    Map.of(
                            "kafka.bootstrap-servers", "unused.invalid:9092",
                            "kafka.producer.max.request.size", "1179648",
                            "validation.max-payload-bytes", "1048576"),
                    Map.of());

    private static final List<String> TABLE = new ArrayList<>();

    record Entry(String file, InputFormat format, String expected, int size) {
        @Override
        public String toString() {
            return file;
        }
    }

    static List<Entry> corpus() throws IOException {
        List<Entry> out = new ArrayList<>();
        for (String line : new String(read("index.tsv"), StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] c = line.split("\t");
            out.add(new Entry(c[0], InputFormat.parse(c[1]), c[2], c.length > 3 ? Integer.parseInt(c[3]) : -1));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void shouldGiveEachCorpusRecordItsExpectedOutcome(Entry e) throws IOException {
        byte[] value = e.size() < 0 ? read(e.file()) : padded(read(e.file()), e.size());
        TouchpointParser parser = TouchpointSource.parser(CONFIG, Fixtures.CLOCK);

        IngestedRecord r = parser.parse(e.format(), "touchpoints", 0, 1L, 2L, null, value);

        String actual = r.getTouchpoint() != null ? "ACCEPTED" : r.getDeadLetter().getReasonCode();
        String detail = r.getDeadLetter() == null ? "" : r.getDeadLetter().getReason();
        TABLE.add(String.format("| %s (%d bytes) | %s | %s | %s |", e.file(), value.length, e.expected(), actual, detail));
        assertThat(actual).as(detail).isEqualTo(e.expected());
        int limit = CONFIG.producerMaxRequestSize();
        if (r.getTouchpoint() != null) {
            // Accepted means it can go out again whole: as a late record it fits and is not cut.
            ProducerRecord<byte[], byte[]> late =
                    new LateTouchpointSerializer("late", limit).serialize(new LateTouchpoint("behind_watermark", null, r.getTouchpoint()), null, null);
            assertThat(ProducerRecordSize.of(late)).isLessThanOrEqualTo(limit);
            assertThat(late.headers().lastHeader(DeadLetterSerializer.HEADER_TRUNCATED)).isNull();
        } else {
            assertThat(r.getDeadLetter().getReason()).isNotBlank();
            ProducerRecord<byte[], byte[]> dl = new DeadLetterSerializer("dlq", limit).serialize(r.getDeadLetter(), null, null);
            assertThat(ProducerRecordSize.of(dl)).isLessThanOrEqualTo(limit);
        }
    }

    @AfterAll
    static void printTable() {
        System.out.println("| record | expected | actual | reason |\n|---|---|---|---|\n" + String.join("\n", TABLE));
    }

    /** The record with its {@code @PAD@} marker replaced by 'x' so that it has exactly {@code size} bytes. */
    private static byte[] padded(byte[] template, int size) {
        String text = new String(template, StandardCharsets.UTF_8);
        int fill = size - (template.length - "@PAD@".length());
        return text.replace("@PAD@", "x".repeat(fill)).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] read(String name) throws IOException {
        try (InputStream in = Objects.requireNonNull(CorpusTest.class.getResourceAsStream(DIR + name), name)) {
            return in.readAllBytes();
        }
    }
}
