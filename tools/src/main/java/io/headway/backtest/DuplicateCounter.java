package io.headway.backtest;

import io.headway.ingest.IngestMetrics;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The job drops duplicates without a record of them, only its {@link IngestMetrics#DUPLICATE}
 * counter; this reporter, installed in the run's MiniCluster, reads that counter's final value into
 * the run's {@link RunCollector} (a counter is reported again when its task finishes, so the last
 * increments are kept).
 */
public final class DuplicateCounter implements MetricReporter {

    static final String NAME = "backtest";
    static final String RUN_OPTION = "run";

    private final String runId;
    private final Set<Counter> live = ConcurrentHashMap.newKeySet();

    private DuplicateCounter(String runId) {
        this.runId = runId;
    }

    /** Adds the reporter for run {@code runId} to the job's engine configuration. */
    static void install(Configuration conf, String runId) {
        conf.setString("metrics.reporter." + NAME + ".factory.class", Factory.class.getName());
        conf.setString("metrics.reporter." + NAME + "." + RUN_OPTION, runId);
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
        if (IngestMetrics.DUPLICATE.equals(metricName) && metric instanceof Counter c) {
            live.add(c);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
        if (metric instanceof Counter c && live.remove(c)) {
            RunRegistry.get(runId).duplicates.add(c.getCount());
        }
    }

    /** Flink instantiates the reporter through this factory ({@code metrics.reporter.backtest.factory.class}). */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new DuplicateCounter(properties.getProperty(RUN_OPTION));
        }
    }
}
