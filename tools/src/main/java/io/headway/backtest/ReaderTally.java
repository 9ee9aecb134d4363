package io.headway.backtest;

import io.headway.schema.IngestedRecord;
import io.headway.schema.Touchpoint;

import java.util.HashMap;
import java.util.Map;

/**
 * A file reader's own counts, merged into the run once the file is done, so the hot path touches no
 * shared map: valid records and each account's first and last event time (the scorecard's days observed).
 */
final class ReaderTally {

    private final RunCollector run;
    private final Map<String, long[]> spans = new HashMap<>();
    private long valid;

    ReaderTally(String runId) {
        this.run = RunRegistry.get(runId);
    }

    IngestedRecord count(IngestedRecord record) {
        run.recordsRead.increment();
        Touchpoint t = record.getTouchpoint();
        if (t != null) {
            valid++;
            long at = t.getOccurredAt();
            long[] span = spans.get(t.getAccountId());
            if (span == null) {
                spans.put(t.getAccountId(), new long[] {at, at});
            } else if (at < span[0]) {
                span[0] = at;
            } else if (at > span[1]) {
                span[1] = at;
            }
        }
        return record;
    }

    void close() {
        run.mergeReader(valid, spans);
        spans.clear();
        valid = 0;
    }
}
