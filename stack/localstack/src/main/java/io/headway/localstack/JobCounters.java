package io.headway.localstack;

import io.headway.ingest.IngestMetrics;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The job's ingestion counters ({@link IngestMetrics}), read in-process from the MiniCluster's metric
 * registry through a metric reporter.
 *
 * <p>Why not the REST API: it serves metrics only while tasks run, so the last increments of a bounded
 * job are lost to whoever polls it, and a summary needs the exact totals. A reporter sees each counter
 * object when it is registered and again when its task finishes, so the final value is kept.
 *
 * <p>Sums cover all subtasks. A task restarted after a failure registers fresh counters, so after a
 * failover the totals would include the replayed records once more (the demo runs without restarts).
 */
public final class JobCounters {

    /** Counters the demo shows; per-reason dead-letter counters are kept as {@code deadLetters.<REASON>}. */
    public static final Set<String> NAMES =
            Set.of(
                    IngestMetrics.IN,
                    IngestMetrics.VALID,
                    IngestMetrics.INVALID,
                    IngestMetrics.DUPLICATE,
                    IngestMetrics.LATE);

    /** Reporter option naming the {@link JobCounters} instance to feed (one per demo run in a JVM). */
    static final String INSTANCE_OPTION = "instance";

    private static final Map<String, JobCounters> INSTANCES = new ConcurrentHashMap<>();

    private final String id;
    private final Set<Counter> live = ConcurrentHashMap.newKeySet();
    private final Map<Counter, String> names = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> retired = new ConcurrentHashMap<>();

    private JobCounters(String id) {
        this.id = id;
    }

    static JobCounters register(String id) {
        JobCounters c = new JobCounters(id);
        if (INSTANCES.putIfAbsent(id, c) != null) {
            throw new IllegalStateException("duplicate counters id " + id);
        }
        return c;
    }

    String id() {
        return id;
    }

    void unregister() {
        INSTANCES.remove(id, this);
    }

    /** Current sum of a counter over all subtasks, finished ones included. */
    public long get(String name) {
        long sum = retired.getOrDefault(name, new AtomicLong()).get();
        for (Counter c : live) {
            if (name.equals(names.get(c))) {
                sum += c.getCount();
            }
        }
        return sum;
    }

    /** Dead letters by reason code, e.g. {@code INVALID_JSON -> 12}. */
    public Map<String, Long> deadLettersByReason() {
        Map<String, Long> out = new java.util.TreeMap<>();
        String prefix = IngestMetrics.DEAD_LETTERS + ".";
        Set<String> keys = new java.util.HashSet<>(retired.keySet());
        keys.addAll(names.values());
        for (String k : keys) {
            if (k.startsWith(prefix)) {
                long v = get(k);
                if (v > 0) {
                    out.put(k.substring(prefix.length()), v);
                }
            }
        }
        return out;
    }

    private void added(Counter counter, String name) {
        names.put(counter, name);
        live.add(counter);
    }

    private void removed(Counter counter) {
        String name = names.get(counter);
        if (name != null && live.remove(counter)) {
            retired.computeIfAbsent(name, k -> new AtomicLong()).addAndGet(counter.getCount());
        }
    }

    private static String keyOf(String metricName, MetricGroup group) {
        if (NAMES.contains(metricName)) {
            return metricName;
        }
        if (IngestMetrics.DEAD_LETTERS.equals(metricName)) {
            String reason = group.getAllVariables().get("<reason>");
            return reason == null ? null : IngestMetrics.DEAD_LETTERS + "." + reason;
        }
        return null;
    }

    /** The reporter Flink instantiates (from {@code metrics.reporter.<name>.factory.class}). */
    public static final class Reporter implements MetricReporter {

        private volatile JobCounters target;
        private final String instance;

        Reporter(String instance) {
            this.instance = instance;
        }

        @Override
        public void open(MetricConfig config) {
            target = INSTANCES.get(instance);
        }

        @Override
        public void close() {}

        @Override
        public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
            JobCounters t = target;
            String key = keyOf(metricName, group);
            if (t != null && key != null && metric instanceof Counter) {
                t.added((Counter) metric, key);
            }
        }

        @Override
        public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
            JobCounters t = target;
            if (t != null && metric instanceof Counter) {
                t.removed((Counter) metric);
            }
        }
    }

    /** Registered in {@code META-INF/services/org.apache.flink.metrics.reporter.MetricReporterFactory}. */
    public static final class ReporterFactory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new Reporter(properties.getProperty(INSTANCE_OPTION, ""));
        }
    }
}
