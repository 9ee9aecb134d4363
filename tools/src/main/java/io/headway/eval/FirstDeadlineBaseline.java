package io.headway.eval;

import io.headway.eval.AlertScorecard.Opening;
import io.headway.eval.OuladData.Assessment;
import io.headway.eval.OuladData.Enrollment;
import io.headway.eval.OuladData.Submission;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The one-line baseline a fitted risk has to beat, straight from the OULAD CSVs and without the job:
 * a student is flagged when their first weighted assessment (the first coursework with weight, by
 * deadline) was not handed in by its deadline, or was handed in late; the flag is raised when the
 * deadline day ends. A presentation without weighted coursework flags nobody.
 */
public final class FirstDeadlineBaseline {

    public static final String RULE = "first-deadline-missed";
    private static final long DAY_MS = Duration.ofDays(1).toMillis();

    private FirstDeadlineBaseline() {}

    /** One opening per flagged enrollment. */
    public static List<Opening> openings(Collection<Enrollment> enrollments) {
        List<Opening> out = new ArrayList<>();
        for (Enrollment e : enrollments) {
            Assessment first = e.presentation().coursework().stream().filter(a -> a.weight() > 0).findFirst().orElse(null);
            if (first == null) {
                continue;
            }
            boolean onTime = false;
            for (Submission s : e.submissions()) {
                onTime |= s.assessmentId() == first.id() && s.day() <= first.deadlineDay();
            }
            if (!onTime) {
                out.add(new Opening(e.accountId(), RULE, e.presentation().start().toEpochMilli() + (first.deadlineDay() + 1) * DAY_MS));
            }
        }
        return out;
    }
}
