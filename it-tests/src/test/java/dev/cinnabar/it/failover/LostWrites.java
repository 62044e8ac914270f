package dev.cinnabar.it.failover;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;

import dev.cinnabar.it.support.RespClient;

/**
 * The lost-writes harness: one client writing {@code SET w:<i> <i>} one at a time to whatever the
 * sentinels call the master (asking them again after any error or dropped connection), recording
 * which writes were acknowledged and the longest stretch without an acknowledgement; at the end,
 * every acknowledged key is looked up on the final master. A write counts as lost when it was
 * acknowledged with +OK and the final master does not have it.
 */
final class LostWrites implements AutoCloseable {
    private static final int MAX_WRITES = 5_000_000;
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(2);
    private static final int EXISTS_BATCH = 1000;

    /** What one run measured. */
    record Result(String scenario, int acknowledged, int lost, long longestGapMs, int errors) {
        String line() {
            return String.format("%s: acknowledged %d, lost %d, longest stretch without an acknowledged write %d ms,"
                + " errors seen by the writer %d", scenario, acknowledged, lost, longestGapMs, errors);
        }
    }

    private final IntSupplier masterPort;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;
    private final List<Integer> acked = new ArrayList<>();
    private volatile long lastAckNanos;
    private volatile long longestGapNanos;
    private volatile int errors;
    private volatile int ackedCount;

    /** Starts writing at once; {@code masterPort} asks the sentinels (-1 when none answers). */
    LostWrites(final IntSupplier masterPort) {
        this.masterPort = masterPort;
        this.thread = new Thread(this::run, "lost-writes-writer");
        thread.start();
    }

    int acknowledged() {
        return ackedCount;
    }

    private void run() {
        RespClient conn = null;
        for (int i = 0; i < MAX_WRITES && !stop.get(); i++) {
            try {
                if (conn == null) {
                    final int port = masterPort.getAsInt();
                    if (port < 0) {
                        errors++;
                        LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
                        continue;
                    }
                    conn = RespClient.connect(port, REPLY_TIMEOUT);
                }
                final String reply = Fleet.text(conn.call("SET", "w:" + i, Integer.toString(i)));
                if (reply.equals("+OK\r\n")) {
                    acknowledge(i);
                } else {
                    errors++;
                    conn.close();
                    conn = null;
                }
            } catch (RuntimeException e) {
                errors++;
                if (conn != null) {
                    conn.close();
                    conn = null;
                }
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
        }
        if (conn != null) {
            conn.close();
        }
    }

    private void acknowledge(final int i) {
        final long now = System.nanoTime();
        if (lastAckNanos != 0) {
            longestGapNanos = Math.max(longestGapNanos, now - lastAckNanos);
        }
        lastAckNanos = now;
        synchronized (acked) {
            acked.add(i);
        }
        ackedCount++;
    }

    /** Stops the writer and counts the acknowledged writes missing on the master at {@code finalPort}. */
    Result finish(final String scenario, final int finalPort) throws InterruptedException {
        stop.set(true);
        thread.join(30_000);
        final List<Integer> all;
        synchronized (acked) {
            all = new ArrayList<>(acked);
        }
        int present = 0;
        try (RespClient c = RespClient.connect(finalPort, Duration.ofSeconds(10))) {
            for (int from = 0; from < all.size(); from += EXISTS_BATCH) {
                final List<String> argv = new ArrayList<>();
                argv.add("EXISTS");
                for (final int i : all.subList(from, Math.min(all.size(), from + EXISTS_BATCH))) {
                    argv.add("w:" + i);
                }
                final String r = Fleet.text(c.call(argv.toArray(new String[0])));
                present += Integer.parseInt(r.substring(1, r.length() - 2));
            }
        }
        return new Result(scenario, all.size(), all.size() - present, longestGapNanos / 1_000_000, errors);
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        thread.join(30_000);
    }
}
