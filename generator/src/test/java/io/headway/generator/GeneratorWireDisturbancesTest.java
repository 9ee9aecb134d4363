package io.headway.generator;

import static io.headway.generator.GeneratorFixtures.jobParser;
import static io.headway.generator.GeneratorFixtures.parse;
import static io.headway.generator.GeneratorFixtures.records;
import static io.headway.generator.GeneratorFixtures.sixtyDays;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.headway.ingest.DeadLetterReason;
import io.headway.ingest.InputFormat;
import io.headway.ingest.TouchpointParser;
import io.headway.schema.IngestedRecord;
import io.headway.schema.Touchpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Malformed records, duplicates and reordering: what the job's ingestion has to cope with. */
class GeneratorWireDisturbancesTest {

    @ParameterizedTest
    @EnumSource(value = GeneratorSettings.Output.class, names = {"JSONL", "AVRO"})
    void shouldHaveTheJobRejectEveryMalformedRecordForTheExpectedReason(GeneratorSettings.Output out) {
        GeneratorSettings s = sixtyDays(20).out(out).malformedRate(0.2).build();
        TouchpointParser parser = jobParser(s);
        Map<Malformation, Long> seen = new EnumMap<>(Malformation.class);

        long offset = 0;
        for (GeneratedRecord r : records(s)) {
            IngestedRecord parsed = parse(parser, s.format(), r, offset++);
            if (r.kind() == GeneratedRecord.Kind.MALFORMED) {
                assertThat(parsed.getTouchpoint()).as("%s accepted", r.malformation()).isNull();
                assertThat(parsed.getDeadLetter().getReasonCode())
                        .as("%s: %s", r.malformation(), parsed.getDeadLetter().getReason())
                        .isEqualTo(r.malformation().expectedReason().name());
                if (s.format() == InputFormat.JSON) {
                    assertThat(r.value()).as("a newline would split a JSON line").doesNotContain((byte) '\n');
                }
                seen.merge(r.malformation(), 1L, Long::sum);
            } else {
                assertThat(parsed.getDeadLetter()).isNull();
            }
        }
        assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(Malformation.forFormat(s.format()));
        assertThat(seen.values()).allSatisfy(n -> assertThat(n).isGreaterThan(50));
    }

    @Test
    void shouldCoverTheBrokenRecordsABuggyJsonProducerWrites() {
        assertThat(Malformation.forFormat(InputFormat.JSON))
                .extracting(Malformation::expectedReason)
                .contains(DeadLetterReason.INVALID_JSON, DeadLetterReason.WRONG_TYPE, DeadLetterReason.MISSING_FIELD,
                        DeadLetterReason.UNKNOWN_SOURCE, DeadLetterReason.UNKNOWN_TYPE,
                        DeadLetterReason.INVALID_ENCODING, DeadLetterReason.TIMESTAMP_OUT_OF_RANGE);
    }

    @Test
    void shouldMixInMalformedRecordsAndDuplicatesAtTheRequestedShares() {
        GeneratorSettings s = sixtyDays(40).malformedRate(0.1).duplicateRate(0.05).build();
        List<GeneratedRecord> records = records(s);
        GroundTruth truth = new Generator(s).groundTruth();

        Map<GeneratedRecord.Kind, Long> kinds = records.stream()
                .collect(Collectors.groupingBy(GeneratedRecord::kind, Collectors.counting()));
        assertThat(kinds.get(GeneratedRecord.Kind.MALFORMED) / (double) records.size()).isCloseTo(0.1, within(0.01));
        assertThat(kinds.get(GeneratedRecord.Kind.DUPLICATE) / (double) records.size()).isCloseTo(0.05, within(0.01));
        assertThat(truth.records()).isEqualTo(records.size());
        assertThat(truth.malformed()).isEqualTo(kinds.get(GeneratedRecord.Kind.MALFORMED));
        assertThat(truth.duplicates()).isEqualTo(kinds.get(GeneratedRecord.Kind.DUPLICATE));
        assertThat(truth.valid()).isEqualTo(kinds.get(GeneratedRecord.Kind.VALID));
        assertThat(truth.malformedByKind().values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(truth.malformed());
    }

    @Test
    void shouldRepeatARecentEventWithTheSameIdAndBytesAsADuplicate() {
        GeneratorSettings s = sixtyDays(20).duplicateRate(0.1).build();
        Map<String, byte[]> firstBytes = new HashMap<>();
        Map<String, Integer> firstPosition = new HashMap<>();

        List<GeneratedRecord> records = records(s);
        for (int i = 0; i < records.size(); i++) {
            GeneratedRecord r = records.get(i);
            String id = r.touchpoint().getEventId();
            if (r.kind() == GeneratedRecord.Kind.VALID) {
                assertThat(firstBytes).as("first emission of %s", id).doesNotContainKey(id);
                firstBytes.put(id, r.value());
                firstPosition.put(id, i);
            } else {
                assertThat(firstBytes.get(id)).as("duplicate of %s", id).isEqualTo(r.value());
                assertThat(i - firstPosition.get(id)).isLessThan(200);
            }
        }
    }

    @Test
    void shouldLeaveTheValidEventsExactlyAsSimulatedWhatEverIsMixedIn() {
        GeneratorSettings s = sixtyDays(20).malformedRate(0.1).duplicateRate(0.1).outOfOrderMinutes(30).build();

        List<Touchpoint> valid = records(s).stream()
                .filter(r -> r.kind() == GeneratedRecord.Kind.VALID)
                .map(GeneratedRecord::touchpoint)
                .sorted(Comparator.comparing(Touchpoint::getEventId))
                .collect(Collectors.toList());
        List<Touchpoint> simulated = new Generator(s).events().stream()
                .sorted(Comparator.comparing(Touchpoint::getEventId))
                .collect(Collectors.toList());

        assertThat(valid).isEqualTo(simulated);
        assertThat(new Generator(s).groundTruth().results())
                .isEqualTo(new Generator(sixtyDays(20).build()).groundTruth().results());
    }

    @Test
    void shouldShuffleEmissionOnlyWithinTheConfiguredWindowOfEventTime() {
        int minutes = 10;
        List<Touchpoint> emitted = records(sixtyDays(20).outOfOrderMinutes(minutes).build()).stream()
                .map(GeneratedRecord::touchpoint)
                .collect(Collectors.toList());

        long latestSoFar = Long.MIN_VALUE;
        long inversions = 0;
        long worst = 0;
        for (Touchpoint t : emitted) {
            if (t.getOccurredAt() < latestSoFar) {
                inversions++;
                worst = Math.max(worst, latestSoFar - t.getOccurredAt());
            }
            latestSoFar = Math.max(latestSoFar, t.getOccurredAt());
        }
        assertThat(inversions).isGreaterThan(emitted.size() / 100);
        assertThat(worst).isLessThanOrEqualTo(minutes * 60_000L).isGreaterThan(minutes * 60_000L / 2);
    }
}
