package io.headway.backtest;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Records read of the total, rate and time left, on standard error: a bar redrawn in place on a
 * terminal, a plain line every few seconds otherwise (logs, CI).
 */
final class Progress implements AutoCloseable {

    private static final long BAR_MILLIS = 250;
    private static final long LINE_MILLIS = 5_000;
    private static final int WIDTH = 30;

    private final String label;
    private final long total;
    private final LongSupplier done;
    private final PrintStream out;
    private final boolean terminal;
    private final long started = System.nanoTime();
    private final Thread thread;
    private volatile boolean running = true;

    private Progress(String label, long total, LongSupplier done, PrintStream out, boolean terminal) {
        this.label = label;
        this.total = total;
        this.done = done;
        this.out = out;
        this.terminal = terminal;
        this.thread = new Thread(this::loop, "backtest-progress");
        this.thread.setDaemon(true);
    }

    /** Starts a reporter for one pass over the history. */
    interface Factory {
        Progress start(String label, LongSupplier done);
    }

    /** A started reporter, or one that prints nothing when {@code quiet}. */
    static Progress start(String label, long total, LongSupplier done, boolean quiet) {
        Progress p = new Progress(label, total, done, System.err, System.console() != null);
        if (!quiet) {
            p.thread.start();
        }
        return p;
    }

    private void loop() {
        long interval = terminal ? BAR_MILLIS : LINE_MILLIS;
        while (running) {
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
            if (running) {
                print(false);
            }
        }
    }

    private void print(boolean last) {
        long n = done.getAsLong();
        double seconds = (System.nanoTime() - started) / 1e9;
        double rate = seconds > 0 ? n / seconds : 0;
        double share = total > 0 ? Math.min(1.0, (double) n / total) : 0;
        String eta = rate > 0 && total > n ? duration((total - n) / rate) : "-";
        String text = String.format(Locale.ROOT, "%s: %,d of %,d records (%.0f%%), %,.0f records/s, %s left, %s elapsed",
                label, n, total, 100 * share, rate, eta, duration(seconds));
        if (terminal) {
            int filled = (int) Math.round(share * WIDTH);
            out.print("\r[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + text + "   " + (last ? "\n" : ""));
        } else {
            out.println(text);
        }
        out.flush();
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    @Override
    public void close() {
        if (thread.isAlive()) {
            running = false;
            thread.interrupt();
            print(true);
        }
    }
}
