package io.headway.bench;

import java.time.Instant;

/**
 * The pre-generated input of a benchmark, held in memory so that the source only looks records up
 * (a source that computes events becomes the bottleneck, RECIPES.md section 7). The source finds it
 * through {@link #installed()}: the MiniCluster runs in the benchmark's JVM and class loader.
 *
 * <p>Records are laid out for the source's splits: {@code DataGeneratorSource} hands each reader a
 * contiguous index range, so with parallelism above 1 the time-ordered records are dealt round-robin
 * over those ranges, and every reader replays the whole month in event-time order.
 */
public final class BenchmarkInput {

    private static volatile BenchmarkInput installed;

    private final byte[][] values;
    private final int[] accountIndex;
    private final long[] kafkaTimestamps;
    private final byte[][] accountKeys;

    /** Records that are not valid touchpoints (dead letters by design). */
    public final int malformed;
    /** Records that repeat an earlier record's event_id (and bytes). */
    public final int duplicates;
    /** Accounts with at least one valid touchpoint. */
    public final int activeAccounts;
    public final long payloadBytes;
    public final Instant firstEventTime;
    public final Instant lastEventTime;

    BenchmarkInput(
            byte[][] values,
            int[] accountIndex,
            long[] kafkaTimestamps,
            byte[][] accountKeys,
            int malformed,
            int duplicates,
            int activeAccounts,
            long payloadBytes,
            Instant firstEventTime,
            Instant lastEventTime) {
        this.values = values;
        this.accountIndex = accountIndex;
        this.kafkaTimestamps = kafkaTimestamps;
        this.accountKeys = accountKeys;
        this.malformed = malformed;
        this.duplicates = duplicates;
        this.activeAccounts = activeAccounts;
        this.payloadBytes = payloadBytes;
        this.firstEventTime = firstEventTime;
        this.lastEventTime = lastEventTime;
    }

    /** Makes this the input that the benchmark source replays. */
    public static void install(BenchmarkInput input) {
        installed = input;
    }

    public static BenchmarkInput installed() {
        BenchmarkInput input = installed;
        if (input == null) {
            throw new IllegalStateException("no benchmark input installed; call BenchmarkInput.install first");
        }
        return input;
    }

    public int size() {
        return values.length;
    }

    public int accounts() {
        return accountKeys.length;
    }

    /** The Kafka record value: JSON bytes, possibly malformed. */
    public byte[] value(int index) {
        return values[index];
    }

    /** The Kafka record key: the account id the producer keyed the record by. */
    public byte[] key(int index) {
        return accountKeys[accountIndex[index]];
    }

    public long kafkaTimestamp(int index) {
        return kafkaTimestamps[index];
    }

    @Override
    public String toString() {
        return String.format(
                "%,d records (%,d malformed, %,d duplicates, %.1f MB of JSON) for %,d accounts (%,d with valid"
                        + " touchpoints), occurred_at %s .. %s",
                size(),
                malformed,
                duplicates,
                payloadBytes / 1e6,
                accounts(),
                activeAccounts,
                firstEventTime,
                lastEventTime);
    }
}
