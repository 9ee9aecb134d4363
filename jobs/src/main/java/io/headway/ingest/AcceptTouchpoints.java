package io.headway.ingest;

import io.headway.schema.LateTouchpoint;
import io.headway.schema.Touchpoint;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;

/**
 * The gate of the keyed hot path (keyed by account): touchpoints behind the watermark by more than
 * the allowed lateness go to the {@link #LATE} output, repeated event_ids are dropped, the rest go on.
 *
 * <p>De-duplication remembers event_ids for a horizon of <em>event time</em>, not wall-clock time
 * (Flink's state TTL): a replay of a month of history in minutes must forget ids as the month
 * passes, not keep them all. Ids are purged by one timer per account per hour bucket, never one per
 * event. The horizon is at least the allowed lateness, so a repeat is only ever classified as late
 * once its original could no longer be accepted either.
 */
public final class AcceptTouchpoints extends KeyedProcessFunction<String, Touchpoint, Touchpoint> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<LateTouchpoint> LATE =
            new OutputTag<>("late-touchpoints", new AvroTypeInfo<>(LateTouchpoint.class));

    public static final String BEHIND_WATERMARK = "behind_watermark";

    /** event_id to occurred_at of the touchpoints accepted within the horizon. */
    public static final MapStateDescriptor<String, Long> SEEN_EVENT_IDS =
            new MapStateDescriptor<>("seen-event-ids", Types.STRING, Types.LONG);

    static final long PURGE_BUCKET_MILLIS = Duration.ofHours(1).toMillis();

    private final long allowedLatenessMillis;
    private final long horizonMillis;

    private transient MapState<String, Long> seen;
    private transient Counter valid;
    private transient Counter duplicate;
    private transient Counter late;

    public AcceptTouchpoints(Duration allowedLateness, Duration dedupHorizon) {
        this.allowedLatenessMillis = allowedLateness.toMillis();
        this.horizonMillis = Math.max(dedupHorizon.toMillis(), allowedLatenessMillis);
    }

    @Override
    public void open(OpenContext openContext) {
        seen = getRuntimeContext().getMapState(SEEN_EVENT_IDS);
        valid = getRuntimeContext().getMetricGroup().counter(IngestMetrics.VALID);
        duplicate = getRuntimeContext().getMetricGroup().counter(IngestMetrics.DUPLICATE);
        late = getRuntimeContext().getMetricGroup().counter(IngestMetrics.LATE);
    }

    @Override
    public void processElement(Touchpoint t, Context ctx, Collector<Touchpoint> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        long occurredAt = t.getOccurredAt();
        if (watermark != Long.MIN_VALUE && occurredAt < watermark - allowedLatenessMillis) {
            late.inc();
            ctx.output(LATE, new LateTouchpoint(BEHIND_WATERMARK, null, t));
            return;
        }
        String eventId = t.getEventId();
        if (seen.contains(eventId)) {
            duplicate.inc();
            return;
        }
        seen.put(eventId, occurredAt);
        ctx.timerService().registerEventTimeTimer(purgeTime(occurredAt));
        valid.inc();
        out.collect(t);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Touchpoint> out) throws Exception {
        Iterator<Map.Entry<String, Long>> it = seen.iterator();
        int kept = 0;
        while (it.hasNext()) {
            if (it.next().getValue() + horizonMillis <= timestamp) {
                it.remove();
            } else {
                kept++;
            }
        }
        // Counting instead of asking isEmpty() saves a RocksDB seek per purge; clear() drops the
        // empty map the heap backend would otherwise keep for this account.
        if (kept == 0) {
            seen.clear();
        }
    }

    /** End of the hour bucket in which the id's horizon ends; coalesces purges per account. */
    long purgeTime(long occurredAt) {
        long expiry = occurredAt + horizonMillis;
        return Math.floorDiv(expiry, PURGE_BUCKET_MILLIS) * PURGE_BUCKET_MILLIS + PURGE_BUCKET_MILLIS;
    }
}
