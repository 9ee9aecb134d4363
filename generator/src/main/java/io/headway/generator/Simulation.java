package io.headway.generator;

import io.headway.schema.Touchpoint;

import java.util.ArrayList;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * All accounts, advanced together one simulated day at a time. Only one day of touchpoints is held
 * in memory, which is what lets a run of millions of events stream to a file or to Kafka.
 */
final class Simulation {

    /** 3650 days in milliseconds need 39 bits; the rest of a long holds the position in the day. */
    private static final int POSITION_BITS = 24;

    private static final Comparator<Touchpoint> BY_TIME = Comparator.comparingLong(Touchpoint::getOccurredAt);

    private final List<AccountSimulation> accounts;
    private final long windowStart;
    private final int days;
    private int day;

    Simulation(GeneratorSettings s) {
        this.windowStart = s.start().toEpochMilli();
        this.days = s.days();
        boolean[] deteriorating = chooseDeteriorating(s.seed(), s.accounts(), s.deterioratingShare());
        List<EnumSet<Behaviour>> behaviours = chooseBehaviours(s, deteriorating);
        long[] holiday = holidayWindow(s);
        this.accounts = new ArrayList<>(s.accounts());
        for (int i = 0; i < s.accounts(); i++) {
            accounts.add(new AccountSimulation(
                    s.seed(), i + 1, deteriorating[i], windowStart, days, behaviours.get(i), holiday));
        }
    }

    /**
     * Exactly round(share * eligible) accounts of each behaviour's population get it, a seeded shuffle
     * per behaviour choosing which, so that shares can be counted on and behaviours overlap at random.
     * The streams are their own: a classic run (no shares) draws nothing here and stays as it was.
     */
    private static List<EnumSet<Behaviour>> chooseBehaviours(GeneratorSettings s, boolean[] deteriorating) {
        List<EnumSet<Behaviour>> out = new ArrayList<>(deteriorating.length);
        for (int i = 0; i < deteriorating.length; i++) {
            out.add(EnumSet.noneOf(Behaviour.class));
        }
        for (Behaviour b : Behaviour.values()) {
            double share = s.behaviourShare(b);
            if (share <= 0) {
                continue;
            }
            List<Integer> eligible = new ArrayList<>();
            for (int i = 0; i < deteriorating.length; i++) {
                if (b.appliesTo(deteriorating[i] ? Segment.DETERIORATING : Segment.HEALTHY)) {
                    eligible.add(i);
                }
            }
            Collections.shuffle(eligible, new Random(AccountSimulation.mix(s.seed(), -100 - b.ordinal())));
            int k = (int) Math.round(share * eligible.size());
            for (int i = 0; i < k; i++) {
                out.get(eligible.get(i)).add(b);
            }
        }
        return out;
    }

    /**
     * The one holiday of the run, [from, to) in epoch millis, or null when nobody takes one or the
     * window is too short to show a lull and its end. A calendar lull (22 December to 5 January,
     * or 4 to 25 August) when one lies at least three weeks into the window, so that accounts have
     * a usual level to fall from, and a week before its end, so that the recovery shows; otherwise
     * 7-21 days placed in the middle of the window by the seed.
     */
    static long[] holidayWindow(GeneratorSettings s) {
        if (s.behaviourShare(Behaviour.HOLIDAY) <= 0) {
            return null;
        }
        LocalDate first = LocalDate.ofInstant(s.start(), ZoneOffset.UTC).plusDays(21);
        LocalDate last = LocalDate.ofInstant(s.end(), ZoneOffset.UTC).minusDays(7);
        for (int year = first.getYear() - 1; year <= last.getYear(); year++) {
            LocalDate[][] lulls = {
                {LocalDate.of(year, 8, 4), LocalDate.of(year, 8, 25)},
                {LocalDate.of(year, 12, 22), LocalDate.of(year + 1, 1, 5)}
            };
            for (LocalDate[] lull : lulls) {
                if (!lull[0].isBefore(first) && !lull[1].isAfter(last)) {
                    return new long[] {epochMillis(lull[0]), epochMillis(lull[1])};
                }
            }
        }
        SplittableRandom r = new SplittableRandom(AccountSimulation.mix(s.seed(), -99));
        int from = Math.min(21, s.days() / 3);
        int length = Math.min(r.nextInt(7, 22), s.days() - 7 - from);
        if (length < 5) {
            return null;
        }
        int latest = Math.max(from, (int) (s.days() * 0.65) - length);
        int day = from + r.nextInt(Math.max(1, Math.min(latest, s.days() - 7 - length) - from + 1));
        long start = s.start().toEpochMilli() + day * AccountSimulation.DAY;
        return new long[] {start, start + length * AccountSimulation.DAY};
    }

    private static long epochMillis(LocalDate date) {
        return date.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    /**
     * Exactly round(share * n) accounts deteriorate, so a test or a demo can count on the share; which
     * ones is a seeded shuffle.
     */
    private static boolean[] chooseDeteriorating(long seed, int n, double share) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom r = new SplittableRandom(AccountSimulation.mix(seed, -1));
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int x = order[i];
            order[i] = order[j];
            order[j] = x;
        }
        boolean[] out = new boolean[n];
        int k = (int) Math.round(share * n);
        for (int i = 0; i < k; i++) {
            out[order[i]] = true;
        }
        return out;
    }

    boolean hasNextDay() {
        return day < days;
    }

    /**
     * The next day's touchpoints in event-time order; ties are broken by account, then by the
     * account's own order, because the sort is stable and accounts append in index order.
     */
    List<Touchpoint> nextDay() {
        if (!hasNextDay()) {
            throw new NoSuchElementException();
        }
        List<Touchpoint> out = new ArrayList<>(accounts.size() * 32);
        for (AccountSimulation a : accounts) {
            a.simulateDay(day, out);
        }
        day++;
        return sortByTime(out);
    }

    /**
     * A stable sort by event time. Sorting packed primitive keys (time since the window start, then
     * position) is several times faster than sorting the objects, and this sort is a good part of
     * the generator's cost; the keys fit in a long for any window of up to ten years.
     */
    private List<Touchpoint> sortByTime(List<Touchpoint> day) {
        int n = day.size();
        if (n >= 1 << POSITION_BITS) {
            day.sort(BY_TIME);
            return day;
        }
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = (day.get(i).getOccurredAt() - windowStart) << POSITION_BITS | i;
        }
        Arrays.sort(keys);
        List<Touchpoint> sorted = new ArrayList<>(n);
        for (long k : keys) {
            sorted.add(day.get((int) (k & ((1 << POSITION_BITS) - 1))));
        }
        return sorted;
    }

    /** Every touchpoint not yet returned occurs at or after this instant. */
    long horizon() {
        return windowStart + day * AccountSimulation.DAY;
    }

    /** Valid once every day has been simulated. */
    List<AccountResult> results() {
        if (hasNextDay()) {
            throw new IllegalStateException("the simulation has not reached the end of its window");
        }
        List<AccountResult> out = new ArrayList<>(accounts.size() * 3);
        for (AccountSimulation a : accounts) {
            out.addAll(a.results());
        }
        return out;
    }
}
