package io.headway.bench;

import io.headway.schema.Touchpoint;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The floor of any per-account logic: one value-state read and write and one event-time timer (on
 * the hour) per touchpoint, nothing else. Its cost against BARE says what per-event keyed state
 * costs on this input at all, whatever the logic.
 */
public final class StateAndTimerPerEvent extends KeyedProcessFunction<String, Touchpoint, Void> {

    private static final long serialVersionUID = 1L;
    private static final long HOUR = 3_600_000L;

    static final ValueStateDescriptor<Long> COUNT = new ValueStateDescriptor<>("count", Types.LONG);

    private transient ValueState<Long> count;

    @Override
    public void open(OpenContext openContext) {
        count = getRuntimeContext().getState(COUNT);
    }

    @Override
    public void processElement(Touchpoint t, Context ctx, Collector<Void> out) throws Exception {
        Long c = count.value();
        count.update(c == null ? 1L : c + 1);
        ctx.timerService().registerEventTimeTimer(Math.floorDiv(t.getOccurredAt(), HOUR) * HOUR + HOUR);
        BenchmarkCounters.BARE_KEYED.increment();
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Void> out) {}
}
