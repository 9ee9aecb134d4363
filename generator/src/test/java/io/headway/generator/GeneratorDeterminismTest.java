package io.headway.generator;

import static io.headway.generator.GeneratorFixtures.sixtyDays;
import static org.assertj.core.api.Assertions.assertThat;

import io.headway.schema.Touchpoint;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

class GeneratorDeterminismTest {

    /** Every option that draws randomness is on, so every random stream is covered. */
    private static GeneratorSettings.Builder everything() {
        return sixtyDays(20).malformedRate(0.05).duplicateRate(0.03).outOfOrderMinutes(5);
    }

    @Test
    void shouldWriteIdenticalBytesForTheSameSeed() throws Exception {
        GeneratorSettings s = everything().build();

        assertThat(digest(s)).isEqualTo(digest(s));
        assertThat(groundTruthText(s)).isEqualTo(groundTruthText(s));
    }

    @Test
    void shouldWriteIdenticalAvroBytesForTheSameSeed() throws Exception {
        GeneratorSettings s = everything().out(GeneratorSettings.Output.AVRO).build();

        assertThat(digest(s)).isEqualTo(digest(s));
    }

    @Test
    void shouldWriteDifferentEventsForAnotherSeed() throws Exception {
        assertThat(digest(everything().seed(1).build())).isNotEqualTo(digest(everything().seed(2).build()));
        assertThat(groundTruthText(everything().seed(1).build()))
                .isNotEqualTo(groundTruthText(everything().seed(2).build()));
    }

    @Test
    void shouldGiveAnAccountTheSameEventsWhateverTheNumberOfOtherAccounts() {
        // Per-account random streams: adding accounts must not reshuffle the existing ones.
        List<String> alone = eventsOf("acc-000003", sixtyDays(3).deterioratingShare(0).build());
        List<String> inACrowd = eventsOf("acc-000003", sixtyDays(12).deterioratingShare(0).build());

        assertThat(alone).isNotEmpty().isEqualTo(inACrowd);
    }

    @Test
    void shouldNumberEventIdsPerAccount() {
        List<Touchpoint> events = new Generator(sixtyDays(5).build()).events();

        assertThat(events).allSatisfy(t -> assertThat(t.getEventId()).matches(t.getAccountId() + "-\\d{6}"));
        assertThat(events.get(0).getAccountId()).matches("acc-\\d{6}");
    }

    private static List<String> eventsOf(String account, GeneratorSettings s) {
        return new Generator(s).events().stream()
                .filter(t -> t.getAccountId().equals(account))
                .map(Touchpoint::toString)
                .collect(Collectors.toList());
    }

    private static String digest(GeneratorSettings s) throws NoSuchAlgorithmException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        RecordStream records = new Generator(s).records();
        long n = 0;
        while (records.hasNext()) {
            GeneratedRecord r = records.next();
            sha.update(r.key().getBytes(StandardCharsets.UTF_8));
            sha.update(r.value());
            n++;
        }
        assertThat(n).isGreaterThan(1000);
        return HexFormat.of().formatHex(sha.digest());
    }

    private static String groundTruthText(GeneratorSettings s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new Generator(s).groundTruth().writeJsonLines(out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
