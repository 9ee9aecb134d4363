package io.headway.backtest.fit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Landmark sampling ({@code --sample-every D}): each outcome row is sampled every D days of its
 * account's life, from the account's first assessment + D until result_at − {@value #LAST_DAYS_BEFORE}
 * days, with the latest assessment at or before each landmark. The job alerts on any assessment of
 * an account's whole life, so that is what the fit should see: young and old accounts alike, not
 * mostly the early lives of accounts whose result came early.
 *
 * <p>Landmarks are generated per account as its assessments arrive: an account's updates reach the
 * collector in event-time order (one sink subtask per account), so once an assessment after a
 * landmark arrives, that landmark's sample is final. Memory: per account its last assessment and the
 * samples so far. An assessment older than the account's latest (out of order) is ignored.
 */
final class LandmarkSampler extends RiskSampler {

    /** The last landmark is at least this many days before the result: the last week decides nothing. */
    static final int LAST_DAYS_BEFORE = 7;

    /** One account: when its landmarks start and end, its latest assessment, and the final landmark samples. */
    private static final class Account {
        final long lastLandmark;
        long first = Long.MIN_VALUE;
        long lastAsOf = Long.MIN_VALUE;
        double[] lastValues;
        final List<Long> takenAsOf = new ArrayList<>();
        final List<double[]> taken = new ArrayList<>();

        Account(long lastLandmark) {
            this.lastLandmark = lastLandmark;
        }

        long landmark(int index, long step) {
            return first + (index + 1) * step;
        }
    }

    private final List<Outcome> outcomes;
    private final long step;
    private final Map<String, Account> accounts = new HashMap<>();

    LandmarkSampler(List<Outcome> outcomes, int everyDays) {
        if (everyDays < 1) {
            throw new IllegalArgumentException("--sample-every must be at least 1 day, was " + everyDays);
        }
        this.outcomes = List.copyOf(outcomes);
        this.step = everyDays * DAY;
        Map<String, Long> last = new HashMap<>();
        for (Outcome o : outcomes) {
            last.merge(o.accountId(), o.resultAt() - LAST_DAYS_BEFORE * DAY, Math::max);
        }
        last.forEach((account, end) -> accounts.put(account, new Account(end)));
    }

    @Override
    public synchronized void offer(String accountId, long asOf, double[] values) {
        counted();
        Account a = accounts.get(accountId);
        if (a == null) {
            return;
        }
        if (a.first == Long.MIN_VALUE) {
            a.first = asOf;
        }
        if (asOf < a.lastAsOf) {
            return;
        }
        // Landmarks before this assessment are final: the previous one is the latest at or before them.
        for (long at = a.landmark(a.taken.size(), step); at <= a.lastLandmark && at < asOf; at = a.landmark(a.taken.size(), step)) {
            a.taken.add(a.lastValues);
            a.takenAsOf.add(a.lastAsOf);
        }
        a.lastAsOf = asOf;
        a.lastValues = values;
    }

    @Override
    public synchronized List<Sample> samples() {
        List<Sample> out = new ArrayList<>();
        for (Outcome o : outcomes) {
            Account a = accounts.get(o.accountId());
            if (a.first == Long.MIN_VALUE) {
                continue;
            }
            long end = o.resultAt() - LAST_DAYS_BEFORE * DAY;
            for (int i = 0; a.landmark(i, step) <= end; i++) {
                long at = a.landmark(i, step);
                // Landmarks after the account's last assessment take that one; it is still the latest.
                boolean taken = i < a.taken.size();
                double[] values = taken ? a.taken.get(i) : a.lastValues;
                long assessedAt = taken ? a.takenAsOf.get(i) : a.lastAsOf;
                out.add(new Sample(o.accountId(), o.missed(), (int) ((o.resultAt() - at) / DAY), at, assessedAt, values));
            }
        }
        return out;
    }
}
