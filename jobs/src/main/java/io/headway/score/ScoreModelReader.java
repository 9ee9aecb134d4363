package io.headway.score;

import io.headway.model.CustomerModel;
import io.headway.model.JourneyDefinition;
import io.headway.model.ModelNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the {@code scores:} section of the customer model into a {@link ScoreModel}: every key is
 * optional (the default is {@link ScoreModel#defaults()}'s), every problem is a
 * {@link io.headway.model.ModelException} naming the key path. See docs/customer-model.md, "Scores".
 */
final class ScoreModelReader {

    static final String DEFAULT_ONBOARDING_JOURNEY = "onboarding";

    private ScoreModelReader() {}

    static ScoreModel read(CustomerModel model) {
        ModelNode scores = model.section("scores");
        ScoreModel.Builder b = ScoreModel.defaults().toBuilder();
        if (!scores.isMissing() && !scores.isMapping()) {
            throw scores.error("must be a mapping of score settings (see docs/customer-model.md, Scores)");
        }
        scores.checkKeys(keys("onboarding_journey", "entitled_features", "depth_target", "frequency_target_days",
                "half_lives", "support", "sentiment", "bands", "emit", "lifecycle", "profiles"));

        b.milestones(onboarding(model, scores.get("onboarding_journey")));
        b.entitledFeatures(atLeast(scores.get("entitled_features"), 1, 12));
        b.depthTarget(positive(scores.get("depth_target"), 0.7));
        int frequency = atLeast(scores.get("frequency_target_days"), 1, 14);
        if (frequency > ScoreState.WINDOW_DAYS) {
            throw scores.get("frequency_target_days").error("must be at most 28 (the active-day window), was " + frequency);
        }
        b.frequencyTargetDays(frequency);

        ModelNode halfLives = mapping(scores.get("half_lives"));
        halfLives.checkKeys(keys("usage", "recency", "support"));
        b.usageHalfLife(positive(halfLives.get("usage"), Duration.ofDays(7)));
        b.recencyHalfLife(positive(halfLives.get("recency"), Duration.ofDays(7)));
        b.supportHalfLife(positive(halfLives.get("support"), Duration.ofDays(14)));

        ModelNode support = mapping(scores.get("support"));
        support.checkKeys(keys("open_ticket_penalty", "escalation_penalty", "reopen_penalty", "resolve_target",
                "slow_resolve_penalty_per_day"));
        b.openTicketPenalty(notNegative(support.get("open_ticket_penalty"), 5));
        b.escalationPenalty(notNegative(support.get("escalation_penalty"), 15));
        b.reopenPenalty(notNegative(support.get("reopen_penalty"), 10));
        b.resolveTarget(positive(support.get("resolve_target"), Duration.ofDays(1)));
        b.slowResolvePenaltyPerDay(notNegative(support.get("slow_resolve_penalty_per_day"), 10));

        ModelNode sentiment = mapping(scores.get("sentiment"));
        sentiment.checkKeys(keys("detractor_max_nps", "detractor_window", "detractor_penalty", "nps_surveys", "csat_surveys"));
        List<String> nps = surveys(sentiment.get("nps_surveys"), ScoreModel.NPS);
        List<String> csat = surveys(sentiment.get("csat_surveys"), ScoreModel.CSAT);
        for (String name : csat) {
            if (nps.contains(name)) {
                throw sentiment.get("csat_surveys").error("\"" + name + "\" is also in nps_surveys; a survey is read one way");
            }
        }
        b.surveys(nps, csat);
        int detractorMax = atLeast(sentiment.get("detractor_max_nps"), 0, 6);
        if (detractorMax > 10) {
            throw sentiment.get("detractor_max_nps").error("must be an NPS answer 0-10, was " + detractorMax);
        }
        b.detractor(detractorMax, positive(sentiment.get("detractor_window"), Duration.ofDays(30)),
                notNegative(sentiment.get("detractor_penalty"), 20));

        ModelNode bands = mapping(scores.get("bands"));
        bands.checkKeys(keys("green", "yellow", "hysteresis"));
        double green = percent(bands.get("green"), 60);
        double yellow = percent(bands.get("yellow"), 40);
        double hysteresis = notNegative(bands.get("hysteresis"), 3);
        if (yellow <= 0 || yellow >= green) {
            throw bands.get("yellow").error("must be above 0 and below green (" + fmt(green) + "), was " + fmt(yellow));
        }
        if (hysteresis >= green - yellow) {
            throw bands.get("hysteresis").error("must be less than the yellow band's width (" + fmt(green - yellow)
                    + "), or a score could never leave it; was " + fmt(hysteresis));
        }
        b.bands(green, yellow, hysteresis);

        ModelNode emit = mapping(scores.get("emit"));
        emit.checkKeys(keys("change_delta", "drivers", "event_ids_per_driver"));
        b.changeDelta(positive(emit.get("change_delta"), 5));
        int drivers = atLeast(emit.get("drivers"), 1, 3);
        int ids = atLeast(emit.get("event_ids_per_driver"), 1, 3);
        if (ids > 16) {
            throw emit.get("event_ids_per_driver").error("must be at most 16 (they are kept in every account's state), was " + ids);
        }
        b.drivers(drivers, ids);

        ModelNode lifecycle = mapping(scores.get("lifecycle"));
        lifecycle.checkKeys(keys("silence_horizon", "renewal_term", "renewal_window"));
        Duration silence = positive(lifecycle.get("silence_horizon"), Duration.ofDays(45));
        if (silence.compareTo(Duration.ofDays(1)) < 0) {
            throw lifecycle.get("silence_horizon").error("must be at least 1 d (scores are re-evaluated daily), was " + silence);
        }
        b.silenceHorizon(silence);
        Duration term = positive(lifecycle.get("renewal_term"), Duration.ofDays(365));
        Duration window = positive(lifecycle.get("renewal_window"), Duration.ofDays(60));
        if (window.compareTo(term) >= 0) {
            throw lifecycle.get("renewal_window").error("must be shorter than renewal_term (" + term.toDays() + " d)");
        }
        b.renewal(term, window);

        ModelNode profiles = mapping(scores.get("profiles"));
        Set<String> stages = new LinkedHashSet<>();
        for (Stage s : Stage.values()) {
            stages.add(s.wireName());
        }
        profiles.checkKeys(stages);
        Set<String> components = new LinkedHashSet<>();
        for (Component c : Component.values()) {
            components.add(c.wireName());
        }
        for (Stage s : Stage.values()) {
            ModelNode profile = mapping(profiles.get(s.wireName()));
            if (profile.isMissing()) {
                continue;
            }
            profile.checkKeys(components);
            double sum = 0;
            // A listed profile is complete: components it does not list weigh nothing in it.
            for (Component c : Component.values()) {
                double w = notNegative(profile.get(c.wireName()), 0);
                b.weight(s, c, w);
                sum += w;
            }
            if (sum <= 0) {
                throw profile.error("gives no component a positive weight");
            }
        }
        return b.build();
    }

    private static OnboardingMilestones onboarding(CustomerModel model, ModelNode node) {
        String name = node.isMissing() ? DEFAULT_ONBOARDING_JOURNEY : node.asString();
        Optional<JourneyDefinition> journey = model.journey(name);
        if (journey.isPresent()) {
            return OnboardingMilestones.of(journey.get());
        }
        if (node.isMissing()) {
            // No onboarding journey in this model: the onboarding component is simply never present.
            return OnboardingMilestones.none();
        }
        List<String> names = new ArrayList<>();
        model.journeys().forEach(j -> names.add(j.name()));
        throw node.error("\"" + name + "\" is not a journey of this model; use one of " + String.join(", ", names));
    }

    /** A list of survey names (the touchpoints' {@code survey} attribute); {@code [defaultName]} when absent. */
    private static List<String> surveys(ModelNode node, String defaultName) {
        if (node.isMissing()) {
            return List.of(defaultName);
        }
        List<String> names = new ArrayList<>();
        for (ModelNode n : node.elements()) {
            String name = n.asString();
            if (names.contains(name)) {
                throw n.error("\"" + name + "\" is listed twice");
            }
            names.add(name);
        }
        if (names.isEmpty()) {
            throw node.error("lists no survey; name at least one (the default is [" + defaultName + "])");
        }
        return names;
    }

    private static ModelNode mapping(ModelNode node) {
        if (!node.isMissing() && !node.isMapping()) {
            throw node.error("must be a mapping");
        }
        return node;
    }

    private static int atLeast(ModelNode node, int min, int defaultValue) {
        if (node.isMissing()) {
            return defaultValue;
        }
        int v = node.asInt();
        if (v < min) {
            throw node.error("must be at least " + min + ", was " + v);
        }
        return v;
    }

    private static double positive(ModelNode node, double defaultValue) {
        if (node.isMissing()) {
            return defaultValue;
        }
        double v = node.asDouble();
        if (!(v > 0) || Double.isInfinite(v)) {
            throw node.error("must be a positive number, was " + fmt(v));
        }
        return v;
    }

    private static double notNegative(ModelNode node, double defaultValue) {
        if (node.isMissing()) {
            return defaultValue;
        }
        double v = node.asDouble();
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw node.error("must be a number >= 0, was " + fmt(v));
        }
        return v;
    }

    private static double percent(ModelNode node, double defaultValue) {
        if (node.isMissing()) {
            return defaultValue;
        }
        double v = node.asDouble();
        if (!(v > 0 && v <= 100)) {
            throw node.error("must be a score above 0 and at most 100, was " + fmt(v));
        }
        return v;
    }

    private static Duration positive(ModelNode node, Duration defaultValue) {
        if (node.isMissing()) {
            return defaultValue;
        }
        Duration d = node.asDuration();
        if (d.isNegative() || d.isZero()) {
            throw node.error("must be longer than zero, was " + d);
        }
        return d;
    }

    private static Set<String> keys(String... names) {
        return new LinkedHashSet<>(List.of(names));
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && !Double.isInfinite(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
