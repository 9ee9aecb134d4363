package io.headway.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Leave-one-module-out end to end on a hand-made dataset in OULAD's layout (not OULAD data): two
 * modules, AAA and BBB, of 40 students each, four TMAs; per student (i mod 4) all on time (Pass),
 * one late (Pass), the first late and the rest never (Fail), or withdrawn on day 50 after the
 * first (Withdrawn). Each module is converted, sampled, fitted on the other and scored.
 */
class RiskEvaluationITCase {

    @TempDir
    static Path dir;

    static JsonNode json;
    static String markdown;

    @BeforeAll
    static void evaluate() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        write(data, List.of("AAA", "BBB"), 40);
        Path out = dir.resolve("out");
        assertThat(RiskEvaluation.run("--data", data.toString(), "--modules", "AAA,BBB", "--out", out.toString())).isZero();
        json = new ObjectMapper().readTree(out.resolve("evaluation.json").toFile());
        markdown = Files.readString(out.resolve("evaluation.md"));
    }

    @Test
    void shouldScoreEachModuleWithAFitOnTheOthers() {
        assertThat(json.get("mode").asText()).isEqualTo("oulad");
        JsonNode sets = json.get("held_out");
        assertThat(sets).hasSize(2);
        assertThat(sets.get(0).get("name").asText()).isEqualTo("AAA");
        for (JsonNode set : sets) {
            // Fitted on the other module's 40 students only.
            assertThat(set.get("fit").get("accounts").asInt()).isEqualTo(40);
            Set<String> rules = new HashSet<>();
            for (JsonNode r : set.get("rules")) {
                rules.add(r.get("rule").asText());
                assertThat(r.get("rows").asInt()).isEqualTo(40);
                assertThat(r.get("missed").asInt()).isEqualTo(20);
                assertThat(r.get("base_rate").asDouble()).isEqualTo(0.5);
            }
            assertThat(rules).containsExactlyInAnyOrder("account-risk", "milestone-overdue", "first-deadline-missed");
        }
    }

    @Test
    void shouldAgreeWithTheHeldOutBacktestsScorecard() throws Exception {
        // One batch per module: the evaluation's figures of a job rule are that backtest's own.
        JsonNode card = new ObjectMapper().readTree(dir.resolve("out/held-out-BBB/batch-1/with-risk/scorecard.json").toFile());
        JsonNode set = json.get("held_out").get(1);
        for (String id : List.of("account-risk", "milestone-overdue")) {
            JsonNode mine = rule(set.get("rules"), id);
            JsonNode theirs = rule(card.get("models").get(0).get("rules"), id);
            for (String field : List.of("missed", "warned", "achieved", "achieved_alerted")) {
                assertThat(mine.get(field).asInt()).as(id + " " + field).isEqualTo(theirs.get(field).asInt());
            }
        }
    }

    @Test
    void shouldPoolTheRowsNotTheMedians() {
        JsonNode baseline = rule(json.get("pooled"), "first-deadline-missed");
        // The first TMA is late for the Fail students and for one Pass student in four (i mod 4 = 1 with the late one first).
        assertThat(baseline.get("rows").asInt()).isEqualTo(80);
        assertThat(baseline.get("warned").asInt()).isEqualTo(20);
        assertThat(baseline.get("recall").asDouble()).isEqualTo(0.5);
        // Every Fail student: missed at day 120, flagged at day 21, lead 99 days; the withdrawn students were never flagged.
        assertThat(baseline.get("lead_days_median").asDouble()).isEqualTo(99.0);
        assertThat(baseline.get("withdrawn_lead_days_median").isNull()).isTrue();
        JsonNode risk = rule(json.get("pooled"), "account-risk");
        assertThat(risk.get("warned").asInt()).isEqualTo(rule(json.get("held_out").get(0).get("rules"), "account-risk").get("warned").asInt()
                + rule(json.get("held_out").get(1).get("rules"), "account-risk").get("warned").asInt());
        assertThat(markdown).contains("| pooled | account-risk | 80 |").contains("| AAA | first-deadline-missed | 40 | 50.0% | 50.0% |");
    }

    private static JsonNode rule(JsonNode rules, String id) {
        for (JsonNode r : rules) {
            if (r.get("rule").asText().equals(id)) {
                return r;
            }
        }
        throw new AssertionError(id);
    }

    /** The hand-made modules, one presentation (2014J, 120 days) each, TMAs on days 20, 45, 70, 95 of weight 25. */
    static void write(Path data, List<String> modules, int students) throws IOException {
        StringBuilder course = new StringBuilder("\"code_module\",\"code_presentation\",\"module_presentation_length\"\n");
        StringBuilder assessment = new StringBuilder("\"code_module\",\"code_presentation\",\"id_assessment\",\"assessment_type\",\"date\",\"weight\"\n");
        StringBuilder student = new StringBuilder("\"code_module\",\"code_presentation\",\"id_student\",\"gender\",\"region\",\"highest_education\","
                + "\"imd_band\",\"age_band\",\"num_of_prev_attempts\",\"studied_credits\",\"disability\",\"final_result\"\n");
        StringBuilder registration = new StringBuilder("\"code_module\",\"code_presentation\",\"id_student\",\"date_registration\",\"date_unregistration\"\n");
        StringBuilder submitted = new StringBuilder("\"id_assessment\",\"id_student\",\"date_submitted\",\"is_banked\",\"score\"\n");
        int[] deadlines = {20, 45, 70, 95};
        for (int m = 0; m < modules.size(); m++) {
            String module = modules.get(m);
            course.append('"').append(module).append("\",\"2014J\",120\n");
            for (int a = 0; a < deadlines.length; a++) {
                assessment.append('"').append(module).append("\",\"2014J\",").append(100 * m + a).append(",\"TMA\",").append(deadlines[a]).append(",25\n");
            }
            for (int i = 0; i < students; i++) {
                long id = 1000L * (m + 1) + i;
                int kind = i % 4;
                String result = switch (kind) {
                    case 0, 1 -> "Pass";
                    case 2 -> "Fail";
                    default -> "Withdrawn";
                };
                student.append('"').append(module).append("\",\"2014J\",").append(id)
                        .append(",\"F\",\"Wales\",\"A Level or Equivalent\",\"50-60%\",\"0-35\",0,60,FALSE,\"").append(result).append("\"\n");
                registration.append('"').append(module).append("\",\"2014J\",").append(id).append(",-10,").append(kind == 3 ? "50" : "").append('\n');
                for (int a = 0; a < deadlines.length; a++) {
                    int day = switch (kind) {
                        case 0 -> deadlines[a] - 1;
                        case 1 -> a == 0 ? deadlines[a] + 3 : deadlines[a] - 2;
                        case 2 -> a == 0 ? deadlines[a] + 5 : -1;
                        default -> a == 0 ? deadlines[a] - 1 : -1;
                    };
                    if (day >= 0) {
                        submitted.append(100 * m + a).append(',').append(id).append(',').append(day).append(",FALSE,").append(kind == 2 ? 35 : 75).append('\n');
                    }
                }
            }
        }
        Files.writeString(data.resolve("course.csv"), course);
        Files.writeString(data.resolve("assessment.csv"), assessment);
        Files.writeString(data.resolve("student.csv"), student);
        Files.writeString(data.resolve("student_registration.csv"), registration);
        Files.writeString(data.resolve("student_assessment.csv"), submitted);
    }
}
