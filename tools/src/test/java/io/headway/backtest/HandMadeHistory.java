package io.headway.backtest;

import io.headway.schema.Touchpoint;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The hand-made history of {@link BacktestMainITCase}: thirteen accounts with event times chosen so
 * that every alert of the model {@code backtest/two-rules.yaml} (milestone-overdue; silence after
 * 10 days, at the first UTC midnight at or after the last login + 10 d) can be worked out by hand.
 *
 * <pre>
 * account  path                                          logins (10:00)   risk openings (model)
 * a01      journey D0 09:00, kickoff D2, first_value D8  D0, D7 .. D56    none
 * a02      as a01                                        D0 .. D56        none
 * a03      journey D0 09:00, no milestone                D0 .. D56        overdue kickoff D5 09:00, overdue first_value D10 09:00
 * a04      kickoff D6 09:00 (late), first_value D9        D0 .. D56        overdue kickoff D5 09:00
 * a05      kickoff D1, first_value D4                    D0, D3           silence D14 00:00 (D3 10:00 + 10 d = D13 10:00, next midnight)
 * a06      as a05                                        D0, D3           silence D14 00:00
 * a07      as a01                                        D0 .. D28        silence D39 00:00 (D28 10:00 + 10 d)
 * a08      as a01                                        D0 .. D28        silence D39 00:00
 * a09      as a01                                        D0 .. D56        none
 * a10      kickoff D3, no first_value                    D0 .. D56        overdue first_value D10 09:00
 * a12      as a01 (no outcome row)                       D0 .. D56        none
 * a13      first_value D7 09:00, no kickoff              D0 .. D56        overdue kickoff D5 09:00
 * a14      kickoff D6 09:00 (late), first_value D8       D0 .. D56        overdue kickoff D5 09:00
 * </pre>
 * Milestones are reached at 09:00. Every account pays an invoice at D60 00:00 (billing, not product
 * activity): every account's events reach D60, so every deadline before it fires at the end of input
 * on any subtask. Logins D0 .. D56 are weekly (gaps of 7 days, below silence's 10); D56 10:00 + 10 d
 * is after D60, so those accounts never fall silent. a11 has an outcome and no events.
 */
final class HandMadeHistory {

    static final Instant DAY_0 = Instant.parse("2025-01-06T00:00:00Z");

    static Instant day(double d) {
        return DAY_0.plus(Duration.ofMinutes(Math.round(d * 24 * 60)));
    }

    /** D{n} at hh:00. */
    static Instant at(int d, int hour) {
        return DAY_0.plus(Duration.ofDays(d)).plus(Duration.ofHours(hour));
    }

    static List<Touchpoint> events() {
        List<Touchpoint> out = new ArrayList<>();
        healthy(out, "a01", 56);
        healthy(out, "a02", 56);
        journey(out, "a03", null, null, 56);
        journey(out, "a04", at(6, 9), at(9, 9), 56);
        journey(out, "a05", at(1, 9), at(4, 9), 3);
        journey(out, "a06", at(1, 9), at(4, 9), 3);
        healthy(out, "a07", 28);
        healthy(out, "a08", 28);
        healthy(out, "a09", 56);
        journey(out, "a10", at(3, 9), null, 56);
        healthy(out, "a12", 56);
        journey(out, "a13", null, at(7, 9), 56);
        journey(out, "a14", at(6, 9), at(8, 9), 56);
        out.sort(Comparator.comparingLong(Touchpoint::getOccurredAt).thenComparing(Touchpoint::getEventId));
        return out;
    }

    private static void healthy(List<Touchpoint> out, String account, int lastLoginDay) {
        journey(out, account, at(2, 9), at(8, 9), lastLoginDay);
    }

    /** Journey start D0 09:00, the milestones when given, logins at 10:00 on D0, then weekly (a05/a06: D0 and D3), the invoice at D60. */
    private static void journey(List<Touchpoint> out, String account, Instant kickoff, Instant firstValue, int lastLoginDay) {
        out.add(touchpoint(account, "journey", at(0, 9), "onboarding", "journey_started", Map.of("journey", "onboarding")));
        if (kickoff != null) {
            out.add(touchpoint(account, "kickoff", kickoff, "onboarding", "milestone_reached", Map.of("milestone", "kickoff")));
        }
        if (firstValue != null) {
            out.add(touchpoint(account, "first-value", firstValue, "onboarding", "milestone_reached", Map.of("milestone", "first_value")));
        }
        if (lastLoginDay == 3) {
            out.add(touchpoint(account, "login-0", at(0, 10), "product", "login", Map.of()));
            out.add(touchpoint(account, "login-3", at(3, 10), "product", "login", Map.of()));
        } else {
            for (int d = 0; d <= lastLoginDay; d += 7) {
                out.add(touchpoint(account, "login-" + d, at(d, 10), "product", "login", Map.of()));
            }
        }
        out.add(touchpoint(account, "invoice", at(60, 0), "billing", "invoice_paid", Map.of("period", "2")));
    }

    static Touchpoint touchpoint(String account, String id, Instant at, String source, String type, Map<String, String> attributes) {
        return new Touchpoint(account + "-" + id, account, null, at.toEpochMilli(), source, type, null, new HashMap<>(attributes));
    }

    /** JSON line of a touchpoint, as a producer writes it (occurred_at as an ISO-8601 instant). */
    static String json(Touchpoint t) {
        StringBuilder s = new StringBuilder("{\"event_id\":\"").append(t.getEventId()).append("\",\"account_id\":\"").append(t.getAccountId())
                .append("\",\"occurred_at\":\"").append(Instant.ofEpochMilli(t.getOccurredAt())).append("\",\"source\":\"").append(t.getSource())
                .append("\",\"type\":\"").append(t.getType()).append("\",\"attributes\":{");
        String sep = "";
        for (Map.Entry<String, String> a : new java.util.TreeMap<>(t.getAttributes()).entrySet()) {
            s.append(sep).append('"').append(a.getKey()).append("\":\"").append(a.getValue()).append('"');
            sep = ",";
        }
        return s.append("}}").toString();
    }

    /**
     * The outcomes: a result per account (a12 has none, a11 has no events), a plan slice.
     * <pre>
     * a01 achieved D8 09:00 pro     a02 achieved D9 basic     a03 missed D10 09:00 pro   a04 achieved D9 09:00 basic
     * a05 missed D30 pro            a06 achieved D20 basic    a07 achieved D20 pro       a08 missed D35 basic
     * a09 missed D40 pro            a10 missed D40 09:00 basic a11 missed D20 pro        a13 missed D5 09:00 basic
     * a14 achieved D5 09:00 pro
     * </pre>
     */
    static String outcomesCsv() {
        return "account_id,result,result_at,plan\n"
                + "a01,achieved," + at(8, 9) + ",pro\n"
                + "a02,achieved," + at(9, 0) + ",basic\n"
                + "a03,missed," + at(10, 9) + ",pro\n"
                + "a04,achieved," + at(9, 9) + ",basic\n"
                + "a05,missed," + at(30, 0).toEpochMilli() + ",pro\n"
                + "a06,achieved," + at(20, 0) + ",basic\n"
                + "a07,achieved," + at(20, 0) + ",\"pro\"\n"
                + "a08,missed," + at(35, 0) + ",basic\n"
                + "a09,missed," + at(40, 0) + ",pro\n"
                + "a10,missed," + at(40, 9) + ",basic\n"
                + "a11,missed," + at(20, 0) + ",pro\n"
                + "a13,missed," + at(5, 9) + ",basic\n"
                + "a14,achieved," + at(5, 9) + ",pro\n";
    }
}
