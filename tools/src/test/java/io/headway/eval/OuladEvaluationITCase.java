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
 * The evaluation end to end: dataset files, the conversion, the backtest (the production workflow
 * on a MiniCluster), its scorecards read back into the table. On a hand-made dataset the figures are
 * computed by hand, in one batch and over two; on the real OULAD module AAA (when
 * {@code ../shared/data/oulad} is there, else skipped) the first risk alert of every student, read
 * from the backtest's alerts.jsonl, must be exactly when a count straight from the dataset's rows
 * says an assessment went missing.
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
        Path out = dir.resolve("out");
        OuladEvaluation.Result r = OuladEvaluation.run(OuladEvaluation.Options.parse(new String[] {
            "--data", OuladFixture.write(dir).toString(), "--students", students.toString(), "--out", out.toString()}));

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
        // scorecard.json rounds to 6 decimals.
        assertThat(f.medianLeadDays()).isCloseTo((32 + 22 + 1.0 / 1440) / 2, offset(1e-6));
        assertThat(f.achieved()).isEqualTo(2);
        assertThat(f.falselyAlerted()).isEqualTo(1);
        // Student 6 earned the coursework points (25 + 20) and still withdrew: the goal is a means, not the result.
        assertThat(r.wins()).as("coursework goal achieved: students 1, 5 and 6").isEqualTo(3);
        assertThat(r.batches()).containsExactly(out);
        assertThat(out.resolve("backtest").resolve("scorecard.json")).isRegularFile();
        assertThat(r.byModule()).extracting(AlertScorecard.Figures::name).containsExactly("XXX", "Fail", "Withdrawn");
        assertFigures(r.byModule().get(1), "Fail", 1, 1, 32.0, 1, 0, 0); // student 2, warned 32 days ahead
        assertThat(Files.readAllLines(students)).containsExactly(
                "account_id,module,final_result,missed,miss_at,first_risk_alert_at,first_risk_rule,lead_days",
                "XXX-2014J-1,XXX,Pass,false,,,,",
                "XXX-2014J-2,XXX,Fail,true,2015-01-09T00:00:00Z,2014-12-08T00:00:00Z,milestone-overdue,32.00",
                "XXX-2014J-3,XXX,Withdrawn,true,2014-11-20T00:01:00Z,2014-10-29T00:00:00Z,milestone-overdue,22.00",
                "XXX-2014J-5,XXX,Distinction,false,,2014-10-29T00:00:00Z,milestone-overdue,",
                "XXX-2014J-6,XXX,Withdrawn,true,2014-12-10T00:01:00Z,,,");
    }

    @Test
    void shouldAddUpTheBatchesAndTakeTheMedianOverAllOfThem() throws Exception {
        // The hand-made presentation nine times (M01 ... M09): more journeys than one model holds.
        Path data = nineTimes(OuladFixture.write(dir), dir.resolve("nine"));

        OuladEvaluation.Result r = OuladEvaluation.run(OuladEvaluation.Options.parse(new String[] {
            "--data", data.toString(), "--out", dir.resolve("out").toString(), "--parallelism", "2"}));

        assertThat(r.batches()).hasSize(2);
        assertThat(r.enrollments()).isEqualTo(9 * 5);
        // Nine times the figures of one presentation; leads 32 and 22 days and a minute, nine each.
        assertFigures(r.overall(), "all", 27, 18, (32 + 22 + 1.0 / 1440) / 2, 18, 18, 9);
        assertFigures(r.byModule().get(0), "M01", 3, 2, (32 + 22 + 1.0 / 1440) / 2, 2, 2, 1); // in one batch: its scorecard's median
        assertThat(r.byModule()).extracting(AlertScorecard.Figures::name).endsWith("M09", "Fail", "Withdrawn");
        // Withdrawn: students 3 (warned 22 days and a minute ahead) and 6 (never), nine times over both batches.
        assertFigures(r.byModule().get(r.byModule().size() - 1), "Withdrawn", 18, 9, 22 + 1.0 / 1440, 9, 0, 0);
        assertThat(r.openingsByRule()).isEqualTo(Map.of("milestone-overdue", 27L));
    }

    private static void assertFigures(
            AlertScorecard.Figures f, String name, int missed, int warned, double medianLeadDays, int twoWeeks, int achieved, int alerted) {
        assertThat(f.name()).isEqualTo(name);
        assertThat(f.medianLeadDays()).as(name + " median lead").isCloseTo(medianLeadDays, offset(1e-6));
        assertThat(new int[] {f.missed(), f.warned(), f.warnedTwoWeeksAhead(), f.achieved(), f.falselyAlerted()}).as(name)
                .containsExactly(missed, warned, twoWeeks, achieved, alerted);
    }

    /** The hand-made dataset's presentation XXX 2014J copied as M01 ... M09 2014J (assessment ids 10 m + id). */
    private static Path nineTimes(Path fixture, Path dir) throws Exception {
        Files.createDirectories(dir);
        for (String file : List.of("course.csv", "assessment.csv", "student.csv", "student_registration.csv", "student_assessment.csv")) {
            List<String> lines = Files.readAllLines(fixture.resolve(file));
            StringBuilder out = new StringBuilder(lines.get(0)).append('\n');
            for (int m = 1; m <= 9; m++) {
                for (String line : lines.subList(1, lines.size())) {
                    if (file.equals("student_assessment.csv")) {
                        int comma = line.indexOf(',');
                        out.append(10 * m + Integer.parseInt(line.substring(0, comma))).append(line.substring(comma)).append('\n');
                    } else if (line.startsWith("\"XXX\"")) {
                        String copy = line.replace("\"XXX\"", "\"M0" + m + "\"");
                        if (file.equals("assessment.csv")) {
                            String[] f = copy.split(",", -1);
                            f[2] = Integer.toString(10 * m + Integer.parseInt(f[2]));
                            copy = String.join(",", f);
                        }
                        out.append(copy).append('\n');
                    }
                }
            }
            Files.writeString(dir.resolve(file), out);
        }
        return dir;
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
