package io.headway.bench;

import io.headway.schema.Touchpoint;

import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/** The end of the bare pipeline: a keyed operator (the key context is set per record) that only counts. */
public final class CountKeyed extends KeyedProcessFunction<String, Touchpoint, Void> {

    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(Touchpoint t, Context ctx, Collector<Void> out) {
        BenchmarkCounters.BARE_KEYED.increment();
    }
}
