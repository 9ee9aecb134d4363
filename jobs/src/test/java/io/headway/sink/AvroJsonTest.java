package io.headway.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.headway.schema.JourneyMilestone;
import io.headway.schema.JourneySatisfaction;
import io.headway.schema.JourneyUpdate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

class AvroJsonTest {

    private static final long START = Instant.parse("2026-10-05T09:00:00Z").toEpochMilli();

    @Test
    void shouldWritePlainJsonWithInstantsNullsAndSortedMaps() throws Exception {
        Map<String, Long> bySource = new LinkedHashMap<>();
        bySource.put("support", 1L);
        bySource.put("onboarding", 2L);
        JourneyUpdate u = JourneyUpdate.newBuilder()
                .setInstanceId("acme/onboarding/1")
                .setAccountId("acme")
                .setJourney("onboarding")
                .setInstance(1)
                .setSequence(2)
                .setAsOf(START + 3_600_000)
                .setTransition("milestone_reached")
                .setSubject("kickoff")
                .setStatus("on_track")
                .setStartedAt(START)
                .setEndedAt(null)
                .setLastActivityAt(START + 3_600_000)
                .setTimeToValueMs(null)
                .setMilestones(List.of(new JourneyMilestone(
                        "kickoff", "onboarding", "They agree the plan", START + 10, START + 20, START + 3_600_000, "reached", -3_599_980L)))
                .setTouchpoints(3)
                .setTouchpointsBySource(bySource)
                .setSatisfaction(List.of(new JourneySatisfaction("nps", 1, 9.0, 9.0, START + 5)))
                .build();

        String json = new String(AvroJson.toJson(u), java.nio.charset.StandardCharsets.UTF_8);
        JsonNode n = new ObjectMapper().readTree(json);

        assertThat(n.get("as_of").asText()).isEqualTo("2026-10-05T10:00:00Z");
        assertThat(n.get("started_at").asText()).isEqualTo("2026-10-05T09:00:00Z");
        assertThat(n.get("ended_at").isNull()).isTrue();
        assertThat(n.get("subject").asText()).isEqualTo("kickoff");
        assertThat(n.get("time_to_value_ms").isNull()).isTrue();
        assertThat(n.get("milestones").get(0).get("reached_at").asText()).isEqualTo("2026-10-05T10:00:00Z");
        assertThat(n.get("milestones").get(0).get("early_by_ms").asLong()).isEqualTo(-3_599_980L);
        assertThat(n.get("satisfaction").get(0).get("mean").asDouble()).isEqualTo(9.0);
        assertThat(json).contains("\"touchpoints_by_source\":{\"onboarding\":2,\"support\":1}");
    }
}
