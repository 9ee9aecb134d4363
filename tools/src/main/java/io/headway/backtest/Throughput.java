package io.headway.backtest;

import io.headway.bench.CpuSampler;
import io.headway.config.HeadwayConfig;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Throughput of the backtest beside its floor, in one JVM and one run: the read+parse floor (the same
 * files through the same source and production parser, then discarded) and the whole workflow,
 * interleaved twice each so that JIT warm-up and machine noise fall on both. CPU is the whole
 * process's (OperatingSystemMXBean), as in the benchmark.
 */
final class Throughput {

    static final int ROUNDS = 2;
    static final long SAMPLE_MILLIS = 20;

    /** One pass: what it read and took in all, and the same for its steady window (10% to 90% of the records). */
    record Pass(String kind, int round, long records, long wallNanos, long cpuNanos, long windowRecords, long windowWallNanos, long windowCpuNanos) {
        double eventsPerSecond() {
            return windowRecords * 1e9 / windowWallNanos;
        }

        double cpuNanosPerEvent() {
            return (double) windowCpuNanos / windowRecords;
        }
    }

    private final List<Pass> passes;

    private Throughput(List<Pass> passes) {
        this.passes = passes;
    }

    static Throughput measure(HeadwayConfig config, HistoryFiles files, int parallelism, long total, Progress.Factory progress, PrintStream log)
            throws Exception {
        List<Pass> passes = new ArrayList<>();
        for (int r = 1; r <= ROUNDS; r++) {
            int round = r;
            passes.add(pass("floor", round, total, progress, log, sampling -> BacktestJob.floor(config, files, parallelism, sampling)));
            passes.add(pass("backtest", round, total, progress, log,
                    sampling -> BacktestJob.run(config, files, parallelism, "throughput-" + round, false, sampling).recordsRead.sum()));
        }
        Throughput t = new Throughput(passes);
        log.println(t.summary());
        return t;
    }

    /** One pass of either kind. */
    private interface Job {
        long run(Progress.Factory progress) throws Exception;
    }

    /**
     * Runs one pass with a CPU sampler on its records-read counter, and keeps the steady window from
     * 10% to 90% of the records: the MiniCluster's start-up and the end-of-input drain left out, as the
     * benchmark does; the whole pass when it was too short for two samples in that window.
     */
    private static Pass pass(String kind, int round, long total, Progress.Factory progress, PrintStream log, Job job) throws Exception {
        CpuSampler[] sampler = new CpuSampler[1];
        long wall = System.nanoTime();
        long cpu = BacktestMain.processCpuNanos();
        long records = job.run((label, done) -> {
            sampler[0] = CpuSampler.start(done, SAMPLE_MILLIS);
            return progress.start(label, done);
        });
        long wallNanos = System.nanoTime() - wall;
        long cpuNanos = BacktestMain.processCpuNanos() - cpu;
        sampler[0].close();
        CpuSampler.Window w = sampler[0].window(total / 10, total * 9 / 10);
        Pass p = w == null
                ? new Pass(kind, round, records, wallNanos, cpuNanos, records, wallNanos, cpuNanos)
                : new Pass(kind, round, records, wallNanos, cpuNanos, w.records(), w.wallNanos(), w.cpuNanos());
        log.println(line(p));
        return p;
    }

    private static String line(Pass p) {
        return String.format(Locale.ROOT,
                "throughput %s #%d: %,d events in %.1f s (start-up included); steady window of %,d events: %,.0f events/s, %,.0f CPU ns/event",
                p.kind(), p.round(), p.records(), p.wallNanos() / 1e9, p.windowRecords(), p.eventsPerSecond(), p.cpuNanosPerEvent());
    }

    /** The best round of each kind (the least disturbed), and backtest / floor. */
    private Pass best(String kind) {
        return passes.stream().filter(p -> p.kind().equals(kind)).max((a, b) -> Double.compare(a.eventsPerSecond(), b.eventsPerSecond())).orElseThrow();
    }

    String summary() {
        Pass floor = best("floor");
        Pass backtest = best("backtest");
        return String.format(Locale.ROOT,
                "throughput (best of %d): floor %,.0f events/s, %,.0f CPU ns/event; backtest %,.0f events/s, %,.0f CPU ns/event;"
                        + " backtest/floor: %.2fx the CPU per event, %.2f of the rate",
                ROUNDS, floor.eventsPerSecond(), floor.cpuNanosPerEvent(), backtest.eventsPerSecond(), backtest.cpuNanosPerEvent(),
                backtest.cpuNanosPerEvent() / floor.cpuNanosPerEvent(), backtest.eventsPerSecond() / floor.eventsPerSecond());
    }

    ObjectNode json() {
        JsonNodeFactory n = JsonNodeFactory.instance;
        ObjectNode o = n.objectNode();
        ArrayNode list = o.putArray("passes");
        for (Pass p : passes) {
            ObjectNode j = list.addObject();
            j.put("kind", p.kind());
            j.put("round", p.round());
            j.put("records", p.records());
            j.put("wall_seconds", Scorecard.round(p.wallNanos() / 1e9));
            j.put("cpu_seconds", Scorecard.round(p.cpuNanos() / 1e9));
            j.put("window_records", p.windowRecords());
            j.put("events_per_second", Scorecard.round(p.eventsPerSecond()));
            j.put("cpu_ns_per_event", Scorecard.round(p.cpuNanosPerEvent()));
        }
        Pass floor = best("floor");
        Pass backtest = best("backtest");
        o.put("floor_events_per_second", Scorecard.round(floor.eventsPerSecond()));
        o.put("floor_cpu_ns_per_event", Scorecard.round(floor.cpuNanosPerEvent()));
        o.put("backtest_events_per_second", Scorecard.round(backtest.eventsPerSecond()));
        o.put("backtest_cpu_ns_per_event", Scorecard.round(backtest.cpuNanosPerEvent()));
        o.put("cpu_ratio", Scorecard.round(backtest.cpuNanosPerEvent() / floor.cpuNanosPerEvent()));
        o.put("rate_ratio", Scorecard.round(backtest.eventsPerSecond() / floor.eventsPerSecond()));
        return o;
    }
}
