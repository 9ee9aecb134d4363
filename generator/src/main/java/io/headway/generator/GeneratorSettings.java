package io.headway.generator;

import io.headway.ingest.InputFormat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.Locale;

/**
 * What to simulate and where to write it. Built from command-line arguments ({@link #parse}) or in
 * code ({@link #builder()}). Every problem is an {@link IllegalArgumentException} whose message
 * starts with the offending argument, so that a caller can show it next to the usage line.
 */
public final class GeneratorSettings {

    public static final String USAGE =
            "usage: scripts/generate.sh [--accounts N] [--days D] [--start ISO-INSTANT] [--seed S]"
                    + " [--deteriorating-share X] [--malformed-rate R] [--duplicate-rate R]"
                    + " [--out-of-order-minutes M] [--out jsonl|avro|kafka] [--file PATH]"
                    + " [--format json|avro] [--bootstrap-servers HOST:PORT] [--topic NAME]"
                    + " [--partitions N] [--ground-truth PATH] [--outcomes PATH.csv] [--mix classic|realistic]"
                    + " [--behaviour-share NAME=X] [--help]";

    /**
     * Which behaviours the accounts show besides their segment's story ({@link Behaviour}). Classic is
     * what every test and published figure was made with and stays byte-for-byte the same; realistic
     * gives each behaviour its {@link Behaviour#realisticShare()}.
     */
    public enum Mix {
        CLASSIC,
        REALISTIC
    }

    /** Where records go. */
    public enum Output {
        /** JSON lines, one touchpoint per line. */
        JSONL,
        /** Length-prefixed records: 4-byte big-endian length, then Avro single-object bytes. */
        AVRO,
        /** A Kafka topic; key = account id, value per {@code --format}. */
        KAFKA
    }

    private final int accounts;
    private final int days;
    private final long seed;
    private final Instant start;
    private final double deterioratingShare;
    private final double malformedRate;
    private final double duplicateRate;
    private final int outOfOrderMinutes;
    private final Output out;
    private final InputFormat format;
    private final Path file;
    private final String bootstrapServers;
    private final String topic;
    private final int partitions;
    private final Path groundTruth;
    private final Path outcomes;
    private final Mix mix;
    private final EnumMap<Behaviour, Double> behaviourShares;

    private GeneratorSettings(Builder b, Instant start, InputFormat format) {
        this.accounts = b.accounts;
        this.days = b.days;
        this.seed = b.seed;
        this.start = start;
        this.deterioratingShare = b.deterioratingShare;
        this.malformedRate = b.malformedRate;
        this.duplicateRate = b.duplicateRate;
        this.outOfOrderMinutes = b.outOfOrderMinutes;
        this.out = b.out;
        this.format = format;
        this.file = b.file;
        this.bootstrapServers = b.bootstrapServers;
        this.topic = b.topic;
        this.partitions = b.partitions;
        this.groundTruth = b.groundTruth;
        this.outcomes = b.outcomes;
        this.mix = b.mix;
        this.behaviourShares = new EnumMap<>(b.behaviourShares);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.accounts = accounts;
        b.days = days;
        b.seed = seed;
        b.start = start;
        b.deterioratingShare = deterioratingShare;
        b.malformedRate = malformedRate;
        b.duplicateRate = duplicateRate;
        b.outOfOrderMinutes = outOfOrderMinutes;
        b.out = out;
        // For files the format follows from the output; copying it would pin it if `out` changes.
        b.format = out == Output.KAFKA ? format : null;
        b.file = file;
        b.bootstrapServers = bootstrapServers;
        b.topic = topic;
        b.partitions = partitions;
        b.groundTruth = groundTruth;
        b.outcomes = outcomes;
        b.mix = mix;
        b.behaviourShares.putAll(behaviourShares);
        return b;
    }

    public static boolean isHelp(String[] args) {
        for (String a : args) {
            if ("--help".equals(a) || "-h".equals(a)) {
                return true;
            }
        }
        return false;
    }

    /** Parses {@code --name value} pairs; see {@link #USAGE}. */
    public static GeneratorSettings parse(String[] args) {
        return parse(args, Clock.systemUTC());
    }

    static GeneratorSettings parse(String[] args, Clock clock) {
        Builder b = builder();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (!name.startsWith("--")) {
                throw new IllegalArgumentException(name + ": unexpected argument, options look like --name value");
            }
            if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            String v = args[++i];
            switch (name) {
                case "--accounts":
                    b.accounts(integer(name, v));
                    break;
                case "--days":
                    b.days(integer(name, v));
                    break;
                case "--seed":
                    b.seed(longValue(name, v));
                    break;
                case "--start":
                    b.start(instant(name, v));
                    break;
                case "--deteriorating-share":
                    b.deterioratingShare(decimal(name, v));
                    break;
                case "--malformed-rate":
                    b.malformedRate(decimal(name, v));
                    break;
                case "--duplicate-rate":
                    b.duplicateRate(decimal(name, v));
                    break;
                case "--out-of-order-minutes":
                    b.outOfOrderMinutes(integer(name, v));
                    break;
                case "--out":
                    b.out(choice(name, v, Output.class));
                    break;
                case "--format":
                    b.format(choice(name, v, InputFormat.class));
                    break;
                case "--file":
                    b.file("-".equals(v) ? null : Path.of(v));
                    break;
                case "--bootstrap-servers":
                    b.bootstrapServers(v);
                    break;
                case "--topic":
                    b.topic(v);
                    break;
                case "--partitions":
                    b.partitions(integer(name, v));
                    break;
                case "--ground-truth":
                    b.groundTruth(Path.of(v));
                    break;
                case "--outcomes":
                    b.outcomes(Path.of(v));
                    break;
                case "--mix":
                    b.mix(choice(name, v, Mix.class));
                    break;
                case "--behaviour-share":
                    behaviourShare(b, name, v);
                    break;
                default:
                    throw new IllegalArgumentException(name + ": unknown argument");
            }
        }
        return b.build(clock);
    }

    /** {@code NAME=X}; repeatable, the last one for a name wins. */
    private static void behaviourShare(Builder b, String name, String v) {
        int eq = v.indexOf('=');
        String behaviour = eq < 0 ? v.trim() : v.substring(0, eq).trim();
        Behaviour which = Behaviour.fromWireName(behaviour).orElseThrow(() -> new IllegalArgumentException(
                name + " must be NAME=X with NAME one of " + behaviourNames() + ", was '" + v + "'"));
        if (eq < 0) {
            throw new IllegalArgumentException(name + " must be NAME=X, was '" + v + "'");
        }
        b.behaviourShare(which, decimal(name + " " + behaviour, v.substring(eq + 1)));
    }

    private static String behaviourNames() {
        StringBuilder names = new StringBuilder();
        for (Behaviour x : Behaviour.values()) {
            names.append(names.length() == 0 ? "" : "|").append(x.wireName());
        }
        return names.toString();
    }

    private static int integer(String name, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, was '" + v + "'");
        }
    }

    private static long longValue(String name, String v) {
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, was '" + v + "'");
        }
    }

    private static double decimal(String name, String v) {
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, was '" + v + "'");
        }
    }

    private static Instant instant(String name, String v) {
        try {
            return Instant.parse(v.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    name + " must be an ISO-8601 instant such as 2025-01-01T00:00:00Z, was '" + v + "'");
        }
    }

    private static <E extends Enum<E>> E choice(String name, String v, Class<E> type) {
        try {
            return Enum.valueOf(type, v.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            StringBuilder options = new StringBuilder();
            for (E c : type.getEnumConstants()) {
                options.append(options.length() == 0 ? "" : "|").append(c.name().toLowerCase(Locale.ROOT));
            }
            throw new IllegalArgumentException(name + " must be one of " + options + ", was '" + v + "'");
        }
    }

    public int accounts() {
        return accounts;
    }

    public int days() {
        return days;
    }

    public long seed() {
        return seed;
    }

    /** First instant of the simulated window; the window is [start, start + days). */
    public Instant start() {
        return start;
    }

    public Instant end() {
        return start.plus(days, ChronoUnit.DAYS);
    }

    public double deterioratingShare() {
        return deterioratingShare;
    }

    public double malformedRate() {
        return malformedRate;
    }

    public double duplicateRate() {
        return duplicateRate;
    }

    public int outOfOrderMinutes() {
        return outOfOrderMinutes;
    }

    public Output out() {
        return out;
    }

    /** Wire format of the records; JSON for jsonl files, Avro for avro files, either for Kafka. */
    public InputFormat format() {
        return format;
    }

    /** Output file; null means standard output. */
    public Path file() {
        return file;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String topic() {
        return topic;
    }

    /** Partitions of the topic if the generator has to create it. */
    public int partitions() {
        return partitions;
    }

    /** Where to write the ground truth; null for nowhere. */
    public Path groundTruth() {
        return groundTruth;
    }

    /** Where to write the ground truth in the backtest's outcomes contract (CSV); null for nowhere. */
    public Path outcomes() {
        return outcomes;
    }

    public Mix mix() {
        return mix;
    }

    /** The share of its population ({@link Behaviour#population()}) that shows {@code b}: an override, or the mix's. */
    public double behaviourShare(Behaviour b) {
        Double share = behaviourShares.get(b);
        return share != null ? share : mix == Mix.REALISTIC ? b.realisticShare() : 0.0;
    }

    /** False for a classic run without overrides: nothing about behaviours is then written anywhere. */
    public boolean hasBehaviours() {
        for (Behaviour b : Behaviour.values()) {
            if (behaviourShare(b) > 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "accounts=" + accounts + " days=" + days + " seed=" + seed + " start=" + start
                + " deteriorating-share=" + deterioratingShare + " malformed-rate=" + malformedRate
                + " duplicate-rate=" + duplicateRate + " out-of-order-minutes=" + outOfOrderMinutes
                + " out=" + out.name().toLowerCase(Locale.ROOT) + " format=" + format.name().toLowerCase(Locale.ROOT)
                + " mix=" + mix.name().toLowerCase(Locale.ROOT) + (behaviourShares.isEmpty() ? "" : " behaviour-shares=" + shares());
    }

    private String shares() {
        StringBuilder out = new StringBuilder();
        behaviourShares.forEach((b, x) -> out.append(out.length() == 0 ? "" : ",").append(b.wireName()).append('=').append(x));
        return out.toString();
    }

    /** Defaults as in {@link #USAGE}; {@link #build()} validates. */
    public static final class Builder {
        private int accounts = 200;
        private int days = 60;
        private long seed = 42;
        private Instant start;
        private double deterioratingShare = 0.2;
        private double malformedRate;
        private double duplicateRate;
        private int outOfOrderMinutes;
        private Output out = Output.JSONL;
        private InputFormat format;
        private Path file;
        private String bootstrapServers;
        private String topic = "touchpoints";
        private int partitions = 4;
        private Path groundTruth;
        private Path outcomes;
        private Mix mix = Mix.CLASSIC;
        private final EnumMap<Behaviour, Double> behaviourShares = new EnumMap<>(Behaviour.class);

        private Builder() {}

        public Builder mix(Mix mix) {
            this.mix = mix;
            return this;
        }

        /** Overrides the mix's share of {@code behaviour}; see {@link GeneratorSettings#behaviourShare}. */
        public Builder behaviourShare(Behaviour behaviour, double share) {
            behaviourShares.put(behaviour, share);
            return this;
        }

        public Builder accounts(int accounts) {
            this.accounts = accounts;
            return this;
        }

        public Builder days(int days) {
            this.days = days;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Default: midnight UTC of (today - days), so the window ends at today's midnight. */
        public Builder start(Instant start) {
            this.start = start;
            return this;
        }

        public Builder deterioratingShare(double share) {
            this.deterioratingShare = share;
            return this;
        }

        public Builder malformedRate(double rate) {
            this.malformedRate = rate;
            return this;
        }

        public Builder duplicateRate(double rate) {
            this.duplicateRate = rate;
            return this;
        }

        public Builder outOfOrderMinutes(int minutes) {
            this.outOfOrderMinutes = minutes;
            return this;
        }

        public Builder out(Output out) {
            this.out = out;
            return this;
        }

        public Builder format(InputFormat format) {
            this.format = format;
            return this;
        }

        public Builder file(Path file) {
            this.file = file;
            return this;
        }

        public Builder bootstrapServers(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
            return this;
        }

        public Builder topic(String topic) {
            this.topic = topic;
            return this;
        }

        public Builder partitions(int partitions) {
            this.partitions = partitions;
            return this;
        }

        public Builder outcomes(Path outcomes) {
            this.outcomes = outcomes;
            return this;
        }

        public Builder groundTruth(Path groundTruth) {
            this.groundTruth = groundTruth;
            return this;
        }

        public GeneratorSettings build() {
            return build(Clock.systemUTC());
        }

        GeneratorSettings build(Clock clock) {
            range("--accounts", accounts, 1, 999_999);
            range("--days", days, 1, 3650);
            fraction("--deteriorating-share", deterioratingShare, true);
            fraction("--malformed-rate", malformedRate, false);
            fraction("--duplicate-rate", duplicateRate, false);
            if (malformedRate + duplicateRate >= 1) {
                throw new IllegalArgumentException(
                        "--duplicate-rate plus --malformed-rate must stay below 1, or no valid event is ever written");
            }
            range("--out-of-order-minutes", outOfOrderMinutes, 0, 7 * 24 * 60);
            range("--partitions", partitions, 1, 10_000);
            if (mix == null) {
                throw new IllegalArgumentException("--mix must be one of classic|realistic");
            }
            behaviourShares.forEach((b, x) -> fraction("--behaviour-share " + b.wireName(), x, true));
            InputFormat f = format;
            if (out == Output.JSONL || out == Output.AVRO) {
                InputFormat required = out == Output.JSONL ? InputFormat.JSON : InputFormat.AVRO;
                if (f != null && f != required) {
                    throw new IllegalArgumentException(
                            "--format " + f.name().toLowerCase(Locale.ROOT) + " does not fit --out "
                                    + out.name().toLowerCase(Locale.ROOT));
                }
                f = required;
            } else {
                if (bootstrapServers == null || bootstrapServers.isBlank()) {
                    throw new IllegalArgumentException("--bootstrap-servers is required with --out kafka");
                }
                if (topic == null || topic.isBlank()) {
                    throw new IllegalArgumentException("--topic must not be blank");
                }
                if (file != null) {
                    throw new IllegalArgumentException("--file does not apply to --out kafka");
                }
                f = f == null ? InputFormat.JSON : f;
            }
            Instant s = start != null
                    ? start
                    : clock.instant().truncatedTo(ChronoUnit.DAYS).minus(days, ChronoUnit.DAYS);
            return new GeneratorSettings(this, s, f);
        }

        private static void range(String name, int v, int min, int max) {
            if (v < min || v > max) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + v);
            }
        }

        private static void fraction(String name, double v, boolean oneAllowed) {
            if (!(v >= 0 && (oneAllowed ? v <= 1 : v < 1))) {
                throw new IllegalArgumentException(
                        name + " must be at least 0 and " + (oneAllowed ? "at most 1" : "below 1") + ", was " + v);
            }
        }
    }
}
