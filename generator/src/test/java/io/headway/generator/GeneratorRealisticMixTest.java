package io.headway.generator;

import static io.headway.generator.GeneratorFixtures.byAccount;
import static io.headway.generator.GeneratorFixtures.first;
import static io.headway.generator.GeneratorFixtures.is;
import static io.headway.generator.GeneratorFixtures.jobParser;
import static io.headway.generator.GeneratorFixtures.parse;
import static io.headway.generator.GeneratorFixtures.records;
import static io.headway.generator.GeneratorFixtures.recordsDigest;
import static io.headway.generator.GeneratorFixtures.sixtyDays;
import static io.headway.generator.GeneratorFixtures.truthText;
import static org.assertj.core.api.Assertions.assertThat;

import io.headway.ingest.TouchpointParser;
import io.headway.schema.Touchpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The realistic mix as a whole: deterministic, valid on the wire, and its truth and outcomes agree with its events. */
class GeneratorRealisticMixTest {

    private static GeneratorSettings.Builder realistic(int accounts) {
        return sixtyDays(accounts).mix(GeneratorSettings.Mix.REALISTIC);
    }

    @Test
    void shouldWriteIdenticalBytesForTheSameSeedAndOtherBytesThanClassic() throws Exception {
        GeneratorSettings s = realistic(40).malformedRate(0.02).duplicateRate(0.01).outOfOrderMinutes(3).build();

        assertThat(recordsDigest(s)).isEqualTo(recordsDigest(s));
        assertThat(truthText(s)).isEqualTo(truthText(s));
        assertThat(recordsDigest(s)).isNotEqualTo(recordsDigest(s.toBuilder().mix(GeneratorSettings.Mix.CLASSIC).build()));
        assertThat(recordsDigest(s)).isNotEqualTo(recordsDigest(s.toBuilder().seed(43).build()));
    }

    @Test
    void shouldPassTheJobsParserWithEveryRecord() {
        GeneratorSettings s = realistic(30).build();
        TouchpointParser parser = jobParser(s);
        long offset = 0;
        for (GeneratedRecord r : records(s)) {
            assertThat(parse(parser, s.format(), r, offset++).getDeadLetter()).as("%s", r.touchpoint()).isNull();
        }
    }

    @Test
    void shouldDecideEveryGoalFromTheMeasurementsTheAccountsReported() {
        Generator g = new Generator(realistic(120).build());
        Map<String, List<Touchpoint>> events = byAccount(g.events());
        List<AccountResult> goals = g.groundTruth().results().stream().filter(AccountResult::isGoal).toList();

        assertThat(goals).hasSize(120).allSatisfy(r -> {
            List<Touchpoint> own = events.get(r.accountId());
            Map<String, String> goal = first(own, t -> is(t, "goal_set")).getAttributes();
            Instant deadline = Instant.parse(goal.get("deadline"));
            double target = Double.parseDouble(goal.get("target"));
            boolean increase = goal.get("direction").equals("increase");
            Optional<Touchpoint> met = own.stream()
                    .filter(t -> is(t, "outcome_measured") && (increase ? t.getValue() >= target : t.getValue() <= target))
                    .filter(t -> !Instant.ofEpochMilli(t.getOccurredAt()).isAfter(deadline))
                    .findFirst();
            if (r.status() == ResultStatus.ACHIEVED) {
                assertThat(met).map(t -> Instant.ofEpochMilli(t.getOccurredAt())).contains(r.at());
            } else {
                assertThat(met).as(r.toString()).isEmpty();
            }
        });
    }

    @Test
    void shouldWriteTheBehavioursIntoTheGroundTruthAndAsOutcomesSlicesThatAgreeWithIt() throws Exception {
        GeneratorSettings s = realistic(80).behaviourShare(Behaviour.QUIET_ACHIEVER, 0).build();
        GroundTruth truth = new Generator(s).groundTruth();
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : truthText(s).split("\n")) {
            lines.add(json.readTree(line));
        }

        for (int i = 0; i < truth.results().size(); i++) {
            List<String> written = new ArrayList<>();
            lines.get(i).get("behaviours").forEach(b -> written.add(b.asText()));
            assertThat(written).isEqualTo(truth.results().get(i).behaviours());
        }
        JsonNode summary = lines.get(lines.size() - 1);
        assertThat(summary.get("mix").asText()).isEqualTo("realistic");
        assertThat(summary.get("behaviour_shares").get("transient_dip").asDouble()).isEqualTo(0.25);
        assertThat(summary.get("behaviour_shares").get("quiet_achiever").asDouble()).isZero();
        assertThat(Instant.parse(summary.get("holiday_from").asText())).isBetween(s.start(), s.end());

        // A column per behaviour with a positive share; quiet_achiever has none here.
        List<String> rows = List.of(truth.outcomesCsv().split("\n"));
        assertThat(rows.get(0)).isEqualTo("account_id,result,result_at,goal_id,plan,segment,status,result_kind,"
                + "transient_dip,late_starter,holiday,sparse_measurements,noisy_measurements,stepwise_metric,busy_but_missing");
        List<AccountResult> decided = truth.results().stream().filter(r -> r.status() != ResultStatus.OPEN).toList();
        assertThat(rows).hasSize(decided.size() + 1);
        String[] header = rows.get(0).split(",");
        for (int i = 0; i < decided.size(); i++) {
            AccountResult r = decided.get(i);
            String[] cells = rows.get(i + 1).split(",", -1);
            assertThat(cells[0]).isEqualTo(r.accountId());
            assertThat(cells[1]).isEqualTo(r.status() == ResultStatus.ACHIEVED ? "achieved" : "missed");
            assertThat(cells[5]).isEqualTo(r.segment().wireName());
            // Achieving is the healthy segment's latent trajectory, missing the deteriorating one's.
            if (r.segment() == Segment.HEALTHY) {
                assertThat(cells[1]).as(rows.get(i + 1)).isEqualTo("achieved");
            } else if (r.isGoal()) {
                assertThat(cells[1]).as(rows.get(i + 1)).isEqualTo("missed");
            }
            for (int c = 8; c < header.length; c++) {
                assertThat(cells[c]).isEqualTo(r.behaviours().contains(header[c]) ? "yes" : "no");
            }
        }
    }

    @Test
    void shouldLeaveEveryAccountWithoutBehavioursWhenAllSharesAreZero() throws Exception {
        GeneratorSettings.Builder zero = sixtyDays(25).mix(GeneratorSettings.Mix.REALISTIC);
        for (Behaviour b : Behaviour.values()) {
            zero.behaviourShare(b, 0);
        }

        // Realistic with nothing to show is classic: the behaviours' own random streams keep it so.
        assertThat(recordsDigest(zero.build())).isEqualTo(recordsDigest(sixtyDays(25).build()));
    }
}
