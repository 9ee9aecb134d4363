package io.headway.backtest;

import io.headway.schema.Alert;
import io.headway.schema.DeadLetter;
import io.headway.schema.LateTouchpoint;
import io.headway.schema.RiskUpdate;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Hands the job's alerts, dead letters, late records and (for the fit) risk re-assessments to the run's {@link RunCollector} in this
 * JVM. Each record is reduced where it arrives (in parallel) to what the scorecard and output files
 * need, so a long history does not pile up whole Avro records.
 */
final class RunSink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;

    enum Output {
        ALERTS,
        DEAD_LETTERS,
        LATE,
        RISK
    }

    private final String runId;
    private final Output output;

    RunSink(String runId, Output output) {
        this.runId = runId;
        this.output = output;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        RunCollector run = RunRegistry.get(runId);
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context ctx) {
                switch (output) {
                    case ALERTS:
                        BacktestRecords.alert(run, (Alert) element);
                        break;
                    case DEAD_LETTERS:
                        BacktestRecords.deadLetter(run, (DeadLetter) element);
                        break;
                    case RISK:
                        BacktestRecords.risk(run, (RiskUpdate) element);
                        break;
                    default:
                        run.late(((LateTouchpoint) element).getReason());
                }
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
