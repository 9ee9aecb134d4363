package io.headway.generator;

import io.headway.ingest.InputFormat;
import io.headway.ingest.TouchpointJson;
import io.headway.schema.Touchpoint;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * The records of one run in emission order: the simulated touchpoints, optionally shuffled within a
 * bounded window of event time, with duplicates and malformed records mixed in. Every choice comes
 * from seeded streams consumed in a fixed order, so two streams with equal settings are equal byte
 * for byte.
 *
 * <p>Duplicates and malformed records are added, never substituted for a touchpoint: the valid
 * events are exactly the simulated ones, and the ground truth derived from them stays exact. Each
 * record slot is malformed with probability {@code malformedRate}, a duplicate with probability
 * {@code duplicateRate}, and otherwise the next touchpoint, so both rates are shares of all records.
 */
public final class RecordStream implements Iterator<GeneratedRecord> {

    /** Duplicates repeat one of this many most recent events, as a retrying producer would. */
    private static final int RECENT = 64;

    private final GeneratorSettings settings;
    private final Simulation simulation;
    private final SplittableRandom slots;
    private final SplittableRandom jitter;
    private final long maxJitter;
    private final PriorityQueue<Queued> reorder;
    private final ArrayDeque<Touchpoint> ready = new ArrayDeque<>();
    private final List<Malformation> kinds;
    private final GeneratedRecord[] recent = new GeneratedRecord[RECENT];
    private long order;

    private long records;
    private long valid;
    private long duplicates;
    private final EnumMap<Malformation, Long> malformed = new EnumMap<>(Malformation.class);
    private long firstEventAt = Long.MAX_VALUE;
    private long lastEventAt = Long.MIN_VALUE;

    RecordStream(GeneratorSettings settings) {
        this.settings = settings;
        this.simulation = new Simulation(settings);
        this.slots = new SplittableRandom(AccountSimulation.mix(settings.seed(), -2));
        this.jitter = new SplittableRandom(AccountSimulation.mix(settings.seed(), -3));
        this.maxJitter = settings.outOfOrderMinutes() * AccountSimulation.MINUTE;
        this.reorder = maxJitter > 0 ? new PriorityQueue<>() : null;
        this.kinds = Malformation.forFormat(settings.format());
    }

    @Override
    public boolean hasNext() {
        fill();
        return !ready.isEmpty();
    }

    @Override
    public GeneratedRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        records++;
        double u = slots.nextDouble();
        if (u < settings.malformedRate()) {
            Touchpoint basis = ready.peek();
            Malformation kind = kinds.get(slots.nextInt(kinds.size()));
            malformed.merge(kind, 1L, Long::sum);
            return new GeneratedRecord(
                    GeneratedRecord.Kind.MALFORMED,
                    basis.getAccountId(),
                    MalformedRecords.create(kind, basis, settings.format(), slots),
                    null,
                    kind);
        }
        if (u < settings.malformedRate() + settings.duplicateRate() && valid > 0) {
            GeneratedRecord original = recent[slots.nextInt((int) Math.min(valid, RECENT))];
            duplicates++;
            return new GeneratedRecord(
                    GeneratedRecord.Kind.DUPLICATE, original.key(), original.value(), original.touchpoint(), null);
        }
        Touchpoint t = ready.poll();
        GeneratedRecord r = new GeneratedRecord(GeneratedRecord.Kind.VALID, t.getAccountId(), encode(t), t, null);
        recent[(int) (valid % RECENT)] = r;
        valid++;
        firstEventAt = Math.min(firstEventAt, t.getOccurredAt());
        lastEventAt = Math.max(lastEventAt, t.getOccurredAt());
        return r;
    }

    private byte[] encode(Touchpoint t) {
        return settings.format() == InputFormat.AVRO ? MalformedRecords.avro(t) : TouchpointJson.toJson(t);
    }

    /**
     * Refills the ready queue one simulated day at a time. With reordering, each touchpoint is given
     * an emission time up to {@code maxJitter} after its event time and leaves the buffer once no
     * later day can produce an earlier emission time; so no record overtakes another by more than the
     * configured window.
     */
    private void fill() {
        while (ready.isEmpty()) {
            if (simulation.hasNextDay()) {
                List<Touchpoint> day = simulation.nextDay();
                if (reorder == null) {
                    ready.addAll(day);
                    continue;
                }
                for (Touchpoint t : day) {
                    reorder.add(new Queued(t.getOccurredAt() + jitter.nextLong(maxJitter + 1), order++, t));
                }
                long horizon = simulation.horizon();
                while (!reorder.isEmpty() && reorder.peek().at < horizon) {
                    ready.add(reorder.poll().touchpoint);
                }
            } else if (reorder != null && !reorder.isEmpty()) {
                while (!reorder.isEmpty()) {
                    ready.add(reorder.poll().touchpoint);
                }
            } else {
                return;
            }
        }
    }

    /** The ground truth of this run; available once the stream is exhausted. */
    public GroundTruth groundTruth() {
        if (hasNext()) {
            throw new IllegalStateException("the ground truth is known only after the last record");
        }
        long m = 0;
        for (long n : malformed.values()) {
            m += n;
        }
        return new GroundTruth(
                settings,
                simulation.results(),
                records,
                valid,
                m,
                Map.copyOf(malformed),
                duplicates,
                valid == 0 ? null : Instant.ofEpochMilli(firstEventAt),
                valid == 0 ? null : Instant.ofEpochMilli(lastEventAt));
    }
}
