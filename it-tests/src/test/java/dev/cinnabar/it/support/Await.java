package dev.cinnabar.it.support;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits on a condition with a deadline, polling; the tests' only way to wait for something to happen. */
public final class Await {
    private static final long POLL_NANOS = Duration.ofMillis(20).toNanos();

    private Await() {
    }

    /** Polls until the condition holds; throws AssertionError naming what was awaited past the deadline. */
    public static void until(final String what, final BooleanSupplier condition, final Duration timeout) {
        if (!poll(condition, timeout)) {
            throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
        }
    }

    public static void until(final BooleanSupplier condition, final Duration timeout) {
        until("a condition", condition, timeout);
    }

    /** Polls until the condition holds or the deadline passes; returns whether it held. */
    public static boolean poll(final BooleanSupplier condition, final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /** Lets time pass on purpose (a scripted timeout must expire); not a way to wait for a condition. */
    public static void pause(final Duration d) {
        final long deadline = System.nanoTime() + d.toNanos();
        for (long left = d.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}
