package io.headway.backtest;

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

    /** One pass: what it read, and the wall-clock and CPU time it took. */
    record Pass(String kind, int round, long records, long wallNanos, long cpuNanos) {
        double eventsPerSecond() {
            return records * 1e9 / wallNanos;
        }

        double cpuNanosPerEvent() {
            return (double) cpuNanos / records;
        }
    }

    private final List<Pass> passes;

    private Throughput(List<Pass> passes) {
        this.passes = passes;
    }

    static Throughput measure(HeadwayConfig config, HistoryFiles files, int parallelism, Progress.Factory progress, PrintStream log)
            throws Exception {
        List<Pass> passes = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            long wall = System.nanoTime();
            long cpu = BacktestMain.processCpuNanos();
            long records = BacktestJob.floor(config, files, parallelism, progress);
            passes.add(new Pass("floor", round, records, System.nanoTime() - wall, BacktestMain.processCpuNanos() - cpu));
            log.println(line(passes.get(passes.size() - 1)));
            wall = System.nanoTime();
            cpu = BacktestMain.processCpuNanos();
            RunCollector run = BacktestJob.run(config, files, parallelism, "throughput-" + round, false, progress);
            passes.add(new Pass("backtest", round, run.recordsRead.sum(), System.nanoTime() - wall, BacktestMain.processCpuNanos() - cpu));
            log.println(line(passes.get(passes.size() - 1)));
        }
        Throughput t = new Throughput(passes);
        log.println(t.summary());
        return t;
    }

    private static String line(Pass p) {
        return String.format(Locale.ROOT, "throughput %s #%d: %,d events in %.1f s: %,.0f events/s, %,.0f CPU ns/event",
                p.kind(), p.round(), p.records(), p.wallNanos() / 1e9, p.eventsPerSecond(), p.cpuNanosPerEvent());
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
