package dev.cinnabar.it.failover;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;

import dev.cinnabar.it.support.NodeProcess;
import dev.cinnabar.it.support.RespClient;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisSentinelPool;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The lost-writes harness: one client writing {@code SET w:<i> <i>} one at a time to whatever the
 * sentinels call the master (asking them again after any error or dropped connection), recording
 * which writes were acknowledged and the longest stretch without an acknowledgement; at the end,
 * every acknowledged key is looked up on the final master. A write counts as lost when it was
 * acknowledged with +OK and the final master does not have it. The writer speaks raw RESP on one
 * connection, or (the Jedis variant) goes through a {@link JedisSentinelPool}, which follows the
 * sentinels' +switch-master events as applications do.
 */
final class LostWrites implements AutoCloseable {
    private static final int MAX_WRITES = 5_000_000;
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(2);
    private static final int LOOKUP_BATCH = 1000;

    /**
     * What one run measured; {@code lastLostAfterFaultMs}: how long after the fault the last lost
     * write was acknowledged (negative: before it), meaningful when {@code lost > 0}.
     */
    record Result(String scenario, int acknowledged, int lost, long longestGapMs, int errors, long lastLostAfterFaultMs) {
        String line() {
            return String.format("%s: acknowledged %d, lost %d, longest stretch without an acknowledged write %d ms,"
                + " errors seen by the writer %d%s", scenario, acknowledged, lost, longestGapMs, errors,
                lost > 0 ? ", last lost write acknowledged " + lastLostAfterFaultMs + " ms after the fault" : "");
        }
    }

    private final IntSupplier masterPort;
    private final JedisSentinelPool pool;
    private final List<Long> ackNanos = new ArrayList<>();
    private volatile long faultNanos;
    /** The master's port when the fault was injected (-1: not given), and the first ack from another node after it. */
    private volatile int faultPort = -1;
    private volatile long firstAckElsewhereNanos;
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
        this.pool = null;
        this.thread = new Thread(this::run, "lost-writes-writer");
        thread.start();
    }

    /** The Jedis variant: writes through {@code pool} (closed by {@link #close()}). */
    LostWrites(final JedisSentinelPool pool) {
        this.masterPort = () -> pool.getCurrentHostMaster().getPort();
        this.pool = pool;
        this.thread = new Thread(this::runJedis, "lost-writes-jedis-writer");
        thread.start();
    }

    /** The Jedis variant through a JedisSentinelPool over every sentinel of {@code fleet}. */
    static LostWrites throughSentinelPool(final Fleet fleet) {
        final Set<String> addrs = new HashSet<>();
        for (final NodeProcess s : fleet.sentinels) {
            addrs.add("127.0.0.1:" + s.port());
        }
        return new LostWrites(new JedisSentinelPool(Fleet.MASTER, addrs));
    }

    /** The moment the fault is injected, for {@link Result#lastLostAfterFaultMs()}. */
    void markFault() {
        faultNanos = System.nanoTime();
    }

    /** {@link #markFault()}; {@link #firstAckElsewhereNanos()} then waits for a node other than {@code masterPort}. */
    void markFault(final int masterPort) {
        faultPort = masterPort;
        firstAckElsewhereNanos = 0;
        markFault();
    }

    /** System.nanoTime() of the first write acknowledged by another node than the faulty master, 0 until then. */
    long firstAckElsewhereNanos() {
        return firstAckElsewhereNanos;
    }

    private void runJedis() {
        for (int i = 0; i < MAX_WRITES && !stop.get(); i++) {
            try (Jedis j = pool.getResource()) {
                if ("OK".equals(j.set("w:" + i, Integer.toString(i)))) {
                    acknowledge(i, j.getConnection().getHostAndPort().getPort());
                } else {
                    errors++;
                    LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
                }
            } catch (JedisException e) {
                errors++;
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
        }
    }

    int acknowledged() {
        return ackedCount;
    }

    private void run() {
        RespClient conn = null;
        int connPort = -1;
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
                    connPort = port;
                }
                final String reply = Fleet.text(conn.call("SET", "w:" + i, Integer.toString(i)));
                if (reply.equals("+OK\r\n")) {
                    acknowledge(i, connPort);
                } else {
                    // an error reply (READONLY, NOREPLICAS...): ask the sentinels again, as a client would
                    errors++;
                    conn.close();
                    conn = null;
                    LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
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

    /** Write {@code i} was acknowledged by the node listening on {@code port}. */
    private void acknowledge(final int i, final int port) {
        final long now = System.nanoTime();
        if (faultNanos != 0 && firstAckElsewhereNanos == 0 && port != faultPort && now - faultNanos >= 0) {
            firstAckElsewhereNanos = now;
        }
        if (lastAckNanos != 0) {
            longestGapNanos = Math.max(longestGapNanos, now - lastAckNanos);
        }
        lastAckNanos = now;
        synchronized (acked) {
            acked.add(i);
            ackNanos.add(now);
        }
        ackedCount++;
    }

    /** Stops the writer and counts the acknowledged writes missing on the master at {@code finalPort}. */
    Result finish(final String scenario, final int finalPort) throws InterruptedException {
        stop.set(true);
        thread.join(30_000);
        final List<Integer> all;
        final List<Long> times;
        synchronized (acked) {
            all = new ArrayList<>(acked);
            times = new ArrayList<>(ackNanos);
        }
        int lost = 0;
        long lastLost = Long.MIN_VALUE;
        try (RespClient c = RespClient.connect(finalPort, Duration.ofSeconds(10))) {
            for (int from = 0; from < all.size(); from += LOOKUP_BATCH) {
                final int to = Math.min(all.size(), from + LOOKUP_BATCH);
                final List<String> argv = new ArrayList<>();
                argv.add("MGET");
                for (final int i : all.subList(from, to)) {
                    argv.add("w:" + i);
                }
                final boolean[] missing = missing(c.call(argv.toArray(new String[0])), to - from);
                for (int k = 0; k < missing.length; k++) {
                    if (missing[k]) {
                        lost++;
                        lastLost = Math.max(lastLost, times.get(from + k));
                    }
                }
            }
        }
        final long lastLostMs = lost == 0 ? 0 : (lastLost - faultNanos) / 1_000_000;
        return new Result(scenario, all.size(), lost, longestGapNanos / 1_000_000, errors, lastLostMs);
    }

    /** Which of an MGET reply's {@code n} entries are nil ($-1). */
    private static boolean[] missing(final byte[] reply, final int n) {
        final String r = Fleet.text(reply);
        if (!r.startsWith("*" + n + "\r\n")) {
            throw new IllegalStateException("unexpected MGET reply: " + r.substring(0, Math.min(80, r.length())));
        }
        final boolean[] m = new boolean[n];
        int pos = r.indexOf("\r\n") + 2;
        for (int k = 0; k < n; k++) {
            final int eol = r.indexOf("\r\n", pos);
            final int len = Integer.parseInt(r.substring(pos + 1, eol));
            m[k] = len < 0;
            pos = len < 0 ? eol + 2 : eol + 2 + len + 2;
        }
        return m;
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        thread.join(30_000);
        if (pool != null) {
            pool.close();
        }
    }
}
