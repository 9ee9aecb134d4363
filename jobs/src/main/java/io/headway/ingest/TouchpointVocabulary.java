package io.headway.ingest;

import java.io.Serializable;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The known sources and types of touchpoints. A record naming anything else is a dead letter, so a
 * typo in a producer shows up in the dead-letter topic instead of silently skewing scores. Teams
 * add their own through configuration ({@code validation.extra-sources}, {@code validation.extra-types}).
 */
public final class TouchpointVocabulary implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final List<String> SOURCES =
            List.of(
                    "product", "onboarding", "support", "education", "services", "billing", "survey",
                    "success", "outcome");

    public static final List<String> TYPES =
            List.of(
                    // product
                    "login", "feature_used", "user_invited", "user_removed",
                    // onboarding
                    "journey_started", "milestone_reached",
                    // support
                    "ticket_opened", "ticket_escalated", "ticket_reopened", "ticket_resolved",
                    // education
                    "course_started", "course_completed", "webinar_attended",
                    // services
                    "engagement_started", "session_held", "engagement_completed",
                    // billing
                    "subscription_started", "plan_changed", "seats_changed", "invoice_issued",
                    "invoice_paid", "invoice_overdue", "subscription_cancelled",
                    // survey
                    "survey_answered",
                    // success
                    "meeting_held", "alert_acknowledged", "alert_snoozed",
                    // outcome
                    "goal_set", "outcome_measured");

    private final Set<String> sources;
    private final Set<String> types;

    public TouchpointVocabulary(Collection<String> extraSources, Collection<String> extraTypes) {
        Set<String> s = new LinkedHashSet<>(SOURCES);
        s.addAll(extraSources);
        Set<String> t = new LinkedHashSet<>(TYPES);
        t.addAll(extraTypes);
        this.sources = Collections.unmodifiableSet(s);
        this.types = Collections.unmodifiableSet(t);
    }

    public static TouchpointVocabulary standard() {
        return new TouchpointVocabulary(List.of(), List.of());
    }

    public boolean isKnownSource(String source) {
        return sources.contains(source);
    }

    public boolean isKnownType(String type) {
        return types.contains(type);
    }

    public Set<String> sources() {
        return sources;
    }

    public Set<String> types() {
        return types;
    }
}
