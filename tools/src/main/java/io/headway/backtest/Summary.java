package io.headway.backtest;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;

/** The plain-text summary printed at the end of a run: what was read, then the figures per model, overall and per rule. */
final class Summary {

    private Summary() {}

    static String text(JsonNode scorecard) {
        JsonNode run = scorecard.get("run");
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT,
                "Read %,d records: %,d valid, %,d dead letters %s, %,d duplicates, %,d late or not applied %s.%n",
                run.get("records_read").asLong(), run.get("valid").asLong(), run.get("dead_letters").asLong(),
                run.get("dead_letters_by_reason"), run.get("duplicates").asLong(), run.get("late").asLong(), run.get("late_by_reason")));
        s.append(String.format(Locale.ROOT,
                "Accounts: %,d in the events, %,d in the outcomes; %,d with outcomes but no events %s, %,d with events but no outcomes %s.%n",
                run.get("accounts_in_events").asLong(), run.get("accounts_in_outcomes").asLong(),
                run.get("outcome_accounts_without_events").asLong(), run.get("outcome_accounts_without_events_sample"),
                run.get("event_accounts_without_outcomes").asLong(), run.get("event_accounts_without_outcomes_sample")));
        for (JsonNode model : scorecard.get("models")) {
            s.append(String.format(Locale.ROOT, "%nModel %s (%s):%n", model.get("label").asText(), model.get("model_path").asText()));
            s.append(String.format(Locale.ROOT, "%-26s %8s %9s %9s %10s %15s %15s %11s%n",
                    "", "recall", "precision", "base rate", "median lead", "achieved alerted", "alerts/acct/30d", "fired first"));
            s.append(row("overall", model.get("overall"), null));
            for (JsonNode rule : model.get("rules")) {
                s.append(row(rule.get("rule").asText(), rule, model.get("overall").get("fired_first").path(rule.get("rule").asText())));
            }
        }
        JsonNode comparison = scorecard.get("comparison");
        if (comparison != null && !comparison.isNull()) {
            s.append(String.format(Locale.ROOT, "%nRules whose figures differ between model and compare:"));
            boolean any = false;
            for (JsonNode r : comparison.get("rules")) {
                if (r.get("changed").asBoolean()) {
                    s.append(' ').append(r.get("rule").asText());
                    any = true;
                }
            }
            s.append(any ? "" : " none").append(String.format(Locale.ROOT, "%n"));
        }
        return s.toString();
    }

    private static String row(String name, JsonNode f, JsonNode firedFirst) {
        String alerted = String.format(Locale.ROOT, "%d of %d (%s)", f.get("achieved_alerted").asInt(), f.get("achieved").asInt(),
                percent(f.get("achieved_alerted_share")));
        return String.format(Locale.ROOT, "%-26s %8s %9s %9s %10s %16s %15s %11s%n",
                name, percent(f.get("recall")), percent(f.get("precision")), percent(f.get("base_rate")),
                f.get("lead_days_median").isNull() ? "-" : String.format(Locale.ROOT, "%.1f d", f.get("lead_days_median").asDouble()),
                alerted,
                f.get("alerts_per_account_per_30d").isNull() ? "-" : String.format(Locale.ROOT, "%.2f", f.get("alerts_per_account_per_30d").asDouble()),
                firedFirst == null || firedFirst.isMissingNode() ? "" : firedFirst.asText());
    }

    private static String percent(JsonNode share) {
        return share == null || share.isNull() ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * share.asDouble());
    }
}
