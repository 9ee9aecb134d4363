package io.headway.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headway.config.HeadwayConfig;
import io.headway.model.JourneyDefinition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.GZIPInputStream;

/** The converter on the hand-made dataset of {@link OuladFixture}: every file it writes, checked by hand. */
class OuladConvertTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROFILE_F = "F,Wales,A Level or Equivalent,50-60%,0-35,0,FALSE";
    private static final String PROFILE_M = "M,Wales,A Level or Equivalent,50-60%,0-35,0,FALSE";

    @TempDir
    Path dir;

    @Test
    void shouldWriteOneRowPerEvaluatedStudentWithTheResultItsTimeTheGoalAndTheSlices() throws Exception {
        Path out = convert(OuladFixture.write(dir), "--grace-days", "7");

        assertThat(Files.readAllLines(out.resolve(OuladConvert.OUTCOMES))).containsExactly(
                "account_id,result,result_at,goal_id,module,presentation,final_result,gender,region,highest_education,imd_band,age_band,"
                        + "num_of_prev_attempts,disability",
                // Pass and Distinction: achieved, decided at the end of the 100-day presentation (day 0 = 2014-10-01).
                "XXX-2014J-1,achieved,2015-01-09T00:00:00Z,pass,XXX,XXX-2014J,Pass," + PROFILE_F,
                "XXX-2014J-2,missed,2015-01-09T00:00:00Z,pass,XXX,XXX-2014J,Fail," + PROFILE_M,
                // Withdrawn: missed one minute into the day of unregistration (day 50, day 70).
                "XXX-2014J-3,missed,2014-11-20T00:01:00Z,pass,XXX,XXX-2014J,Withdrawn," + PROFILE_F,
                // Student 4 withdrew on day -5 and student 7's presentation has no dated coursework: no rows.
                "XXX-2014J-5,achieved,2015-01-09T00:00:00Z,pass,XXX,XXX-2014J,Distinction," + PROFILE_F,
                "XXX-2014J-6,missed,2014-12-10T00:01:00Z,pass,XXX,XXX-2014J,Withdrawn," + PROFILE_M);
    }

    @Test
    void shouldWriteTheTouchpointsOfEveryEvaluatedStudentInEventTimeOrder() throws Exception {
        Path out = convert(OuladFixture.write(dir));

        List<JsonNode> events = new ArrayList<>();
        try (BufferedReader r = gzipReader(out.resolve(OuladConvert.EVENTS))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                events.add(JSON.readTree(line));
            }
        }
        Map<String, Integer> perAccount = new HashMap<>();
        events.forEach(e -> perAccount.merge(e.get("account_id").asText(), 1, Integer::sum));
        // Start and goal for everyone; 1: three hand-ins with their points; 2: TMA 1 and its points;
        // 3: the withdrawal; 5: two hand-ins with points; 6: two hand-ins with points and the withdrawal.
        assertThat(perAccount).isEqualTo(Map.of(
                "XXX-2014J-1", 8, "XXX-2014J-2", 4, "XXX-2014J-3", 3, "XXX-2014J-5", 6, "XXX-2014J-6", 7));
        assertThat(events).extracting(e -> e.get("occurred_at").asLong()).isSorted();
        // Attributes in key order: the same bytes from every run, whatever the JVM's map order.
        assertThat(events).allSatisfy(e -> {
            List<String> names = new ArrayList<>();
            e.get("attributes").fieldNames().forEachRemaining(names::add);
            assertThat(names).isSorted();
        });
        assertThat(events.get(0).get("occurred_at").asLong()).isEqualTo(OuladData.read(dir, java.util.Set.of()).presentations.get(0)
                .start().toEpochMilli());
        assertThat(events.get(events.size() - 1).get("event_id").asText()).as("the last: a withdrawal on day 70").isEqualTo("XXX-2014J-6-withdrawn");
        // Byte for byte what the evaluation feeds the job.
        OuladConvert.Plan plan = OuladConvert.Plan.of(OuladData.read(dir, java.util.Set.of()));
        List<String> expected = plan.batches().get(0).touchpoints().stream()
                .map(t -> new String(t.json(), StandardCharsets.UTF_8)).toList();
        assertThat(events).extracting(JsonNode::toString).containsExactlyElementsOf(expected);
    }

    @Test
    void shouldWriteAModelAndSettingsThatTheJobAccepts() throws Exception {
        Path out = convert(OuladFixture.write(dir), "--grace-days", "3", "--min-missed", "2", "--rules", "milestone-overdue,goal-at-risk",
                "--behind-before-days", "2");

        Properties properties = new Properties();
        try (Reader r = Files.newBufferedReader(out.resolve(OuladConvert.PROPERTIES))) {
            properties.load(r);
        }
        assertThat(properties).containsEntry("validation.extra-types", "assessment_submitted")
                .containsEntry("validation.max-past", "36500 d")
                .doesNotContainKey("model.path");
        Map<String, String> raw = new HashMap<>();
        properties.forEach((k, v) -> raw.put(k.toString(), v.toString()));
        raw.put(HeadwayConfig.MODEL_PATH.name(), out.resolve(OuladConvert.MODEL).toString());
        HeadwayConfig config = HeadwayConfig.of(raw, Map.of());

        assertThat(config.customerModel().journeys()).extracting(JourneyDefinition::name).containsExactly("xxx_2014j");
        JourneyDefinition journey = config.customerModel().journeys().get(0);
        // TMA 1 (deadline day 20) and TMA 2 (day 60): due at the end of the day plus 3 days of grace.
        assertThat(journey.milestones()).extracting(m -> m.due()).containsExactly(Duration.ofDays(24), Duration.ofDays(64));
        String yaml = Files.readString(out.resolve(OuladConvert.MODEL));
        assertThat(yaml).contains("behind_before: 2 d", "thresholds: {min_missed: 2}", "id: goal-at-risk", "id: goal-achieved")
                .doesNotContain("milestone-at-risk");
    }

    @Test
    void shouldCutMoreJourneysThanAModelHoldsIntoBatchesEachWithItsOwnFiles() throws Exception {
        Path data = nineOneStudentPresentations(dir.resolve("nine"));
        Path out = dir.resolve("out");

        List<Path> written = OuladConvert.convert(OuladConvert.Options.parse(new String[] {"--data", data.toString(), "--out", out.toString()}));

        assertThat(written).containsExactly(out.resolve("batch-1"), out.resolve("batch-2"));
        assertThat(Files.readString(out.resolve("batch-1").resolve(OuladConvert.MODEL))).contains("name: m01_2014j", "name: m08_2014j")
                .doesNotContain("m09");
        assertThat(Files.readString(out.resolve("batch-2").resolve(OuladConvert.MODEL))).contains("name: m09_2014j").doesNotContain("m01");
        assertThat(Files.readAllLines(out.resolve("batch-1").resolve(OuladConvert.OUTCOMES))).hasSize(1 + 8);
        assertThat(Files.readAllLines(out.resolve("batch-2").resolve(OuladConvert.OUTCOMES)))
                .containsExactly(Files.readAllLines(out.resolve("batch-1").resolve(OuladConvert.OUTCOMES)).get(0),
                        "M09-2014J-9,achieved,2015-01-09T00:00:00Z,pass,M09,M09-2014J,Pass,F,\"North, West\",HE Qualification,,35-55,1,TRUE");
        for (String batch : List.of("batch-1", "batch-2")) {
            assertThat(out.resolve(batch).resolve(OuladConvert.EVENTS)).isRegularFile();
            assertThat(out.resolve(batch).resolve(OuladConvert.PROPERTIES)).isRegularFile();
        }
    }

    @Test
    void shouldRefuseAMissingOutputOrAnUnknownOption() throws Exception {
        Path data = OuladFixture.write(dir);
        assertThatThrownBy(() -> OuladConvert.Options.parse(new String[] {"--data", data.toString()})).hasMessageContaining("--out is required");
        assertThatThrownBy(() -> OuladConvert.Options.parse(new String[] {"--out", "x"})).hasMessageContaining("--data is required");
        assertThatThrownBy(() -> OuladConvert.Options.parse(new String[] {"--data", data.toString(), "--out", "x", "--students", "y"}))
                .hasMessageContaining("unknown option --students");
        assertThatThrownBy(() -> OuladConvert.convert(OuladConvert.Options.parse(
                new String[] {"--data", data.toString(), "--out", dir.resolve("o").toString(), "--modules", "YYY"})))
                .hasMessageContaining("no presentations with dated coursework");
    }

    @Test
    void shouldQuoteCsvFieldsOnlyWhenTheyNeedIt() {
        assertThat(OuladConvert.csvField("90-100%")).isEqualTo("90-100%");
        assertThat(OuladConvert.csvField("North, West")).isEqualTo("\"North, West\"");
        assertThat(OuladConvert.csvField("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    }

    private Path convert(Path data, String... options) throws Exception {
        Path out = dir.resolve("converted");
        List<String> args = new ArrayList<>(List.of("--data", data.toString(), "--out", out.toString()));
        args.addAll(List.of(options));
        assertThat(OuladConvert.convert(OuladConvert.Options.parse(args.toArray(String[]::new)))).containsExactly(out);
        return out;
    }

    private static BufferedReader gzipReader(Path file) throws Exception {
        return new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8));
    }

    /** Presentations M01 ... M09 2014J of 100 days, each with one TMA on day 20 and one student who passed. */
    private static Path nineOneStudentPresentations(Path dir) throws Exception {
        Files.createDirectories(dir);
        StringBuilder course = new StringBuilder("code_module,code_presentation,module_presentation_length\n");
        StringBuilder assessment = new StringBuilder("code_module,code_presentation,id_assessment,assessment_type,date,weight\n");
        StringBuilder student = new StringBuilder("code_module,code_presentation,id_student,gender,region,highest_education,imd_band,"
                + "age_band,num_of_prev_attempts,studied_credits,disability,final_result\n");
        StringBuilder registration = new StringBuilder("code_module,code_presentation,id_student,date_registration,date_unregistration\n");
        StringBuilder submission = new StringBuilder("id_assessment,id_student,date_submitted,is_banked,score\n");
        for (int i = 1; i <= 9; i++) {
            String module = String.format("M%02d", i);
            course.append(module).append(",2014J,100\n");
            assessment.append(module).append(",2014J,").append(i).append(",TMA,20,100\n");
            student.append(module).append(",2014J,").append(i).append(",F,\"North, West\",HE Qualification,,35-55,1,60,TRUE,Pass\n");
            registration.append(module).append(",2014J,").append(i).append(",-10,\n");
            submission.append(i).append(',').append(i).append(",19,0,80\n");
        }
        Files.writeString(dir.resolve("course.csv"), course);
        Files.writeString(dir.resolve("assessment.csv"), assessment);
        Files.writeString(dir.resolve("student.csv"), student);
        Files.writeString(dir.resolve("student_registration.csv"), registration);
        Files.writeString(dir.resolve("student_assessment.csv"), submission);
        return dir;
    }
}
