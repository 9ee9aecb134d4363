package io.headway.generator;

import io.headway.schema.Touchpoint;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A deterministic simulation of customer accounts and the touchpoints they produce. Equal settings
 * give equal output, byte for byte; every method starts a fresh pass over the same simulation, so
 * they can be called in any order and any number of times.
 *
 * <pre>{@code
 * Generator g = new Generator(GeneratorSettings.builder().accounts(50).days(60).seed(7)
 *         .start(Instant.parse("2025-01-01T00:00:00Z")).build());
 * List<Touchpoint> events = g.events();          // valid events, event-time order
 * GroundTruth truth = g.groundTruth();            // what happened to each account
 * }</pre>
 */
public final class Generator {

    private static final long PROGRESS_NANOS = 2_000_000_000L;

    private final GeneratorSettings settings;

    public Generator(GeneratorSettings settings) {
        this.settings = settings;
    }

    public GeneratorSettings settings() {
        return settings;
    }

    /**
     * The simulated touchpoints in event-time order, without duplicates, malformed records or
     * reordering: the truth that {@link #records()} puts on the wire. Streams; holds one day in memory.
     */
    public Iterator<Touchpoint> touchpoints() {
        Simulation simulation = new Simulation(settings);
        return new Iterator<>() {
            private Iterator<Touchpoint> day = List.<Touchpoint>of().iterator();

            @Override
            public boolean hasNext() {
                while (!day.hasNext() && simulation.hasNextDay()) {
                    day = simulation.nextDay().iterator();
                }
                return day.hasNext();
            }

            @Override
            public Touchpoint next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return day.next();
            }
        };
    }

    /** {@link #touchpoints()} as a list; meant for tests and small runs. */
    public List<Touchpoint> events() {
        List<Touchpoint> out = new ArrayList<>();
        touchpoints().forEachRemaining(out::add);
        return out;
    }

    /** The records in emission order, in the settings' wire format. */
    public RecordStream records() {
        return new RecordStream(settings);
    }

    /** Runs the whole stream (without writing it anywhere) and returns its ground truth. */
    public GroundTruth groundTruth() {
        RecordStream s = records();
        while (s.hasNext()) {
            s.next();
        }
        return s.groundTruth();
    }

    /**
     * Writes every record to {@code sink} and closes it.
     *
     * @param progress where to report progress every ~2 s; null for silence
     */
    public GeneratorReport writeTo(RecordSink sink, PrintStream progress) throws IOException {
        long started = System.nanoTime();
        long lastReport = started;
        long recordsAtLastReport = 0;
        long written = 0;
        RecordStream stream = records();
        try (sink) {
            while (stream.hasNext()) {
                sink.write(stream.next());
                written++;
                if (progress != null && (written & 0xFFF) == 0) {
                    long now = System.nanoTime();
                    if (now - lastReport >= PROGRESS_NANOS) {
                        long rate = Math.round((written - recordsAtLastReport) * 1e9 / (now - lastReport));
                        long confirmed = sink.confirmed();
                        progress.println("generator: " + written + " records sent, " + rate + " records/s"
                                + (confirmed >= 0 ? ", " + confirmed + " acknowledged" : ""));
                        lastReport = now;
                        recordsAtLastReport = written;
                    }
                }
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        GroundTruth truth = stream.groundTruth();
        return new GeneratorReport(
                truth.records(),
                truth.valid(),
                truth.malformed(),
                truth.duplicates(),
                settings.accounts(),
                truth.firstEventAt(),
                truth.lastEventAt(),
                elapsed,
                truth);
    }
}
