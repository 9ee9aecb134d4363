package io.headway.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.headway.eval.AlertScorecard.Figures;
import io.headway.eval.OuladData.Enrollment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.time.Instant;
import java.util.List;
import java.util.Set;

class FirstDeadlineBaselineTest {

    @TempDir
    java.nio.file.Path dir;

    @Test
    void shouldFlagWhoMissedOrWasLateForTheFirstWeightedDeadline() throws Exception {
        OuladData data = OuladData.read(OuladFixture.write(dir), Set.of());
        List<Enrollment> evaluated = OuladConvert.Plan.of(data).batches().get(0).enrollments();

        List<AlertScorecard.Opening> openings = FirstDeadlineBaseline.openings(evaluated);

        // TMA 1 (day 20, weight 50) is the first weighted deadline: 2 was late (day 25), 3 never handed it in,
        // 5 was late (day 29); 1 and 6 were on time; 4 withdrew before the start and 7's presentation has no coursework: neither is evaluated.
        assertThat(openings).extracting(AlertScorecard.Opening::accountId).containsExactly("XXX-2014J-2", "XXX-2014J-3", "XXX-2014J-5");
        assertThat(openings).allSatisfy(o -> assertThat(Instant.ofEpochMilli(o.openedAt())).isEqualTo(Instant.parse("2014-10-22T00:00:00Z")));

        Figures f = AlertScorecard.score("baseline", evaluated.stream().map(OuladMapping::outcome).toList(), openings);
        // Missed: 2 (Fail, at day 100: warned), 3 (withdrew day 50: warned), 6 (withdrew day 70: not flagged); 5 achieved, flagged.
        assertThat(f.missed()).isEqualTo(3);
        assertThat(f.warned()).isEqualTo(2);
        assertThat(f.falselyAlerted()).isEqualTo(1);
        assertThat(f.achieved()).isEqualTo(2);
    }
}
