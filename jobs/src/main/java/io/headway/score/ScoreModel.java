package io.headway.score;

import java.io.Serializable;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The health score model: component normalization, weight profiles per lifecycle stage, grade bands
 * with hysteresis, when to emit, and when an account's scoring ends. Immutable; {@link #defaults()}
 * is the built-in model, the {@code with...} methods derive variants (tests, the model file).
 */
public final class ScoreModel implements Serializable {

    public static final String NPS = "nps";
    public static final String CSAT = "csat";

    private static final long serialVersionUID = 1L;

    /** The generator's onboarding journey, in order. */
    public static final List<String> DEFAULT_MILESTONES =
            List.of("kickoff", "integration_connected", "data_imported", "first_report", "team_invited", "first_value");

    // Weights per stage, in Component order (need not sum to anything: they are re-normalized).
    private static final double[] ONBOARDING_WEIGHTS = {5, 20, 10, 5, 15, 20, 15, 10, 0};
    private static final double[] ADOPTED_WEIGHTS = {15, 10, 15, 15, 10, 10, 10, 0, 15};
    private static final double[] RENEWAL_WEIGHTS = {10, 10, 10, 15, 10, 10, 20, 0, 15};

    final double[][] weights;
    final int entitledFeatures;
    final double depthTarget;
    final int frequencyTargetDays;
    final long usageHalfLifeMillis;
    final long recencyHalfLifeMillis;
    final long supportHalfLifeMillis;
    final double openTicketPenalty;
    final double escalationPenalty;
    final double reopenPenalty;
    final long resolveTargetMillis;
    final double slowResolvePenaltyPerDay;
    final int detractorMax;
    final long detractorWindowMillis;
    final double detractorPenalty;
    /** The {@code survey} attribute values read as an NPS answer (0-10) and as a CSAT answer (1-5). */
    final String[] npsSurveys;
    final String[] csatSurveys;
    final double greenFrom;
    final double yellowFrom;
    final double hysteresis;
    final double changeDelta;
    final long silenceHorizonMillis;
    final long renewalTermMillis;
    final long renewalWindowMillis;
    final int drivers;
    final int eventIdsPerDriver;
    final OnboardingMilestones milestones;

    private ScoreModel(Builder b) {
        this.weights = new double[Stage.COUNT][];
        for (int s = 0; s < Stage.COUNT; s++) {
            this.weights[s] = b.weights[s].clone();
        }
        this.entitledFeatures = b.entitledFeatures;
        this.depthTarget = b.depthTarget;
        this.frequencyTargetDays = b.frequencyTargetDays;
        this.usageHalfLifeMillis = b.usageHalfLife.toMillis();
        this.recencyHalfLifeMillis = b.recencyHalfLife.toMillis();
        this.supportHalfLifeMillis = b.supportHalfLife.toMillis();
        this.openTicketPenalty = b.openTicketPenalty;
        this.escalationPenalty = b.escalationPenalty;
        this.reopenPenalty = b.reopenPenalty;
        this.resolveTargetMillis = b.resolveTarget.toMillis();
        this.slowResolvePenaltyPerDay = b.slowResolvePenaltyPerDay;
        this.detractorMax = b.detractorMax;
        this.detractorWindowMillis = b.detractorWindow.toMillis();
        this.detractorPenalty = b.detractorPenalty;
        this.npsSurveys = b.npsSurveys.toArray(new String[0]);
        this.csatSurveys = b.csatSurveys.toArray(new String[0]);
        this.greenFrom = b.greenFrom;
        this.yellowFrom = b.yellowFrom;
        this.hysteresis = b.hysteresis;
        this.changeDelta = b.changeDelta;
        this.silenceHorizonMillis = b.silenceHorizon.toMillis();
        this.renewalTermMillis = b.renewalTerm.toMillis();
        this.renewalWindowMillis = b.renewalWindow.toMillis();
        this.drivers = b.drivers;
        this.eventIdsPerDriver = b.eventIdsPerDriver;
        this.milestones = b.milestones;
        validate();
    }

    /** What a {@code survey} attribute value is to the sentiment component: {@link #NPS}, {@link #CSAT} or null (not read). */
    public String surveyKind(String survey) {
        if (survey == null) {
            return null;
        }
        for (String name : npsSurveys) {
            if (name.equals(survey)) {
                return NPS;
            }
        }
        for (String name : csatSurveys) {
            if (name.equals(survey)) {
                return CSAT;
            }
        }
        return null;
    }

    /**
     * The model of the customer model file's {@code scores:} section (every key optional), with the
     * onboarding milestones of its {@code onboarding_journey} (default {@code onboarding}).
     *
     * @throws io.headway.model.ModelException naming the key path of the first problem
     */
    public static ScoreModel from(io.headway.model.CustomerModel model) {
        return ScoreModelReader.read(model);
    }

    /** The built-in model, with the generator's onboarding milestones hard-coded (tests, benchmark). */
    public static ScoreModel defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this model's settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        for (int s = 0; s < Stage.COUNT; s++) {
            b.weights[s] = weights[s].clone();
        }
        b.entitledFeatures = entitledFeatures;
        b.depthTarget = depthTarget;
        b.frequencyTargetDays = frequencyTargetDays;
        b.usageHalfLife = Duration.ofMillis(usageHalfLifeMillis);
        b.recencyHalfLife = Duration.ofMillis(recencyHalfLifeMillis);
        b.supportHalfLife = Duration.ofMillis(supportHalfLifeMillis);
        b.openTicketPenalty = openTicketPenalty;
        b.escalationPenalty = escalationPenalty;
        b.reopenPenalty = reopenPenalty;
        b.resolveTarget = Duration.ofMillis(resolveTargetMillis);
        b.slowResolvePenaltyPerDay = slowResolvePenaltyPerDay;
        b.detractorMax = detractorMax;
        b.detractorWindow = Duration.ofMillis(detractorWindowMillis);
        b.detractorPenalty = detractorPenalty;
        b.npsSurveys = List.of(npsSurveys);
        b.csatSurveys = List.of(csatSurveys);
        b.greenFrom = greenFrom;
        b.yellowFrom = yellowFrom;
        b.hysteresis = hysteresis;
        b.changeDelta = changeDelta;
        b.silenceHorizon = Duration.ofMillis(silenceHorizonMillis);
        b.renewalTerm = Duration.ofMillis(renewalTermMillis);
        b.renewalWindow = Duration.ofMillis(renewalWindowMillis);
        b.drivers = drivers;
        b.eventIdsPerDriver = eventIdsPerDriver;
        b.milestones = milestones;
        return b;
    }

    /** The raw weight of a component in a stage's profile (before missing inputs are redistributed). */
    public double weight(Stage stage, Component c) {
        return weights[stage.ordinal()][c.ordinal()];
    }

    public double changeDelta() {
        return changeDelta;
    }

    public double greenFrom() {
        return greenFrom;
    }

    public double yellowFrom() {
        return yellowFrom;
    }

    public double hysteresis() {
        return hysteresis;
    }

    public Duration silenceHorizon() {
        return Duration.ofMillis(silenceHorizonMillis);
    }

    public Duration recencyHalfLife() {
        return Duration.ofMillis(recencyHalfLifeMillis);
    }

    public OnboardingMilestones milestones() {
        return milestones;
    }

    /** The grade of a score given the previous grade (null: none yet): a band is left only past its edge by more than the hysteresis. */
    public Grade grade(double score, Grade previous) {
        Grade plain = score >= greenFrom ? Grade.GREEN : score >= yellowFrom ? Grade.YELLOW : Grade.RED;
        if (previous == null || plain.ordinal() >= previous.ordinal()) {
            return plain;
        }
        // Going down: each edge crossed must be crossed by more than the hysteresis.
        int g = previous.ordinal();
        while (g > 0 && score < lowerEdge(g) - hysteresis) {
            g--;
        }
        return Grade.of(g);
    }

    private double lowerEdge(int grade) {
        return grade == Grade.GREEN.ordinal() ? greenFrom : yellowFrom;
    }

    private void validate() {
        for (int s = 0; s < Stage.COUNT; s++) {
            double sum = 0;
            for (double w : weights[s]) {
                if (!(w >= 0) || Double.isInfinite(w)) {
                    throw new IllegalArgumentException("weights must be finite and non-negative: " + Arrays.toString(weights[s]));
                }
                sum += w;
            }
            if (sum <= 0) {
                throw new IllegalArgumentException("profile " + Stage.values()[s].wireName() + " has no positive weight");
            }
        }
        check(entitledFeatures >= 1, "entitled features must be at least 1");
        check(depthTarget > 0, "depth target must be positive");
        check(frequencyTargetDays >= 1 && frequencyTargetDays <= ScoreState.WINDOW_DAYS, "frequency target days must be 1-28");
        check(usageHalfLifeMillis > 0 && recencyHalfLifeMillis > 0 && supportHalfLifeMillis > 0, "half-lives must be positive");
        check(yellowFrom < greenFrom && yellowFrom > 0 && greenFrom <= 100, "bands need 0 < yellow < green <= 100");
        check(hysteresis >= 0 && hysteresis < greenFrom - yellowFrom, "hysteresis must be below the yellow band's width");
        check(changeDelta > 0, "change delta must be positive");
        check(silenceHorizonMillis >= Duration.ofDays(1).toMillis(), "silence horizon must be at least one day");
        check(renewalWindowMillis >= 0 && renewalWindowMillis < renewalTermMillis, "renewal window must be shorter than the term");
        check(drivers >= 1 && eventIdsPerDriver >= 1 && eventIdsPerDriver <= 16, "drivers >= 1, event ids per driver 1-16");
        check(milestones != null && milestones.count() >= 1 && milestones.count() <= 32, "1-32 onboarding milestones");
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Mutable settings for {@link ScoreModel}; defaults are the built-in model. */
    public static final class Builder {
        final double[][] weights = {ONBOARDING_WEIGHTS.clone(), ADOPTED_WEIGHTS.clone(), RENEWAL_WEIGHTS.clone()};
        int entitledFeatures = 12;
        double depthTarget = 0.7;
        int frequencyTargetDays = 14;
        Duration usageHalfLife = Duration.ofDays(7);
        Duration recencyHalfLife = Duration.ofDays(7);
        Duration supportHalfLife = Duration.ofDays(14);
        double openTicketPenalty = 5;
        double escalationPenalty = 15;
        double reopenPenalty = 10;
        Duration resolveTarget = Duration.ofDays(1);
        double slowResolvePenaltyPerDay = 10;
        int detractorMax = 6;
        Duration detractorWindow = Duration.ofDays(30);
        double detractorPenalty = 20;
        List<String> npsSurveys = List.of(NPS);
        List<String> csatSurveys = List.of(CSAT);
        double greenFrom = 60;
        double yellowFrom = 40;
        double hysteresis = 3;
        double changeDelta = 5;
        Duration silenceHorizon = Duration.ofDays(45);
        Duration renewalTerm = Duration.ofDays(365);
        Duration renewalWindow = Duration.ofDays(60);
        int drivers = 3;
        int eventIdsPerDriver = 3;
        OnboardingMilestones milestones = OnboardingMilestones.named(DEFAULT_MILESTONES);

        public Builder weight(Stage stage, Component c, double w) {
            weights[stage.ordinal()][c.ordinal()] = w;
            return this;
        }

        public Builder entitledFeatures(int n) { entitledFeatures = n; return this; }
        public Builder depthTarget(double usesPerActiveUserAndDay) { depthTarget = usesPerActiveUserAndDay; return this; }
        public Builder frequencyTargetDays(int days) { frequencyTargetDays = days; return this; }
        public Builder usageHalfLife(Duration d) { usageHalfLife = d; return this; }
        public Builder recencyHalfLife(Duration d) { recencyHalfLife = d; return this; }
        public Builder supportHalfLife(Duration d) { supportHalfLife = d; return this; }
        public Builder openTicketPenalty(double p) { openTicketPenalty = p; return this; }
        public Builder escalationPenalty(double p) { escalationPenalty = p; return this; }
        public Builder reopenPenalty(double p) { reopenPenalty = p; return this; }
        public Builder resolveTarget(Duration d) { resolveTarget = d; return this; }
        public Builder slowResolvePenaltyPerDay(double p) { slowResolvePenaltyPerDay = p; return this; }
        public Builder detractor(int maxNps, Duration windowAfterTicket, double penalty) {
            detractorMax = maxNps;
            detractorWindow = windowAfterTicket;
            detractorPenalty = penalty;
            return this;
        }
        public Builder surveys(List<String> nps, List<String> csat) {
            npsSurveys = List.copyOf(nps);
            csatSurveys = List.copyOf(csat);
            return this;
        }
        public Builder bands(double greenFrom, double yellowFrom, double hysteresis) {
            this.greenFrom = greenFrom;
            this.yellowFrom = yellowFrom;
            this.hysteresis = hysteresis;
            return this;
        }
        public Builder changeDelta(double points) { changeDelta = points; return this; }
        public Builder silenceHorizon(Duration d) { silenceHorizon = d; return this; }
        public Builder renewal(Duration term, Duration window) { renewalTerm = term; renewalWindow = window; return this; }
        public Builder drivers(int count, int eventIdsEach) { drivers = count; eventIdsPerDriver = eventIdsEach; return this; }
        public Builder milestones(OnboardingMilestones m) { milestones = m; return this; }

        public ScoreModel build() {
            return new ScoreModel(this);
        }
    }
}
