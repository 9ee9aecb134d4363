package io.headway.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Samples process CPU time, wall-clock time and a progress counter every few milliseconds on a
 * daemon thread, so that the cost of a window of a run (say from 10% to 90% of the records) can be
 * told apart from start-up and the end-of-input drain.
 */
public final class CpuSampler implements AutoCloseable {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** One sample: progress, process CPU time and wall-clock time, both in nanoseconds. */
    public record Sample(long progress, long cpuNanos, long wallNanos) {}

    /** The cost of a window: the records it covers, and the CPU and wall-clock time they took. */
    public record Window(long records, long cpuNanos, long wallNanos) {
        public double cpuNanosPerRecord() {
            return (double) cpuNanos / records;
        }

        public double recordsPerSecond() {
            return records * 1e9 / wallNanos;
        }
    }

    private final LongSupplier progress;
    private final long intervalMillis;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    private CpuSampler(LongSupplier progress, long intervalMillis) {
        this.progress = progress;
        this.intervalMillis = intervalMillis;
        this.thread = new Thread(this::loop, "benchmark-cpu-sampler");
        this.thread.setDaemon(true);
    }

    public static CpuSampler start(LongSupplier progress, long intervalMillis) {
        CpuSampler sampler = new CpuSampler(progress, intervalMillis);
        sampler.sample();
        sampler.thread.start();
        return sampler;
    }

    public static long processCpuNanos() {
        return OS.getProcessCpuTime();
    }

    private void loop() {
        while (running) {
            try {
                Thread.sleep(intervalMillis);
            } catch (InterruptedException e) {
                return;
            }
            sample();
        }
    }

    private void sample() {
        Sample s = new Sample(progress.getAsLong(), processCpuNanos(), System.nanoTime());
        synchronized (samples) {
            samples.add(s);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join();
        sample();
    }

    /**
     * The window from the first sample at or past {@code fromProgress} to the first at or past
     * {@code toProgress}, or null if the run was too short to have two distinct such samples.
     */
    public Window window(long fromProgress, long toProgress) {
        Sample from = null;
        Sample to = null;
        synchronized (samples) {
            for (Sample s : samples) {
                if (from == null && s.progress() >= fromProgress) {
                    from = s;
                }
                if (to == null && s.progress() >= toProgress) {
                    to = s;
                }
            }
        }
        if (from == null || to == null || to.progress() <= from.progress()) {
            return null;
        }
        return new Window(
                to.progress() - from.progress(), to.cpuNanos() - from.cpuNanos(), to.wallNanos() - from.wallNanos());
    }
}
