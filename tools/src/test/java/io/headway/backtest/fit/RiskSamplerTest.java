package io.headway.backtest.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headway.risk.RiskFeatures;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

class RiskSamplerTest {

    private static final long DAY = RiskFeatures.DAY;

    /** A feature vector whose first value tags the assessment (so a test can see which one a sample took). */
    private static double[] tagged(double tag) {
        double[] v = new double[RiskFeatures.NAMES.size()];
        Arrays.fill(v, Double.NaN);
        v[0] = tag;
        return v;
    }

    @Test
    void shouldTakeTheLatestAssessmentAtOrBeforeEachSampleTime() {
        // a missed at D100, b achieved at D50; sample 28 and 7 days before: a at D72 and D93, b at D22 and D43.
        RiskSampler sampler = RiskSampler.daysBefore(List.of(
                new RiskSampler.Outcome("a", true, 100 * DAY),
                new RiskSampler.Outcome("b", false, 50 * DAY)), new int[] {28, 7});
        sampler.offer("a", 10 * DAY, tagged(10));
        sampler.offer("a", 72 * DAY, tagged(72)); // exactly at the D72 sample time: taken ("at or before")
        sampler.offer("a", 80 * DAY, tagged(80));
        sampler.offer("a", 93 * DAY + 1, tagged(93)); // a millisecond after D93: not for D93
        sampler.offer("a", 120 * DAY, tagged(120)); // after the result: no sample
        sampler.offer("b", 30 * DAY, tagged(30)); // after D22, so b has no 28-day sample
        sampler.offer("c", 5 * DAY, tagged(5)); // no outcome: ignored

        List<RiskSampler.Sample> samples = sampler.samples();
        // a/28 ← D72; a/7 ← D80 (the latest ≤ D93); b/28 none; b/7 ← D30.
        assertThat(samples).hasSize(3);
        assertThat(samples).extracting(s -> s.accountId() + "/" + s.daysBefore() + "/" + s.values()[0] + "/" + s.missed())
                .containsExactly("a/28/72.0/true", "a/7/80.0/true", "b/7/30.0/false");
        assertThat(samples.get(0).at()).isEqualTo(72 * DAY);
        assertThat(samples.get(1).assessedAt()).isEqualTo(80 * DAY);
        assertThat(sampler.offered()).isEqualTo(7);
    }

    @Test
    void shouldNotDependOnArrivalOrder() {
        RiskSampler sampler = RiskSampler.daysBefore(List.of(new RiskSampler.Outcome("a", true, 100 * DAY)), new int[] {14});
        sampler.offer("a", 80 * DAY, tagged(80));
        sampler.offer("a", 60 * DAY, tagged(60)); // arrives later but is older: D80 stays
        sampler.offer("a", 90 * DAY, tagged(90)); // after D86
        assertThat(sampler.samples()).extracting(s -> s.values()[0]).containsExactly(80.0);
    }

    @Test
    void shouldSampleEveryRowOfAnAccountWithSeveralResults() {
        // Two goals of one account: D40 achieved and D60 missed; k = 20 → D20 and D40, shared slots per account.
        RiskSampler sampler = RiskSampler.daysBefore(List.of(
                new RiskSampler.Outcome("a", false, 40 * DAY),
                new RiskSampler.Outcome("a", true, 60 * DAY)), new int[] {20});
        sampler.offer("a", 15 * DAY, tagged(15));
        sampler.offer("a", 35 * DAY, tagged(35));
        assertThat(sampler.samples()).extracting(s -> s.values()[0] + "/" + s.missed()).containsExactly("15.0/false", "35.0/true");
    }

    @Test
    void shouldSampleLandmarksEveryDDaysFromTheFirstAssessmentUntilAWeekBeforeTheResult() {
        // a: first assessment D10, result D60 (missed) → landmarks D24, D38, D52 (D66 > D53); b: first D0, results D20 and D40.
        RiskSampler sampler = RiskSampler.landmarks(List.of(
                new RiskSampler.Outcome("a", true, 60 * DAY),
                new RiskSampler.Outcome("b", false, 20 * DAY),
                new RiskSampler.Outcome("b", true, 40 * DAY)), 14);
        sampler.offer("a", 10 * DAY, tagged(10));
        sampler.offer("a", 24 * DAY, tagged(24)); // exactly at the D24 landmark: taken ("at or before")
        sampler.offer("a", 30 * DAY, tagged(30));
        sampler.offer("a", 20 * DAY, tagged(20)); // out of order (older than D30): ignored
        sampler.offer("a", 45 * DAY, tagged(45)); // D38 ← D30; the D52 landmark takes D45, the last one
        sampler.offer("b", 0, tagged(0));
        sampler.offer("b", 15 * DAY, tagged(15)); // b's landmarks D14 and D28: D14 ← D0
        sampler.offer("z", 1 * DAY, tagged(1)); // no outcome: counted, not kept

        List<RiskSampler.Sample> samples = sampler.samples();
        // b/20 ends at D13: no landmark; b/40 ends at D33: D14 ← D0, D28 ← D15.
        assertThat(samples).extracting(s -> s.accountId() + "@" + s.at() / DAY + "=" + s.values()[0] + "/" + s.missed() + "/" + s.daysBefore())
                .containsExactly("a@24=24.0/true/36", "a@38=30.0/true/22", "a@52=45.0/true/8", "b@14=0.0/true/26", "b@28=15.0/true/12");
        assertThat(samples.get(1).assessedAt()).isEqualTo(30 * DAY);
        assertThat(sampler.offered()).isEqualTo(8);
    }

    @Test
    void shouldNotSampleAnAccountWithoutAssessments() {
        RiskSampler sampler = RiskSampler.landmarks(List.of(new RiskSampler.Outcome("a", true, 60 * DAY)), 7);
        assertThat(sampler.samples()).isEmpty();
        assertThatThrownBy(() -> RiskSampler.landmarks(List.of(), 0)).hasMessageContaining("at least 1 day");
    }

    @Test
    void shouldParseSampleDays() {
        assertThat(RiskSampler.parseDays("56, 42,28,21,14,7")).containsExactly(56, 42, 28, 21, 14, 7);
        assertThat(RiskSampler.parseDays("7..50/14, 3")).containsExactly(7, 21, 35, 49, 3);
        assertThatThrownBy(() -> RiskSampler.parseDays("7..60/0")).hasMessageContaining("STEP of at least 1");
        assertThatThrownBy(() -> RiskSampler.parseDays("7..21/7,14")).hasMessageContaining("twice");
        assertThatThrownBy(() -> RiskSampler.parseDays("7,x")).hasMessageContaining("'x'");
        assertThatThrownBy(() -> RiskSampler.parseDays("7,7")).hasMessageContaining("twice");
        assertThatThrownBy(() -> RiskSampler.parseDays("-1")).hasMessageContaining("negative");
    }
}
