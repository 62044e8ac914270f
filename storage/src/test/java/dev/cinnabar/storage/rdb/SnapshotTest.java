package dev.cinnabar.storage.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.cinnabar.protocol.command.CommandFamily;
import dev.cinnabar.storage.commands.StorageFamilies;
import dev.cinnabar.storage.commands.StorageTestCall;
import dev.cinnabar.storage.keyspace.ActiveExpireCycle;
import dev.cinnabar.storage.keyspace.Keyspace;

/**
 * The fork-less snapshot equals the keyspace at its start instant, whatever commands run
 * between its steps: checked against a synchronous save taken at that instant.
 */
@Timeout(120)
class SnapshotTest {
    private static final int KEYS = 40;

    private static StorageTestCall call() {
        return new StorageTestCall(StorageFamilies.all().toArray(new CommandFamily[0]));
    }

    private static Map<String, String> loaded(final byte[] file, final long nowMs) throws IOException {
        final Keyspace ks = new Keyspace(16);
        ks.nowMs(nowMs);
        RdbLoader.load(new ByteArrayInputStream(file), file.length, ks, nowMs, true);
        return Canon.of(ks);
    }

    private static byte[] saveNow(final Keyspace ks) throws IOException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        RdbWriter.save(ks, out, RdbOptions.defaults(), RdbAux.of(ks.nowMs(), 0));
        return out.toByteArray();
    }

    /** Runs the snapshot to its end, calling {@code between} after every step. */
    private static byte[] snapshot(final Keyspace ks, final BooleanSupplier ready, final int budget,
                                   final Runnable between) throws IOException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final Snapshot s = Snapshot.start(ks, new RdbWriter(out, RdbOptions.defaults()), RdbAux.of(ks.nowMs(), 0),
            ready);
        int steps = 0;
        while (s.step(budget)) {
            between.run();
            assertThat(++steps).as("snapshot steps").isLessThan(1_000_000);
        }
        assertThat(s.state()).isEqualTo(Snapshot.State.DONE);
        assertThat(ks.snapshotRunning()).isFalse();
        return out.toByteArray();
    }

    private static String key(final SplittableRandom rnd) {
        return "k" + rnd.nextInt(KEYS);
    }

    private static String num(final SplittableRandom rnd) {
        return Integer.toString(rnd.nextInt(20) - 5);
    }

    /** A random data command on a small pool of keys, so commands keep hitting the same keys. */
    private static String[] command(final SplittableRandom rnd, final long nowMs) {
        final String k = key(rnd);
        final String k2 = key(rnd);
        switch (rnd.nextInt(44)) {
            case 0: return new String[] {"SET", k, "v" + rnd.nextInt(1000)};
            case 1: return new String[] {"APPEND", k, "+"};
            case 2: return new String[] {"INCRBY", k, num(rnd)};
            case 3: return new String[] {"SETRANGE", k, "2", "xy"};
            case 4: return new String[] {"DEL", k, k2};
            case 5: return new String[] {"RPUSH", k, num(rnd), "e" + rnd.nextInt(9)};
            case 6: return new String[] {"LPOP", k};
            case 7: return new String[] {"LSET", k, "0", "set"};
            case 8: return new String[] {"LMOVE", k, k2, "LEFT", "RIGHT"};
            case 9: return new String[] {"LTRIM", k, "1", "-1"};
            case 10: return new String[] {"SADD", k, num(rnd), "m" + rnd.nextInt(5)};
            case 11: return new String[] {"SREM", k, num(rnd)};
            case 12: return new String[] {"SPOP", k};
            case 13: return new String[] {"SMOVE", k, k2, num(rnd)};
            case 14: return new String[] {"SUNIONSTORE", k, k2, key(rnd)};
            case 15: return new String[] {"HSET", k, "f" + rnd.nextInt(6), num(rnd)};
            case 16: return new String[] {"HDEL", k, "f" + rnd.nextInt(6)};
            case 17: return new String[] {"HINCRBY", k, "f" + rnd.nextInt(6), "3"};
            case 18: return new String[] {"ZADD", k, num(rnd), "z" + rnd.nextInt(6)};
            case 19: return new String[] {"ZINCRBY", k, "1.5", "z" + rnd.nextInt(6)};
            case 20: return new String[] {"ZREM", k, "z" + rnd.nextInt(6)};
            case 21: return new String[] {"ZPOPMIN", k};
            case 22: return new String[] {"ZUNIONSTORE", k, "2", k2, key(rnd)};
            case 23: return new String[] {"PEXPIRE", k, Integer.toString(1 + rnd.nextInt(300))};
            case 24: return new String[] {"PEXPIREAT", k, Long.toString(nowMs + 100_000)};
            case 25: return new String[] {"PERSIST", k};
            case 26: return new String[] {"RENAME", k, k2};
            case 27: return new String[] {"RENAMENX", k, k2};
            case 28: return new String[] {"MOVE", k, Integer.toString(rnd.nextInt(3))};
            case 29: return new String[] {"COPY", k, k2, "DB", Integer.toString(rnd.nextInt(3)), "REPLACE"};
            case 30: return new String[] {"GET", k};
            case 31: return new String[] {"GETDEL", k};
            case 32: return new String[] {"GETEX", k, "PX", "50"};
            case 33: return new String[] {"SETBIT", k, Integer.toString(rnd.nextInt(40)), "1"};
            case 34: return new String[] {"PFADD", k, "h" + rnd.nextInt(100)};
            case 35: return new String[] {"HINCRBYFLOAT", k, "f1", "0.5"};
            case 36: return new String[] {"LINSERT", k, "BEFORE", "set", "ins"};
            case 37: return new String[] {"LREM", k, "0", "set"};
            case 38: return new String[] {"ZREMRANGEBYRANK", k, "0", "0"};
            case 39: return new String[] {"SINTERSTORE", k, k2, key(rnd)};
            case 40: return new String[] {"ZRANGESTORE", k, k2, "0", "-1"};
            case 41: return new String[] {"SET", k, "x".repeat(50), "KEEPTTL"};
            case 42: return new String[] {"GEOADD", k, "13.36", "38.11", "g" + rnd.nextInt(3)};
            default: return new String[] {"UNLINK", k};
        }
    }

    private static void randomWork(final StorageTestCall c, final SplittableRandom rnd, final ActiveExpireCycle cycle,
                                   final boolean rareFlushes) {
        c.select(rnd.nextInt(3));
        final int n = rnd.nextInt(6);
        for (int i = 0; i < n; i++) {
            c.run(command(rnd, c.nowMs()));
        }
        if (rnd.nextInt(8) == 0) {
            c.advance(rnd.nextInt(120));
        }
        if (rnd.nextInt(20) == 0) {
            cycle.doWork(10);
        }
        if (rareFlushes && rnd.nextInt(300) == 0) {
            c.run(rnd.nextBoolean() ? "FLUSHDB" : "SWAPDB", "0", "1");
        }
        if (rareFlushes && rnd.nextInt(600) == 0) {
            c.run("SWAPDB", Integer.toString(rnd.nextInt(3)), Integer.toString(rnd.nextInt(3)));
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
    void shouldEqualTheKeyspaceAtItsStartWhateverRunsMeanwhile(final long seed) throws IOException {
        final SplittableRandom rnd = new SplittableRandom(seed);
        final StorageTestCall c = call();
        final ActiveExpireCycle cycle = new ActiveExpireCycle(c.keyspace);
        for (int i = 0; i < 400; i++) {
            randomWork(c, rnd, cycle, false);
        }
        final long start = c.nowMs();
        final Map<String, String> atStart = loaded(saveNow(c.keyspace), start);
        assertThat(atStart).hasSizeGreaterThan(20);
        final byte[] file = snapshot(c.keyspace, () -> rnd.nextInt(4) != 0, 1 + rnd.nextInt(6),
            () -> randomWork(c, rnd, cycle, true));
        assertThat(loaded(file, start)).isEqualTo(atStart);
        // the hook is gone: later changes cost nothing and change nothing already written
        c.run("SET", "after", "x");
        assertThat(loaded(file, start)).isEqualTo(atStart);
    }

    @Test
    void shouldWriteDeletedAndReplacedKeysWithTheirOldValuesAndSkipNewOnes() throws IOException {
        final StorageTestCall c = call();
        for (int i = 0; i < 200; i++) {
            c.run("SET", "s" + i, "old" + i);
            c.run("RPUSH", "l" + i, "a", "b");
        }
        c.run("PEXPIRE", "s1", "10");
        final long start = c.nowMs();
        final Map<String, String> atStart = loaded(saveNow(c.keyspace), start);
        final int[] round = {0};
        final byte[] file = snapshot(c.keyspace, () -> true, 3, () -> {
            final int i = round[0]++ % 200;
            c.run("DEL", "s" + i);
            c.run("SET", "s" + i, "new");
            c.run("RPUSH", "l" + i, "c");
            c.run("SET", "fresh" + i, "x");
            c.advance(1);
            c.run("GET", "s1");
        });
        assertThat(loaded(file, start)).isEqualTo(atStart).doesNotContainKey("0:fresh0")
            .containsEntry("0:s1", "string:old1 expire=" + (start + 10));
    }

    @Test
    void shouldFinishFlushedAndSwappedDatabasesFromTheirStartContents() throws IOException {
        final StorageTestCall c = call();
        for (int db = 0; db < 3; db++) {
            c.select(db);
            for (int i = 0; i < 300; i++) {
                c.run("HSET", "h" + db + ":" + i, "f", Integer.toString(i));
            }
        }
        final long start = c.nowMs();
        final Map<String, String> atStart = loaded(saveNow(c.keyspace), start);
        final int[] round = {0};
        final byte[] file = snapshot(c.keyspace, () -> true, 5, () -> {
            switch (round[0]++) {
                case 3:
                    c.run("SWAPDB", "0", "2");
                    break;
                case 10:
                    c.select(1);
                    c.run("FLUSHDB");
                    c.run("SET", "h1:0", "replacement");
                    break;
                case 20:
                    c.run("FLUSHALL");
                    break;
                default:
                    c.select(round[0] % 3);
                    c.run("HSET", "h" + (round[0] % 3) + ":" + round[0], "f", "changed");
                    c.run("HSET", "h2:" + round[0], "g", "changed");
                    break;
            }
        });
        assertThat(loaded(file, start)).isEqualTo(atStart);
    }

    @Test
    void shouldRefuseASecondSnapshotAndStopOnAbort() throws IOException {
        final StorageTestCall c = call();
        c.run("SET", "a", "1");
        final Snapshot s = Snapshot.start(c.keyspace, new RdbWriter(new ByteArrayOutputStream(),
            RdbOptions.defaults()), RdbAux.of(0, 0), () -> true);
        assertThatThrownBy(() -> Snapshot.start(c.keyspace, new RdbWriter(new ByteArrayOutputStream(),
            RdbOptions.defaults()), RdbAux.of(0, 0), () -> true)).isInstanceOf(IllegalStateException.class);
        s.abort();
        assertThat(s.state()).isEqualTo(Snapshot.State.ABORTED);
        assertThat(c.keyspace.snapshotRunning()).isFalse();
        assertThat(s.step(10)).isFalse();
    }

    @Test
    void shouldFailCleanlyWhenTheSinkFailsDuringACopyOnWrite() throws IOException {
        final StorageTestCall c = call();
        for (int i = 0; i < 100; i++) {
            c.run("SET", "k" + i, "v".repeat(100_000));
        }
        final boolean[] broken = {false};
        final OutputStream sink = new OutputStream() {
            @Override
            public void write(final int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(final byte[] b, final int off, final int len) throws IOException {
                if (broken[0]) {
                    throw new IOException("disk full");
                }
            }
        };
        final RdbOptions noCompression = new RdbOptions(false, true, -2, false, false);
        final Snapshot s = Snapshot.start(c.keyspace, new RdbWriter(sink, noCompression), RdbAux.of(0, 0), () -> true);
        broken[0] = true;
        for (int i = 0; i < 100; i++) {
            assertThat(c.run("SET", "k" + i, "new")).isEqualTo("+OK\r\n");
        }
        assertThat(s.state()).isEqualTo(Snapshot.State.FAILED);
        assertThat(c.keyspace.snapshotRunning()).isFalse();
        assertThatThrownBy(() -> s.step(10)).isInstanceOf(IOException.class).hasMessage("disk full");
    }

    @Test
    void shouldPauseTheCursorWhileThePipeIsFullAndDeliverEveryByte() throws Exception {
        final StorageTestCall c = call();
        for (int i = 0; i < 20_000; i++) {
            c.run("SET", "key:" + i, "value-" + i + "-" + "p".repeat(i % 100));
        }
        final Map<String, String> atStart = Canon.of(c.keyspace);
        final SnapshotPipe pipe = new SnapshotPipe(256 * 1024);
        final ByteArrayOutputStream file = new ByteArrayOutputStream();
        final AtomicReference<Throwable> consumerError = new AtomicReference<>();
        final Thread consumer = new Thread(() -> {
            try {
                pipe.drainTo(file, 20_000);
            } catch (Throwable t) {
                consumerError.set(t);
            }
        }, "snapshot-consumer");
        consumer.start();
        final Snapshot s = Snapshot.start(c.keyspace, new RdbWriter(pipe, RdbOptions.defaults()),
            RdbAux.of(c.nowMs(), 0), pipe::hasRoom);
        long maxQueued = 0;
        int idleSteps = 0;
        final long deadline = System.currentTimeMillis() + 60_000;
        while (s.step(500)) {
            maxQueued = Math.max(maxQueued, pipe.queuedBytes());
            if (!pipe.hasRoom()) {
                idleSteps++;
                Thread.onSpinWait();
            }
            assertThat(System.currentTimeMillis()).isLessThan(deadline);
        }
        pipe.close();
        consumer.join(30_000);
        assertThat(consumerError.get()).isNull();
        assertThat(maxQueued).isLessThan(256 * 1024 + 2 * 64 * 1024 + 512 * 200);
        final byte[] bytes = file.toByteArray();
        assertThat(loaded(bytes, c.nowMs())).isEqualTo(atStart);
        assertThat(s.keysWritten()).isEqualTo(20_000);
        assertThat(idleSteps).isGreaterThanOrEqualTo(0);
    }
}
