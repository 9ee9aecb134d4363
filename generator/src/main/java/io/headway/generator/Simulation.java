package io.headway.generator;

import io.headway.schema.Touchpoint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
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
        this.accounts = new ArrayList<>(s.accounts());
        for (int i = 0; i < s.accounts(); i++) {
            accounts.add(new AccountSimulation(s.seed(), i + 1, deteriorating[i], windowStart, days));
        }
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
