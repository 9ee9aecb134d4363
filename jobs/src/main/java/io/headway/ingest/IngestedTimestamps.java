package io.headway.ingest;

import io.headway.schema.IngestedRecord;

import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;

/**
 * Event time is the touchpoint's occurred_at. A dead letter gets Long.MIN_VALUE so that a corrupt
 * timestamp can never move the watermark (the bounded-out-of-orderness generator keeps the maximum).
 */
public final class IngestedTimestamps implements SerializableTimestampAssigner<IngestedRecord> {

    private static final long serialVersionUID = 1L;

    @Override
    public long extractTimestamp(IngestedRecord record, long recordTimestamp) {
        return record.getTouchpoint() != null ? record.getTouchpoint().getOccurredAt() : Long.MIN_VALUE;
    }
}
