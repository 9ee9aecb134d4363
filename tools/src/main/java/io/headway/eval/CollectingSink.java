package io.headway.eval;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** A sink into a list in this JVM, one list per {@link Output}: the evaluation runs on a local MiniCluster. */
final class CollectingSink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;

    enum Output {
        ALERTS,
        DEAD_LETTERS,
        LATE
    }

    private static final Map<Output, List<Object>> COLLECTED = new EnumMap<>(Output.class);

    static {
        for (Output o : Output.values()) {
            COLLECTED.put(o, Collections.synchronizedList(new ArrayList<>()));
        }
    }

    private final Output output;

    CollectingSink(Output output) {
        this.output = output;
    }

    static void clear() {
        COLLECTED.values().forEach(List::clear);
    }

    @SuppressWarnings("unchecked")
    static <T> List<T> collected(Output output) {
        synchronized (COLLECTED.get(output)) {
            return new ArrayList<>((List<T>) (List<?>) COLLECTED.get(output));
        }
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        List<Object> target = COLLECTED.get(output);
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context ctx) {
                target.add(element);
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
