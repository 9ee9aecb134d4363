package io.headway.testing;

import io.headway.ingest.InputFormat;
import io.headway.ingest.TouchpointParser;
import io.headway.schema.IngestedRecord;
import io.headway.schema.Touchpoint;

import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource.NumberSequenceSplit;
import org.apache.flink.api.connector.source.lib.util.IteratorSourceEnumerator;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiter;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded touchpoint source for {@link io.headway.HeadwayJob#defineWorkflow}: Kafka record values,
 * parsed by the production {@link TouchpointParser} ({@link Fixtures#parser()}) as the Kafka
 * deserializer parses them, so a malformed value becomes a dead letter with its reason.
 *
 * <p>The records are one split, read in list order by one source subtask (the other finishes at
 * once), so the watermark follows the list whatever the job's parallelism. The production watermark
 * strategy emits periodically, not per record: a record meant to be late comes after
 * {@link Builder#pauseUntilWatermark}, which holds the source (without blocking its task) until the
 * watermark of what came before has reached every subtask of the outputs, as {@link TestWorkflow}'s
 * sinks report it. No wall-clock wait: on a loaded machine any fixed pause can be too short.
 *
 * <pre>{@code
 * BoundedInput.builder().add(login("acme", DAY_1), login("acme", DAY_2)).pauseUntilWatermark(DAY_2).add(login("acme", DAY_1)).build()
 * }</pre>
 */
public final class BoundedInput extends DataGeneratorSource<IngestedRecord> {

    private static final long serialVersionUID = 1L;

    /** The topic name dead letters carry. */
    public static final String TOPIC = "test-touchpoints";

    /** A pause whose watermark has not arrived by then fails the run instead of hanging it. */
    private static final Duration PAUSE_TIMEOUT = Duration.ofSeconds(120);

    private static final Duration POLL = Duration.ofMillis(20);

    /** Records emitted per source instance: the rate limiter asks which record is next. */
    private static final Map<String, AtomicInteger> EMITTED = new ConcurrentHashMap<>();

    /** The task thread of the reader that emits the records (the one with the split), per source instance. */
    private static final Map<String, Thread> EMITTER = new ConcurrentHashMap<>();

    private final String id;
    private final int size;

    private BoundedInput(String id, List<byte[]> values, Map<Integer, Instant> pauseBefore) {
        super(new Parse(id, values), values.size(), new PauseBefore(id, pauseBefore), new AvroTypeInfo<>(IngestedRecord.class));
        if (values.isEmpty()) {
            throw new IllegalArgumentException("a bounded input needs at least one record");
        }
        this.id = id;
        this.size = values.size();
        EMITTED.put(id, new AtomicInteger());
    }

    /** Well-formed touchpoints, as JSON, in this order, without pauses. */
    public static BoundedInput of(List<Touchpoint> touchpoints) {
        return builder().add(touchpoints).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Drops what this JVM kept about the input's run. */
    void forget() {
        EMITTED.remove(id);
        EMITTER.remove(id);
        WatermarkProbe.forget(id);
    }

    /** The {@link WatermarkProbe} the run's sinks report to, for {@link Builder#pauseUntilWatermark}. */
    String watermarkProbe() {
        return id;
    }

    @Override
    public SplitEnumerator<NumberSequenceSplit, Collection<NumberSequenceSplit>> createEnumerator(
            SplitEnumeratorContext<NumberSequenceSplit> context) {
        // One split instead of one per subtask: see the class comment.
        return new IteratorSourceEnumerator<>(context, List.of(new NumberSequenceSplit("0", 0, size - 1L)));
    }

    /** Record values in order, with pauses between them. */
    public static final class Builder {

        private final List<byte[]> values = new ArrayList<>();
        private final Map<Integer, Instant> pauseBefore = new HashMap<>();

        private Builder() {}

        public Builder add(Touchpoint... touchpoints) {
            return add(List.of(touchpoints));
        }

        public Builder add(List<Touchpoint> touchpoints) {
            for (Touchpoint t : touchpoints) {
                values.add(Fixtures.json(t));
            }
            return this;
        }

        /** A raw record value: malformed JSON, a wrong encoding, anything a producer might send. */
        public Builder addRaw(byte[] value) {
            values.add(value);
            return this;
        }

        public Builder addRaw(String utf8) {
            return addRaw(utf8.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * Holds the next record until the watermark has reached {@code at} at every subtask of the
         * outputs (and so of every operator before them): {@code at} must not be later than the
         * watermark the records so far produce (their latest time less the out-of-orderness bound).
         */
        public Builder pauseUntilWatermark(Instant at) {
            pauseBefore.put(values.size(), at);
            return this;
        }

        public BoundedInput build() {
            return new BoundedInput(UUID.randomUUID().toString(), List.copyOf(values), Map.copyOf(pauseBefore));
        }
    }

    /** Value {@code i} as Kafka record {@code i} of partition 0 of {@link #TOPIC}, without a key. */
    private static final class Parse implements GeneratorFunction<Long, IngestedRecord> {

        private static final long serialVersionUID = 1L;

        private final String id;
        private final ArrayList<byte[]> values;
        private final TouchpointParser parser = Fixtures.parser();

        Parse(String id, List<byte[]> values) {
            this.id = id;
            this.values = new ArrayList<>(values);
        }

        @Override
        public IngestedRecord map(Long index) {
            int i = index.intValue();
            EMITTER.put(id, Thread.currentThread());
            EMITTED.get(id).incrementAndGet();
            return parser.parse(InputFormat.JSON, TOPIC, 0, i, Fixtures.CLOCK.millis(), null, values.get(i));
        }
    }

    /**
     * Holds the source before each record in {@code pauseBefore} until the watermark it names has
     * reached every writer reporting to the probe. The reader asks for a permit before every record
     * and waits for the returned future in its mailbox: timers, and so the periodic watermark, still
     * run while it waits.
     */
    private static final class PauseBefore implements RateLimiterStrategy<NumberSequenceSplit> {

        private static final long serialVersionUID = 1L;

        private final String id;
        private final HashMap<Integer, Instant> pauseBefore;

        PauseBefore(String id, Map<Integer, Instant> pauseBefore) {
            this.id = id;
            this.pauseBefore = new HashMap<>(pauseBefore);
        }

        @Override
        public RateLimiter<NumberSequenceSplit> createRateLimiter(int parallelism) {
            Map<Integer, Instant> pending = new HashMap<>(pauseBefore);
            // Only the reader with the split pauses. The other asks for a permit (in isAvailable)
            // before it learns it has nothing to read: held too, it would not finish, and its
            // watermark (+infinity once finished) would hold back the one the pause waits for until
            // idleness released it a minute later (seen on CI). The rate limiter is not told about
            // splits here, so it asks whether its own task thread is the one that emitted records.
            return permits -> {
                Instant watermark = Thread.currentThread() == EMITTER.get(id) ? pending.remove(EMITTED.get(id).get()) : null;
                if (watermark == null) {
                    return CompletableFuture.completedFuture(null);
                }
                return watermarkReached(parallelism, watermark, System.nanoTime() + PAUSE_TIMEOUT.toNanos());
            };
        }

        /** Completes once the watermark is there (polled, without blocking the task), fails after the timeout. */
        private CompletableFuture<Void> watermarkReached(int writers, Instant watermark, long deadline) {
            if (WatermarkProbe.reached(id, writers, watermark)) {
                return CompletableFuture.completedFuture(null);
            }
            if (System.nanoTime() > deadline) {
                return CompletableFuture.failedFuture(new IllegalStateException("the watermark did not reach " + watermark
                        + " at " + writers + " sink writers within " + PAUSE_TIMEOUT
                        + ": is the input run by TestWorkflow, and is the pause after records that late?"));
            }
            return CompletableFuture.runAsync(() -> {}, CompletableFuture.delayedExecutor(POLL.toMillis(), TimeUnit.MILLISECONDS))
                    .thenCompose(ignored -> watermarkReached(writers, watermark, deadline));
        }
    }
}
