package io.headway.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headway.config.HeadwayConfig;
import io.headway.eval.OuladData.Enrollment;
import io.headway.model.JourneyDefinition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

class OuladMappingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant DAY_0 = Instant.parse("2014-10-01T00:00:00Z");

    @TempDir
    static Path dir;

    static OuladData data;

    @BeforeAll
    static void read() throws Exception {
        data = OuladData.read(OuladFixture.write(dir), Set.of());
    }

    @Test
    void shouldReadPresentationsWithCourseworkInDeadlineOrderAndEveryEnrollment() {
        assertThat(data.presentations).extracting(OuladData.Presentation::id).containsExactly("XXX-2014J", "YYY-2014B");
        assertThat(OuladMapping.milestones(data.presentations.get(1))).as("an undated exam is no milestone").isEmpty();
        OuladData.Presentation p = data.presentations.get(0);
        assertThat(p.id()).isEqualTo("XXX-2014J");
        assertThat(p.start()).isEqualTo(DAY_0);
        assertThat(p.coursework()).extracting(OuladData.Assessment::id).containsExactly(1L, 3L, 2L);
        assertThat(OuladMapping.milestones(p)).extracting(OuladData.Assessment::id).containsExactly(1L, 2L);
        assertThat(data.enrollments).hasSize(7);
        assertThat(enrollment(4)).satisfies(e -> assertThat(OuladMapping.evaluated(e)).isFalse());
        assertThat(enrollment(3)).satisfies(e -> assertThat(OuladMapping.evaluated(e)).isTrue());
        assertThat(OuladData.read(dir, Set.of("AAA")).enrollments).isEmpty();
    }

    @Test
    void shouldMapAStudentToAJourneyAGoalAndTheirSubmissionsAtNoon() throws Exception {
        List<JsonNode> t = json(OuladMapping.touchpoints(enrollment(1)));

        assertThat(t).extracting(n -> n.get("type").asText())
                .containsExactly("course_started", "goal_set", "assessment_submitted", "outcome_measured",
                        "assessment_submitted", "outcome_measured", "assessment_submitted", "outcome_measured");
        assertThat(t).allSatisfy(n -> assertThat(n.get("account_id").asText()).isEqualTo("XXX-2014J-1"));
        assertThat(at(t.get(0))).isEqualTo(DAY_0);
        JsonNode goal = t.get(1).get("attributes");
        assertThat(goal.get("goal_id").asText()).isEqualTo("pass");
        assertThat(goal.get("target").asText()).isEqualTo("40");
        assertThat(goal.get("deadline").asText()).isEqualTo(DAY_0.plus(Duration.ofDays(61)).toString());
        assertThat(at(t.get(2))).isEqualTo(DAY_0.plus(Duration.ofDays(18)).plus(Duration.ofHours(12)));
        assertThat(t.get(2).get("attributes").get("assessment").asText()).isEqualTo("1");
        assertThat(t.get(2).get("value").asDouble()).isEqualTo(80);
        // Coursework points: score times the assessment's share of the coursework weight, cumulated;
        // the CMA weighs 0 and its score is missing.
        assertThat(t).filteredOn(n -> n.get("type").asText().equals("outcome_measured"))
                .extracting(n -> n.get("value").asDouble())
                .containsExactly(40.0, 40.0, 75.0);
        assertThat(t.stream().map(n -> n.get("event_id").asText()).distinct()).hasSize(t.size());
    }

    @Test
    void shouldEndAWithdrawalWithACancellationAndTakeTheMissFromIt() throws Exception {
        List<JsonNode> t = json(OuladMapping.touchpoints(enrollment(3)));

        assertThat(t).extracting(n -> n.get("type").asText()).containsExactly("course_started", "goal_set", "subscription_cancelled");
        Instant withdrawal = DAY_0.plus(Duration.ofDays(50)).plus(Duration.ofMinutes(1));
        assertThat(at(t.get(2))).isEqualTo(withdrawal);
        assertThat(OuladMapping.outcome(enrollment(3))).isEqualTo(
                new AlertScorecard.Outcome("XXX-2014J-3", "XXX", true, withdrawal.toEpochMilli()));
        assertThat(OuladMapping.outcome(enrollment(2)).missAt()).isEqualTo(DAY_0.plus(Duration.ofDays(100)).toEpochMilli());
        assertThat(OuladMapping.outcome(enrollment(5)).missed()).isFalse();
    }

    @Test
    void shouldGenerateACustomerModelThatTheJobAcceptsWithTheGraceInEachDeadline() throws Exception {
        String yaml = OuladMapping.customerModel(data.presentations.subList(0, 1),
                new OuladMapping.ModelOptions(0.8, null, 7, 1, List.of("milestone-overdue", "goal-at-risk")));
        Path file = Files.writeString(dir.resolve("model.yaml"), yaml);

        Map<String, String> raw = new HashMap<>(OuladConvert.settings());
        raw.put(HeadwayConfig.MODEL_PATH.name(), file.toString());
        HeadwayConfig config = HeadwayConfig.of(raw, Map.of());

        JourneyDefinition journey = config.customerModel().journeys().get(0);
        assertThat(journey.name()).isEqualTo("xxx_2014j");
        assertThat(journey.milestones()).extracting(m -> m.name()).containsExactly("tma_1", "tma_2");
        // Deadline day 20, due at its end (day 21) plus 7 days of grace.
        assertThat(journey.milestones()).extracting(m -> m.due()).containsExactly(Duration.ofDays(28), Duration.ofDays(68));
        assertThat(yaml).contains("id: milestone-overdue", "id: goal-at-risk", "id: goal-achieved").doesNotContain("milestone-at-risk");
    }

    @Test
    void shouldRefuseAnUnknownRuleOrTooManyPresentationsForOneModel() {
        assertThatThrownBy(() -> new OuladMapping.ModelOptions(0.8, null, 7, 1, List.of("silence")))
                .hasMessageContaining("unknown risk rule silence");
        List<OuladData.Presentation> nine = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            nine.add(data.presentations.get(0));
        }
        assertThatThrownBy(() -> OuladMapping.customerModel(nine, new OuladMapping.ModelOptions(0.8, null, 7, 1, List.of())))
                .hasMessageContaining("1 to 8 presentations");
    }

    @Test
    void shouldParseQuotedAndEmptyCsvFields() {
        assertThat(OuladData.Csv.fields("\"a,b\",,3,\"say \"\"hi\"\"\"")).containsExactly("a,b", "", "3", "say \"hi\"");
    }

    private static Enrollment enrollment(long student) {
        return data.enrollments.stream().filter(e -> e.student() == student).findFirst().orElseThrow();
    }

    private static List<JsonNode> json(List<OuladMapping.Record> records) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (OuladMapping.Record r : records) {
            out.add(JSON.readTree(r.json()));
        }
        return out;
    }

    private static Instant at(JsonNode touchpoint) {
        return Instant.ofEpochMilli(touchpoint.get("occurred_at").asLong());
    }
}
