package io.headway.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * Waits for a condition with a deadline, instead of sleeping a guessed time. The probe may assert:
 * a failed assertion (e.g. "the job has not ended") stops the wait at once.
 */
public final class Eventually {

    private static final Duration POLL = Duration.ofMillis(100);

    private Eventually() {}

    public static <T> T await(String what, Duration timeout, Callable<T> probe, Predicate<T> done) throws Exception {
        return await(what, timeout, POLL, probe, done);
    }

    /** With a poll interval, for a test that must act soon after the condition holds (e.g. fail mid-stream). */
    public static <T> T await(String what, Duration timeout, Duration poll, Callable<T> probe, Predicate<T> done)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = probe.call();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; last: " + last);
            }
            Thread.sleep(poll.toMillis());
            last = probe.call();
        }
        return last;
    }
}
