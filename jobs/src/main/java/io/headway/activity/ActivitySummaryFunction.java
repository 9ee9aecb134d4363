package io.headway.activity;

import io.headway.eventtime.KeyedFunctionWithHorizon;
import io.headway.schema.ActivitySummary;
import io.headway.schema.Touchpoint;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.Collector;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Per account, touchpoints per source in the last 7 and 28 UTC days, emitted at event-time
 * boundaries: at the end of each {@code activity.emit-interval} in which the account had
 * touchpoints, and at each UTC midnight at which a day with touchpoints leaves its 7- or 28-day
 * window (so a silent account's counts still fall, with one timer per change, not per day).
 *
 * <p>A summary as of boundary T counts exactly the accepted touchpoints that occurred before T,
 * whatever order they arrived in: a touchpoint at or after the next boundary that can still fire
 * (the first one after the watermark) is held "ahead" and folded into the day buckets only when that
 * boundary has been emitted. So out-of-order input within the watermark bound gives the same output
 * as sorted input.
 *
 * <p>Lifecycle: when an account's 28-day window is empty at a boundary, a final summary with
 * {@code active=false} is emitted and all its state and timers are gone. At the end of a bounded
 * input (watermark at +infinity) only summaries with new touchpoints are emitted, so a replay ends
 * with each account as of the first boundary after its last touchpoint, not with every window emptied.
 */
public final class ActivitySummaryFunction extends KeyedFunctionWithHorizon<String, Touchpoint, ActivitySummary> {

    private static final long serialVersionUID = 1L;

    public static final long DAY_MILLIS = Duration.ofDays(1).toMillis();

    public static final ValueStateDescriptor<ActivityState> STATE =
            new ValueStateDescriptor<>("activity", TypeInformation.of(ActivityState.class));

    private final long intervalMillis;

    private transient ValueState<ActivityState> state;

    public ActivitySummaryFunction(Duration emitInterval) {
        super("activity-end-of-input-horizon");
        this.intervalMillis = emitInterval.toMillis();
        if (intervalMillis <= 0 || DAY_MILLIS % intervalMillis != 0) {
            throw new IllegalArgumentException("emit interval must divide one day: " + emitInterval);
        }
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(STATE);
    }

    @Override
    public void processElement(Touchpoint t, Context ctx, Collector<ActivitySummary> out) throws Exception {
        ActivityState s = state.value();
        if (s == null) {
            s = new ActivityState();
        }
        long watermark = ctx.timerService().currentWatermark();
        long occurredAt = t.getOccurredAt();
        horizon.see(occurredAt);
        long firstOpenBoundary = watermark == Long.MIN_VALUE ? Long.MIN_VALUE : nextBoundary(watermark);
        long boundary;
        if (occurredAt < firstOpenBoundary) {
            s.fold(t.getSource(), occurredAt);
            boundary = firstOpenBoundary;
        } else {
            s.addAhead(t.getSource(), occurredAt);
            boundary = nextBoundary(occurredAt);
        }
        // Touchpoints of one account mostly fall in the same interval: skip the timer service's
        // de-duplication lookup when this boundary was the last one registered.
        if (boundary != s.lastBoundaryTimer) {
            ctx.timerService().registerEventTimeTimer(boundary);
            s.lastBoundaryTimer = boundary;
        }
        state.update(s);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ActivitySummary> out) throws Exception {
        ActivityState s = state.value();
        if (s == null) {
            return;
        }
        s.foldAheadBefore(timestamp);
        if (ctx.timerService().currentWatermark() == Long.MAX_VALUE && timestamp > horizon.get() && !s.changed && !s.hasAhead()) {
            // End of a bounded input: boundaries up to the horizon (the input's data reached them),
            // then the one after the account's last touchpoint; no fast-forward to the end of time.
            return;
        }
        s.changed = false;
        ActivitySummary summary = summarize(ctx.getCurrentKey(), s, timestamp);
        if (summary.getEvents28d() == 0 && !s.hasAhead()) {
            summary.setActive(false);
            out.collect(summary);
            if (s.changeTimer > timestamp) {
                ctx.timerService().deleteEventTimeTimer(s.changeTimer);
            }
            state.clear();
            return;
        }
        out.collect(summary);
        // Silence changes the windows only when a day with touchpoints leaves one of them: wake
        // up exactly then, not every midnight.
        long nextChange = s.nextWindowChange(timestamp);
        if (nextChange != s.changeTimer && nextChange != Long.MAX_VALUE) {
            if (s.changeTimer > timestamp) {
                ctx.timerService().deleteEventTimeTimer(s.changeTimer);
            }
            ctx.timerService().registerEventTimeTimer(nextChange);
            s.changeTimer = nextChange;
        }
        state.update(s);
    }

    private static ActivitySummary summarize(String account, ActivityState s, long asOf) {
        long asOfDay = Math.floorDiv(asOf - 1, DAY_MILLIS);
        Map<String, Long> by7 = new HashMap<>(8);
        Map<String, Long> by28 = new HashMap<>(8);
        long total7 = 0;
        long total28 = 0;
        for (int i = 0; i < s.sources.length; i++) {
            long c7 = s.count(i, asOfDay, 7);
            long c28 = s.count(i, asOfDay, ActivityState.DAYS);
            if (c7 > 0) {
                by7.put(s.sources[i], c7);
            }
            if (c28 > 0) {
                by28.put(s.sources[i], c28);
            }
            total7 += c7;
            total28 += c28;
        }
        return new ActivitySummary(account, asOf, s.lastSeenAt, total7, total28, by7, by28, true);
    }

    long nextBoundary(long t) {
        return Math.floorDiv(t, intervalMillis) * intervalMillis + intervalMillis;
    }
}
