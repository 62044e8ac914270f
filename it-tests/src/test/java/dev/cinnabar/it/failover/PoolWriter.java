package dev.cinnabar.it.failover;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.Pool;

/**
 * A thread that writes {@code j:<i> = <i>} through a Jedis pool, one connection borrowed per write,
 * until closed (or a million writes): a client riding through a failover. A failed write (master
 * gone, READONLY, timeout) pauses it 50 ms and the next write goes on with the next key.
 */
final class PoolWriter implements AutoCloseable {
    private static final int MAX_WRITES = 1_000_000;
    private static final Duration JOIN = Duration.ofSeconds(30);

    private final AtomicInteger written = new AtomicInteger();
    private final AtomicBoolean stop = new AtomicBoolean();
    private volatile int lastWritten = -1;
    private final AtomicInteger failed = new AtomicInteger();
    private volatile String lastError = "none";
    private final Thread thread;

    PoolWriter(final Pool<Jedis> pool) {
        thread = new Thread(() -> {
            for (int i = 0; !stop.get() && i < MAX_WRITES; i++) {
                try (Jedis j = pool.getResource()) {
                    j.set("j:" + i, Integer.toString(i));
                    lastWritten = i;
                    written.incrementAndGet();
                } catch (RuntimeException e) {
                    failed.incrementAndGet();
                    lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
                    LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
                }
            }
        }, "jedis-writer");
        thread.start();
    }

    /** Writes acknowledged so far. */
    int written() {
        return written.get();
    }

    /** For a failure message: writes acknowledged and failed, and the last failure. */
    String state() {
        return "acknowledged " + written.get() + ", failed " + failed.get() + ", last failure " + lastError;
    }

    /** The index i of the last acknowledged write (key j:i), or -1. */
    int lastWritten() {
        return lastWritten;
    }

    /** Stops the writer and waits for its thread (bounded). */
    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        thread.join(JOIN.toMillis());
    }
}
