package io.headway.generator;

import static io.headway.generator.GeneratorFixtures.jobParser;
import static io.headway.generator.GeneratorFixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headway.ingest.InputFormat;
import io.headway.ingest.TouchpointParser;
import io.headway.schema.IngestedRecord;
import io.headway.schema.Touchpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

class GeneratorMainTest {

    private static final String[] SMALL_RUN = {
        "--accounts", "12", "--days", "45", "--seed", "7", "--start", "2025-03-01T00:00:00Z"
    };

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--acounts|3|--acounts",
        "--accounts|many|--accounts",
        "--accounts|0|--accounts",
        "--days|-1|--days",
        "--start|yesterday|--start",
        "--deteriorating-share|1.5|--deteriorating-share",
        "--malformed-rate|1|--malformed-rate",
        "--out|parquet|--out",
        "--format|xml|--format",
        "--out|kafka|--bootstrap-servers",
        "--mix|sometimes|--mix",
        "--behaviour-share|bogus=0.1|--behaviour-share",
        "--behaviour-share|transient_dip|--behaviour-share",
        "--behaviour-share|transient_dip=lots|--behaviour-share",
        "--behaviour-share|holiday=1.5|--behaviour-share",
    })
    void shouldRejectAWrongArgumentNamingIt(String name, String value, String named) {
        assertThatThrownBy(() -> GeneratorMain.run(new String[] {name, value}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(named);
    }

    @Test
    void shouldRejectAnOptionWithoutValueAndAFormatThatDoesNotFitTheFile() {
        assertThatThrownBy(() -> GeneratorMain.run(new String[] {"--accounts"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--accounts");
        assertThatThrownBy(() -> GeneratorMain.run(new String[] {"--out", "jsonl", "--format", "avro"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--format");
        assertThatThrownBy(() -> GeneratorMain.run(new String[] {"stray"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("stray");
    }

    @Test
    void shouldDefaultToARecentWindowEndingAtTodaysMidnight() {
        GeneratorSettings s = GeneratorSettings.parse(new String[] {});

        assertThat(s.accounts()).isEqualTo(200);
        assertThat(s.days()).isEqualTo(60);
        assertThat(s.seed()).isEqualTo(42);
        assertThat(s.deterioratingShare()).isEqualTo(0.2);
        assertThat(s.end()).isBeforeOrEqualTo(Instant.now()).isAfter(Instant.now().minus(GeneratorFixtures.DAY));
    }

    @Test
    void shouldTakeTheMixAndOverrideSharesOneBehaviourAtATime() {
        GeneratorSettings classic = GeneratorSettings.parse(new String[] {});
        GeneratorSettings s = GeneratorSettings.parse(new String[] {
            "--mix", "realistic", "--behaviour-share", "transient_dip=0.5", "--behaviour-share", "holiday=0"
        });
        GeneratorSettings onlyDips = GeneratorSettings.parse(new String[] {"--behaviour-share", "transient_dip=0.1"});

        assertThat(classic.mix()).isEqualTo(GeneratorSettings.Mix.CLASSIC);
        assertThat(classic.hasBehaviours()).isFalse();
        assertThat(s.behaviourShare(Behaviour.TRANSIENT_DIP)).isEqualTo(0.5);
        assertThat(s.behaviourShare(Behaviour.HOLIDAY)).isZero();
        assertThat(s.behaviourShare(Behaviour.BUSY_BUT_MISSING)).isEqualTo(0.3);
        assertThat(s.toBuilder().build().behaviourShare(Behaviour.TRANSIENT_DIP)).isEqualTo(0.5);
        assertThat(onlyDips.behaviourShare(Behaviour.TRANSIENT_DIP)).isEqualTo(0.1);
        assertThat(onlyDips.behaviourShare(Behaviour.LATE_STARTER)).isZero();
    }

    @Test
    void shouldRoundTripAJsonLinesFileThroughTheJobsParser() throws Exception {
        Path file = dir.resolve("touchpoints.jsonl");
        Path truthFile = dir.resolve("truth/ground-truth.jsonl");
        Path outcomesFile = dir.resolve("truth/outcomes.csv");

        GeneratorReport report = GeneratorMain.run(concat(SMALL_RUN, "--out", "jsonl", "--file", file.toString(),
                "--ground-truth", truthFile.toString(), "--outcomes", outcomesFile.toString()));

        List<Touchpoint> read = readBack(report, RecordFiles.readJsonLines(file), InputFormat.JSON);
        assertThat(read).isEqualTo(new Generator(report.groundTruth().settings()).events());
        assertThat(report.records()).isEqualTo(read.size());
        assertThat(report.firstEventAt()).isEqualTo(Instant.ofEpochMilli(read.get(0).getOccurredAt()));
        assertThat(Files.readAllLines(truthFile)).hasSize(report.groundTruth().results().size() + 1);
        assertThat(Files.readString(outcomesFile)).isEqualTo(report.groundTruth().outcomesCsv());
    }

    @Test
    void shouldRoundTripALengthPrefixedAvroFileThroughTheJobsParser() throws Exception {
        Path file = dir.resolve("touchpoints.avro");

        GeneratorReport report = GeneratorMain.run(concat(SMALL_RUN, "--out", "avro", "--file", file.toString()));

        List<Touchpoint> read = readBack(report, RecordFiles.readLengthPrefixed(file), InputFormat.AVRO);
        assertThat(read).isEqualTo(new Generator(report.groundTruth().settings()).events());
    }

    @Test
    void shouldCountWhatItMixedIntoAFile() throws Exception {
        Path file = dir.resolve("noisy.jsonl");

        GeneratorReport report = GeneratorMain.run(concat(SMALL_RUN, "--file", file.toString(),
                "--malformed-rate", "0.1", "--duplicate-rate", "0.05", "--out-of-order-minutes", "5"));

        assertThat(RecordFiles.readJsonLines(file)).hasSize((int) report.records());
        assertThat(report.records()).isEqualTo(report.valid() + report.malformed() + report.duplicates());
        assertThat(report.malformed()).isPositive();
        assertThat(report.duplicates()).isPositive();
    }

    @Test
    void shouldPrintUsageAndWriteNothingForHelp() {
        GeneratorReport report = GeneratorMain.run(new String[] {"--accounts", "5", "--help"});

        assertThat(report.records()).isZero();
        assertThat(GeneratorSettings.USAGE).startsWith("usage: ").contains("--out jsonl|avro|kafka");
    }

    @Test
    void shouldShareItsUsageLineWithTheScript() throws Exception {
        // Surefire runs in the module directory; the script checks option names before it builds.
        String script = Files.readString(Path.of("..", "scripts", "generate.sh"));

        assertThat(script).contains("USAGE=\"" + GeneratorSettings.USAGE + "\"");
    }

    @Test
    void shouldDocumentTheUsageLineAndEveryBehaviourWithItsPopulationAndShare() throws Exception {
        String docs = Files.readString(Path.of("..", "docs", "generator.md"));

        assertThat(docs).contains(GeneratorSettings.USAGE.replace("usage: ", ""));
        for (Behaviour b : Behaviour.values()) {
            String population = b.population().name().toLowerCase(java.util.Locale.ROOT);
            assertThat(docs).contains("| `" + b.wireName() + "` | " + population + " | " + b.realisticShare() + " |");
        }
    }

    private static List<Touchpoint> readBack(GeneratorReport report, List<byte[]> values, InputFormat format) {
        TouchpointParser parser = jobParser(report.groundTruth().settings());
        List<Touchpoint> out = new ArrayList<>();
        long offset = 0;
        for (byte[] value : values) {
            IngestedRecord r = parse(parser, format, "key", value, offset++);
            assertThat(r.getDeadLetter()).isNull();
            out.add(r.getTouchpoint());
        }
        return out;
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
