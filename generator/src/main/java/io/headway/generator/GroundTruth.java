package io.headway.generator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a run really contained, for comparing the job's outputs with: one {@link AccountResult} per
 * tracked result per account, and the counts of what was put on the wire.
 *
 * <p>Written as JSON lines: one {@code "kind":"result"} line per result, then one
 * {@code "kind":"summary"} line with the settings and counts. Instants are ISO-8601 UTC; fields that
 * do not apply are left out.
 */
public final class GroundTruth {

    private static final JsonFactory JSON = new JsonFactory();

    private final GeneratorSettings settings;
    private final List<AccountResult> results;
    private final long records;
    private final long valid;
    private final long malformed;
    private final Map<Malformation, Long> malformedByKind;
    private final long duplicates;
    private final Instant firstEventAt;
    private final Instant lastEventAt;

    GroundTruth(
            GeneratorSettings settings,
            List<AccountResult> results,
            long records,
            long valid,
            long malformed,
            Map<Malformation, Long> malformedByKind,
            long duplicates,
            Instant firstEventAt,
            Instant lastEventAt) {
        this.settings = settings;
        this.results = List.copyOf(results);
        this.records = records;
        this.valid = valid;
        this.malformed = malformed;
        this.malformedByKind = malformedByKind;
        this.duplicates = duplicates;
        this.firstEventAt = firstEventAt;
        this.lastEventAt = lastEventAt;
    }

    public List<AccountResult> results() {
        return results;
    }

    public List<AccountResult> resultsFor(String accountId) {
        List<AccountResult> out = new ArrayList<>(3);
        for (AccountResult r : results) {
            if (r.accountId().equals(accountId)) {
                out.add(r);
            }
        }
        return out;
    }

    /** All records written: valid + malformed + duplicates. */
    public long records() {
        return records;
    }

    public long valid() {
        return valid;
    }

    public long malformed() {
        return malformed;
    }

    public Map<Malformation, Long> malformedByKind() {
        return malformedByKind;
    }

    public long duplicates() {
        return duplicates;
    }

    /** Earliest occurred_at of a valid record; null if there was none. */
    public Instant firstEventAt() {
        return firstEventAt;
    }

    public Instant lastEventAt() {
        return lastEventAt;
    }

    public GeneratorSettings settings() {
        return settings;
    }

    public void write(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16)) {
            writeJsonLines(out);
        }
    }

    /** Writes the JSON lines to {@code out} without closing it. */
    public void writeJsonLines(OutputStream out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            g.setRootValueSeparator(null);
            for (AccountResult r : results) {
                g.writeStartObject();
                g.writeStringField("kind", "result");
                g.writeStringField("account_id", r.accountId());
                g.writeStringField("segment", r.segment().wireName());
                if (r.plan() != null) {
                    g.writeStringField("plan", r.plan());
                }
                g.writeStringField("result", r.result());
                g.writeStringField("status", r.status().wireName());
                instant(g, "at", r.at());
                instant(g, "deterioration_onset", r.deteriorationOnset());
                if (r.stalledMilestone() != null) {
                    g.writeStringField("stalled_milestone", r.stalledMilestone());
                    instant(g, "stalled_milestone_due_at", r.stalledMilestoneDueAt());
                    g.writeNumberField("stalled_milestone_due_day", r.stalledMilestoneDueDay());
                }
                if (r.timeToValueMs() != null) {
                    g.writeNumberField("time_to_value_ms", r.timeToValueMs());
                }
                if (settings.hasBehaviours()) {
                    g.writeArrayFieldStart("behaviours");
                    for (String b : r.behaviours()) {
                        g.writeString(b);
                    }
                    g.writeEndArray();
                }
                g.writeEndObject();
                g.writeRaw('\n');
            }
            writeSummary(g);
            g.writeRaw('\n');
        }
    }

    /**
     * Writes the decided results as the outcomes CSV that {@code scripts/backtest.sh} scores alerts
     * against: one row per account and result that the window decided ({@code open} ones are left
     * out), {@code achieved}, or {@code missed} for a miss and for a churn (the account left before
     * the result was due: missed all the same), at the time it was decided. {@code goal_id} names
     * the kind of result ({@code first_value}, {@code goal}: the customer's own goal, whose id is
     * per account, or {@code renewal}); {@code plan} (at signup), {@code segment}, {@code status}
     * (which tells a churn from a miss) and {@code result_kind} (the goal_id again: the backtest
     * scores goal_id as a key, not as a slice) are slices. When the run has behaviours, each one
     * with a positive share adds a slice column of its own ({@code transient_dip}: {@code yes} or
     * {@code no}), so that the scorecard shows, say, how many dipping achievers were alerted.
     */
    public void writeOutcomes(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(path, outcomesCsv(), StandardCharsets.UTF_8);
    }

    /** The CSV of {@link #writeOutcomes}. Ids, plans and segments never hold a comma or a quote. */
    public String outcomesCsv() {
        List<Behaviour> sliced = new ArrayList<>();
        for (Behaviour b : Behaviour.values()) {
            if (settings.behaviourShare(b) > 0) {
                sliced.add(b);
            }
        }
        StringBuilder csv = new StringBuilder("account_id,result,result_at,goal_id,plan,segment,status,result_kind");
        for (Behaviour b : sliced) {
            csv.append(',').append(b.wireName());
        }
        csv.append('\n');
        for (AccountResult r : results) {
            if (r.status() == ResultStatus.OPEN) {
                continue;
            }
            String kind = r.isGoal() ? "goal" : r.result();
            csv.append(r.accountId()).append(',')
                    .append(r.status() == ResultStatus.ACHIEVED ? "achieved" : "missed").append(',')
                    .append(r.at()).append(',')
                    .append(kind).append(',')
                    .append(r.plan() == null ? "" : r.plan()).append(',')
                    .append(r.segment().wireName()).append(',')
                    .append(r.status().wireName()).append(',')
                    .append(kind);
            for (Behaviour b : sliced) {
                csv.append(',').append(r.behaviours().contains(b.wireName()) ? "yes" : "no");
            }
            csv.append('\n');
        }
        return csv.toString();
    }

    private void writeSummary(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("kind", "summary");
        g.writeNumberField("seed", settings.seed());
        instant(g, "window_start", settings.start());
        instant(g, "window_end", settings.end());
        g.writeNumberField("days", settings.days());
        g.writeNumberField("accounts", settings.accounts());
        g.writeNumberField("deteriorating_share", settings.deterioratingShare());
        g.writeStringField("format", settings.format().name().toLowerCase(Locale.ROOT));
        g.writeNumberField("records", records);
        g.writeNumberField("valid", valid);
        g.writeNumberField("malformed", malformed);
        g.writeObjectFieldStart("malformed_by_kind");
        for (Malformation m : Malformation.values()) {
            Long n = malformedByKind.get(m);
            if (n != null) {
                g.writeNumberField(m.name().toLowerCase(Locale.ROOT), n);
            }
        }
        g.writeEndObject();
        g.writeNumberField("duplicates", duplicates);
        if (settings.hasBehaviours()) {
            g.writeStringField("mix", settings.mix().name().toLowerCase(Locale.ROOT));
            g.writeObjectFieldStart("behaviour_shares");
            for (Behaviour b : Behaviour.values()) {
                g.writeNumberField(b.wireName(), settings.behaviourShare(b));
            }
            g.writeEndObject();
            long[] holiday = Simulation.holidayWindow(settings);
            if (holiday != null) {
                instant(g, "holiday_from", Instant.ofEpochMilli(holiday[0]));
                instant(g, "holiday_to", Instant.ofEpochMilli(holiday[1]));
            }
        }
        g.writeNumberField("malformed_rate", settings.malformedRate());
        g.writeNumberField("duplicate_rate", settings.duplicateRate());
        g.writeNumberField("out_of_order_minutes", settings.outOfOrderMinutes());
        instant(g, "first_event_at", firstEventAt);
        instant(g, "last_event_at", lastEventAt);
        g.writeEndObject();
    }

    private static void instant(JsonGenerator g, String field, Instant value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value.toString());
        }
    }
}
