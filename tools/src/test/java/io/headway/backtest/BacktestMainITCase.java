package io.headway.backtest;

import static io.headway.backtest.HandMadeHistory.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.headway.schema.Touchpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * The whole command ({@link BacktestMain#run}) on the hand-made history of {@link HandMadeHistory}:
 * the real MiniCluster, the production workflow, every scorecard figure worked out by hand.
 */
class BacktestMainITCase {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static Path model;
    static Path compareModel;
    static Path outcomes;
    /** The history in one JSON-lines file, through --model and --compare. */
    static JsonNode single;
    static Path singleOut;

    @BeforeAll
    static void runOnOneFile() throws Exception {
        model = resource("two-rules.yaml");
        compareModel = resource("two-rules-silence-20d.yaml");
        outcomes = dir.resolve("outcomes.csv");
        Files.writeString(outcomes, HandMadeHistory.outcomesCsv());
        Path events = dir.resolve("history.jsonl");
        writeJsonLines(events, HandMadeHistory.events(), List.of());
        singleOut = dir.resolve("out-single");
        assertThat(backtest(events, singleOut, "--compare", compareModel.toString())).isZero();
        single = JSON.readTree(singleOut.resolve("scorecard.json").toFile());
    }

    @Test
    void shouldCountWhatItReadAndMatchAccounts() {
        JsonNode run = single.get("run");
        // 143 touchpoints (HandMadeHistory: 13 for a01, a02, a04, a09, a12, a14; 12 for a10, a13; 11 for a03;
        // 9 for a07, a08; 6 for a05, a06), all valid, none duplicate.
        assertThat(run.get("records_read").asLong()).isEqualTo(143);
        assertThat(run.get("valid").asLong()).isEqualTo(143);
        assertThat(run.get("dead_letters").asLong()).isZero();
        assertThat(run.get("duplicates").asLong()).isZero();
        assertThat(run.get("accounts_in_events").asInt()).isEqualTo(13);
        assertThat(run.get("accounts_in_outcomes").asInt()).isEqualTo(13);
        assertThat(run.get("outcome_accounts_without_events").asInt()).isEqualTo(1);
        assertThat(run.get("outcome_accounts_without_events_sample").toString()).isEqualTo("[\"a11\"]");
        assertThat(run.get("event_accounts_without_outcomes").asInt()).isEqualTo(1);
        assertThat(run.get("event_accounts_without_outcomes_sample").toString()).isEqualTo("[\"a12\"]");
        assertThat(run.get("first_event_at").asText()).isEqualTo(at(0, 9).toString());
        assertThat(run.get("last_event_at").asText()).isEqualTo(at(60, 0).toString());
    }

    @Test
    void shouldScoreOverallAsWorkedOutByHand() {
        JsonNode f = single.get("models").get(0).get("overall");
        // Rows: 13. Missed: a03, a05, a08, a09, a10, a11, a13 = 7; achieved: a01, a02, a04, a06, a07, a14 = 6.
        assertFigures(f, 13, 7, 6);
        assertThat(f.get("base_rate").asDouble()).isEqualTo(0.538462); // 7 / 13
        // Warned (first opening strictly before the miss): a03 (D5 09:00 < D10 09:00, lead 5 d), a05 (D14 < D30, 16 d),
        // a10 (D10 09:00 < D40 09:00, 30 d); not a08 (silence D39 after D35), a13 (D5 09:00 is not before D5 09:00),
        // a09 (no alert), a11 (no events).
        assertThat(f.get("warned").asInt()).isEqualTo(3);
        assertThat(f.get("recall").asDouble()).isEqualTo(0.428571); // 3 / 7
        // Leads sorted 5, 16, 30: median 16; p25 at rank 0.5: 5 + 0.5 * 11 = 10.5; p75 at rank 1.5: 16 + 0.5 * 14 = 23.
        assertThat(f.get("lead_days_median").asDouble()).isEqualTo(16.0);
        assertThat(f.get("lead_days_p25").asDouble()).isEqualTo(10.5);
        assertThat(f.get("lead_days_p75").asDouble()).isEqualTo(23.0);
        assertThat(f.get("warned_14d_ahead").asInt()).isEqualTo(2); // 16 and 30
        assertThat(f.get("warned_14d_ahead_share").asDouble()).isEqualTo(0.285714); // 2 / 7
        // Alerted anyway (opening at or before the result): a04 (D5 09:00 <= D9 09:00), a06 (D14 <= D20),
        // a14 (D5 09:00 <= D5 09:00); not a07 (D39 after D20), a01, a02 (none).
        assertThat(f.get("achieved_alerted").asInt()).isEqualTo(3);
        assertThat(f.get("achieved_alerted_share").asDouble()).isEqualTo(0.5); // 3 / 6
        assertThat(f.get("precision").asDouble()).isEqualTo(0.5); // 3 / (3 + 3)
        // Openings of the rows' accounts: a03 2, a04, a05, a06, a07, a08, a10, a13, a14 1 each = 10.
        assertThat(f.get("risk_openings").asLong()).isEqualTo(10);
        // 12 row accounts with events (a11 has none), each observed D0 09:00 .. D60 00:00 = 59.625 d: 715.5 d;
        // 10 / 715.5 * 30 = 0.4192872...
        assertThat(f.get("alerts_per_account_per_30d").asDouble()).isEqualTo(0.419287);
        assertThat(histogram(f)).containsExactly(1L, 0L, 1L, 1L, 0L, 0L); // 5 in [0,7), 16 in [14,30), 30 in [30,60)
        // First opening of the warned or alerted rows: a03, a10, a04, a14 milestone-overdue; a05, a06 silence.
        assertThat(f.get("fired_first").toString()).isEqualTo("{\"milestone-overdue\":4,\"silence\":2}");
    }

    @Test
    void shouldScoreEachRuleAsWorkedOutByHand() {
        JsonNode rules = single.get("models").get(0).get("rules");
        assertThat(rules).hasSize(2);
        JsonNode overdue = rules.get(0);
        assertThat(overdue.get("rule").asText()).isEqualTo("milestone-overdue");
        assertThat(overdue.get("kind").asText()).isEqualTo("milestone_overdue");
        assertThat(overdue.get("alerts_alone").asBoolean()).isTrue();
        assertFigures(overdue, 13, 7, 6);
        // Openings: a03 D5 09:00 and D10 09:00, a04, a13, a14 D5 09:00, a10 D10 09:00. Warned: a03 (5 d), a10 (30 d); not a13.
        assertThat(overdue.get("warned").asInt()).isEqualTo(2);
        assertThat(overdue.get("recall").asDouble()).isEqualTo(0.285714); // 2 / 7
        assertThat(overdue.get("lead_days_median").asDouble()).isEqualTo(17.5); // (5 + 30) / 2
        assertThat(overdue.get("lead_days_p25").asDouble()).isEqualTo(11.25); // 5 + 0.25 * 25
        assertThat(overdue.get("lead_days_p75").asDouble()).isEqualTo(23.75); // 5 + 0.75 * 25
        assertThat(overdue.get("warned_14d_ahead").asInt()).isEqualTo(1);
        assertThat(overdue.get("warned_14d_ahead_share").asDouble()).isEqualTo(0.142857); // 1 / 7
        assertThat(overdue.get("achieved_alerted").asInt()).isEqualTo(2); // a04, a14
        assertThat(overdue.get("achieved_alerted_share").asDouble()).isEqualTo(0.333333); // 2 / 6
        assertThat(overdue.get("precision").asDouble()).isEqualTo(0.5); // 2 / 4
        assertThat(overdue.get("risk_openings").asLong()).isEqualTo(6);
        assertThat(overdue.get("alerts_per_account_per_30d").asDouble()).isEqualTo(0.251572); // 6 / 715.5 * 30
        assertThat(histogram(overdue)).containsExactly(1L, 0L, 0L, 1L, 0L, 0L);
        assertThat(overdue.get("fired_first").toString()).isEqualTo("{\"milestone-overdue\":4}");

        JsonNode silence = rules.get(1);
        assertThat(silence.get("rule").asText()).isEqualTo("silence");
        assertFigures(silence, 13, 7, 6);
        // Openings: a05, a06 D14 00:00; a07, a08 D39 00:00. Warned: a05 (D30 - D14 = 16 d); not a08 (D39 after D35).
        assertThat(silence.get("warned").asInt()).isEqualTo(1);
        assertThat(silence.get("recall").asDouble()).isEqualTo(0.142857); // 1 / 7
        assertThat(silence.get("lead_days_median").asDouble()).isEqualTo(16.0);
        assertThat(silence.get("lead_days_p25").asDouble()).isEqualTo(16.0);
        assertThat(silence.get("lead_days_p75").asDouble()).isEqualTo(16.0);
        assertThat(silence.get("warned_14d_ahead").asInt()).isEqualTo(1);
        assertThat(silence.get("achieved_alerted").asInt()).isEqualTo(1); // a06; not a07 (D39 after D20)
        assertThat(silence.get("achieved_alerted_share").asDouble()).isEqualTo(0.166667); // 1 / 6
        assertThat(silence.get("precision").asDouble()).isEqualTo(0.5); // 1 / 2
        assertThat(silence.get("risk_openings").asLong()).isEqualTo(4);
        assertThat(silence.get("alerts_per_account_per_30d").asDouble()).isEqualTo(0.167715); // 4 / 715.5 * 30
        assertThat(histogram(silence)).containsExactly(0L, 0L, 1L, 0L, 0L, 0L);
        assertThat(silence.get("fired_first").toString()).isEqualTo("{\"silence\":2}"); // a05 warned, a06 alerted

        JsonNode versions = single.get("models").get(0).get("rule_versions");
        assertThat(versions).hasSize(2);
        assertThat(versions.get(0).get("rule_version").asInt()).isEqualTo(1);
        ObjectNode v = (ObjectNode) versions.get(0).deepCopy();
        v.remove("rule_version");
        assertThat(v).isEqualTo(overdue);
    }

    @Test
    void shouldScoreSlices() {
        JsonNode slices = single.get("models").get(0).get("slices");
        assertThat(slices).hasSize(2);
        JsonNode basic = slices.get(0);
        assertThat(basic.get("column").asText()).isEqualTo("plan");
        assertThat(basic.get("value").asText()).isEqualTo("basic");
        JsonNode f = basic.get("overall");
        // basic: a02, a04, a06 achieved; a08, a10, a13 missed.
        assertFigures(f, 6, 3, 3);
        assertThat(f.get("warned").asInt()).isEqualTo(1); // a10 (30 d)
        assertThat(f.get("lead_days_median").asDouble()).isEqualTo(30.0);
        assertThat(f.get("achieved_alerted").asInt()).isEqualTo(2); // a04, a06
        assertThat(f.get("precision").asDouble()).isEqualTo(0.333333); // 1 / 3
        assertThat(f.get("risk_openings").asLong()).isEqualTo(5); // a04, a06, a08, a10, a13
        assertThat(f.get("alerts_per_account_per_30d").asDouble()).isEqualTo(0.419287); // 5 / (6 * 59.625) * 30
        JsonNode pro = slices.get(1);
        assertThat(pro.get("value").asText()).isEqualTo("pro");
        // pro: a01, a07, a14 achieved; a03, a05, a09, a11 missed. Warned a03 (5 d), a05 (16 d); alerted a14.
        assertFigures(pro.get("overall"), 7, 4, 3);
        assertThat(pro.get("overall").get("warned").asInt()).isEqualTo(2);
        assertThat(pro.get("overall").get("lead_days_median").asDouble()).isEqualTo(10.5); // (5 + 16) / 2
        assertThat(pro.get("overall").get("achieved_alerted").asInt()).isEqualTo(1);
    }

    @Test
    void shouldCountAlertsPerWeek() {
        JsonNode weeks = single.get("models").get(0).get("alerts_over_time");
        // D0 = Monday 2025-01-06; events D0 .. D60 (Friday 2025-03-07): weeks 2025-01-06 .. 2025-03-03 = 9.
        assertThat(weeks).hasSize(9);
        assertThat(weeks.get(0).get("week_start").asText()).isEqualTo("2025-01-06");
        assertThat(weeks.get(0).get("risk_opened").asInt()).isEqualTo(4); // overdue kickoff a03, a04, a13, a14 on D5
        assertThat(weeks.get(1).get("risk_opened").asInt()).isEqualTo(2); // overdue first_value a03, a10 on D10
        assertThat(weeks.get(2).get("by_rule").get("silence").asInt()).isEqualTo(2); // a05, a06 on D14 (week of D14)
        assertThat(weeks.get(5).get("by_rule").get("silence").asInt()).isEqualTo(2); // a07, a08 on D39 (week of D35)
    }

    @Test
    void shouldShowTheDifferenceOfOneThresholdInThatRuleOnly() {
        JsonNode comparison = single.get("comparison");
        assertThat(comparison.get("overall").get("changed").asBoolean()).isTrue();
        JsonNode rules = comparison.get("rules");
        assertThat(rules.get(0).get("rule").asText()).isEqualTo("milestone-overdue");
        assertThat(rules.get(0).get("changed").asBoolean()).isFalse();
        assertThat(rules.get(1).get("rule").asText()).isEqualTo("silence");
        assertThat(rules.get(1).get("changed").asBoolean()).isTrue();
        // Silence after 20 d: a05, a06 at D24 00:00 (D3 10:00 + 20 d, next midnight), a07, a08 at D49 00:00.
        // Warned a05 (D30 - D24 = 6 d); alerted a06 (D24 > D20? no: not alerted). Recall 1/7 both, lead 16 -> 6.
        assertThat(rules.get(1).get("recall").toString()).isEqualTo("[0.142857,0.142857]");
        assertThat(rules.get(1).get("lead_days_median").toString()).isEqualTo("[16.0,6.0]");
        assertThat(rules.get(1).get("achieved_alerted_share").toString()).isEqualTo("[0.166667,0.0]");
        assertThat(rules.get(1).get("precision").toString()).isEqualTo("[0.5,1.0]");
        assertThat(single.get("models").get(1).get("label").asText()).isEqualTo("compare");
    }

    @Test
    void shouldGiveTheSameScorecardForTheSameEventsSplitOverFilesOfEveryFormatWithBadRecords() throws Exception {
        List<Touchpoint> events = HandMadeHistory.events();
        List<Touchpoint> first = new ArrayList<>();
        List<Touchpoint> second = new ArrayList<>();
        List<Touchpoint> third = new ArrayList<>();
        for (Touchpoint t : events) {
            int n = Integer.parseInt(t.getAccountId().substring(1));
            (n % 3 == 0 ? first : n % 3 == 1 ? second : third).add(t);
        }
        Path history = dir.resolve("split");
        Files.createDirectories(history.resolve("b"));
        // Three files, three formats, accounts dealt by number, file names in another order than the accounts;
        // a duplicate and three malformed records in the JSON files.
        writeAvro(history.resolve("a.avro"), second);
        writeJsonLines(history.resolve("b/c.jsonl.gz"), first, List.of("not json at all", HandMadeHistory.json(first.get(1))));
        writeJsonLines(history.resolve("b/a.json"), third, List.of(
                "{\"event_id\":\"x1\",\"account_id\":\"a01\",\"occurred_at\":\"2025-01-07T00:00:00Z\",\"source\":\"product\",\"type\":\"teleport\"}",
                "{\"event_id\":\"x2\",\"occurred_at\":\"2025-01-07T00:00:00Z\",\"source\":\"product\",\"type\":\"login\"}"));
        Files.writeString(history.resolve("notes.txt"), "not history");
        Path out = dir.resolve("out-split");
        assertThat(backtest(history, out)).isZero();
        JsonNode split = JSON.readTree(out.resolve("scorecard.json").toFile());

        assertThat(split.get("models").get(0)).isEqualTo(single.get("models").get(0));
        JsonNode run = split.get("run");
        assertThat(run.get("records_read").asLong()).isEqualTo(143 + 4);
        assertThat(run.get("valid").asLong()).isEqualTo(143 + 1);
        assertThat(run.get("duplicates").asLong()).isEqualTo(1);
        assertThat(run.get("dead_letters").asLong()).isEqualTo(3);
        assertThat(run.get("dead_letters_by_reason").toString()).isEqualTo("{\"INVALID_JSON\":1,\"MISSING_FIELD\":1,\"UNKNOWN_TYPE\":1}");
        List<String> deadLetters = Files.readAllLines(out.resolve("dead-letters.jsonl"));
        assertThat(deadLetters).hasSize(3);
        assertThat(deadLetters.get(0)).contains("\"reason\":\"UNKNOWN_TYPE\"", "\"source\":\"b/a.json\"", "teleport");
        assertThat(deadLetters.get(1)).contains("\"reason\":\"MISSING_FIELD\"", "account_id is missing");
        assertThat(deadLetters.get(2)).contains("\"reason\":\"INVALID_JSON\"", "\"source\":\"b/c.jsonl.gz\"", "\"payload\":\"not json at all\"");
        // The same alerts, byte for byte, as from the single file (without the --compare model's).
        List<String> singleAlerts = Files.readAllLines(singleOut.resolve("alerts.jsonl")).stream().filter(l -> l.endsWith("\"model\":\"model\"}")).toList();
        assertThat(Files.readAllLines(out.resolve("alerts.jsonl"))).isEqualTo(singleAlerts);

        // Again, from the same files: the scorecard is byte-identical but for the run's timing.
        Path again = dir.resolve("out-split-again");
        assertThat(backtest(history, again)).isZero();
        assertThat(withoutTiming(Files.readString(again.resolve("scorecard.json")))).isEqualTo(withoutTiming(Files.readString(out.resolve("scorecard.json"))));
        assertThat(Files.readString(again.resolve("alerts.jsonl"))).isEqualTo(Files.readString(out.resolve("alerts.jsonl")));
    }

    @Test
    void shouldStopAtABrokenOutcomesRowWithFileAndLine() throws Exception {
        Path broken = dir.resolve("broken.csv");
        Files.writeString(broken, "account_id,result,result_at\na01,achieved,2025-01-10T00:00:00Z\na02,passed,2025-01-10T00:00:00Z\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = BacktestMain.run(new PrintStream(OutputStream.nullOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8),
                "--events", dir.resolve("history.jsonl").toString(), "--outcomes", broken.toString(), "--out", dir.resolve("out-broken").toString());
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(broken + ":3: result must be achieved or missed, was 'passed'");
    }

    @Test
    void shouldRejectUnknownSettingsAndMissingOptionsWithStatus2() {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(BacktestMain.run(quiet, new PrintStream(err, true, StandardCharsets.UTF_8), "--events", "x.jsonl")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Missing required option", "--out");
        err.reset();
        // --events and --outcomes are optional to picocli only because --fit-from-samples replaces them.
        assertThat(BacktestMain.run(quiet, new PrintStream(err, true, StandardCharsets.UTF_8), "--events", "x.jsonl", "--out",
                dir.resolve("o").toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--events and --outcomes are required");
        err.reset();
        assertThat(BacktestMain.run(quiet, new PrintStream(err, true, StandardCharsets.UTF_8), "--events", dir.resolve("history.jsonl").toString(),
                "--outcomes", outcomes.toString(), "--out", dir.resolve("o").toString(), "--watermark.max-out-of-ordernes", "1 min")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("watermark.max-out-of-ordernes", "unknown key");
    }

    // ------------------------------------------------------------------ helpers

    private static int backtest(Path events, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("--events", events.toString(), "--outcomes", outcomes.toString(), "--model", model.toString(),
                "--out", out.toString(), "--parallelism", "2", "--quiet"));
        args.addAll(List.of(more));
        return BacktestMain.run(args.toArray(String[]::new));
    }

    private static void assertFigures(JsonNode f, int rows, int missed, int achieved) {
        assertThat(f.get("rows").asInt()).isEqualTo(rows);
        assertThat(f.get("missed").asInt()).isEqualTo(missed);
        assertThat(f.get("achieved").asInt()).isEqualTo(achieved);
    }

    private static List<Long> histogram(JsonNode f) {
        List<Long> counts = new ArrayList<>();
        f.get("lead_days_histogram").forEach(b -> counts.add(b.get("count").asLong()));
        return counts;
    }

    /** The scorecard without what differs between two runs of the same input: when and how fast it ran. */
    private static String withoutTiming(String scorecard) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(scorecard);
        root.remove("generated_at");
        ObjectNode run = (ObjectNode) root.get("run");
        for (String field : List.of("wall_seconds", "events_per_second", "cpu_ns_per_event")) {
            run.remove(field);
        }
        return root.toString();
    }

    /** JSON lines, the extra lines after the first two events (so they sit among real ones); gzip when the name ends in .gz. */
    private static void writeJsonLines(Path file, List<Touchpoint> events, List<String> extra) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            lines.add(HandMadeHistory.json(events.get(i)));
            if (i == 1) {
                lines.addAll(extra);
            }
        }
        byte[] bytes = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        if (file.toString().endsWith(".gz")) {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
                out.write(bytes);
            }
        } else {
            Files.write(file, bytes);
        }
    }

    private static void writeAvro(Path file, List<Touchpoint> events) throws IOException {
        try (DataFileWriter<Touchpoint> w = new DataFileWriter<>(new SpecificDatumWriter<>(Touchpoint.class))) {
            w.create(Touchpoint.getClassSchema(), file.toFile());
            for (Touchpoint t : events) {
                w.append(t);
            }
        }
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(BacktestMainITCase.class.getResource("/backtest/" + name).toURI());
    }
}
