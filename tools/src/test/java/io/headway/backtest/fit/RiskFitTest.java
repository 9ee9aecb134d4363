package io.headway.backtest.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.headway.risk.RiskFeatures;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

class RiskFitTest {

    private static final int SILENCE = RiskFeatures.NAMES.indexOf("silence_days");
    private static final int HEALTH = RiskFeatures.NAMES.indexOf("health");
    private static final int NOISE = RiskFeatures.NAMES.indexOf("goal_measurements");
    private static final int DEPTH = RiskFeatures.NAMES.indexOf("depth");

    /**
     * 300 accounts, 3 samples each: the miss is drawn from a logistic model in silence (+) and health (−);
     * goal_measurements (either direction) is noise and unknown for every third sample; nothing else is ever known.
     */
    static List<RiskSampler.Sample> synthetic(long seed) {
        Random r = new Random(seed);
        List<RiskSampler.Sample> out = new ArrayList<>();
        for (int a = 0; a < 300; a++) {
            double silence = r.nextDouble() * 30;
            double health = r.nextDouble();
            double logit = -1 + 0.15 * (silence - 15) - 3 * (health - 0.5);
            boolean missed = r.nextDouble() < LogisticRegression.sigmoid(logit);
            for (int k = 0; k < 3; k++) {
                double[] v = new double[RiskFeatures.NAMES.size()];
                Arrays.fill(v, Double.NaN);
                v[SILENCE] = Math.max(0, silence + r.nextGaussian() * 2);
                v[HEALTH] = health;
                v[NOISE] = k == 2 ? Double.NaN : r.nextDouble();
                out.add(new RiskSampler.Sample("acc-" + a, missed, 7 * (k + 1), 0, 0, v));
            }
        }
        return out;
    }

    @Test
    void shouldRecoverTheDirectionOfEachSignalAndReportOutOfFoldFigures() {
        RiskFit.Result fit = RiskFit.fit(synthetic(1), 5, 0.8);
        assertThat(fit.terms()).extracting(RiskFit.Term::feature).containsExactly("health", "silence_days", "goal_measurements");
        assertThat(fit.leftOut()).hasSize(RiskFeatures.NAMES.size() - 3).doesNotContain("silence_days");
        RiskFit.Term silence = fit.terms().get(1);
        RiskFit.Term health = fit.terms().get(0);
        RiskFit.Term depth = fit.terms().get(2);
        assertThat(silence.weight()).isGreaterThan(0.8);
        assertThat(health.weight()).isLessThan(-0.4);
        assertThat(Math.abs(depth.weight())).isLessThan(Math.abs(health.weight()) / 2);
        assertThat(silence.mean()).isBetween(13.0, 17.0);
        assertThat(fit.samples()).isEqualTo(900);
        assertThat(fit.accounts()).isEqualTo(300);
        assertThat(fit.cvAuc()).isBetween(0.75, 0.95);
        assertThat(fit.cLogLoss()).hasSize(RiskFit.C_GRID.length);
        assertThat(fit.c()).isEqualTo(RiskFit.C_GRID[indexOfMin(fit.cLogLoss())]);
        assertThat(fit.threshold().reached()).isTrue();
        assertThat(fit.threshold().precision()).isGreaterThanOrEqualTo(0.8);
        // The same samples give the same fit: folds and solver are deterministic.
        assertThat(RiskFit.fit(synthetic(1), 5, 0.8)).usingRecursiveComparison().isEqualTo(fit);
    }

    @Test
    void shouldSolveTheRegularisedProblem() {
        // At liblinear's optimum the gradient of ½‖w‖² + C Σ logloss is 0: w_j = −C Σ (p_i − y_i) z_ij,
        // and Σ (p_i − y_i) = 0 for the unregularised intercept. Checks the label sign and the bias handling.
        List<RiskSampler.Sample> samples = synthetic(2);
        List<double[]> raw = samples.stream().map(RiskSampler.Sample::values).toList();
        boolean[] y = new boolean[samples.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = samples.get(i).missed();
        }
        Standardiser std = Standardiser.fit(raw, RiskFeatures.NAMES.size());
        List<double[]> z = RiskFit.standardise(std, raw);
        double c = 0.1;
        LogisticRegression.Fitted m = LogisticRegression.fit(z, y, c);
        double[] grad = m.weights().clone();
        double interceptGrad = 0;
        for (int i = 0; i < z.size(); i++) {
            double residual = m.probability(z.get(i)) - (y[i] ? 1 : 0);
            interceptGrad += c * residual;
            for (int j = 0; j < grad.length; j++) {
                grad[j] += c * residual * z.get(i)[j];
            }
        }
        assertThat(interceptGrad).isCloseTo(0, within(0.05));
        for (double g : grad) {
            assertThat(g).isCloseTo(0, within(0.05));
        }
    }

    @Test
    void shouldKeepEveryAccountInOneFold() {
        assertThat(RiskFit.fold("acc-1", 5)).isEqualTo(RiskFit.fold("acc-1", 5)).isBetween(0, 4);
        // CRC-32("a") = 0xE8B7BE43 = 3904355907; mod 5 = 2.
        assertThat(RiskFit.fold("a", 5)).isEqualTo(2);
    }

    @Test
    void shouldRefuseOneClass() {
        List<RiskSampler.Sample> allAchieved = synthetic(3).stream()
                .map(s -> new RiskSampler.Sample(s.accountId(), false, s.daysBefore(), s.at(), s.assessedAt(), s.values())).toList();
        assertThatThrownBy(() -> RiskFit.fit(allAchieved, 5, 0.8)).hasMessageContaining("all achieved");
        assertThatThrownBy(() -> RiskFit.fit(synthetic(3), 1, 0.8)).hasMessageContaining("--folds");
    }

    private static int indexOfMin(double[] a) {
        int best = 0;
        for (int i = 1; i < a.length; i++) {
            if (a[i] < a[best]) {
                best = i;
            }
        }
        return best;
    }

    @Test
    void shouldDropAFeatureWhoseWeightGoesAgainstItsMeaningAndRefit() {
        // Depth is a score component (100 = healthy end) but here it rises with silence, so on its
        // own it would weigh towards a miss: a reason no CS team could act on.
        List<RiskSampler.Sample> samples = new ArrayList<>();
        for (RiskSampler.Sample s : synthetic(3)) {
            double[] v = s.values().clone();
            v[DEPTH] = v[SILENCE] / 30 + 0.05 * new Random(s.accountId().hashCode()).nextGaussian();
            samples.add(new RiskSampler.Sample(s.accountId(), s.missed(), s.daysBefore(), s.at(), s.assessedAt(), v));
        }
        RiskFit.Result fit = RiskFit.fit(samples, 5, 0.8);
        assertThat(fit.againstDirection()).contains("depth");
        assertThat(fit.leftOut()).doesNotContain("depth");
        assertThat(fit.terms()).extracting(RiskFit.Term::feature).doesNotContain("depth").contains("silence_days", "health");
        assertThat(fit.terms()).allSatisfy(t -> assertThat(Math.signum(t.weight()) * RiskFeatures.DIRECTION.get(t.feature())).isGreaterThanOrEqualTo(0));
    }
}
