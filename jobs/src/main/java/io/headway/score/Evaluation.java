package io.headway.score;


/**
 * The score of one account as of an instant, computed from its {@link ScoreState} in constant time:
 * each component's value (NaN when its input is missing), effective weight and contribution.
 */
public final class Evaluation {

    static final double LN2 = Math.log(2);
    private static final long NONE = Long.MIN_VALUE;

    public final long asOf;
    public final Stage stage;
    public final double[] value = new double[Component.COUNT];
    public final double[] weight = new double[Component.COUNT];
    public final double[] contribution = new double[Component.COUNT];
    public final double score;

    // raw inputs, for the record's words
    final int features;
    final int activeUsers;
    final int activeDays;
    final double usesPerUserDay;

    private Evaluation(ScoreState s, ScoreModel m, long asOf) {
        this.asOf = asOf;
        // The window ends with the UTC day of the last millisecond before asOf (a midnight closes its day).
        long lastDay = Math.floorDiv(asOf - 1, ScoreState.DAY);
        long oldest = lastDay - ScoreState.WINDOW_DAYS; // excluded
        boolean product = s.lastProductAt != NONE;

        int f = 0;
        for (int d : s.featureDay) {
            if (d > oldest) {
                f++;
            }
        }
        int u = 0;
        for (int d : s.userDay) {
            if (d > oldest) {
                u++;
            }
        }
        int days = 0;
        if (product && s.headDay > oldest) {
            long span = Math.min(ScoreState.WINDOW_DAYS - 1, s.headDay - oldest - 1);
            int mask = span >= 31 ? -1 : (1 << (span + 1)) - 1;
            days = Integer.bitCount(s.activeDays & mask);
        }
        features = f;
        activeUsers = u;
        activeDays = days;

        double usageNow = s.usageAt == NONE ? 0 : s.usage * ScoreState.decay(asOf - s.usageAt, m.usageHalfLifeMillis);
        // A steady rate r per day decays to a sum of r * H / ln 2 after a long time, and to
        // r * H / ln 2 * (1 - 2^(-age / H)) after age: divide by that, so young accounts are not
        // under-rated while the sum warms up.
        double halfLifeDays = m.usageHalfLifeMillis / (double) ScoreState.DAY;
        long age = s.firstSeenAt == NONE ? 0 : Math.max(ScoreState.DAY, asOf - s.firstSeenAt);
        double exposure = halfLifeDays / LN2 * (1 - ScoreState.decay(age, m.usageHalfLifeMillis));
        double perDay = exposure <= 0 ? 0 : usageNow / exposure;
        usesPerUserDay = perDay / Math.max(1, u);

        set(Component.ADOPTION_BREADTH, product ? 100.0 * f / m.entitledFeatures : Double.NaN);
        set(Component.DEPTH, product ? 100.0 * usesPerUserDay / m.depthTarget : Double.NaN);
        // A young account is measured against the days it has existed, not against 28.
        double ageDays = s.firstSeenAt == NONE ? 1 : Math.max(1, Math.ceil((asOf - s.firstSeenAt) / (double) ScoreState.DAY));
        double frequencyTarget = m.frequencyTargetDays * Math.min(1.0, ageDays / ScoreState.WINDOW_DAYS);
        set(Component.FREQUENCY, product ? 100.0 * days / Math.max(1, frequencyTarget) : Double.NaN);
        // Usage components are missing until the account's first product touchpoint: before it, no
        // active users says nothing yet; after it, silence lowers them.
        set(Component.SEAT_UTILIZATION, product && s.seats > 0 ? 100.0 * u / s.seats : Double.NaN);
        set(Component.RECENCY, product ? 100.0 * ScoreState.decay(asOf - s.lastProductAt, m.recencyHalfLifeMillis) : Double.NaN);
        set(Component.SUPPORT_FRICTION, support(s, m, asOf));
        set(Component.SENTIMENT, sentiment(s, m));
        boolean onboarding = s.journeyStarted || s.milestones != 0;
        set(Component.ONBOARDING, onboarding ? 100.0 * Integer.bitCount(s.milestones) / m.milestones.count() : Double.NaN);
        set(Component.OUTCOME, outcome(s));

        this.stage = stage(s, m, asOf);
        double[] raw = m.weights[stage.ordinal()];
        double present = 0;
        for (int c = 0; c < Component.COUNT; c++) {
            if (!Double.isNaN(value[c])) {
                present += raw[c];
            }
        }
        double total = 0;
        for (int c = 0; c < Component.COUNT; c++) {
            // A missing input's weight goes to the others in proportion to theirs.
            weight[c] = Double.isNaN(value[c]) || present <= 0 ? 0 : raw[c] / present;
            contribution[c] = Double.isNaN(value[c]) ? 0 : value[c] * weight[c];
            total += contribution[c];
        }
        this.score = total;
    }

    public static Evaluation of(ScoreState s, ScoreModel m, long asOf) {
        return new Evaluation(s, m, asOf);
    }

    private void set(Component c, double v) {
        value[c.ordinal()] = Double.isNaN(v) ? Double.NaN : Math.max(0, Math.min(100, v));
    }

    static Stage stage(ScoreState s, ScoreModel m, long asOf) {
        boolean onboarding = s.journeyStarted || s.milestones != 0;
        if (onboarding && Integer.bitCount(s.milestones) < m.milestones.count()) {
            return Stage.ONBOARDING;
        }
        if (s.subscriptionStartedAt != NONE && asOf > s.subscriptionStartedAt) {
            long intoTerm = (asOf - s.subscriptionStartedAt) % m.renewalTermMillis;
            if (m.renewalTermMillis - intoTerm <= m.renewalWindowMillis) {
                return Stage.RENEWAL;
            }
        }
        return Stage.ADOPTED;
    }

    private static double support(ScoreState s, ScoreModel m, long asOf) {
        double penalty = 0;
        for (long openedAt : s.openTicketAt) {
            double overdueDays = Math.max(0, asOf - openedAt - m.resolveTargetMillis) / (double) ScoreState.DAY;
            penalty += m.openTicketPenalty + Math.min(3, overdueDays) * m.slowResolvePenaltyPerDay;
        }
        if (s.supportAt != NONE) {
            double f = ScoreState.decay(asOf - s.supportAt, m.supportHalfLifeMillis);
            penalty += s.escalations * f * m.escalationPenalty + s.reopens * f * m.reopenPenalty;
            if (s.resolved > 0) {
                double averageDays = s.resolveDays / s.resolved;
                double slow = Math.max(0, averageDays - m.resolveTargetMillis / (double) ScoreState.DAY);
                penalty += slow * m.slowResolvePenaltyPerDay;
            }
        }
        return 100 - penalty;
    }

    private static double sentiment(ScoreState s, ScoreModel m) {
        double sum = 0;
        int n = 0;
        if (!Double.isNaN(s.nps)) {
            sum += s.nps * 10;
            n++;
        }
        if (!Double.isNaN(s.csat)) {
            sum += (s.csat - 1) * 25;
            n++;
        }
        if (n == 0) {
            return Double.NaN;
        }
        double v = sum / n;
        if (!Double.isNaN(s.nps) && s.npsAfterTicket && s.nps <= m.detractorMax) {
            v -= m.detractorPenalty;
        }
        return v;
    }

    private static double outcome(ScoreState s) {
        if (s.goalSetAt == NONE) {
            return Double.NaN;
        }
        double v = Double.isNaN(s.goalValue) ? s.goalBaseline : s.goalValue;
        double span = s.goalTarget - s.goalBaseline;
        if (span == 0) {
            return v == s.goalTarget ? 100 : 0;
        }
        return 100 * (v - s.goalBaseline) / span;
    }

    /** The raw input of a component in words, for the record. */
    String input(Component c, ScoreState s, ScoreModel m) {
        switch (c) {
            case ADOPTION_BREADTH:
                return features + " of " + m.entitledFeatures + " features used in 28 days";
            case DEPTH:
                return fmt(usesPerUserDay) + " uses per active user and day";
            case FREQUENCY:
                return activeDays + " of the last 28 days active";
            case SEAT_UTILIZATION:
                return activeUsers + " users active in 28 days, " + s.seats + " seats";
            case RECENCY:
                return s.lastProductAt == NONE ? null : "last product activity " + fmt((asOf - s.lastProductAt) / (double) ScoreState.DAY) + " days before";
            case SUPPORT_FRICTION:
                double f = s.supportAt == NONE ? 0 : ScoreState.decay(asOf - s.supportAt, m.supportHalfLifeMillis);
                return s.openTicketAt.length + " open tickets, " + fmt(s.escalations * f) + " escalations and "
                        + fmt(s.reopens * f) + " reopens (decayed), "
                        + (s.resolved > 0 ? fmt(s.resolveDays / s.resolved) + " days to resolve" : "none resolved");
            case SENTIMENT:
                if (Double.isNaN(s.nps) && Double.isNaN(s.csat)) {
                    return null;
                }
                String text = (Double.isNaN(s.nps) ? "" : "NPS " + fmt(s.nps)) + (Double.isNaN(s.nps) || Double.isNaN(s.csat) ? "" : ", ")
                        + (Double.isNaN(s.csat) ? "" : "CSAT " + fmt(s.csat));
                return s.npsAfterTicket && s.nps <= m.detractorMax ? text + " (detractor after a ticket)" : text;
            case ONBOARDING:
                return Integer.bitCount(s.milestones) + " of " + m.milestones.count() + " milestones reached";
            case OUTCOME:
                if (s.goalSetAt == NONE) {
                    return null;
                }
                return "latest " + (Double.isNaN(s.goalValue) ? "none" : fmt(s.goalValue)) + ", baseline " + fmt(s.goalBaseline) + ", target " + fmt(s.goalTarget);
            default:
                return null;
        }
    }

    private static String fmt(double v) {
        // Two decimals without String.format, which is slow for a record per account and day.
        double r = Math.round(v * 100) / 100.0;
        return r == Math.rint(r) ? Long.toString((long) r) : Double.toString(r);
    }
}
