package io.headway.journey;

import io.headway.model.JourneyDefinition;
import io.headway.model.MilestoneDefinition;
import io.headway.schema.JourneyMilestone;
import io.headway.schema.JourneySatisfaction;
import io.headway.schema.JourneyUpdate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds the changelog record of an instance as of a transition. */
final class JourneyUpdates {

    private JourneyUpdates() {}

    /**
     * The instance as of {@code asOf}, with every deadline up to {@code firedUpTo} counted: a
     * milestone due at the instant of a touchpoint is not overdue in that touchpoint's record yet,
     * since the touchpoint may be the one that reaches it.
     */
    static JourneyUpdate of(
            String account,
            JourneyInstance inst,
            JourneyDefinition def,
            long asOf,
            long firedUpTo,
            String transition,
            String subject,
            String causeEventId) {
        List<MilestoneDefinition> defs = def.milestones();
        List<JourneyMilestone> milestones = new ArrayList<>(defs.size());
        int worst = 0; // 0 on track, 1 behind, 2 overdue
        for (int k = 0; k < defs.size(); k++) {
            MilestoneDefinition m = defs.get(k);
            long due = JourneyFunction.dueAt(inst, def, k);
            long behind = JourneyFunction.behindAt(inst, def, k);
            Long reachedAt = JourneyFunction.reached(inst, k) ? inst.reachedAt[k] : null;
            String status;
            if (reachedAt != null) {
                status = reachedAt <= due ? "reached" : "reached_late";
            } else if (due <= firedUpTo) {
                status = JourneyFunction.OVERDUE;
                worst = 2;
            } else if (behind <= firedUpTo) {
                status = JourneyFunction.BEHIND;
                worst = Math.max(worst, 1);
            } else {
                status = "pending";
            }
            milestones.add(new JourneyMilestone(
                    m.name(), m.ownerTeam(), m.success(), behind, due, reachedAt, status,
                    reachedAt == null ? null : due - reachedAt));
        }
        String status =
                inst.open
                        ? (worst == 2 ? JourneyFunction.OVERDUE : worst == 1 ? JourneyFunction.BEHIND : JourneyFunction.ON_TRACK)
                        : inst.outcome;
        Map<String, Long> bySource = new HashMap<>(inst.sources.length * 2);
        for (int i = 0; i < inst.sources.length; i++) {
            bySource.put(inst.sources[i], inst.sourceCounts[i]);
        }
        List<JourneySatisfaction> satisfaction = new ArrayList<>(inst.surveys.length);
        for (int i = 0; i < inst.surveys.length; i++) {
            satisfaction.add(new JourneySatisfaction(
                    inst.surveys[i], inst.surveyAnswers[i], inst.surveySum[i] / inst.surveyAnswers[i],
                    inst.surveyLast[i], inst.surveyLastAt[i]));
        }
        int ttv = def.timeToValueMilestone();
        Long timeToValue = ttv >= 0 && JourneyFunction.reached(inst, ttv) ? inst.reachedAt[ttv] - inst.startedAt : null;
        return JourneyUpdate.newBuilder()
                .setInstanceId(inst.instanceId(account))
                .setAccountId(account)
                .setJourney(inst.journey)
                .setInstance(inst.number)
                .setSequence(inst.sequence)
                .setAsOf(asOf)
                .setTransition(transition)
                .setSubject(subject)
                .setCauseEventId(causeEventId)
                .setStatus(status)
                .setStartedAt(inst.startedAt)
                .setEndedAt(inst.open ? null : inst.endedAt)
                .setLastActivityAt(inst.lastActivityAt)
                .setTimeToValueMs(timeToValue)
                .setMilestones(milestones)
                .setTouchpoints(inst.touchpoints)
                .setTouchpointsBySource(bySource)
                .setSatisfaction(satisfaction)
                .build();
    }
}
