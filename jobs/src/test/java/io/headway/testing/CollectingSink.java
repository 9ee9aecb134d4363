package io.headway.testing;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Sink v2 into a list in this JVM, for jobs on a MiniCluster (which runs in the test's JVM). The
 * sink is serialized to the tasks, so its writers cannot hold the list: they find it in a static
 * registry under the sink's id. Each unnamed instance has its own list, so tests and outputs never
 * see each other's records; {@link #close()} drops it. A named sink ({@link #CollectingSink(String)})
 * shares its list with every sink of that name, for tests that read outputs by name
 * ({@link #collected(String)}) after a job built elsewhere has run.
 */
public final class CollectingSink<T> implements Sink<T>, AutoCloseable {

    private static final long serialVersionUID = 1L;

    private static final Map<String, List<Object>> COLLECTED = new ConcurrentHashMap<>();

    private final String id;

    /** The {@link WatermarkProbe} its writers report the watermarks they see to, or null. */
    private String watermarkProbe;

    public CollectingSink() {
        this(UUID.randomUUID().toString());
    }

    public CollectingSink(String name) {
        this.id = name;
        COLLECTED.computeIfAbsent(name, n -> Collections.synchronizedList(new ArrayList<>()));
    }

    /** Its writers report each watermark they see to {@code probe} (see {@link BoundedInput.Builder#pauseUntilWatermark}). */
    public CollectingSink<T> reportingWatermarksTo(String probe) {
        this.watermarkProbe = probe;
        return this;
    }

    /** Empties every list (sinks stay registered). */
    public static void clear() {
        COLLECTED.values().forEach(List::clear);
    }

    /** What the sinks named {@code name} have written so far. */
    @SuppressWarnings("unchecked")
    public static <T> List<T> collected(String name) {
        List<Object> target = COLLECTED.getOrDefault(name, List.of());
        synchronized (target) {
            return new ArrayList<>((List<T>) (List<?>) target);
        }
    }

    /** What the writers of every subtask have written so far, in no particular order across subtasks. */
    public List<T> values() {
        target();
        return collected(id);
    }

    @Override
    public void close() {
        COLLECTED.remove(id);
    }

    private List<Object> target() {
        List<Object> target = COLLECTED.get(id);
        if (target == null) {
            throw new IllegalStateException("collecting sink " + id + " is closed (or runs in another JVM)");
        }
        return target;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        List<Object> target = target();
        String probe = watermarkProbe;
        String writer = id + "/" + context.getTaskInfo().getIndexOfThisSubtask();
        if (probe != null) {
            WatermarkProbe.register(probe, writer);
        }
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context ctx) {
                target.add(element);
            }

            @Override
            public void writeWatermark(Watermark watermark) {
                if (probe != null) {
                    WatermarkProbe.advance(probe, writer, watermark.getTimestamp());
                }
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
