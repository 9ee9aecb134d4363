package io.headway.bench;

import io.headway.schema.IngestedRecord;
import io.headway.schema.Touchpoint;

import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** The bare pipeline's minimum of the job's first step: valid touchpoints on, dead letters dropped. */
public final class ValidTouchpoints implements FlatMapFunction<IngestedRecord, Touchpoint> {

    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(IngestedRecord record, Collector<Touchpoint> out) {
        if (record.getTouchpoint() != null) {
            out.collect(record.getTouchpoint());
        }
    }
}
