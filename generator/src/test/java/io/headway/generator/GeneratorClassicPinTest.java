package io.headway.generator;

import static io.headway.generator.GeneratorFixtures.recordsDigest;
import static io.headway.generator.GeneratorFixtures.truthText;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The classic mix is what every ITCase, the e2e expectations and the published backtest figures were
 * made with: the digests below were taken from the generator before the realistic mix existed, so
 * any change to what a classic run writes (events, wire disturbances, ground truth, outcomes CSV)
 * fails here instead of silently shifting those figures.
 */
class GeneratorClassicPinTest {

    private static final String RECORDS_SHA256 = "4249f29110206d607a4c5d06e4a8a0b7396740e500d8fd08de9eb0a261d60013";
    private static final String GROUND_TRUTH_SHA256 = "c428b71f879d965e31054f38ae7edd0429b70cbd17fe9514fff26f6e4c33d32f";
    private static final String OUTCOMES_SHA256 = "b20731a7cec27c7dab1e232ee0a1fb9dc0d4f02172af061bb7cc805805661933";

    /** Long enough for deterioration, churn and renewals; every random stream of the wire is on. */
    static GeneratorSettings pinned() {
        return GeneratorSettings.builder()
                .accounts(60)
                .days(75)
                .seed(23)
                .start(Instant.parse("2025-01-01T00:00:00Z"))
                .deterioratingShare(0.3)
                .malformedRate(0.01)
                .duplicateRate(0.01)
                .outOfOrderMinutes(4)
                .build();
    }

    @Test
    void shouldWriteTheSameBytesAsBeforeTheRealisticMixExisted() {
        GeneratorSettings s = pinned();
        String outcomes = new Generator(s).groundTruth().outcomesCsv();

        SoftAssertions.assertSoftly(soft -> {
            soft.assertThat(recordsDigest(s)).as("records").isEqualTo(RECORDS_SHA256);
            soft.assertThat(sha256(truthText(s).getBytes(StandardCharsets.UTF_8))).as("ground truth")
                    .isEqualTo(GROUND_TRUTH_SHA256);
            soft.assertThat(sha256(outcomes.getBytes(StandardCharsets.UTF_8))).as("outcomes").isEqualTo(OUTCOMES_SHA256);
        });
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
