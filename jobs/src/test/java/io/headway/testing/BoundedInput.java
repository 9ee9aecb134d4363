package io.headway.testing;

import io.headway.ingest.InputFormat;
import io.headway.ingest.TouchpointParser;
import io.headway.schema.IngestedRecord;
import io.headway.schema.Touchpoint;

import org.apache.flink.api.connector.source.SourceReaderContext;
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
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
 * {@link Builder#pause()}, which holds the source (without blocking its task) for
 * {@link #PAUSE}, many watermark intervals of {@link TestWorkflow}, so the watermark of what came
 * before has reached the keyed operators first.
 *
 * <pre>{@code
 * BoundedInput.builder().add(login("acme", DAY_1), login("acme", DAY_2)).pause().add(login("acme", DAY_1)).build()
 * }</pre>
 */
public final class BoundedInput extends DataGeneratorSource<IngestedRecord> {

    private static final long serialVersionUID = 1L;

    /** The topic name dead letters carry. */
    public static final String TOPIC = "test-touchpoints";

    /** How long {@link Builder#pause()} holds the source. */
    public static final Duration PAUSE = Duration.ofSeconds(1);

    /** Records emitted per source instance: the rate limiter asks which record is next. */
    private static final Map<String, AtomicInteger> EMITTED = new ConcurrentHashMap<>();

    /**
     * Source readers started per source instance. The reader without the split holds the watermark
     * back until it has started and finished, which on a loaded machine can take longer than a
     * pause: a pause first waits for every reader.
     */
    private static final Map<String, AtomicInteger> OPENED = new ConcurrentHashMap<>();

    private final int size;

    private BoundedInput(String id, List<byte[]> values, Set<Integer> pauseBefore) {
        super(new Parse(id, values), values.size(), new PauseBefore(id, pauseBefore), new AvroTypeInfo<>(IngestedRecord.class));
        if (values.isEmpty()) {
            throw new IllegalArgumentException("a bounded input needs at least one record");
        }
        this.size = values.size();
        EMITTED.put(id, new AtomicInteger());
        OPENED.put(id, new AtomicInteger());
    }

    /** Well-formed touchpoints, as JSON, in this order, without pauses. */
    public static BoundedInput of(List<Touchpoint> touchpoints) {
        return builder().add(touchpoints).build();
    }

    public static Builder builder() {
        return new Builder();
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
        private final Set<Integer> pauseBefore = new HashSet<>();

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

        /** Lets the watermark of the records so far reach the keyed operators before the next one. */
        public Builder pause() {
            pauseBefore.add(values.size());
            return this;
        }

        public BoundedInput build() {
            return new BoundedInput(UUID.randomUUID().toString(), List.copyOf(values), Set.copyOf(pauseBefore));
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
        public void open(SourceReaderContext readerContext) {
            OPENED.get(id).incrementAndGet();
        }

        @Override
        public IngestedRecord map(Long index) {
            int i = index.intValue();
            EMITTED.get(id).incrementAndGet();
            return parser.parse(InputFormat.JSON, TOPIC, 0, i, Fixtures.CLOCK.millis(), null, values.get(i));
        }
    }

    /**
     * Holds the source before each record in {@code pauseBefore}, once. The reader asks for a permit
     * before every record, and waits for the returned future in its mailbox: timers, and so the
     * periodic watermark, still run while it waits.
     */
    private static final class PauseBefore implements RateLimiterStrategy<NumberSequenceSplit> {

        private static final long serialVersionUID = 1L;

        private final String id;
        private final HashSet<Integer> pauseBefore;

        PauseBefore(String id, Set<Integer> pauseBefore) {
            this.id = id;
            this.pauseBefore = new HashSet<>(pauseBefore);
        }

        @Override
        public RateLimiter<NumberSequenceSplit> createRateLimiter(int parallelism) {
            Set<Integer> pending = new HashSet<>(pauseBefore);
            return permits -> {
                int next = EMITTED.get(id).get();
                if (pending.remove(next)) {
                    return allReadersStarted(parallelism)
                            .thenRunAsync(() -> {}, CompletableFuture.delayedExecutor(PAUSE.toMillis(), TimeUnit.MILLISECONDS));
                }
                return CompletableFuture.completedFuture(null);
            };
        }

        /** Completes once every reader of this source has started (polled, without blocking the task). */
        private CompletableFuture<Void> allReadersStarted(int parallelism) {
            if (OPENED.get(id).get() >= parallelism) {
                return CompletableFuture.completedFuture(null);
            }
            return CompletableFuture.runAsync(() -> {}, CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS))
                    .thenCompose(ignored -> allReadersStarted(parallelism));
        }
    }
}
