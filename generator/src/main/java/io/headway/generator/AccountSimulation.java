package io.headway.generator;

import io.headway.schema.Touchpoint;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * One account's life in the simulated window, produced one day at a time.
 *
 * <p>Everything structural (onboarding plan, goal, deterioration onset, churn) is drawn up front
 * from the account's own random stream, so an account's events depend only on the seed and its
 * index, never on the other accounts or on the order the driver asks for them. Scheduled events wait
 * in an agenda and are released day by day; the daily loop adds the stochastic activity (product use,
 * tickets, courses, renewals) that depends on the account's state on that day.
 */
final class AccountSimulation {

    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    private static final long NEVER = Long.MAX_VALUE;

    /** The first three are what every new user touches; the rest are discovered with adoption. */
    private static final String[] CORE_FEATURES = {"dashboards", "reports", "sharing"};

    private static final String[] OTHER_FEATURES = {
        "alerts", "data_import", "integrations", "segments", "automations", "exports", "forecasting",
        "api", "admin_console"
    };

    private static final String[] COURSES = {
        "getting-started", "admin-essentials", "reporting-101", "integrations-deep-dive", "automation-advanced"
    };
    private static final String[] WEBINARS = {"product-update", "best-practices", "office-hours"};
    private static final String[] TICKET_CATEGORIES = {"how-to", "bug", "integration", "billing", "data"};
    private static final String[] PRIORITIES = {"low", "normal", "high", "urgent"};
    private static final double[] HEALTHY_PRIORITY = {0.30, 0.50, 0.17, 0.03};
    private static final double[] STRUGGLING_PRIORITY = {0.10, 0.40, 0.32, 0.18};
    private static final double[] HEALTHY_CSAT = {0.02, 0.03, 0.10, 0.30, 0.55};
    private static final double[] STRUGGLING_CSAT = {0.20, 0.30, 0.30, 0.15, 0.05};
    private static final String[] SESSION_TOPICS = {
        "architecture", "data-model", "integrations", "reporting", "automation", "rollout"
    };
    private static final String[] CANCEL_REASONS = {"low_usage", "missing_value", "budget", "switched_vendor"};
    /** Hours east of UTC; at most +8 so that 08:00 local never falls before the UTC day it belongs to. */
    private static final int[] TIME_ZONES = {-8, -5, 0, 1, 2, 8};
    /** How much more a busy-but-missing account uses the product once its result has stalled. */
    private static final double BUSY_USE = 1.5;
    private static final double BUSY_FEATURES = 1.3;
    /** Chance that a stepwise metric moves at a measurement: it holds its level for weeks in between. */
    private static final double STEP_CHANCE = 0.3;

    private final String accountId;
    private final boolean deteriorating;
    private final SplittableRandom rnd;
    private final long windowStart;
    private final long windowEnd;
    private final int tz;
    private final AccountOutcomes outcomes;

    private final Set<Behaviour> behaviours;
    /**
     * Behaviours draw from a stream of their own, so that an account without any draws exactly what
     * it drew before behaviours existed: that is what keeps the classic mix byte-for-byte unchanged.
     */
    private final SplittableRandom brnd;
    private final boolean busy;
    private final boolean quiet;
    /** A late starter's first day of product use; before it the account only onboards and pays. */
    private long firstUseAt = Long.MIN_VALUE;
    /** Transient dips: whole days [from, to), the share of usual use left, whether an outage's tickets open it. */
    private long[] dipFrom = new long[0];
    private long[] dipTo = new long[0];
    private double[] dipUse = new double[0];
    private boolean[] dipTickets = new boolean[0];
    private final long holidayFrom;
    private final long holidayTo;
    private final double holidayUse;
    private final double quietUse;
    private final double noise;

    private final PriorityQueue<Queued> agenda = new PriorityQueue<>();
    private long scheduledCount;
    private int emittedCount;

    private Plan plan;
    private int seats;
    private double[] propensity = new double[0];
    private final String[] features = new String[CORE_FEATURES.length + OTHER_FEATURES.length];

    private final int signupDay;
    private final long signupAt;
    private final long[] milestoneAt = new long[Milestone.values().length];
    private final long onsetAt;
    /**
     * The onset as the account's touchpoints show it (decay, tickets, detractors, overdue invoices):
     * never for a busy-but-missing account, whose result stalls while everything else looks well.
     */
    private final long visibleOnsetAt;
    private final long churnAt;

    private long nextRenewalAt;
    private int nextInvoicePeriod = 2;
    private long seatGrowthAt = NEVER;
    private long seatCutAt = NEVER;
    private long planChangeAt = NEVER;
    private boolean planChangeIsUpgrade;
    private int tickets;
    private int coursesStarted;

    /**
     * @param behaviours what the account does besides its segment's story; empty in the classic mix
     * @param holiday the run's holiday window [from, to) in epoch millis, or null; used only with
     *     {@link Behaviour#HOLIDAY}
     */
    AccountSimulation(
            long seed,
            int index,
            boolean deteriorating,
            long windowStart,
            int days,
            Set<Behaviour> behaviours,
            long[] holiday) {
        this.accountId = Ids.account(index);
        this.deteriorating = deteriorating;
        this.rnd = new SplittableRandom(mix(seed, index));
        this.windowStart = windowStart;
        this.windowEnd = windowStart + days * DAY;
        this.behaviours = behaviours.isEmpty() ? EnumSet.noneOf(Behaviour.class) : EnumSet.copyOf(behaviours);
        this.brnd = new SplittableRandom(mix(seed ^ 0x6A09E667F3BCC908L, index));
        this.busy = deteriorating && this.behaviours.contains(Behaviour.BUSY_BUT_MISSING);
        this.quiet = this.behaviours.contains(Behaviour.QUIET_ACHIEVER);
        this.outcomes = new AccountOutcomes(accountId);

        tz = TIME_ZONES[rnd.nextInt(TIME_ZONES.length)];
        double p = rnd.nextDouble();
        plan = p < 0.45 ? Plan.STARTER : p < 0.85 ? Plan.TEAM : Plan.BUSINESS;
        seats = rnd.nextInt(plan.minSeats, plan.maxSeats + 1);
        ensureUsers(seats);
        System.arraycopy(CORE_FEATURES, 0, features, 0, CORE_FEATURES.length);
        String[] others = OTHER_FEATURES.clone();
        shuffle(others);
        System.arraycopy(others, 0, features, CORE_FEATURES.length, others.length);

        // Accounts sign up in the first quarter of the window so that most journeys can finish inside it.
        signupDay = rnd.nextInt(Math.max(0, days / 4) + 1);
        signupAt = localTime(dayStart(signupDay), rnd.nextDouble(9, 17));
        nextRenewalAt = signupAt + 30 * DAY;
        long journeyAt = signupAt + 10 * MINUTE;

        // Gaps of at least one (kickoff) or two days keep milestones in order after snapping to office hours.
        double[][] gaps = {{1, 3}, {2, 5}, {2, 5}, {3, 6}, {2, 5}, {3, 7}};
        long t = journeyAt;
        for (int m = 0; m < milestoneAt.length; m++) {
            t = officeHours(t + (long) (rnd.nextDouble(gaps[m][0], gaps[m][1]) * DAY), 9, 17);
            milestoneAt[m] = t;
        }
        if (this.behaviours.contains(Behaviour.LATE_STARTER)) {
            startLate(journeyAt);
        }
        long kickoffAt = milestoneAt[Milestone.KICKOFF.ordinal()];
        long goalSetAt = officeHours(kickoffAt + (long) (rnd.nextDouble(1, 3) * DAY), 9, 17);
        int goalDays = rnd.nextInt(28, 43);

        if (deteriorating) {
            // The onset leaves at least three weeks before the goal deadline and the end of the window,
            // so that a miss or churn is preceded by weeks of observable decline.
            int goalDay = dayIndex(goalSetAt);
            int lo = Math.max(signupDay + 7, goalDay + 2);
            int hi = Math.max(lo, Math.min(goalDay + goalDays - 21, days - 21));
            onsetAt = dayStart(rnd.nextInt(lo, hi + 1)) + rnd.nextLong(DAY);
            long churn = rnd.nextDouble() < 0.5 ? officeHours(onsetAt + (long) (rnd.nextDouble(21, 35) * DAY), 9, 17) : NEVER;
            for (int m = 0; m < milestoneAt.length; m++) {
                if (milestoneAt[m] >= onsetAt) {
                    milestoneAt[m] = NEVER; // stalled: this and every later milestone never happen
                }
            }
            seatCutAt = onsetAt + (long) (rnd.nextDouble(10, 20) * DAY);
            if (plan != Plan.STARTER && rnd.nextDouble() < 0.25) {
                planChangeAt = onsetAt + (long) (rnd.nextDouble(7, 18) * DAY);
            }
            if (busy) {
                // Heavy users neither leave, nor cut seats, nor downgrade inside the window: only the result stalls.
                churn = NEVER;
                seatCutAt = NEVER;
                planChangeAt = NEVER;
            }
            churnAt = churn;
        } else {
            onsetAt = NEVER;
            churnAt = NEVER;
            if (plan != Plan.BUSINESS && rnd.nextDouble() < 0.2) {
                planChangeAt = milestoneAt[Milestone.FIRST_VALUE.ordinal()] + (long) (rnd.nextDouble(3, 20) * DAY);
                planChangeIsUpgrade = true;
            }
        }
        visibleOnsetAt = busy ? NEVER : onsetAt;
        boolean holidays = holiday != null && this.behaviours.contains(Behaviour.HOLIDAY);
        holidayFrom = holidays ? holiday[0] : NEVER;
        holidayTo = holidays ? holiday[1] : NEVER;
        holidayUse = holidays ? brnd.nextDouble(0.15, 0.4) : 1.0;
        quietUse = quiet ? brnd.nextDouble(0.3, 0.5) : 1.0;
        noise = this.behaviours.contains(Behaviour.NOISY_MEASUREMENTS) ? brnd.nextDouble(0.15, 0.30) : 0.0;
        if (this.behaviours.contains(Behaviour.TRANSIENT_DIP)) {
            planDips(days);
        }
        long teamInvitedAt = milestoneAt[Milestone.TEAM_INVITED.ordinal()];
        if (teamInvitedAt != NEVER) {
            long at = teamInvitedAt + (long) (rnd.nextDouble(1, 48) * HOUR);
            if (at < visibleOnsetAt) {
                seatGrowthAt = at;
            }
        }

        scheduleSubscription();
        scheduleOnboarding(journeyAt, kickoffAt);
        scheduleGoal(goalSetAt, goalDays);
        scheduleServices(kickoffAt);
        scheduleMeetings(kickoffAt);
        scheduleSurveys();
        if (churnAt != NEVER) {
            schedule(churnAt, null, "billing", "subscription_cancelled", null,
                    attrs("plan", plan.wireName, "reason", CANCEL_REASONS[rnd.nextInt(CANCEL_REASONS.length)]));
        }
    }

    String accountId() {
        return accountId;
    }

    /**
     * A late starter signs up and meets its CSM but first uses the product 10-25 days later, so
     * kickoff and the milestones after it come late; the rest of onboarding is compressed (gaps
     * scaled down, whole days, at least one each) so that first value still lands before it is due.
     */
    private void startLate(long journeyAt) {
        // Product use starts on a weekday 10-25 days after signup (the first login is certain that day).
        int firstUseDay = signupDay + brnd.nextInt(10, 24);
        while (dayOfWeek(dayStart(firstUseDay)) >= 5) {
            firstUseDay++;
        }
        firstUseAt = dayStart(firstUseDay);
        long[] gaps = new long[milestoneAt.length];
        long total = 0;
        for (int m = 1; m < milestoneAt.length; m++) {
            gaps[m] = milestoneAt[m] - milestoneAt[m - 1];
            total += gaps[m];
        }
        milestoneAt[0] = officeHours(firstUseAt - brnd.nextInt(0, 2) * DAY, 9, 17);
        // Whole-day gaps keep the time of day, so snapping to office hours moves first value by at most 8 h.
        long budget = (journeyAt + (Milestone.FIRST_VALUE.dueDays() - 2) * DAY - milestoneAt[0]) / DAY;
        double scale = Math.min(1.0, budget * (double) DAY / total);
        long[] wholeDays = new long[milestoneAt.length];
        long sum = 0;
        for (int m = 1; m < milestoneAt.length; m++) {
            wholeDays[m] = Math.max(1, (long) (gaps[m] * scale / DAY));
            sum += wholeDays[m];
        }
        for (int m = milestoneAt.length - 1; sum > budget && m > 0; m--) {
            long cut = Math.min(wholeDays[m] - 1, sum - budget);
            wholeDays[m] -= cut;
            sum -= cut;
        }
        for (int m = 1; m < milestoneAt.length; m++) {
            milestoneAt[m] = officeHours(milestoneAt[m - 1] + wholeDays[m] * DAY, 9, 17);
        }
    }

    /**
     * One or two dips of 5-12 whole days, starting at least two weeks into the account's use (so
     * that there is a usual level to fall from) and ending a week before the window does (so that
     * the recovery shows), at least a week apart.
     */
    private void planDips(int days) {
        int earliest = Math.max(signupDay, dayIndex(Math.max(firstUseAt, signupAt))) + 14;
        int wanted = brnd.nextDouble() < 0.6 ? 1 : 2;
        for (int attempt = 0; attempt < 10 && dipFrom.length < wanted; attempt++) {
            int length = brnd.nextInt(5, 13);
            int latest = days - 7 - length;
            if (latest < earliest) {
                continue;
            }
            int day = brnd.nextInt(earliest, latest + 1);
            long from = dayStart(day);
            long to = dayStart(day + length);
            boolean clear = true;
            for (int i = 0; i < dipFrom.length; i++) {
                clear &= to + 7 * DAY <= dipFrom[i] || dipTo[i] + 7 * DAY <= from;
            }
            if (clear) {
                int n = dipFrom.length;
                dipFrom = Arrays.copyOf(dipFrom, n + 1);
                dipTo = Arrays.copyOf(dipTo, n + 1);
                dipUse = Arrays.copyOf(dipUse, n + 1);
                dipTickets = Arrays.copyOf(dipTickets, n + 1);
                dipFrom[n] = from;
                dipTo[n] = to;
                dipUse[n] = brnd.nextDouble(0.1, 0.4);
                dipTickets[n] = brnd.nextDouble() < 0.5;
            }
        }
    }

    Segment segment() {
        return deteriorating ? Segment.DETERIORATING : Segment.HEALTHY;
    }

    /** Null for healthy accounts. */
    Instant onset() {
        return deteriorating ? Instant.ofEpochMilli(onsetAt) : null;
    }

    List<AccountResult> results() {
        List<String> names = new ArrayList<>(behaviours.size());
        for (Behaviour b : behaviours) {
            names.add(b.wireName());
        }
        return outcomes.results(windowEnd, segment(), onset(), names);
    }

    /**
     * Adds this account's touchpoints of simulated day {@code day} to {@code out}, in time order.
     * Must be called for every day in increasing order.
     */
    void simulateDay(int day, List<Touchpoint> out) {
        long dayStart = dayStart(day);
        long dayEnd = dayStart + DAY;
        if (day > signupDay && dayStart < churnAt) {
            daily(dayStart, dayEnd);
        }
        while (!agenda.isEmpty() && agenda.peek().at < dayEnd) {
            Queued s = agenda.poll();
            // A churned account goes silent: whatever was still planned after the cancellation never happens.
            if (s.at > churnAt) {
                continue;
            }
            s.touchpoint.setEventId(Ids.event(accountId, ++emittedCount));
            outcomes.observe(s.touchpoint);
            out.add(s.touchpoint);
        }
    }

    // ---------------------------------------------------------------- daily activity

    private void daily(long dayStart, long dayEnd) {
        int reached = milestonesReachedBy(dayStart);
        double adoption = 0.3 + 0.7 * reached / Milestone.values().length;
        double vitality = vitality(dayStart);
        boolean struggling = vitality < 1.0;
        int dow = dayOfWeek(dayStart);
        boolean weekday = dow < 5;

        double use = use(dayStart);
        products(dayStart, reached, adoption, vitality, weekday, use);
        support(dayStart, reached, struggling, weekday);
        education(dayStart, adoption, struggling, weekday, dow, Math.min(1.0, use));

        while (nextRenewalAt < dayEnd) {
            invoice(nextInvoicePeriod++, nextRenewalAt);
            nextRenewalAt += 30 * DAY;
        }
        if (seatGrowthAt < dayEnd) {
            growSeats(seatGrowthAt);
            seatGrowthAt = NEVER;
        }
        if (seatCutAt < dayEnd) {
            cutSeats(seatCutAt);
            seatCutAt = NEVER;
        }
        if (planChangeAt < dayEnd) {
            changePlan(planChangeAt);
            planChangeAt = NEVER;
        }
    }

    /**
     * 1.0 while an account is well; after the onset it decays towards a floor, which is what makes
     * logins, feature use, course uptake and webinar attendance fade over the following weeks.
     */
    private double vitality(long at) {
        if (at < visibleOnsetAt) {
            return 1.0;
        }
        return Math.max(0.06, Math.exp(-(double) (at - visibleOnsetAt) / (10.0 * DAY)));
    }

    /**
     * What the behaviours do to product use on the day starting at {@code dayStart}, as a factor of
     * the account's usual use: 1.0 in the classic mix, 0 before a late starter's first use.
     */
    private double use(long dayStart) {
        if (dayStart < firstUseAt) {
            return 0.0;
        }
        double use = 1.0;
        for (int i = 0; i < dipFrom.length; i++) {
            if (dayStart >= dipFrom[i] && dayStart < dipTo[i]) {
                use *= dipUse[i];
            }
        }
        if (inHoliday(dayStart)) {
            use *= holidayUse;
        }
        if (busy && dayStart >= onsetAt) {
            use *= BUSY_USE;
        }
        return use * quietUse;
    }

    private boolean inHoliday(long at) {
        return at >= holidayFrom && at < holidayTo;
    }

    /** Tickets scale down with a holiday, quiet use or no use yet; 1.0 in the classic mix. */
    private double supportLoad(long dayStart) {
        double load = dayStart < firstUseAt ? 0.5 : 1.0;
        if (inHoliday(dayStart)) {
            load *= 0.4;
        }
        return quiet ? load * 0.4 : load;
    }

    private void products(long dayStart, int reached, double adoption, double vitality, boolean weekday, double use) {
        if (use == 0.0) {
            return;
        }
        double base = weekday ? 0.45 : 0.06;
        int breadth = 3 + (int) Math.round((features.length - 3) * reached / (double) Milestone.values().length);
        if (vitality < 1.0) {
            breadth = Math.max(2, (int) Math.round(breadth * Math.sqrt(vitality)));
        }
        // A quiet achiever's use does not grow with onboarding: low and steady.
        double adopted = quiet ? 0.75 : adoption;
        double perSession = plan.featuresPerSession * (0.5 + 0.5 * adopted) * (0.4 + 0.6 * vitality)
                * (busy && dayStart >= onsetAt ? BUSY_FEATURES : 1.0);
        for (int u = 1; u <= seats; u++) {
            if (rnd.nextDouble() >= base * propensity[u] * adopted * vitality * use && !(u == 1 && dayStart == firstUseAt)) {
                continue;
            }
            String user = user(u);
            long t = localTime(dayStart, rnd.nextDouble(8, 18));
            schedule(t, user, "product", "login", null, new HashMap<>(2));
            int n = poisson(perSession);
            for (int i = 0; i < n; i++) {
                t += MINUTE + (long) (rnd.nextExponential() * 12 * MINUTE);
                String feature = features[(int) (breadth * Math.pow(rnd.nextDouble(), 1.5))];
                schedule(t, user, "product", "feature_used", null, attrs("feature", feature));
            }
        }
    }

    private void support(long dayStart, int reached, boolean struggling, boolean weekday) {
        double rate = (0.03 + 0.006 * seats)
                * (weekday ? 1.0 : 0.25)
                * (reached < Milestone.values().length ? 1.4 : 1.0)
                * (struggling ? 3.0 : 1.0)
                * supportLoad(dayStart);
        int n = poisson(rate);
        for (int i = 0; i < n; i++) {
            ticket(localTime(dayStart, rnd.nextDouble(8, 18)), struggling);
        }
        for (int i = 0; i < dipFrom.length; i++) {
            if (dipTickets[i] && dayStart == dipFrom[i]) {
                // An outage opens the dip: a burst of urgent tickets, escalated and unhappy like a struggling account's.
                int burst = brnd.nextInt(2, 6);
                for (int k = 0; k < burst; k++) {
                    ticket(localTime(dayStart, brnd.nextDouble(8, 18)), true);
                }
            }
        }
    }

    private void ticket(long openedAt, boolean struggling) {
        String id = accountId + "-t" + Ids.pad(++tickets, 4);
        String user = user(1 + rnd.nextInt(seats));
        int priority = pick(struggling ? STRUGGLING_PRIORITY : HEALTHY_PRIORITY);
        String category = TICKET_CATEGORIES[rnd.nextInt(TICKET_CATEGORIES.length)];
        schedule(openedAt, user, "support", "ticket_opened", null,
                attrs("ticket_id", id, "priority", PRIORITIES[priority], "category", category));
        long last = openedAt;
        if (rnd.nextDouble() < (struggling ? 0.35 : 0.08)) {
            priority = Math.min(priority + 1, PRIORITIES.length - 1);
            last = openedAt + (long) (rnd.nextDouble(1, 20) * HOUR);
            schedule(last, null, "support", "ticket_escalated", null,
                    attrs("ticket_id", id, "priority", PRIORITIES[priority], "tier", "2"));
        }
        long resolvedAt = last + HOUR + (long) (rnd.nextExponential() * (struggling ? 80 : 28) * HOUR);
        schedule(resolvedAt, null, "support", "ticket_resolved", null,
                attrs("ticket_id", id, "priority", PRIORITIES[priority]));
        if (rnd.nextDouble() < 0.35) {
            long answeredAt = resolvedAt + (long) (rnd.nextDouble(0.2, 48) * HOUR);
            schedule(answeredAt, user, "survey", "survey_answered",
                    (double) (1 + pick(struggling ? STRUGGLING_CSAT : HEALTHY_CSAT)),
                    attrs("survey", "csat", "ticket_id", id));
        }
        if (rnd.nextDouble() < (struggling ? 0.30 : 0.05)) {
            long reopenedAt = resolvedAt + (long) (rnd.nextDouble(2, 72) * HOUR);
            schedule(reopenedAt, user, "support", "ticket_reopened", null,
                    attrs("ticket_id", id, "priority", PRIORITIES[priority]));
            schedule(reopenedAt + HOUR + (long) (rnd.nextExponential() * 24 * HOUR), null, "support",
                    "ticket_resolved", null, attrs("ticket_id", id, "priority", PRIORITIES[priority]));
        }
    }

    private void education(long dayStart, double adoption, boolean struggling, boolean weekday, int dow, double use) {
        if (use == 0.0) {
            return;
        }
        double uptake = quiet ? use * 0.3 : use;
        if (weekday && coursesStarted < COURSES.length
                && rnd.nextDouble() < (struggling ? 0.01 : 0.06 * (0.5 + 0.5 * adoption)) * uptake) {
            String course = COURSES[coursesStarted++];
            String user = user(1 + rnd.nextInt(seats));
            long startedAt = localTime(dayStart, rnd.nextDouble(9, 17));
            schedule(startedAt, user, "education", "course_started", null, attrs("course", course));
            if (rnd.nextDouble() < (struggling ? 0.25 : 0.8)) {
                schedule(startedAt + (long) (rnd.nextDouble(1, 9) * DAY), user, "education", "course_completed",
                        null, attrs("course", course));
            }
        }
        if (dow == 3) { // the weekly webinar is on Thursdays
            String webinar = WEBINARS[(int) (Math.floorDiv(dayStart, DAY) / 7 % WEBINARS.length)];
            int attendees = poisson((struggling ? 0.05 : 0.35 * adoption * Math.sqrt(seats / 10.0)) * uptake);
            for (int i = 0; i < attendees; i++) {
                schedule(localTime(dayStart, 16 + i / 60.0), user(1 + rnd.nextInt(seats)), "education",
                        "webinar_attended", null, attrs("webinar", webinar));
            }
        }
    }

    private void growSeats(long at) {
        int previous = seats;
        seats += Math.max(1, (int) Math.round(seats * rnd.nextDouble(0.1, 0.35)));
        ensureUsers(seats);
        schedule(at, null, "billing", "seats_changed", (double) seats,
                attrs("seats", Integer.toString(seats), "previous_seats", Integer.toString(previous)));
        for (int u = previous + 1; u <= seats; u++) {
            schedule(at + (u - previous) * MINUTE, user(u), "product", "user_invited", null,
                    attrs("role", "member"));
        }
    }

    private void cutSeats(long at) {
        if (seats <= 3) {
            return;
        }
        int previous = seats;
        seats -= Math.max(1, (int) Math.round(seats * rnd.nextDouble(0.15, 0.35)));
        for (int u = previous; u > seats; u--) {
            schedule(at + (previous - u) * MINUTE, user(u), "product", "user_removed", null, new HashMap<>(2));
        }
        schedule(at + (previous - seats + 1) * MINUTE, null, "billing", "seats_changed", (double) seats,
                attrs("seats", Integer.toString(seats), "previous_seats", Integer.toString(previous)));
    }

    private void changePlan(long at) {
        Plan previous = plan;
        plan = planChangeIsUpgrade ? plan.upgrade() : plan.downgrade();
        if (plan != previous) {
            schedule(at, null, "billing", "plan_changed", null,
                    attrs("plan", plan.wireName, "previous_plan", previous.wireName));
        }
    }

    // ---------------------------------------------------------------- planned at signup

    private void scheduleSubscription() {
        schedule(signupAt, null, "billing", "subscription_started", seats * plan.pricePerSeat,
                attrs("plan", plan.wireName, "seats", Integer.toString(seats)));
        invoice(1, signupAt + 2 * MINUTE);
    }

    private void invoice(int period, long issuedAt) {
        String id = accountId + "-i" + Ids.pad(period, 2);
        String p = Integer.toString(period);
        double amount = seats * plan.pricePerSeat;
        schedule(issuedAt, null, "billing", "invoice_issued", amount,
                attrs("invoice_id", id, "period", p, "plan", plan.wireName, "seats", Integer.toString(seats)));
        boolean struggling = issuedAt >= visibleOnsetAt;
        long paidAt;
        if (rnd.nextDouble() < (struggling ? 0.4 : 0.04)) {
            schedule(issuedAt + 14 * DAY, null, "billing", "invoice_overdue", amount,
                    attrs("invoice_id", id, "period", p));
            paidAt = issuedAt + (long) (rnd.nextDouble(16, 28) * DAY);
        } else {
            paidAt = issuedAt + (long) (rnd.nextDouble(0.2, 10) * DAY);
        }
        schedule(paidAt, null, "billing", "invoice_paid", amount, attrs("invoice_id", id, "period", p));
    }

    private void scheduleOnboarding(long journeyAt, long kickoffAt) {
        schedule(journeyAt, null, "onboarding", "journey_started", null,
                attrs("journey", "onboarding", "plan", plan.wireName));
        schedule(kickoffAt - 45 * MINUTE, null, "success", "meeting_held", null, attrs("meeting", "kickoff"));
        for (Milestone m : Milestone.values()) {
            if (milestoneAt[m.ordinal()] != NEVER) {
                schedule(milestoneAt[m.ordinal()], null, "onboarding", "milestone_reached", null,
                        attrs("journey", "onboarding", "milestone", m.wireName()));
            }
        }
    }

    private void scheduleGoal(long goalSetAt, int goalDays) {
        GoalMetric metric = GoalMetric.values()[rnd.nextInt(GoalMetric.values().length)];
        double baseline;
        double target;
        switch (metric) {
            case WEEKLY_ACTIVE_USERS:
                baseline = Math.max(1, Math.round(seats * rnd.nextDouble(0.1, 0.3)));
                target = Math.max(baseline + 2, Math.round(seats * rnd.nextDouble(0.6, 0.85)));
                break;
            case REPORTS_AUTOMATED:
                baseline = 0;
                target = rnd.nextInt(8, 31);
                break;
            case HOURS_SAVED_PER_WEEK:
                baseline = 0;
                target = round1(rnd.nextDouble(5, 40));
                break;
            case TIME_TO_CLOSE_DAYS:
                baseline = round1(rnd.nextDouble(8, 20));
                target = round1(baseline * rnd.nextDouble(0.4, 0.7));
                break;
            default:
                baseline = rnd.nextInt(20, 61);
                target = Math.round(baseline * rnd.nextDouble(0.2, 0.4));
        }
        // Deadlines are midnights: a date is what a customer agrees to.
        long deadline = Math.floorDiv(goalSetAt + goalDays * DAY + DAY - 1, DAY) * DAY;
        String goalId = accountId + "-g1";
        schedule(goalSetAt, null, "outcome", "goal_set", null,
                attrs("goal_id", goalId, "metric", metric.wireName, "direction", metric.direction(),
                        "baseline", number(baseline), "target", number(target),
                        "deadline", Instant.ofEpochMilli(deadline).toString()));

        // A healthy account's plan crosses the target at 60-72% of the goal period, so at least one
        // weekly measurement lands clearly past it; noise is bounded so that it never flips the
        // verdict of a measurement either way.
        double crossing = rnd.nextDouble(0.60, 0.72) * goalDays * DAY;
        double onsetProgress = onsetAt == NEVER ? 0 : Math.min(1.15, (onsetAt - goalSetAt) / crossing);
        if (behaviours.contains(Behaviour.SPARSE_MEASUREMENTS) || behaviours.contains(Behaviour.NOISY_MEASUREMENTS)
                || behaviours.contains(Behaviour.STEPWISE_METRIC)) {
            Trajectory latent = new Trajectory(goalSetAt, goalDays, crossing, onsetProgress, baseline, target, metric.increase);
            scheduleMeasurements(latent, deadline, goalId, metric);
            return;
        }
        for (long at = goalSetAt + 7 * DAY; at <= deadline; at += 7 * DAY) {
            double progress;
            if (at < onsetAt) {
                progress = Math.min(1.15, (at - goalSetAt) / crossing);
            } else if (busy) {
                progress = onsetProgress; // the result stalls where it was
            } else {
                progress = onsetProgress - 0.25 * (at - onsetAt) / (goalDays * (double) DAY);
            }
            progress += Math.max(-0.07, Math.min(0.07, rnd.nextGaussian() * 0.04));
            double value = round1(Math.max(0, baseline + (target - baseline) * progress));
            schedule(at, null, "outcome", "outcome_measured", value,
                    attrs("goal_id", goalId, "metric", metric.wireName));
        }
    }

    /**
     * Where the goal's metric really is: what decides whether the account achieves, whatever its
     * measurements show on the way.
     */
    private final class Trajectory {
        final long goalSetAt;
        final int goalDays;
        final double crossing;
        final double onsetProgress;
        final double baseline;
        final double target;
        final boolean increase;

        Trajectory(long goalSetAt, int goalDays, double crossing, double onsetProgress, double baseline, double target,
                boolean increase) {
            this.goalSetAt = goalSetAt;
            this.goalDays = goalDays;
            this.crossing = crossing;
            this.onsetProgress = onsetProgress;
            this.baseline = baseline;
            this.target = target;
            this.increase = increase;
        }

        double progress(long at) {
            if (at < onsetAt) {
                return Math.min(1.15, (at - goalSetAt) / crossing);
            }
            return busy ? onsetProgress : onsetProgress - 0.25 * (at - onsetAt) / (goalDays * (double) DAY);
        }

        double value(double progress) {
            return Math.max(0, baseline + (target - baseline) * progress);
        }

        boolean met(double value) {
            return increase ? value >= target : value <= target;
        }
    }

    /**
     * Measurements of a goal as sparse, noisy or stepwise reporting shows them. They mislead a rule
     * that reads them, never the verdict: an achiever's last measurement past the latent crossing
     * reports the trajectory when nothing else met the target, and a missing account's measurement
     * that noise or a step would carry over the target reports the trajectory instead.
     */
    private void scheduleMeasurements(Trajectory latent, long deadline, String goalId, GoalMetric metric) {
        List<Long> times = new ArrayList<>();
        if (behaviours.contains(Behaviour.SPARSE_MEASUREMENTS)) {
            long at = latent.goalSetAt + brnd.nextInt(10, 31) * DAY;
            for (; at <= deadline - 7 * DAY; at += brnd.nextInt(10, 31) * DAY) {
                times.add(at);
            }
            // The review the customer holds just before the deadline, at the goal's time of day.
            times.add(latent.goalSetAt + ((deadline - latent.goalSetAt) / DAY - brnd.nextInt(0, 3)) * DAY);
        } else {
            for (long at = latent.goalSetAt + 7 * DAY; at <= deadline; at += 7 * DAY) {
                times.add(at);
            }
        }
        boolean stepwise = behaviours.contains(Behaviour.STEPWISE_METRIC);
        double level = 0;
        double[] values = new double[times.size()];
        boolean anyMet = false;
        for (int i = 0; i < values.length; i++) {
            double progress = latent.progress(times.get(i));
            if (stepwise) {
                if (brnd.nextDouble() < STEP_CHANCE) {
                    level = progress;
                }
                progress = level;
            } else {
                progress += Math.max(-0.07, Math.min(0.07, rnd.nextGaussian() * 0.04));
            }
            double value = latent.value(progress);
            if (noise > 0) {
                value = Math.max(0, value + brnd.nextDouble(-noise, noise) * Math.abs(latent.target - latent.baseline));
            }
            values[i] = round1(value);
            if (latent.met(values[i]) && deteriorating) {
                values[i] = round1(latent.value(latent.progress(times.get(i))));
            }
            anyMet |= latent.met(values[i]);
        }
        if (!deteriorating && !anyMet) {
            for (int i = values.length - 1; i >= 0; i--) {
                if (latent.progress(times.get(i)) >= 1.0) {
                    values[i] = round1(latent.value(latent.progress(times.get(i))));
                    break;
                }
            }
        }
        for (int i = 0; i < values.length; i++) {
            schedule(times.get(i), null, "outcome", "outcome_measured", values[i],
                    attrs("goal_id", goalId, "metric", metric.wireName));
        }
    }

    private void scheduleServices(long kickoffAt) {
        if (!(plan == Plan.BUSINESS || (plan == Plan.TEAM && rnd.nextDouble() < 0.35))) {
            return;
        }
        String id = accountId + "-e1";
        long startedAt = officeHours(kickoffAt + (long) (rnd.nextDouble(1, 3) * DAY), 9, 17);
        schedule(startedAt, null, "services", "engagement_started", null,
                attrs("engagement_id", id, "package", "implementation"));
        int sessions = rnd.nextInt(4, 7);
        boolean allHeld = true;
        long at = startedAt;
        for (int s = 1; s <= sessions; s++) {
            at = startedAt + s * 7 * DAY;
            // Struggling customers cancel sessions; an engagement with cancelled sessions never completes.
            if (at >= visibleOnsetAt && rnd.nextDouble() < 0.75) {
                allHeld = false;
                continue;
            }
            schedule(at, null, "services", "session_held", null,
                    attrs("engagement_id", id, "topic", SESSION_TOPICS[(s - 1) % SESSION_TOPICS.length],
                            "session", Integer.toString(s)));
        }
        if (allHeld) {
            schedule(at + DAY, null, "services", "engagement_completed", null,
                    attrs("engagement_id", id, "sessions", Integer.toString(sessions)));
        }
    }

    private void scheduleMeetings(long kickoffAt) {
        boolean skip = false;
        for (long at = kickoffAt + 14 * DAY; at < windowEnd; at += 14 * DAY) {
            if (at >= visibleOnsetAt && rnd.nextDouble() < 0.5) {
                continue; // missed check-ins are one of the quieter signals
            }
            // Nobody meets on holiday; a quiet achiever checks in monthly.
            skip = quiet && !skip;
            if (inHoliday(at) || skip) {
                continue;
            }
            schedule(at, null, "success", "meeting_held", null, attrs("meeting", "check-in"));
        }
        schedule(officeHours(signupAt + (long) (rnd.nextDouble(45, 60) * DAY), 9, 17), null, "success",
                "meeting_held", null, attrs("meeting", "qbr"));
    }

    private void scheduleSurveys() {
        for (long at = officeHours(signupAt + (long) (rnd.nextDouble(25, 35) * DAY), 9, 17);
                at < windowEnd;
                at += 90 * DAY) {
            if (!quiet || brnd.nextDouble() < 0.5) {
                nps(at);
            }
        }
        if (deteriorating) {
            nps(officeHours(onsetAt + (long) (rnd.nextDouble(5, 12) * DAY), 9, 17));
        }
    }

    private void nps(long at) {
        int score;
        if (at >= visibleOnsetAt) {
            score = rnd.nextInt(0, 7); // a detractor
        } else if (busy && at >= onsetAt) {
            score = rnd.nextInt(6, 9); // likes the product, not what it has done for them yet
        } else {
            double p = rnd.nextDouble();
            score = p < 0.6 ? rnd.nextInt(9, 11) : p < 0.96 ? rnd.nextInt(7, 9) : rnd.nextInt(4, 7);
        }
        schedule(at, user(1 + rnd.nextInt(seats)), "survey", "survey_answered", (double) score,
                attrs("survey", "nps"));
    }

    // ---------------------------------------------------------------- helpers

    private void schedule(long at, String userId, String source, String type, Double value, Map<String, String> attributes) {
        agenda.add(new Queued(at, scheduledCount++,
                new Touchpoint(null, accountId, userId, at, source, type, value, attributes)));
    }

    private int milestonesReachedBy(long at) {
        int n = 0;
        while (n < milestoneAt.length && milestoneAt[n] <= at) {
            n++;
        }
        return n;
    }

    private void ensureUsers(int count) {
        if (propensity.length > count) {
            return;
        }
        int from = propensity.length;
        propensity = Arrays.copyOf(propensity, count + 1);
        for (int u = Math.max(1, from); u <= count; u++) {
            // A few power users and a long tail of occasional ones.
            propensity[u] = 0.3 + 1.2 * rnd.nextDouble() * rnd.nextDouble() + (rnd.nextDouble() < 0.15 ? 0.6 : 0);
        }
    }

    private String user(int u) {
        return accountId + "-u" + Ids.pad(u, 3);
    }

    private long dayStart(int day) {
        return windowStart + day * DAY;
    }

    private int dayIndex(long at) {
        return (int) Math.floorDiv(at - windowStart, DAY);
    }

    /** A UTC instant on the UTC day starting at {@code dayStart}, at a local hour of the account. */
    private long localTime(long dayStart, double localHour) {
        return dayStart + (long) ((localHour - tz) * HOUR);
    }

    /** Moves {@code at} to a random time between two local hours of the same local day. */
    private long officeHours(long at, double fromHour, double toHour) {
        long localDay = Math.floorDiv(at + tz * HOUR, DAY) * DAY;
        return localDay + (long) ((rnd.nextDouble(fromHour, toHour) - tz) * HOUR);
    }

    /** 0 = Monday ... 6 = Sunday. */
    private static int dayOfWeek(long at) {
        return (int) Math.floorMod(Math.floorDiv(at, DAY) + 3, 7L);
    }

    private int poisson(double lambda) {
        double limit = Math.exp(-lambda);
        int k = 0;
        double product = rnd.nextDouble();
        while (product > limit) {
            k++;
            product *= rnd.nextDouble();
        }
        return k;
    }

    private int pick(double[] weights) {
        double u = rnd.nextDouble();
        for (int i = 0; i < weights.length - 1; i++) {
            u -= weights[i];
            if (u < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    private void shuffle(String[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            String x = a[i];
            a[i] = a[j];
            a[j] = x;
        }
    }

    private static Map<String, String> attrs(String... kv) {
        Map<String, String> m = new HashMap<>(kv.length);
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /** Whole numbers without a trailing ".0", so that a count reads like a count. */
    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** SplitMix64 finaliser over seed and index: neighbouring accounts get unrelated streams. */
    static long mix(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + (index + 1) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
