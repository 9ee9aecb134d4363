package io.headway.bench;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import java.util.concurrent.atomic.LongAdder;

/** A sink that discards its input after counting it in a {@link BenchmarkCounters} counter. */
public final class CountingSink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;

    /** Names a static counter, so that the sink stays serializable. */
    public enum Counter {
        ACTIVITY(BenchmarkCounters.ACTIVITY),
        ACTIVITY_DATABASE(BenchmarkCounters.ACTIVITY_DATABASE),
        DEAD_LETTERS(BenchmarkCounters.DEAD_LETTERS),
        JOURNEYS(BenchmarkCounters.JOURNEYS),
        SCORES(BenchmarkCounters.SCORES),
        GOALS(BenchmarkCounters.GOALS),
        ALERTS(BenchmarkCounters.ALERTS);

        final LongAdder adder;

        Counter(LongAdder adder) {
            this.adder = adder;
        }
    }

    private final Counter counter;

    public CountingSink(Counter counter) {
        this.counter = counter;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context ctx) {
                counter.adder.increment();
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
