package io.headway;

import static org.assertj.core.api.Assertions.assertThat;

import io.headway.config.HeadwayConfig;
import io.headway.ingest.AcceptTouchpoints;
import io.headway.ingest.DeadLetterReason;
import io.headway.ingest.IngestMetrics;
import io.headway.ingest.StorableText;
import io.headway.ingest.TouchpointParser;
import io.headway.ingest.TouchpointSource;
import io.headway.schema.ActivitySummary;
import io.headway.schema.Alert;
import io.headway.schema.DeadLetter;
import io.headway.schema.GoalUpdate;
import io.headway.schema.IngestedRecord;
import io.headway.schema.JourneyUpdate;
import io.headway.schema.LateTouchpoint;
import io.headway.schema.ScoreUpdate;
import io.headway.sink.AccountJsonSerializer;
import io.headway.sink.ActivityRowBinder;
import io.headway.sink.ActivitySummarySerializer;
import io.headway.sink.AlertRowBinder;
import io.headway.sink.DeadLetterRowBinder;
import io.headway.sink.DeadLetterSerializer;
import io.headway.sink.GoalRowBinder;
import io.headway.sink.JourneyRowBinder;
import io.headway.sink.LateTouchpointSerializer;
import io.headway.sink.ScoreRowBinder;
import io.headway.testing.CollectingSink;
import io.headway.testing.Fixtures;
import io.headway.testing.FuzzedRecords;
import io.headway.testing.ProducerRecordSize;
import io.headway.testing.RecordingStatement;

import io.headway.testing.Eventually;
import io.headway.testing.IngestCounters;
import io.headway.testing.MiniClusters;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;

/**
 * Fuzzes batches of 400–600 records (seeded generators, {@link FuzzedRecords}) through the real
 * workflow ({@link HeadwayJob#defineWorkflow}) on the shared MiniCluster at parallelism 2, parsed in
 * the source by the production parser as the Kafka deserializer does, into named collecting sinks.
 * Per batch the job ends normally (no exception out of any operator), the counters reconcile
 * ({@code in = valid + dead letters + duplicates + late}), the dead letters are exactly the parser's
 * rejections and every one has a reason, and every output record goes through its production Kafka
 * serializer and row binder with storable text. Two batches from fixed seeds; {@code
 * -Dheadway.fuzz.seed=S} runs seeds S and S+1 instead.
 */
class WorkflowFuzzITCase {

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.parallelismTwo(METRICS.addToConfiguration(new Configuration()));

    /** The fixed seed of the first batch; the second batch's is the next one. */
    private static final long SEED = 20261203L;

    private static final int BATCHES = 2;

    private static final HeadwayConfig CONFIG =
            HeadwayConfig.of(
                    Map.of(
                            "kafka.bootstrap-servers", "unused.invalid:9092",
                            "checkpoint.interval", "0 s",
                            "restart.attempts", "0"),
                    Map.of());

    /** The records of the running batch; the source's generator function parses the i-th one. */
    private static volatile List<FuzzedRecords.Input> installed;

    static LongStream batchSeeds() {
        long first = FuzzedRecords.seed(SEED);
        return LongStream.range(first, first + BATCHES);
    }

    @ParameterizedTest(name = "batch from seed {0}")
    @MethodSource("batchSeeds")
    void shouldAccountForEveryRecordOfAFuzzedBatch(long seed) throws Exception {
        List<FuzzedRecords.Input> batch = FuzzedRecords.batch(new Random(seed), 400, 600, 20_000);
        System.out.println("WorkflowFuzzITCase: batch of " + batch.size() + " fuzzed records from seed " + seed
                + " (-D" + FuzzedRecords.SEED_PROPERTY + "=" + seed + " replays it first)");
        try {
            checkBatch(batch);
        } catch (AssertionError e) {
            throw new AssertionError(
                    "fuzzed batch of " + batch.size() + " records failed, replay with -D" + FuzzedRecords.SEED_PROPERTY + "=" + seed + ": "
                            + e.getMessage(),
                    e);
        }
    }

    private static void checkBatch(List<FuzzedRecords.Input> batch) throws Exception {
        installed = List.copyOf(batch);
        CollectingSink.clear();
        TouchpointParser parser = TouchpointSource.parser(CONFIG, Fixtures.CLOCK);
        long expectedDeadLetters =
                batch.stream().filter(in -> parser.parse(in.format(), "fuzz", 0, 0, 0, null, in.value()).getDeadLetter() != null).count();

        JobID job = run(parser, batch.size());

        // Counters reach the reporter asynchronously; the source's count settles last.
        Map<String, Long> c =
                Eventually.await("ingestion counters of " + batch.size() + " records", Duration.ofSeconds(30), () -> counters(job),
                        m -> m.get(IngestMetrics.IN) == batch.size());
        List<DeadLetter> deadLetters = CollectingSink.collected("dead-letters");
        List<LateTouchpoint> late = CollectingSink.collected("late");
        assertThat(c.get(IngestMetrics.IN)).isEqualTo(batch.size());
        assertThat(c.get(IngestMetrics.VALID) + c.get(IngestMetrics.INVALID) + c.get(IngestMetrics.DUPLICATE) + c.get(IngestMetrics.LATE))
                .isEqualTo(c.get(IngestMetrics.IN));
        assertThat(c.get(IngestMetrics.INVALID)).isEqualTo(expectedDeadLetters).isEqualTo(deadLetters.size());
        assertThat(late.stream().filter(l -> l.getReason().equals(AcceptTouchpoints.BEHIND_WATERMARK)).count())
                .isEqualTo(c.get(IngestMetrics.LATE));
        assertThat(deadLetters)
                .allSatisfy(d -> {
                    assertThat(DeadLetterReason.valueOf(d.getReasonCode())).isNotEqualTo(DeadLetterReason.INTERNAL_ERROR);
                    assertThat(d.getReason()).isNotBlank();
                });

        serializeAll("dead-letters", new DeadLetterSerializer("dlq"), new DeadLetterRowBinder());
        serializeAll("late", new LateTouchpointSerializer("late"), null);
        serializeAll("activity", new ActivitySummarySerializer("activity"), new ActivityRowBinder());
        serializeAll("journeys", new AccountJsonSerializer<JourneyUpdate>("journeys"), new JourneyRowBinder());
        serializeAll("scores", new AccountJsonSerializer<ScoreUpdate>("scores"), new ScoreRowBinder());
        serializeAll("goals", new AccountJsonSerializer<GoalUpdate>("goals"), new GoalRowBinder());
        serializeAll("alerts", new AccountJsonSerializer<Alert>("alerts"), new AlertRowBinder());
    }

    private static JobID run(TouchpointParser parser, int size) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(HeadwayJob.engineConfiguration(CONFIG));
        env.setParallelism(MiniClusters.PARALLELISM);
        DataGeneratorSource<IngestedRecord> source =
                new DataGeneratorSource<>(new Replay(parser), size, RateLimiterStrategy.noOp(), new AvroTypeInfo<>(IngestedRecord.class));
        HeadwayJob.defineWorkflow(
                env,
                source,
                PipelineSettings.from(CONFIG),
                WorkflowSinks.create()
                        .deadLetters(s -> s.sinkTo(new CollectingSink<>("dead-letters")).uid("collect-dead-letters").name("Collect dead letters"))
                        .late(s -> s.sinkTo(new CollectingSink<>("late")).uid("collect-late").name("Collect late"))
                        .activity(s -> s.sinkTo(new CollectingSink<>("activity")).uid("collect-activity").name("Collect activity"))
                        .journeys(s -> s.sinkTo(new CollectingSink<>("journeys")).uid("collect-journeys").name("Collect journeys"))
                        .scores(s -> s.sinkTo(new CollectingSink<>("scores")).uid("collect-scores").name("Collect scores"))
                        .goals(s -> s.sinkTo(new CollectingSink<>("goals")).uid("collect-goals").name("Collect goals"))
                        .alerts(s -> s.sinkTo(new CollectingSink<>("alerts")).uid("collect-alerts").name("Collect alerts")));
        JobExecutionResult result = env.execute("headway-workflow-fuzz");
        return result.getJobID();
    }

    /** Through the production serializer and row binder: no exception, keys are the account's UTF-8, text storable. */
    private static <T> void serializeAll(String output, KafkaRecordSerializationSchema<T> serializer, JdbcStatementBuilder<T> binder)
            throws Exception {
        for (T record : CollectingSink.<T>collected(output)) {
            ProducerRecord<byte[], byte[]> r = serializer.serialize(record, null, null);
            assertThat(ProducerRecordSize.of(r)).isLessThanOrEqualTo(1 << 20);
            if (r.key() != null) {
                assertThat(StorableText.violationAt(new String(r.key(), StandardCharsets.UTF_8), false)).isEqualTo(-1);
            }
            if (binder != null) {
                RecordingStatement row = new RecordingStatement();
                binder.accept(row.statement(), record);
                assertThat(row.texts()).allSatisfy(s -> assertThat(s).doesNotContain("\u0000"));
            }
        }
    }

    private static Map<String, Long> counters(JobID job) {
        return IngestCounters.of(METRICS, job);
    }

    /** Parses record {@code index} of the installed batch, as the Kafka deserializer would. */
    static final class Replay implements GeneratorFunction<Long, IngestedRecord> {

        private static final long serialVersionUID = 1L;

        private final TouchpointParser parser;
        private transient List<FuzzedRecords.Input> records;

        Replay(TouchpointParser parser) {
            this.parser = parser;
        }

        @Override
        public void open(SourceReaderContext readerContext) {
            records = installed;
        }

        @Override
        public IngestedRecord map(Long index) {
            FuzzedRecords.Input in = records.get(index.intValue());
            return parser.parse(in.format(), "fuzz-" + in.format(), 0, index, 0L, null, in.value());
        }
    }
}
