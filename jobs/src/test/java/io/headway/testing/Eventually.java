package io.headway.testing;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Waits for a condition with a deadline, instead of sleeping a guessed time. */
public final class Eventually {

    private Eventually() {}

    public static <T> T await(String what, Duration timeout, Callable<T> probe, java.util.function.Predicate<T> done)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = probe.call();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; last: " + last);
            }
            Thread.sleep(100);
            last = probe.call();
        }
        return last;
    }
}
