package io.headway.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.headway.eval.AlertScorecard.Figures;
import io.headway.eval.AlertScorecard.Opening;
import io.headway.eval.AlertScorecard.Outcome;

import org.junit.jupiter.api.Test;

import java.util.List;

class AlertScorecardTest {

    private static final long DAY = 86_400_000L;

    @Test
    void shouldCountOnlyAlertsBeforeTheMissAndAnyAlertOnAnAccountThatAchieved() {
        List<Outcome> outcomes = List.of(
                new Outcome("missed-early", "m", true, 100 * DAY),
                new Outcome("missed-late-alert", "m", true, 50 * DAY),
                new Outcome("missed-silent", "m", true, 80 * DAY),
                new Outcome("missed-short", "m", true, 30 * DAY),
                new Outcome("achieved-alerted", "m", false, 0),
                new Outcome("achieved-quiet", "m", false, 0));
        List<Opening> openings = List.of(
                new Opening("missed-early", "r", 70 * DAY),
                new Opening("missed-early", "r", 60 * DAY), // the first opening counts: 40 days ahead
                new Opening("missed-late-alert", "r", 50 * DAY), // at the miss: too late
                new Opening("missed-short", "r", 20 * DAY), // 10 days ahead
                new Opening("achieved-alerted", "r", 500 * DAY));

        Figures f = AlertScorecard.score("all", outcomes, openings);

        assertThat(f.missed()).isEqualTo(4);
        assertThat(f.warned()).isEqualTo(2);
        assertThat(f.medianLeadDays()).isEqualTo(25.0); // (40 + 10) / 2
        assertThat(f.warnedTwoWeeksAhead()).isEqualTo(1);
        assertThat(f.achieved()).isEqualTo(2);
        assertThat(f.falselyAlerted()).isEqualTo(1);
        assertThat(f.warnedShare()).isEqualTo(0.5);
        assertThat(f.falseAlertShare()).isEqualTo(0.5);
        assertThat(f.precision()).isEqualTo(2.0 / 3);
        assertThat(f.baseRate()).isEqualTo(4.0 / 6);
    }

    @Test
    void shouldGiveNoNumberWhereThereIsNothingToDivideBy() {
        Figures f = AlertScorecard.score("none", List.of(), List.of());

        assertThat(f.warnedShare()).isNaN();
        assertThat(f.falseAlertShare()).isNaN();
        assertThat(f.precision()).isNaN();
        assertThat(f.medianLeadDays()).isNaN();
    }
}
