package io.headway.testing;

import io.headway.ingest.IngestMetrics;

import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The ingestion counters of a job, summed over its subtasks, as a reporter saw them. */
public final class IngestCounters {

    private IngestCounters() {}

    /** {@link IngestMetrics#IN}, {@code VALID}, {@code INVALID}, {@code DUPLICATE} and {@code LATE} by name. */
    public static Map<String, Long> of(InMemoryReporter metrics, JobID job) {
        Map<String, Long> out = new HashMap<>();
        for (String name : List.of(IngestMetrics.IN, IngestMetrics.VALID, IngestMetrics.INVALID, IngestMetrics.DUPLICATE, IngestMetrics.LATE)) {
            long sum = 0;
            for (Map.Entry<String, Metric> e : metrics.findMetrics(job, name).entrySet()) {
                if (e.getKey().endsWith("." + name) && e.getValue() instanceof Counter) {
                    sum += ((Counter) e.getValue()).getCount();
                }
            }
            out.put(name, sum);
        }
        return out;
    }
}
