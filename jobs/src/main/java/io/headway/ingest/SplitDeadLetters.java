package io.headway.ingest;

import io.headway.schema.DeadLetter;
import io.headway.schema.IngestedRecord;
import io.headway.schema.Touchpoint;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.util.EnumMap;

/**
 * Sends valid touchpoints on and dead letters to a side output, counting both. Counts per reason
 * ({@code deadLetters} in the group {@code reason=<CODE>}) tell operators what producers get wrong.
 */
public final class SplitDeadLetters extends ProcessFunction<IngestedRecord, Touchpoint> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", new AvroTypeInfo<>(DeadLetter.class));

    private transient Counter in;
    private transient Counter invalid;
    private transient EnumMap<DeadLetterReason, Counter> byReason;
    private transient MetricGroup metrics;

    @Override
    public void open(OpenContext openContext) {
        metrics = getRuntimeContext().getMetricGroup();
        in = metrics.counter(IngestMetrics.IN);
        invalid = metrics.counter(IngestMetrics.INVALID);
        byReason = new EnumMap<>(DeadLetterReason.class);
    }

    @Override
    public void processElement(IngestedRecord record, Context ctx, Collector<Touchpoint> out) {
        in.inc();
        if (record.getTouchpoint() != null) {
            out.collect(record.getTouchpoint());
            return;
        }
        DeadLetter dl = record.getDeadLetter();
        invalid.inc();
        reasonCounter(dl.getReasonCode()).inc();
        ctx.output(DEAD_LETTERS, dl);
    }

    private Counter reasonCounter(String code) {
        DeadLetterReason reason;
        try {
            reason = DeadLetterReason.valueOf(code);
        } catch (IllegalArgumentException e) {
            reason = DeadLetterReason.INTERNAL_ERROR;
        }
        return byReason.computeIfAbsent(
                reason, r -> metrics.addGroup("reason", r.name()).counter(IngestMetrics.DEAD_LETTERS));
    }
}
