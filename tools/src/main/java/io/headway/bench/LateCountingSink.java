package io.headway.bench;

import io.headway.ingest.AcceptTouchpoints;
import io.headway.schema.LateTouchpoint;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * The late output, counted by reason: touchpoints behind the watermark (the benchmark input has
 * none, so any is a bug) apart from those a journey or goal could not apply (the random input has many).
 */
public final class LateCountingSink implements Sink<LateTouchpoint> {

    private static final long serialVersionUID = 1L;

    @Override
    public SinkWriter<LateTouchpoint> createWriter(WriterInitContext context) {
        return new SinkWriter<>() {
            @Override
            public void write(LateTouchpoint element, Context ctx) {
                if (AcceptTouchpoints.BEHIND_WATERMARK.equals(element.getReason())) {
                    BenchmarkCounters.LATE.increment();
                } else {
                    BenchmarkCounters.JOURNEY_UNAPPLIED.increment();
                }
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
