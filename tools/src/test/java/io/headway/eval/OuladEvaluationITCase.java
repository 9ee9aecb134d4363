package io.headway.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.headway.eval.OuladData.Assessment;
import io.headway.eval.OuladData.Enrollment;
import io.headway.eval.OuladData.Submission;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The evaluation end to end: dataset files, mapping, the production workflow on a MiniCluster, the
 * scorecard. On a hand-made dataset the figures are computed by hand; on the real OULAD module AAA
 * (when {@code ../shared/data/oulad} is there, else skipped) the first risk alert of every student
 * must be exactly when a count straight from the dataset's rows says an assessment went missing.
 */
class OuladEvaluationITCase {

    private static final Instant DAY_0 = Instant.parse("2014-10-01T00:00:00Z");
    private static final long DAY = Duration.ofDays(1).toMillis();
    /** Where CI keeps the shared data, from the jobs module; {@code -Dheadway.oulad=DIR} overrides. */
    private static final Path OULAD = Path.of(System.getProperty("headway.oulad", "../../shared/data/oulad"));

    @TempDir
    Path dir;

    @Test
    void shouldScoreTheHandMadeStudentsAsComputedByHand() throws Exception {
        Path students = dir.resolve("students.csv");
        OuladEvaluation.Result r = OuladEvaluation.run(OuladEvaluation.Options.parse(
                new String[] {"--data", OuladFixture.write(dir).toString(), "--students", students.toString()}));

        assertThat(r.enrollments()).isEqualTo(5);
        assertThat(r.leftOut()).as("student 4 (withdrew on day -5) and student 7 (no deadlines)").isEqualTo(2);
        assertThat(r.presentationsWithoutDeadlines()).containsExactly("YYY-2014B");
        assertThat(r.deadLetters()).isZero();
        assertThat(r.firstRiskOpening()).isEqualTo(Map.of(
                "XXX-2014J-2", day(68), // TMA 2 never handed in: due day 61 + 7 days of grace
                "XXX-2014J-3", day(28), // TMA 1 missing; withdrew on day 50
                "XXX-2014J-5", day(28))); // TMA 1 nine days late
        AlertScorecard.Figures f = r.overall();
        assertThat(f.missed()).isEqualTo(3);
        assertThat(f.warned()).isEqualTo(2);
        // 32 days before the end of the presentation (day 100); 22 days and a minute before the withdrawal.
        assertThat(f.medianLeadDays()).isCloseTo((32 + 22 + 1.0 / 1440) / 2, offset(1e-9));
        assertThat(f.achieved()).isEqualTo(2);
        assertThat(f.falselyAlerted()).isEqualTo(1);
        // Student 6 earned the coursework points (25 + 20) and still withdrew: the goal is a means, not the result.
        assertThat(r.wins()).as("coursework goal achieved: students 1, 5 and 6").isEqualTo(3);
        assertThat(Files.readAllLines(students)).containsExactly(
                "account_id,module,final_result,missed,miss_at,first_risk_alert_at,first_risk_rule,lead_days",
                "XXX-2014J-1,XXX,Pass,false,,,,",
                "XXX-2014J-2,XXX,Fail,true,2015-01-09T00:00:00Z,2014-12-08T00:00:00Z,milestone-overdue,32.00",
                "XXX-2014J-3,XXX,Withdrawn,true,2014-11-20T00:01:00Z,2014-10-29T00:00:00Z,milestone-overdue,22.00",
                "XXX-2014J-5,XXX,Distinction,false,,2014-10-29T00:00:00Z,milestone-overdue,",
                "XXX-2014J-6,XXX,Withdrawn,true,2014-12-10T00:01:00Z,,,");
    }

    @ParameterizedTest(name = "min_missed {0}")
    @ValueSource(ints = {1, 2})
    void shouldWarnOnRealDataExactlyWhenTheDatasetSaysAnAssessmentWentMissing(int minMissed) throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(OULAD.resolve("student.csv")), "OULAD not at " + OULAD.toAbsolutePath());
        int grace = 7;
        OuladEvaluation.Result r = OuladEvaluation.run(OuladEvaluation.Options.parse(new String[] {
            "--data", OULAD.toString(), "--modules", "AAA", "--grace-days", Integer.toString(grace),
            "--min-missed", Integer.toString(minMissed), "--parallelism", "2"}));

        OuladData data = OuladData.read(OULAD, Set.of("AAA"));
        Map<String, Long> expected = new TreeMap<>();
        for (Enrollment e : data.enrollments) {
            if (OuladMapping.evaluated(e)) {
                missing(e, grace, minMissed).ifPresent(at -> expected.put(e.accountId(), at));
            }
        }
        System.out.printf("OuladEvaluationITCase (AAA, min_missed %d): %d enrollments, %d with %d missing assessments; %s%n",
                minMissed, r.enrollments(), expected.size(), minMissed, r.overall());
        assertThat(r.deadLetters()).isZero();
        assertThat(r.lateByReason().keySet()).as("only measurements after the goal ended, hand-ins after a withdrawal")
                .isSubsetOf(Set.of("unknown_goal", "journey_closed"));
        assertThat(r.firstRiskOpening()).isEqualTo(expected);
        assertThat(r.overall().warned()).isPositive();
    }

    /**
     * When the {@code n}-th weighted assessment went missing (not handed in by the end of its deadline
     * day plus the grace), before any withdrawal; straight from the dataset's rows.
     */
    private static Optional<Long> missing(Enrollment e, int grace, int n) {
        long start = e.presentation().start().toEpochMilli();
        int missed = 0;
        for (Assessment a : OuladMapping.milestones(e.presentation())) {
            int dueDay = a.deadlineDay() + 1 + grace;
            if (e.unregistrationDay() != null && (long) dueDay * DAY >= e.unregistrationDay() * DAY + 60_000) {
                break;
            }
            boolean onTime = false;
            for (Submission s : e.submissions()) {
                onTime |= s.assessmentId() == a.id() && Math.max(s.day(), 0) <= a.deadlineDay() + grace;
            }
            if (!onTime && ++missed == n) {
                return Optional.of(start + dueDay * DAY);
            }
        }
        return Optional.empty();
    }

    private static long day(int d) {
        return DAY_0.toEpochMilli() + d * DAY;
    }
}
