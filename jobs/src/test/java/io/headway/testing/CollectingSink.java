package io.headway.testing;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A sink into a named list in this JVM, for jobs on a local MiniCluster; {@link #clear()} between runs. */
public final class CollectingSink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;

    private static final Map<String, List<Object>> COLLECTED = new ConcurrentHashMap<>();

    private final String name;

    public CollectingSink(String name) {
        this.name = name;
    }

    public static void clear() {
        COLLECTED.clear();
    }

    @SuppressWarnings("unchecked")
    public static <T> List<T> collected(String name) {
        List<Object> list = COLLECTED.computeIfAbsent(name, n -> Collections.synchronizedList(new ArrayList<>()));
        synchronized (list) {
            return new ArrayList<>((List<T>) (List<?>) list);
        }
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        List<Object> target = COLLECTED.computeIfAbsent(name, n -> Collections.synchronizedList(new ArrayList<>()));
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
