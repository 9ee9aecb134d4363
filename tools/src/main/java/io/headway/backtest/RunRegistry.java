package io.headway.backtest;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the source readers and sinks of one backtest job hand back to the command in this JVM: the
 * job runs on a local MiniCluster, so its operators and the command share static state, keyed by a
 * run id that the serialized operators carry.
 */
final class RunRegistry {

    private static final Map<String, RunCollector> RUNS = new ConcurrentHashMap<>();

    private RunRegistry() {}

    static RunCollector open(String runId, boolean collectAlertLines, String modelLabel) {
        RunCollector c = new RunCollector(collectAlertLines, modelLabel);
        if (RUNS.putIfAbsent(runId, c) != null) {
            throw new IllegalStateException("run id in use: " + runId);
        }
        return c;
    }

    static RunCollector get(String runId) {
        RunCollector c = RUNS.get(runId);
        if (c == null) {
            throw new IllegalStateException("no backtest run " + runId + " in this JVM (the backtest runs on a local MiniCluster only)");
        }
        return c;
    }

    static void close(String runId) {
        RUNS.remove(runId);
    }
}
