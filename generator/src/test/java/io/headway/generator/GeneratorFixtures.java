package io.headway.generator;

import io.headway.config.HeadwayConfig;
import io.headway.ingest.InputFormat;
import io.headway.ingest.TouchpointParser;
import io.headway.ingest.TouchpointSource;
import io.headway.schema.IngestedRecord;
import io.headway.schema.Touchpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Shared settings, the job's own parser, and small queries over generated events. */
final class GeneratorFixtures {

    static final Instant JAN_1 = Instant.parse("2025-01-01T00:00:00Z");
    static final Duration DAY = Duration.ofDays(1);
    static final long DAY_MS = DAY.toMillis();

    private GeneratorFixtures() {}

    /** Sixty days from JAN_1: long enough for every journey, goal and renewal to be decided. */
    static GeneratorSettings.Builder sixtyDays(int accounts) {
        return GeneratorSettings.builder().accounts(accounts).days(60).seed(42).start(JAN_1);
    }

    /**
     * The parser the job builds ({@link TouchpointSource#parser}), with the job's default limits, but with the
     * clock stopped at the end of the simulated window so that the test does not age.
     */
    static TouchpointParser jobParser(GeneratorSettings s) {
        HeadwayConfig c = HeadwayConfig.of(Map.of("kafka.bootstrap-servers", "localhost:9092"), Map.of());
        return TouchpointSource.parser(c, Clock.fixed(s.end(), ZoneOffset.UTC));
    }

    static IngestedRecord parse(TouchpointParser parser, InputFormat format, GeneratedRecord r, long offset) {
        return parse(parser, format, r.key(), r.value(), offset);
    }

    static IngestedRecord parse(TouchpointParser parser, InputFormat format, String key, byte[] value, long offset) {
        return parser.parse(
                format, "touchpoints", 0, offset, 0L, key.getBytes(StandardCharsets.UTF_8), value);
    }

    static List<GeneratedRecord> records(GeneratorSettings s) {
        List<GeneratedRecord> out = new ArrayList<>();
        new Generator(s).records().forEachRemaining(out::add);
        return out;
    }

    /** SHA-256 over every record's key and value, in emission order. */
    static String recordsDigest(GeneratorSettings s) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            RecordStream records = new Generator(s).records();
            while (records.hasNext()) {
                GeneratedRecord r = records.next();
                sha.update(r.key().getBytes(StandardCharsets.UTF_8));
                sha.update(r.value());
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** The ground truth's JSON lines. */
    static String truthText(GeneratorSettings s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new Generator(s).groundTruth().writeJsonLines(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    static Map<String, List<Touchpoint>> byAccount(List<Touchpoint> events) {
        Map<String, List<Touchpoint>> out = new LinkedHashMap<>();
        for (Touchpoint t : events) {
            out.computeIfAbsent(t.getAccountId(), a -> new ArrayList<>()).add(t);
        }
        return out;
    }

    static long count(List<Touchpoint> events, long fromInclusive, long toExclusive, Predicate<Touchpoint> which) {
        return events.stream()
                .filter(t -> t.getOccurredAt() >= fromInclusive && t.getOccurredAt() < toExclusive)
                .filter(which)
                .count();
    }

    static boolean isProductUse(Touchpoint t) {
        return t.getType().equals("login") || t.getType().equals("feature_used");
    }

    static boolean is(Touchpoint t, String type) {
        return t.getType().equals(type);
    }

    static Touchpoint first(List<Touchpoint> events, Predicate<Touchpoint> which) {
        return events.stream().filter(which).findFirst().orElseThrow();
    }
}
