package io.headway.score;

import io.headway.schema.Touchpoint;

import java.util.Arrays;
import java.util.Map;

/**
 * Everything the score of one account needs, updated in O(1) per touchpoint and never re-scanned:
 * a 28-day bitset of active days, the last day each feature and each user was active (small arrays,
 * pruned daily), decayed counters with their reference time (decay is applied lazily from
 * timestamps), open tickets, latest survey answers, onboarding milestones as a bitset, the current
 * goal, and what the previous record said (to explain the next). A Flink POJO of primitives and
 * arrays; about 300-700 bytes serialized (see the README, "Scores").
 *
 * <p>Folding is order-independent within the watermark bound: maxima by timestamp, bits, and decayed
 * sums kept relative to the latest timestamp (an older touchpoint adds its weight decayed to it).
 */
public class ScoreState {

    public static final int WINDOW_DAYS = 28;
    public static final long DAY = 86_400_000L;
    /** Bounds of the small per-account arrays; beyond them the oldest entry is dropped. */
    public static final int MAX_USERS = 512;
    public static final int MAX_FEATURES = 128;
    public static final int MAX_OPEN_TICKETS = 32;

    private static final long NONE = Long.MIN_VALUE;

    // ---- lifecycle and timers
    /** The UTC midnight the daily timer is registered for (a cache: no timer-service lookup per touchpoint). */
    public long timerAt = NONE;
    public long firstSeenAt = NONE;
    public long lastSeenAt = NONE;
    /** Touchpoints folded since the last daily record. */
    public boolean changed;
    public boolean churned;
    /** Earliest touchpoint-wake timer registered (the earliest pending touchpoint's time), or NONE. */
    public long wakeAt = NONE;
    /**
     * Touchpoints the watermark has not passed yet, in arrival order: applied in event-time order
     * once it has, so the records do not depend on the order they arrived in.
     */
    public Touchpoint[] pending = new Touchpoint[0];

    // ---- product activity
    public long lastProductAt = NONE;
    /** Latest UTC day (days since epoch) with product activity; bit i of activeDays = day headDay - i. */
    public long headDay = NONE;
    public int activeDays;
    public int[] featureHash = new int[0];
    public int[] featureDay = new int[0];
    public int[] userHash = new int[0];
    public int[] userDay = new int[0];
    /** Logins and feature uses, decayed by the usage half-life to {@link #usageAt}. */
    public double usage;
    public long usageAt = NONE;

    // ---- billing
    public int seats;
    public long seatsAt = NONE;
    public long subscriptionStartedAt = NONE;

    // ---- support: open tickets, and counters decayed by the support half-life to supportAt
    public int[] openTicketHash = new int[0];
    public long[] openTicketAt = new long[0];
    public double escalations;
    public double reopens;
    public double resolveDays;
    public double resolved;
    public long supportAt = NONE;
    public long lastSupportAt = NONE;
    public long lastTicketOpenedAt = NONE;

    // ---- sentiment
    public double nps = Double.NaN;
    public long npsAt = NONE;
    public boolean npsAfterTicket;
    public double csat = Double.NaN;
    public long csatAt = NONE;

    // ---- onboarding and outcome
    public boolean journeyStarted;
    public int milestones;
    public int goalHash;
    public long goalSetAt = NONE;
    public double goalBaseline;
    public double goalTarget;
    public double goalValue = Double.NaN;
    public long goalValueAt = NONE;

    // ---- what the previous record said, and what moved each component since
    public double emittedScore = Double.NaN;
    public int emittedGrade = -1;
    public int emittedStage = -1;
    public float[] emittedContribution = new float[0];
    /** Per component, a ring of the most recent causing event ids since the previous record. */
    public String[] causeIds = new String[0];
    public int[] causeCount = new int[0];
    /** The touchpoint that changed the stage (completed onboarding), until the next record. */
    public String stageCauseId;

    public ScoreState() {}

    // ------------------------------------------------------------------ folding

    /** Applies one touchpoint; records it as a cause of the components it moved. */
    public void fold(Touchpoint t, ScoreModel m) {
        long at = t.getOccurredAt();
        firstSeenAt = firstSeenAt == NONE ? at : Math.min(firstSeenAt, at);
        lastSeenAt = Math.max(lastSeenAt, at);
        changed = true;
        String type = t.getType();
        Map<String, String> attrs = t.getAttributes();
        String id = t.getEventId();
        switch (t.getSource()) {
            case "product":
                foldProduct(t, type, attrs, at, m);
                break;
            case "billing":
                String seatsText = attrs.get("seats");
                if (seatsText != null && at >= seatsAt) {
                    try {
                        seats = Integer.parseInt(seatsText.trim());
                        seatsAt = at;
                        cause(Component.SEAT_UTILIZATION, id, m);
                    } catch (NumberFormatException ignored) {
                        // not a seat count: the seats stay what they were
                    }
                }
                if (type.equals("subscription_started") && at > subscriptionStartedAt) {
                    subscriptionStartedAt = at;
                } else if (type.equals("subscription_cancelled")) {
                    churned = true;
                }
                break;
            case "support":
                foldSupport(type, attrs.get("ticket_id"), at, id, m);
                break;
            case "survey":
                foldSurvey(attrs.get("survey"), t.getValue(), at, id, m);
                break;
            case "outcome":
                foldOutcome(type, attrs, t.getValue(), at, id, m);
                break;
            default:
                break;
        }
        foldOnboarding(t, id, m);
    }

    /**
     * The onboarding journey's own matchers, whatever the touchpoint's source: an entry on, say,
     * {@code billing/subscription_started} starts the component as it starts the journey.
     */
    private void foldOnboarding(Touchpoint t, String id, ScoreModel m) {
        if (m.milestones.startsJourney(t)) {
            if (!journeyStarted) {
                journeyStarted = true;
                cause(Component.ONBOARDING, id, m);
            }
            return;
        }
        int i = m.milestones.milestoneOf(t);
        if (i >= 0 && (milestones & (1 << i)) == 0) {
            milestones |= 1 << i;
            cause(Component.ONBOARDING, id, m);
            if (Integer.bitCount(milestones) == m.milestones.count()) {
                stageCauseId = id;
            }
        }
    }

    private void foldProduct(Touchpoint t, String type, Map<String, String> attrs, long at, ScoreModel m) {
        String id = t.getEventId();
        long day = Math.floorDiv(at, DAY);
        lastProductAt = Math.max(lastProductAt, at);
        cause(Component.RECENCY, id, m);
        if (headDay == NONE) {
            headDay = day;
            activeDays = 1;
            cause(Component.FREQUENCY, id, m);
        } else {
            if (day > headDay) {
                long shift = day - headDay;
                activeDays = shift >= 32 ? 0 : activeDays << shift;
                headDay = day;
            }
            long bit = headDay - day;
            if (bit < WINDOW_DAYS && (activeDays & (1 << bit)) == 0) {
                activeDays |= 1 << bit;
                cause(Component.FREQUENCY, id, m);
            }
        }
        String user = t.getUserId();
        if (user != null) {
            int before = touch(true, user.hashCode(), (int) day);
            if (before <= day - WINDOW_DAYS) {
                cause(Component.SEAT_UTILIZATION, id, m);
            }
        }
        if (type.equals("login") || type.equals("feature_used")) {
            if (usageAt == NONE) {
                usage = 1;
                usageAt = at;
            } else if (at >= usageAt) {
                usage = usage * decay(at - usageAt, m.usageHalfLifeMillis) + 1;
                usageAt = at;
            } else {
                usage += decay(usageAt - at, m.usageHalfLifeMillis);
            }
            cause(Component.DEPTH, id, m);
        }
        String feature = type.equals("feature_used") ? attrs.get("feature") : null;
        if (feature != null) {
            int before = touch(false, feature.hashCode(), (int) day);
            if (before <= day - WINDOW_DAYS) {
                cause(Component.ADOPTION_BREADTH, id, m);
            }
        }
    }

    /** Sets the last-active day of a user or feature to at least {@code day}; returns the previous day (MIN_VALUE if new). */
    private int touch(boolean users, int hash, int day) {
        int[] hashes = users ? userHash : featureHash;
        int[] days = users ? userDay : featureDay;
        for (int i = 0; i < hashes.length; i++) {
            if (hashes[i] == hash) {
                int before = days[i];
                days[i] = Math.max(before, day);
                return before;
            }
        }
        int max = users ? MAX_USERS : MAX_FEATURES;
        int n = hashes.length;
        if (n >= max) {
            int oldest = 0;
            for (int i = 1; i < n; i++) {
                if (days[i] < days[oldest]) {
                    oldest = i;
                }
            }
            hashes[oldest] = hash;
            days[oldest] = day;
            return Integer.MIN_VALUE;
        }
        hashes = Arrays.copyOf(hashes, n + 1);
        days = Arrays.copyOf(days, n + 1);
        hashes[n] = hash;
        days[n] = day;
        if (users) {
            userHash = hashes;
            userDay = days;
        } else {
            featureHash = hashes;
            featureDay = days;
        }
        return Integer.MIN_VALUE;
    }

    private void foldSupport(String type, String ticket, long at, String id, ScoreModel m) {
        lastSupportAt = Math.max(lastSupportAt, at);
        int hash = ticket == null ? 0 : ticket.hashCode();
        switch (type) {
            case "ticket_opened":
                lastTicketOpenedAt = Math.max(lastTicketOpenedAt, at);
                open(hash, at);
                break;
            case "ticket_escalated":
                rebaseSupport(at, m);
                escalations += decay(supportAt - at, m.supportHalfLifeMillis);
                break;
            case "ticket_reopened":
                rebaseSupport(at, m);
                reopens += decay(supportAt - at, m.supportHalfLifeMillis);
                open(hash, at);
                break;
            case "ticket_resolved":
                int i = indexOf(openTicketHash, hash);
                if (i >= 0) {
                    rebaseSupport(at, m);
                    double w = decay(supportAt - at, m.supportHalfLifeMillis);
                    resolveDays += w * Math.max(0, at - openTicketAt[i]) / (double) DAY;
                    resolved += w;
                    removeOpen(i);
                }
                break;
            default:
                return;
        }
        cause(Component.SUPPORT_FRICTION, id, m);
    }

    private void open(int hash, long at) {
        if (indexOf(openTicketHash, hash) >= 0) {
            return;
        }
        if (openTicketHash.length >= MAX_OPEN_TICKETS) {
            removeOpen(0);
        }
        int n = openTicketHash.length;
        openTicketHash = Arrays.copyOf(openTicketHash, n + 1);
        openTicketAt = Arrays.copyOf(openTicketAt, n + 1);
        openTicketHash[n] = hash;
        openTicketAt[n] = at;
    }

    private void removeOpen(int i) {
        int n = openTicketHash.length;
        System.arraycopy(openTicketHash, i + 1, openTicketHash, i, n - i - 1);
        System.arraycopy(openTicketAt, i + 1, openTicketAt, i, n - i - 1);
        openTicketHash = Arrays.copyOf(openTicketHash, n - 1);
        openTicketAt = Arrays.copyOf(openTicketAt, n - 1);
    }

    /** Moves the support counters' reference time forward to {@code at} (never back). */
    private void rebaseSupport(long at, ScoreModel m) {
        if (supportAt == NONE) {
            supportAt = at;
        } else if (at > supportAt) {
            double f = decay(at - supportAt, m.supportHalfLifeMillis);
            escalations *= f;
            reopens *= f;
            resolveDays *= f;
            resolved *= f;
            supportAt = at;
        }
    }

    private void foldSurvey(String survey, Double value, long at, String id, ScoreModel m) {
        String kind = m.surveyKind(survey);
        if (value == null || kind == null) {
            return;
        }
        if (kind.equals(ScoreModel.NPS) && at >= npsAt) {
            nps = value;
            npsAt = at;
            npsAfterTicket = lastTicketOpenedAt != NONE && lastTicketOpenedAt <= at && at - lastTicketOpenedAt <= m.detractorWindowMillis;
            cause(Component.SENTIMENT, id, m);
        } else if (kind.equals(ScoreModel.CSAT) && at >= csatAt) {
            csat = value;
            csatAt = at;
            cause(Component.SENTIMENT, id, m);
        }
    }

    private void foldOutcome(String type, Map<String, String> attrs, Double value, long at, String id, ScoreModel m) {
        String goal = attrs.get("goal_id");
        if (goal == null) {
            return;
        }
        if (type.equals("goal_set") && at >= goalSetAt) {
            try {
                double baseline = Double.parseDouble(attrs.getOrDefault("baseline", ""));
                double target = Double.parseDouble(attrs.getOrDefault("target", ""));
                goalHash = goal.hashCode();
                goalSetAt = at;
                goalBaseline = baseline;
                goalTarget = target;
                goalValue = Double.NaN;
                goalValueAt = NONE;
                cause(Component.OUTCOME, id, m);
            } catch (NumberFormatException e) {
                // a goal without numeric baseline and target cannot be measured
            }
        } else if (type.equals("outcome_measured") && value != null && goalSetAt != NONE
                && goal.hashCode() == goalHash && at >= goalValueAt) {
            goalValue = value;
            goalValueAt = at;
            cause(Component.OUTCOME, id, m);
        }
    }

    private void cause(Component c, String eventId, ScoreModel m) {
        int ring = m.eventIdsPerDriver;
        if (causeCount.length != Component.COUNT || causeIds.length != Component.COUNT * ring) {
            causeCount = new int[Component.COUNT];
            causeIds = new String[Component.COUNT * ring];
        }
        int k = c.ordinal();
        causeIds[k * ring + causeCount[k] % ring] = eventId;
        causeCount[k]++;
    }

    /** Drops users and features out of the 28-day window as of the day before {@code midnight}. */
    public void prune(long midnight) {
        int oldest = (int) (Math.floorDiv(midnight - 1, DAY) - WINDOW_DAYS);
        userHash = kept(userHash, userDay, oldest, true);
        featureHash = kept(featureHash, featureDay, oldest, false);
    }

    private int[] kept(int[] hashes, int[] days, int oldestExcluded, boolean users) {
        int n = 0;
        for (int i = 0; i < hashes.length; i++) {
            if (days[i] > oldestExcluded) {
                hashes[n] = hashes[i];
                days[n] = days[i];
                n++;
            }
        }
        if (n == hashes.length) {
            return hashes;
        }
        int[] newDays = Arrays.copyOf(days, n);
        if (users) {
            userDay = newDays;
        } else {
            featureDay = newDays;
        }
        return Arrays.copyOf(hashes, n);
    }

    public void addPending(Touchpoint t) {
        pending = Arrays.copyOf(pending, pending.length + 1);
        pending[pending.length - 1] = t;
    }

    /** Clears the causes after a record has explained them. */
    public void clearCauses() {
        // Most records (daily snapshots of quiet accounts) have nothing to clear: touch only what was set.
        if (causeCount.length == Component.COUNT) {
            int ring = causeIds.length / Component.COUNT;
            for (int c = 0; c < Component.COUNT; c++) {
                if (causeCount[c] != 0) {
                    Arrays.fill(causeIds, c * ring, c * ring + Math.min(causeCount[c], ring), null);
                    causeCount[c] = 0;
                }
            }
        }
        stageCauseId = null;
    }

    static double decay(long elapsedMillis, long halfLifeMillis) {
        return elapsedMillis <= 0 ? 1.0 : Math.pow(0.5, (double) elapsedMillis / halfLifeMillis);
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        return -1;
    }
}
