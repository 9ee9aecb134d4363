package io.headway.eval;

import io.headway.eval.OuladData.Assessment;
import io.headway.eval.OuladData.Enrollment;
import io.headway.eval.OuladData.Presentation;
import io.headway.eval.OuladData.Submission;
import io.headway.model.CustomerModel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * OULAD as Headway touchpoints and a customer model: a student on a module presentation is an
 * account, the presentation is a journey whose milestones are its coursework deadlines (the moments
 * of truth), passing is the declared goal, and the final result is what really happened.
 *
 * <ul>
 *   <li>{@code education/course_started{course}} at day 0: the deadlines are the presentation's, the
 *       same dates for a student who registered late;
 *   <li>{@code outcome/goal_set} at the same instant: goal {@code pass}, metric
 *       {@code coursework_points} (0 to 100: the scores of the submitted coursework weighted by the
 *       share of the coursework weight each assessment carries), from 0 to 40 (the pass mark) by the
 *       day after the last coursework deadline;
 *   <li>per submitted coursework, at noon of its day: {@code education/assessment_submitted{course,
 *       assessment, assessment_type}} with the score, and {@code outcome/outcome_measured} with the
 *       points so far;
 *   <li>a withdrawal: {@code billing/subscription_cancelled{course}} one minute into the day of
 *       unregistration.
 * </ul>
 *
 * Nothing of the final result goes in: it is the ground truth. A student missed the result when it
 * is Fail (at the end of the presentation) or Withdrawn (at the withdrawal, else the end). Students
 * who withdrew on or before day 0 are left out: nothing about them happens on the journey.
 */
public final class OuladMapping {

    /** The touchpoint type this evaluation adds to the vocabulary ({@code validation.extra-types}). */
    public static final String SUBMITTED = "assessment_submitted";
    public static final String GOAL_ID = "pass";
    public static final String METRIC = "coursework_points";
    public static final double PASS_MARK = 40;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long DAY_MS = Duration.ofDays(1).toMillis();

    /** One input record: what a Kafka producer would send, keyed by account. */
    public record Record(long at, String accountId, String eventId, byte[] json) {}

    /** The risk rules an evaluation may use, by id, as customer-model YAML; {@code goal-achieved} is always in. */
    public static final Map<String, String> RULES = Map.of(
            "milestone-at-risk", rule("milestone-at-risk", "milestone_at_risk", "medium", "milestone",
                    "Contact the student this week: offer help with the assessment before its deadline."),
            "milestone-overdue", rule("milestone-overdue", "milestone_overdue", "high", "milestone",
                    "An assessment is overdue beyond the grace period: call the student and agree a plan."),
            "goal-at-risk", rule("goal-at-risk", "goal_at_risk", "high", "tutor",
                    "The student's coursework points are heading below the pass mark: arrange a tutorial."),
            "goal-achieved", rule("goal-achieved", "goal_achieved", "info", "tutor",
                    "The student has the coursework points to pass: tell them."));

    /**
     * How the evaluation's customer model is made: the {@code behind_share} of every journey, or its
     * {@code behind_before} in days when given, days of grace after each deadline before a hand-in is
     * missing, how many missing before {@code milestone-overdue} fires, and which risk rules are on.
     */
    public record ModelOptions(double behindShare, Integer behindBeforeDays, int graceDays, int minMissed, List<String> rules) {
        public ModelOptions {
            if (minMissed < 1) {
                throw new IllegalArgumentException("--min-missed must be at least 1");
            }
            if (behindBeforeDays != null && (behindBeforeDays < 1 || behindBeforeDays > graceDays + 1)) {
                throw new IllegalArgumentException("--behind-before-days must be from 1 to the grace days + 1 (a due offset is at least that)");
            }
            for (String r : rules) {
                if (!RULES.containsKey(r) || r.equals("goal-achieved")) {
                    throw new IllegalArgumentException("unknown risk rule " + r + "; use milestone-at-risk, milestone-overdue or goal-at-risk");
                }
            }
            rules = List.copyOf(rules);
        }
    }

    private OuladMapping() {}

    private static String rule(String id, String type, String severity, String owner, String action) {
        return "    - id: " + id + "\n      type: " + type + "\n      version: 1\n      severity: " + severity
                + "\n      owner_team: " + owner + "\n      action: \"" + action + "\"\n";
    }

    /** Whether the enrollment is evaluated (it did not end before the presentation started). */
    public static boolean evaluated(Enrollment e) {
        return e.unregistrationDay() == null || e.unregistrationDay() > 0;
    }

    /** The ground truth of an evaluated enrollment. */
    public static AlertScorecard.Outcome outcome(Enrollment e) {
        return new AlertScorecard.Outcome(e.accountId(), e.presentation().module(), !e.achieved(), resultAt(e));
    }

    /**
     * When the result was decided: a withdrawal at the withdrawal, any other result at the end of the
     * presentation (when the final result is known).
     */
    public static long resultAt(Enrollment e) {
        Presentation p = e.presentation();
        return e.finalResult().equals("Withdrawn") && e.unregistrationDay() != null ? withdrawalAt(e) : at(p, p.lengthDays());
    }

    private static long withdrawalAt(Enrollment e) {
        return at(e.presentation(), e.unregistrationDay()) + 60_000;
    }

    private static long at(Presentation p, int day) {
        return p.start().toEpochMilli() + day * DAY_MS;
    }

    /** The milestones of a presentation: coursework that carries weight, else all coursework (at most 32). */
    public static List<Assessment> milestones(Presentation p) {
        List<Assessment> weighted = p.coursework().stream().filter(a -> a.weight() > 0).toList();
        List<Assessment> chosen = weighted.isEmpty() ? p.coursework() : weighted;
        return chosen.size() > 32 ? chosen.subList(0, 32) : chosen;
    }

    static double courseworkWeight(Presentation p) {
        return p.coursework().stream().mapToDouble(Assessment::weight).sum();
    }

    /** The touchpoints of one evaluated enrollment, in event-time order. */
    public static List<Record> touchpoints(Enrollment e) {
        Presentation p = e.presentation();
        String account = e.accountId();
        String course = p.id();
        long start = at(p, 0);
        List<Record> out = new ArrayList<>();
        out.add(record(account, "start", start, "education", "course_started", null, Map.of("course", course)));
        double totalWeight = courseworkWeight(p);
        List<Assessment> coursework = p.coursework();
        if (totalWeight > 0 && !coursework.isEmpty()) {
            int lastDeadline = coursework.get(coursework.size() - 1).deadlineDay();
            long deadline = at(p, lastDeadline + 1);
            out.add(record(account, "goal", start, "outcome", "goal_set", null, Map.of(
                    "goal_id", GOAL_ID, "metric", METRIC, "direction", "increase",
                    "baseline", "0", "target", format(PASS_MARK), "deadline", Instant.ofEpochMilli(deadline).toString())));
        }
        Map<Long, Assessment> byId = new HashMap<>();
        coursework.forEach(a -> byId.put(a.id(), a));
        double points = 0;
        for (Submission s : e.submissions()) {
            Assessment a = byId.get(s.assessmentId());
            if (a == null) {
                continue; // exams: the result itself, not a step towards it
            }
            long when = at(p, Math.max(s.day(), 0)) + DAY_MS / 2;
            out.add(record(account, "submitted-" + a.id(), when, "education", SUBMITTED, s.score(), Map.of(
                    "course", course, "assessment", Long.toString(a.id()), "assessment_type", a.type())));
            if (totalWeight > 0) {
                points += (s.score() == null ? 0 : s.score()) * a.weight() / totalWeight;
                out.add(record(account, "points-" + a.id(), when, "outcome", "outcome_measured", round(points), Map.of(
                        "goal_id", GOAL_ID, "metric", METRIC)));
            }
        }
        if (e.unregistrationDay() != null) {
            out.add(record(account, "withdrawn", withdrawalAt(e), "billing", "subscription_cancelled", null, Map.of("course", course)));
        }
        out.sort(Comparator.comparingLong(Record::at));
        return out;
    }

    private static Record record(
            String account, String id, long at, String source, String type, Double value, Map<String, String> attributes) {
        ObjectNode n = JSON.createObjectNode();
        String eventId = account + "-" + id;
        n.put("event_id", eventId);
        n.put("account_id", account);
        n.put("occurred_at", at);
        n.put("source", source);
        n.put("type", type);
        if (value != null) {
            n.put("value", value);
        }
        ObjectNode attrs = n.putObject("attributes");
        // In key order: Map.of iterates in an order that changes from one JVM to the next, and a
        // converted history should be the same bytes every time.
        new TreeMap<>(attributes).forEach(attrs::put);
        try {
            return new Record(at, account, eventId, JSON.writeValueAsBytes(n));
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static String format(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** The journey name of a presentation in the model: lower case, e.g. {@code aaa_2013j}. */
    public static String journeyName(Presentation p) {
        return (p.module() + "_" + p.code()).toLowerCase(Locale.ROOT);
    }

    /**
     * The customer model for a set of presentations (at most 8, the model's journey limit): one
     * journey each, and the rules that use what OULAD has (journeys and goals; there is no product
     * usage, support or survey data, so the score rules are left out).
     */
    public static String customerModel(List<Presentation> presentations, ModelOptions options) {
        if (presentations.isEmpty() || presentations.size() > CustomerModel.MAX_JOURNEYS) {
            throw new IllegalArgumentException("1 to " + CustomerModel.MAX_JOURNEYS + " presentations per model, got " + presentations.size());
        }
        StringBuilder y = new StringBuilder();
        y.append("# Generated by io.headway.eval.OuladMapping: one journey per OULAD module presentation.\n");
        y.append("journeys:\n");
        for (Presentation p : presentations) {
            List<Assessment> milestones = milestones(p);
            if (milestones.isEmpty()) {
                throw new IllegalArgumentException(p.id() + " has no coursework with a deadline: nothing to make a journey of");
            }
            y.append("  - name: ").append(journeyName(p)).append('\n');
            y.append("    entry: {source: education, type: course_started, attributes: {course: ").append(p.id()).append("}}\n");
            if (options.behindBeforeDays() != null) {
                y.append("    behind_before: ").append(options.behindBeforeDays()).append(" d\n");
            } else {
                y.append("    behind_share: ").append(options.behindShare()).append('\n');
            }
            y.append("    milestones:\n");
            for (Assessment a : milestones) {
                y.append("      - name: ").append(a.type().toLowerCase(Locale.ROOT)).append('_').append(a.id()).append('\n');
                y.append("        match: {source: education, type: ").append(SUBMITTED)
                        .append(", attributes: {assessment: \"").append(a.id()).append("\"}}\n");
                // Due at the end of the deadline day plus the grace: a hand-in within it is on time.
                y.append("        due: ").append(a.deadlineDay() + 1 + options.graceDays()).append(" d\n");
                y.append("        owner_team: ").append(a.type().equals("TMA") ? "tutor" : "student_support").append('\n');
                y.append("        success: \"The student has handed in ").append(a.type()).append(' ').append(a.id())
                        .append(" (weight ").append(format(a.weight())).append(") by its deadline.\"\n");
            }
            y.append("    completion: all_milestones\n");
            // Students go quiet for weeks between deadlines; only a withdrawal ends the journey early.
            y.append("    abandonment:\n");
            y.append("      inactivity: ").append(p.lengthDays() + 60).append(" d\n");
            y.append("      on: [{source: billing, type: subscription_cancelled}]\n");
            y.append("    re_entry: never\n");
        }
        y.append("rules:\n");
        y.append("  lifecycle: {escalate_after: 14 d, max_fires: 3, refire_window: 30 d}\n");
        y.append("  alerts:\n");
        for (String rule : options.rules()) {
            y.append(RULES.get(rule));
            if (rule.equals("milestone-overdue") && options.minMissed() > 1) {
                y.append("      thresholds: {min_missed: ").append(options.minMissed()).append("}\n");
            }
        }
        y.append(RULES.get("goal-achieved"));
        return y.toString();
    }
}
