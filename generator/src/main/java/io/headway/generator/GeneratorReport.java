package io.headway.generator;

import java.time.Duration;
import java.time.Instant;

/**
 * What one run wrote.
 *
 * @param records all records written (valid + malformed + duplicates)
 * @param firstEventAt earliest occurred_at of a valid record; null if none
 * @param groundTruth the full ground truth of the run; null only for a {@code --help} run
 */
public record GeneratorReport(
        long records,
        long valid,
        long malformed,
        long duplicates,
        int accounts,
        Instant firstEventAt,
        Instant lastEventAt,
        Duration elapsed,
        GroundTruth groundTruth) {

    static final GeneratorReport NOTHING = new GeneratorReport(0, 0, 0, 0, 0, null, null, Duration.ZERO, null);

    public double recordsPerSecond() {
        return elapsed.isZero() ? 0 : records * 1e9 / elapsed.toNanos();
    }
}
