package io.headway.backtest;

import io.headway.backtest.RunCollector.Opening;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The scorecard's figures, exactly as docs/backtest.md defines them (schema_version 1): per model
 * overall, per rule, per rule version, per slice, alerts per week, and the comparison of two models.
 * Every input is sorted first, so the same rows and openings give the same bytes in any input order.
 */
final class Scorecard {

    static final double DAY_MS = 86_400_000.0;
    static final double[] HISTOGRAM_BOUNDS = {0, 7, 14, 30, 60, 90};
    static final double WARNED_AHEAD_DAYS = 14;

    /** A rule of a model as the scorecard lists it. */
    /** A rule of the model; {@code alertsAlone} false when the risk's budget takes its alerts (a signal of account_risk only). */
    record Rule(String id, String kind, int version, boolean win, boolean alertsAlone) {}

    /** One model's run: its label, the path it came from, its rules and what it raised. */
    record ModelRun(String label, String modelPath, List<Rule> rules, List<Opening> openings, List<Long> wins) {}

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Comparator<Opening> BY_TIME =
            Comparator.comparingLong(Opening::openedAt).thenComparing(Opening::rule).thenComparingInt(Opening::ruleVersion);

    private final Outcomes outcomes;
    private final Map<String, long[]> spans;
    private final long firstEventAt;
    private final long lastEventAt;

    Scorecard(Outcomes outcomes, Map<String, long[]> spans) {
        this.outcomes = outcomes;
        this.spans = spans;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (long[] s : spans.values()) {
            first = Math.min(first, s[0]);
            last = Math.max(last, s[1]);
        }
        this.firstEventAt = first;
        this.lastEventAt = last;
    }

    Long firstEventAt() {
        return spans.isEmpty() ? null : firstEventAt;
    }

    Long lastEventAt() {
        return spans.isEmpty() ? null : lastEventAt;
    }

    ObjectNode model(ModelRun run) {
        ObjectNode m = NODES.objectNode();
        m.put("label", run.label());
        m.put("model_path", run.modelPath());
        List<String> ruleIds = run.rules().stream().map(Rule::id).toList();
        m.set("overall", figures(outcomes.rows, byAccount(run.openings()), ruleIds));
        m.set("rules", rules(outcomes.rows, run));
        ArrayNode versions = m.putArray("rule_versions");
        List<Opening> sorted = new ArrayList<>(run.openings());
        sorted.sort(Comparator.comparing(Opening::rule).thenComparingInt(Opening::ruleVersion));
        for (Rule r : run.rules()) {
            Set<Integer> numbers = new TreeSet<>();
            numbers.add(r.version());
            sorted.stream().filter(o -> o.rule().equals(r.id())).forEach(o -> numbers.add(o.ruleVersion()));
            for (int v : numbers) {
                ObjectNode f = ruleFigures(outcomes.rows, r, run.openings().stream()
                        .filter(o -> o.rule().equals(r.id()) && o.ruleVersion() == v).toList());
                f.put("rule_version", v);
                versions.add(f);
            }
        }
        ArrayNode slices = m.putArray("slices");
        for (String column : outcomes.sliceColumns) {
            Map<String, List<Outcomes.Row>> byValue = new TreeMap<>();
            for (Outcomes.Row row : outcomes.rows) {
                byValue.computeIfAbsent(row.slices().get(column), v -> new ArrayList<>()).add(row);
            }
            byValue.forEach((value, rows) -> {
                ObjectNode s = slices.addObject();
                s.put("column", column);
                s.put("value", value);
                s.set("overall", figures(rows, byAccount(run.openings()), ruleIds));
                s.set("rules", rules(rows, run));
            });
        }
        m.set("alerts_over_time", weeks(run));
        return m;
    }

    private ArrayNode rules(List<Outcomes.Row> rows, ModelRun run) {
        ArrayNode out = NODES.arrayNode();
        for (Rule r : run.rules()) {
            out.add(ruleFigures(rows, r, run.openings().stream().filter(o -> o.rule().equals(r.id())).toList()));
        }
        return out;
    }

    private ObjectNode ruleFigures(List<Outcomes.Row> rows, Rule r, List<Opening> openings) {
        ObjectNode f = NODES.objectNode();
        f.put("rule", r.id());
        f.put("kind", r.kind());
        // Under risk.budget a rule that is not standalone opens no alert: its zeros say that, not that it never matched.
        f.put("alerts_alone", r.alertsAlone());
        f.setAll(figures(rows, byAccount(openings), List.of(r.id())));
        return f;
    }

    private static Map<String, List<Opening>> byAccount(Collection<Opening> openings) {
        Map<String, List<Opening>> by = new HashMap<>();
        for (Opening o : openings) {
            by.computeIfAbsent(o.accountId(), a -> new ArrayList<>()).add(o);
        }
        by.values().forEach(l -> l.sort(BY_TIME));
        return by;
    }

    /** FIGURES of docs/backtest.md for these rows against these openings (each account's list in time order). */
    ObjectNode figures(List<Outcomes.Row> rows, Map<String, List<Opening>> openings, List<String> ruleIds) {
        int missed = 0;
        int achieved = 0;
        int warned = 0;
        int achievedAlerted = 0;
        List<Double> leads = new ArrayList<>();
        Map<String, Integer> firedFirst = new LinkedHashMap<>();
        ruleIds.forEach(r -> firedFirst.put(r, 0));
        Set<String> accounts = new TreeSet<>();
        for (Outcomes.Row row : rows) {
            accounts.add(row.accountId());
            List<Opening> os = openings.getOrDefault(row.accountId(), List.of());
            Opening first = os.isEmpty() ? null : os.get(0);
            if (row.missed()) {
                missed++;
                if (first != null && first.openedAt() < row.resultAt()) {
                    warned++;
                    leads.add((row.resultAt() - first.openedAt()) / DAY_MS);
                    firedFirst.merge(first.rule(), 1, Integer::sum);
                }
            } else {
                achieved++;
                if (first != null && first.openedAt() <= row.resultAt()) {
                    achievedAlerted++;
                    firedFirst.merge(first.rule(), 1, Integer::sum);
                }
            }
        }
        long riskOpenings = 0;
        double accountDays = 0;
        for (String a : accounts) {
            long[] span = spans.get(a);
            // An account without events was never observed: it carries no load and adds no days.
            if (span != null) {
                riskOpenings += openings.getOrDefault(a, List.of()).size();
                accountDays += Math.max(1.0, (span[1] - span[0]) / DAY_MS);
            }
        }
        leads.sort(Double::compare);
        int ahead = (int) leads.stream().filter(d -> d >= WARNED_AHEAD_DAYS).count();
        ObjectNode f = NODES.objectNode();
        f.put("rows", rows.size());
        f.put("missed", missed);
        f.put("achieved", achieved);
        share(f, "base_rate", missed, missed + achieved);
        f.put("warned", warned);
        share(f, "recall", warned, missed);
        number(f, "lead_days_median", percentile(leads, 0.5));
        number(f, "lead_days_p25", percentile(leads, 0.25));
        number(f, "lead_days_p75", percentile(leads, 0.75));
        f.put("warned_14d_ahead", ahead);
        share(f, "warned_14d_ahead_share", ahead, missed);
        f.put("achieved_alerted", achievedAlerted);
        share(f, "achieved_alerted_share", achievedAlerted, achieved);
        share(f, "precision", warned, warned + achievedAlerted);
        f.put("risk_openings", riskOpenings);
        number(f, "alerts_per_account_per_30d", accountDays == 0 ? null : riskOpenings / accountDays * 30);
        ArrayNode histogram = f.putArray("lead_days_histogram");
        for (int i = 0; i < HISTOGRAM_BOUNDS.length; i++) {
            double from = HISTOGRAM_BOUNDS[i];
            Double to = i + 1 < HISTOGRAM_BOUNDS.length ? HISTOGRAM_BOUNDS[i + 1] : null;
            ObjectNode bin = histogram.addObject();
            bin.put("from", (int) from);
            if (to == null) {
                bin.putNull("to");
            } else {
                bin.put("to", to.intValue());
            }
            bin.put("count", leads.stream().filter(d -> d >= from && (to == null || d < to)).count());
        }
        ObjectNode ff = f.putObject("fired_first");
        firedFirst.forEach(ff::put);
        return f;
    }

    /** Linear interpolation between the closest ranks (numpy's default); null without values. */
    static Double percentile(List<Double> sorted, double q) {
        if (sorted.isEmpty()) {
            return null;
        }
        double h = (sorted.size() - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.size() - 1);
        return sorted.get(lo) + (h - lo) * (sorted.get(hi) - sorted.get(lo));
    }

    private static void share(ObjectNode f, String name, long part, long whole) {
        number(f, name, whole == 0 ? null : (double) part / whole);
    }

    static void number(ObjectNode f, String name, Double value) {
        if (value == null) {
            f.putNull(name);
        } else {
            f.put(name, round(value));
        }
    }

    /** Six decimals: enough for any share or day count, and the same text on every platform. */
    static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }

    private ArrayNode weeks(ModelRun run) {
        List<String> riskRules = run.rules().stream().filter(r -> !r.win()).map(Rule::id).toList();
        TreeMap<LocalDate, ObjectNode> weeks = new TreeMap<>();
        long from = firstEventAt;
        long to = lastEventAt;
        for (Opening o : run.openings()) {
            from = Math.min(from, o.openedAt());
            to = Math.max(to, o.openedAt());
        }
        for (long w : run.wins()) {
            from = Math.min(from, w);
            to = Math.max(to, w);
        }
        ArrayNode out = NODES.arrayNode();
        if (from > to) {
            return out;
        }
        for (LocalDate d = weekStart(from); !d.isAfter(weekStart(to)); d = d.plusWeeks(1)) {
            ObjectNode w = NODES.objectNode();
            w.put("week_start", d.toString());
            w.put("risk_opened", 0);
            w.put("wins", 0);
            ObjectNode byRule = w.putObject("by_rule");
            riskRules.forEach(r -> byRule.put(r, 0));
            weeks.put(d, w);
        }
        for (Opening o : run.openings()) {
            ObjectNode w = weeks.get(weekStart(o.openedAt()));
            w.put("risk_opened", w.get("risk_opened").asLong() + 1);
            ObjectNode byRule = (ObjectNode) w.get("by_rule");
            byRule.put(o.rule(), byRule.path(o.rule()).asLong() + 1);
        }
        for (long at : run.wins()) {
            ObjectNode w = weeks.get(weekStart(at));
            w.put("wins", w.get("wins").asLong() + 1);
        }
        weeks.values().forEach(out::add);
        return out;
    }

    static LocalDate weekStart(long at) {
        return Instant.ofEpochMilli(at).atZone(ZoneOffset.UTC).toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    }

    /** The comparison block: the headline figures of both models side by side, overall and per rule id. */
    static ObjectNode comparison(ObjectNode a, ObjectNode b) {
        ObjectNode c = NODES.objectNode();
        c.set("overall", diff(a.get("overall"), b.get("overall")));
        ArrayNode rules = c.putArray("rules");
        Map<String, JsonNode> ra = byRule(a.get("rules"));
        Map<String, JsonNode> rb = byRule(b.get("rules"));
        Set<String> ids = new LinkedHashSet<>(ra.keySet());
        ids.addAll(rb.keySet());
        for (String id : ids) {
            ObjectNode d = NODES.objectNode();
            d.put("rule", id);
            d.setAll(diff(ra.get(id), rb.get(id)));
            rules.add(d);
        }
        return c;
    }

    private static Map<String, JsonNode> byRule(JsonNode rules) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        rules.forEach(r -> out.put(r.get("rule").asText(), r));
        return out;
    }

    private static final List<String> DIFF_FIGURES =
            List.of("recall", "precision", "achieved_alerted_share", "lead_days_median", "alerts_per_account_per_30d");

    /** {@code changed}: any figure differs (not only the five shown), or the rule is in one model only. */
    private static ObjectNode diff(JsonNode a, JsonNode b) {
        ObjectNode d = NODES.objectNode();
        for (String name : DIFF_FIGURES) {
            ArrayNode pair = d.putArray(name);
            pair.add(a == null ? NODES.nullNode() : a.get(name));
            pair.add(b == null ? NODES.nullNode() : b.get(name));
        }
        d.put("changed", a == null || b == null || !withoutLabels(a).equals(withoutLabels(b)));
        return d;
    }

    private static ObjectNode withoutLabels(JsonNode figures) {
        ObjectNode copy = ((ObjectNode) figures).deepCopy();
        for (Iterator<String> it = List.of("rule", "kind", "alerts_alone", "rule_version").iterator(); it.hasNext(); ) {
            copy.remove(it.next());
        }
        return copy;
    }
}
