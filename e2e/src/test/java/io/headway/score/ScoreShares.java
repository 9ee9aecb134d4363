package io.headway.score;

import io.headway.generator.AccountResult;
import io.headway.generator.GroundTruth;
import io.headway.generator.ResultStatus;
import io.headway.generator.Segment;
import io.headway.schema.ScoreUpdate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Score records measured against the generator's ground truth: how many deteriorating accounts were
 * flagged (a yellow or red record) between their deterioration onset and their first missed or
 * churned result, how early, and how many healthy accounts were ever not green.
 */
public final class ScoreShares {

    /** Healthy accounts are judged after this long from their first record (a new account has little history). */
    public static final Duration SETTLING = Duration.ofDays(7);

    public int deterioratingWithMiss;
    public int flaggedBeforeMiss;
    public int flaggedBeforeOnset;
    public double medianLeadDays = Double.NaN;
    public int healthy;
    public int healthyEverNonGreen;
    public int healthyNonGreenAfterSettling;
    public int records;

    public static ScoreShares measure(Collection<ScoreUpdate> updates, GroundTruth truth) {
        Map<String, List<ScoreUpdate>> byAccount = new HashMap<>();
        for (ScoreUpdate u : updates) {
            byAccount.computeIfAbsent(u.getAccountId(), k -> new ArrayList<>()).add(u);
        }
        byAccount.values().forEach(l -> l.sort((a, b) -> Long.compare(a.getAsOf(), b.getAsOf())));
        Map<String, List<AccountResult>> results = new HashMap<>();
        for (AccountResult r : truth.results()) {
            results.computeIfAbsent(r.accountId(), k -> new ArrayList<>()).add(r);
        }
        ScoreShares s = new ScoreShares();
        s.records = updates.size();
        List<Double> leads = new ArrayList<>();
        for (Map.Entry<String, List<AccountResult>> e : results.entrySet()) {
            List<ScoreUpdate> scores = byAccount.getOrDefault(e.getKey(), List.of());
            AccountResult any = e.getValue().get(0);
            if (any.segment() == Segment.HEALTHY) {
                s.healthy++;
                long settled = scores.isEmpty() ? Long.MAX_VALUE : scores.get(0).getAsOf() + SETTLING.toMillis();
                boolean ever = false;
                boolean after = false;
                for (ScoreUpdate u : scores) {
                    if (!u.getGrade().equals(Grade.GREEN.wireName())) {
                        ever = true;
                        after |= u.getAsOf() >= settled;
                    }
                }
                s.healthyEverNonGreen += ever ? 1 : 0;
                s.healthyNonGreenAfterSettling += after ? 1 : 0;
                continue;
            }
            Instant miss = null;
            for (AccountResult r : e.getValue()) {
                if ((r.status() == ResultStatus.MISSED || r.status() == ResultStatus.CHURNED)
                        && r.at() != null && (miss == null || r.at().isBefore(miss))) {
                    miss = r.at();
                }
            }
            if (miss == null) {
                continue;
            }
            s.deterioratingWithMiss++;
            long onset = any.deteriorationOnset().toEpochMilli();
            for (ScoreUpdate u : scores) {
                if (u.getAsOf() >= miss.toEpochMilli()) {
                    break;
                }
                if (!u.getGrade().equals(Grade.GREEN.wireName())) {
                    if (u.getAsOf() < onset) {
                        s.flaggedBeforeOnset++;
                        // Flagged early for another reason; still count the first flag after the onset below.
                    }
                    if (u.getAsOf() >= onset) {
                        s.flaggedBeforeMiss++;
                        leads.add((miss.toEpochMilli() - u.getAsOf()) / (double) Duration.ofDays(1).toMillis());
                        break;
                    }
                }
            }
        }
        if (!leads.isEmpty()) {
            Collections.sort(leads);
            int n = leads.size();
            s.medianLeadDays = n % 2 == 1 ? leads.get(n / 2) : (leads.get(n / 2 - 1) + leads.get(n / 2)) / 2;
        }
        return s;
    }

    public double flaggedShare() {
        return deterioratingWithMiss == 0 ? 0 : flaggedBeforeMiss / (double) deterioratingWithMiss;
    }

    public double healthyEverNonGreenShare() {
        return healthy == 0 ? 0 : healthyEverNonGreen / (double) healthy;
    }

    public double healthyNonGreenAfterSettlingShare() {
        return healthy == 0 ? 0 : healthyNonGreenAfterSettling / (double) healthy;
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "%d score records; deteriorating flagged (yellow/red) between onset and miss: %d of %d (%.1f %%),"
                        + " median lead %.1f days; healthy ever non-green: %d of %d (%.1f %%),"
                        + " non-green after their first %d days: %d (%.1f %%)",
                records,
                flaggedBeforeMiss,
                deterioratingWithMiss,
                100 * flaggedShare(),
                medianLeadDays,
                healthyEverNonGreen,
                healthy,
                100 * healthyEverNonGreenShare(),
                SETTLING.toDays(),
                healthyNonGreenAfterSettling,
                100 * healthyNonGreenAfterSettlingShare());
    }
}
