package io.headway.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headway.bench.Benchmark.Case;
import io.headway.bench.Benchmark.Options;
import io.headway.bench.Benchmark.RunResult;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * Keeps the benchmark from rotting: both pipelines run over a tiny input and must account for every
 * record. Nothing here is timed; the numbers come from scripts/benchmark.sh.
 */
class BenchmarkTest {

    private static final Options TINY = new Options(20_000, 1_000, 1, 1, "hashmap", 7);

    private static BenchmarkInput input;

    @BeforeAll
    static void generate() {
        input = InputGenerator.generate(
                TINY.events(), TINY.accounts(), TINY.seed(), Instant.now().truncatedTo(ChronoUnit.DAYS), 1);
    }

    @Test
    void shouldGenerateRealisticMixOfValidDuplicateAndMalformedRecords() {
        assertThat(input.size()).isEqualTo(20_000);
        assertThat(input.malformed).isBetween(50, 150);
        assertThat(input.duplicates).isBetween(120, 280);
        assertThat(input.activeAccounts).isBetween(900, 1_000);
        assertThat(input.firstEventTime).isAfter(Instant.now().minus(32, ChronoUnit.DAYS));
        assertThat(input.lastEventTime).isBefore(Instant.now());
    }

    @Test
    void shouldBeDeterministicForSeedAndAnchor() {
        Instant anchor = Instant.parse("2026-11-01T00:00:00Z");
        BenchmarkInput a = InputGenerator.generate(1_000, 100, 3, anchor, 1);
        BenchmarkInput b = InputGenerator.generate(1_000, 100, 3, anchor, 1);
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.value(i)).isEqualTo(a.value(i));
        }
    }

    @Test
    void fullPipelineShouldAccountForEveryRecord() throws Exception {
        RunResult r = Benchmark.run(Case.FULL, 1, input, TINY);

        assertThat(Benchmark.check(r, input)).isEmpty();
        assertThat(r.counts().sourceRecords).isEqualTo(input.size());
        assertThat(r.counts().deadLetters).isEqualTo(input.malformed);
        assertThat(r.counts().late).isZero();
        assertThat(r.counts().activity).isPositive().isEqualTo(r.counts().activityDatabase);
    }

    @Test
    void barePipelineShouldShuffleEveryValidRecord() throws Exception {
        RunResult r = Benchmark.run(Case.BARE, 1, input, TINY);

        assertThat(Benchmark.check(r, input)).isEmpty();
        assertThat(r.counts().sourceRecords).isEqualTo(input.size());
        assertThat(r.counts().bareKeyed).isEqualTo(input.size() - input.malformed);
    }

    @Test
    void floorPipelineShouldTouchStateForEveryValidRecord() throws Exception {
        RunResult r = Benchmark.run(Case.FLOOR, 1, input, TINY);

        assertThat(Benchmark.check(r, input)).isEmpty();
        assertThat(r.counts().bareKeyed).isEqualTo(input.size() - input.malformed);
    }

    @Test
    void shouldParseOptionsAndPassFlinkSettingsThrough() {
        Options o = Options.parse(new String[] {
            "--events", "1000", "--rounds=2", "--state-backend", "RocksDB", "--flink.pipeline.object-reuse", "true"
        });

        assertThat(o).isEqualTo(new Options(1000, 100_000, 2, 1, "rocksdb", 1, Map.of("flink.pipeline.object-reuse", "true")));
        assertThatThrownBy(() -> Options.parse(new String[] {"--event", "5"})).hasMessageContaining("--event");
        assertThatThrownBy(() -> Options.parse(new String[] {"--rounds", "0"})).hasMessageContaining("positive");
    }

    @Test
    void shouldDealRecordsOverTheSourceSplitsInTimeOrder() {
        int[] position = InputGenerator.layout(10, 3);
        // Splits [0..3], [4..6], [7..9]: time order 0,1,2,... dealt round-robin.
        assertThat(position).containsExactly(0, 4, 7, 1, 5, 8, 2, 6, 9, 3);
    }
}
