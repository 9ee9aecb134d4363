package io.headway.backtest.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ThresholdTest {

    // Five accounts; an account's score is the highest of its samples' probabilities.
    //   a missed   0.9 (samples 0.9, 0.2)
    //   b missed   0.8
    //   c achieved 0.7
    //   d missed   0.6 (samples 0.1, 0.6)
    //   e achieved 0.3
    // Thresholds from the top: 0.9 → 1/1; 0.8 → 2/2; 0.7 → 2/3; 0.6 → 3/4; 0.3 → 3/5 (precision flagged-missed/flagged).
    private static final String[] ACCOUNTS = {"a", "a", "b", "c", "d", "d", "e"};
    private static final boolean[] MISSED = {true, true, true, false, true, true, false};
    private static final double[] P = {0.9, 0.2, 0.8, 0.7, 0.1, 0.6, 0.3};

    @Test
    void shouldChooseTheLowestThresholdReachingTheTargetPrecision() {
        Threshold.Choice c = Threshold.choose(ACCOUNTS, MISSED, P, 0.75);
        // 0.6 gives 3/4 = 0.75 ≥ 0.75 and is the lowest that does (0.3 gives 0.6).
        assertThat(c.threshold()).isEqualTo(0.6);
        assertThat(c.precision()).isEqualTo(0.75);
        assertThat(c.recall()).isEqualTo(1.0); // 3 of 3 missed accounts
        assertThat(c.flagged()).isEqualTo(4);
        assertThat(c.accounts()).isEqualTo(5);
        assertThat(c.missedAccounts()).isEqualTo(3);
        assertThat(c.reached()).isTrue();

        Threshold.Choice strict = Threshold.choose(ACCOUNTS, MISSED, P, 0.8);
        // 0.7 gives 2/3, 0.6 gives 3/4: neither; 0.8 gives 2/2.
        assertThat(strict.threshold()).isEqualTo(0.8);
        assertThat(strict.recall()).isCloseTo(2.0 / 3, within(1e-12));
    }

    @Test
    void shouldTakeTheBestPrecisionWhenNoThresholdReachesTheTarget() {
        // b achieved instead: 0.9 → 1/1 is the best there is, and 1.0 < 1.01.
        boolean[] missed = {false, false, true, true, false, false, true};
        // a achieved 0.9; b missed 0.8; c missed 0.7; d achieved 0.6; e missed 0.3.
        Threshold.Choice c = Threshold.choose(ACCOUNTS, missed, P, 1.01);
        assertThat(c.reached()).isFalse();
        // 0.9 → 0/1; 0.8 → 1/2; 0.7 → 2/3; 0.6 → 2/4; 0.3 → 3/5. Best 2/3 at 0.7.
        assertThat(c.threshold()).isEqualTo(0.7);
        assertThat(c.precision()).isCloseTo(2.0 / 3, within(1e-12));
    }

    @Test
    void shouldComputeTheAucWithTiesCountedHalf() {
        // Positives 0.8, 0.4; negatives 0.4, 0.1. Pairs: (0.8>0.4) 1, (0.8>0.1) 1, (0.4=0.4) 0.5, (0.4>0.1) 1 → 3.5/4.
        assertThat(Threshold.auc(new boolean[] {true, true, false, false}, new double[] {0.8, 0.4, 0.4, 0.1})).isEqualTo(0.875);
        assertThat(Threshold.auc(new boolean[] {true, true}, new double[] {0.8, 0.4})).isNaN();
    }
}
