package io.headway.generator;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;

/**
 * Command-line entry point of the event generator (run it with {@code scripts/generate.sh}).
 *
 * <p>Options (defaults in brackets):
 *
 * <ul>
 *   <li>{@code --accounts N} [200]: simulated customer accounts, ids {@code acc-000001}...
 *   <li>{@code --days D} [60]: length of the simulated window of event time.
 *   <li>{@code --start ISO-INSTANT} [midnight UTC of today - D days]: window start. Output is
 *       byte-identical only for equal settings including {@code --start}, so pin it for
 *       reproducible files.
 *   <li>{@code --seed S} [42]: everything random derives from it.
 *   <li>{@code --deteriorating-share X} [0.2]: share of accounts that deteriorate.
 *   <li>{@code --malformed-rate R} [0]: share of records that are broken bytes (below 1).
 *   <li>{@code --duplicate-rate R} [0]: share of records that repeat a recent event (below 1).
 *   <li>{@code --out-of-order-minutes M} [0]: records may overtake others by up to M minutes of event time.
 *   <li>{@code --out jsonl|avro|kafka} [jsonl]: JSON lines file, length-prefixed Avro file, or Kafka.
 *   <li>{@code --file PATH} [standard output]: the file for jsonl and avro.
 *   <li>{@code --format json|avro} [json]: record value format for Kafka.
 *   <li>{@code --bootstrap-servers HOST:PORT} (required for kafka), {@code --topic NAME}
 *       [touchpoints], {@code --partitions N} [4]: partitions if the topic has to be created.
 *   <li>{@code --ground-truth PATH}: where to write the ground truth JSON lines.
 *   <li>{@code --outcomes PATH}: where to write the decided results of the ground truth as the
 *       outcomes CSV of {@code scripts/backtest.sh} ({@link GroundTruth#writeOutcomes}).
 *   <li>{@code --mix classic|realistic} [classic]: realistic adds the {@link Behaviour}s that punish
 *       noisy alert rules (transient dips, late starters, a holiday, sparse, noisy or stepwise
 *       measurements, busy accounts that miss, quiet achievers); classic output never changes.
 *   <li>{@code --behaviour-share NAME=X} (repeatable): overrides one behaviour's share of the mix.
 * </ul>
 *
 * <p>Progress goes to standard error every ~2 s; records go to standard output only when no file
 * is given. Exit status: 0 done, 1 failed (I/O, Kafka), 2 wrong arguments.
 */
public final class GeneratorMain {

    private GeneratorMain() {}

    public static void main(String[] args) {
        try {
            run(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(GeneratorSettings.USAGE);
            System.exit(2);
        } catch (RuntimeException e) {
            System.err.println("error: " + (e instanceof UncheckedIOException ? e.getCause().getMessage() : e));
            System.exit(1);
        }
    }

    /**
     * Generates and writes everything the arguments ask for, then returns what was written.
     * {@code --help} prints the usage line and returns an empty report.
     *
     * @throws IllegalArgumentException for a wrong or unknown argument; the message starts with its name
     * @throws UncheckedIOException when a file or Kafka cannot be written
     */
    public static GeneratorReport run(String[] args) {
        if (GeneratorSettings.isHelp(args)) {
            System.out.println(GeneratorSettings.USAGE);
            return GeneratorReport.NOTHING;
        }
        GeneratorSettings settings = GeneratorSettings.parse(args);
        PrintStream log = System.err;
        log.println("generator: " + settings);
        try {
            GeneratorReport report = new Generator(settings).writeTo(open(settings, log), log);
            if (settings.groundTruth() != null) {
                report.groundTruth().write(settings.groundTruth());
            }
            if (settings.outcomes() != null) {
                report.groundTruth().writeOutcomes(settings.outcomes());
            }
            log.printf(
                    "generator: wrote %d records (%d valid, %d malformed, %d duplicates) for %d accounts,"
                            + " events %s .. %s, in %.1f s (%.0f records/s)%n",
                    report.records(), report.valid(), report.malformed(), report.duplicates(), report.accounts(),
                    report.firstEventAt(), report.lastEventAt(), report.elapsed().toMillis() / 1000.0,
                    report.recordsPerSecond());
            return report;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RecordSink open(GeneratorSettings s, PrintStream log) throws IOException {
        switch (s.out()) {
            case KAFKA:
                return new KafkaRecordSink(s.bootstrapServers(), s.topic(), s.partitions(), log);
            default:
                // Not System.out: a PrintStream swallows write errors, so `generate.sh | head` would
                // go on generating into a closed pipe instead of stopping.
                return s.file() == null
                        ? new FileRecordSink(new FileOutputStream(FileDescriptor.out), s.format(), false)
                        : FileRecordSink.create(s.file(), s.format());
        }
    }
}
