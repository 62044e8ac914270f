package dev.cinnabar.storage.rdb;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.cinnabar.protocol.util.Bytes;
import dev.cinnabar.storage.keyspace.Database;
import dev.cinnabar.storage.keyspace.Keyspace;

/**
 * A measurement, not a test: save, snapshot and load times of N string keys shaped like
 * DEBUG POPULATE's ("key:i" → "value:i"), and the load time of a given dump.rdb.
 * Usage: RdbThroughput N dir [redis-dump.rdb]
 */
public final class RdbThroughput {
    private RdbThroughput() {
    }

    public static void main(final String[] args) throws IOException {
        final int n = Integer.parseInt(args[0]);
        final Path dir = Path.of(args[1]);
        final Keyspace ks = new Keyspace(16);
        final Database db = ks.db(0);
        for (int i = 0; i < n; i++) {
            db.add(Bytes.ascii("key:" + i), Bytes.ascii("value:" + i));
        }
        for (int round = 0; round < 3; round++) {
            final Path file = dir.resolve("cinnabar-" + round + ".rdb");
            long t = System.nanoTime();
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
                RdbWriter.save(ks, out, RdbOptions.defaults(), RdbAux.of(System.currentTimeMillis(), 0));
            }
            final double saveMs = (System.nanoTime() - t) / 1e6;
            t = System.nanoTime();
            final Path snapFile = dir.resolve("cinnabar-snapshot-" + round + ".rdb");
            final SnapshotPipe pipe = new SnapshotPipe(4L << 20);
            final Thread consumer = new Thread(() -> {
                try (OutputStream out = Files.newOutputStream(snapFile)) {
                    pipe.drainTo(out, 60_000);
                } catch (IOException | InterruptedException e) {
                    pipe.fail(new IOException(e));
                }
            }, "snapshot-writer");
            consumer.start();
            final Snapshot s = Snapshot.start(ks, new RdbWriter(pipe, RdbOptions.defaults()),
                RdbAux.of(System.currentTimeMillis(), 0), pipe::hasRoom);
            final long[] sliceNs = new long[4 * n / 1000 + 16];
            int slices = 0;
            while (true) {
                final long s0 = System.nanoTime();
                final boolean more = s.step(1000);
                if (slices < sliceNs.length) {
                    sliceNs[slices++] = System.nanoTime() - s0;
                }
                if (!more) {
                    break;
                }
                if (!pipe.hasRoom()) {
                    Thread.onSpinWait();
                }
            }
            pipe.close();
            try {
                consumer.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            java.util.Arrays.sort(sliceNs, 0, slices);
            final long worstSliceNs = sliceNs[slices - 1];
            final long p99SliceNs = sliceNs[(int) (slices * 0.99)];
            final double snapMs = (System.nanoTime() - t) / 1e6;
            System.out.printf("round %d: %d keys, file %d bytes: save %.0f ms, snapshot %.0f ms to %d bytes (%d steps "
                    + "of budget 1000, p99 step %.2f ms, worst %.2f ms)%n", round, n, Files.size(file), saveMs, snapMs,
                Files.size(snapFile), slices, p99SliceNs / 1e6, worstSliceNs / 1e6);
        }
        for (int round = 0; round < 3; round++) {
            final long t = System.nanoTime();
            final RdbLoadResult r = RdbLoader.load(dir.resolve("cinnabar-" + round + ".rdb"), new Keyspace(16),
                System.currentTimeMillis(), true);
            System.out.printf("load of our file: %.0f ms (%d keys)%n", (System.nanoTime() - t) / 1e6, r.keys());
        }
        if (args.length > 2) {
            for (int round = 0; round < 3; round++) {
                final long t = System.nanoTime();
                final RdbLoadResult r = RdbLoader.load(Path.of(args[2]), new Keyspace(16), System.currentTimeMillis(),
                    true);
                System.out.printf("redis dump %s: load %.0f ms (%d keys)%n", args[2], (System.nanoTime() - t) / 1e6,
                    r.keys());
            }
        }
    }
}
