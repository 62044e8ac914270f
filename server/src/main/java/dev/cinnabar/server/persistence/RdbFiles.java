package dev.cinnabar.server.persistence;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

import dev.cinnabar.replication.Replication;
import dev.cinnabar.server.Server;
import dev.cinnabar.server.ServerLog;
import dev.cinnabar.storage.keyspace.Keyspace;
import dev.cinnabar.storage.rdb.RdbAux;
import dev.cinnabar.storage.rdb.RdbLoadResult;
import dev.cinnabar.storage.rdb.RdbLoader;
import dev.cinnabar.storage.rdb.RdbOptions;
import dev.cinnabar.storage.rdb.RdbWriter;

/**
 * What every RDB the server writes or reads shares, whoever asks (SAVE, BGSAVE, DEBUG RELOAD,
 * start-up, a replica's full sync, a master's snapshot for its replicas): the options from the
 * config, the aux fields, the target path, the atomic replacement of the file and the load with
 * Redis's log lines.
 *
 * <p>Why temp file, fsync, rename, fsync of the directory: a crash at any instant leaves either
 * the old dump.rdb or the new one, never a truncated file (Redis: rdb.c rdbSave()).
 */
public final class RdbFiles {
    private RdbFiles() {
    }

    /** rdbcompression, rdbchecksum and the encodings of the current config. */
    public static RdbOptions options(final Server server) {
        return RdbOptions.of(server.config().storage, server.config().rdbCompression, server.config().rdbChecksum);
    }

    /**
     * The aux fields of a save taken now (used-mem is the heap in use, as INFO's used_memory), with
     * the replication id and offset when replication has a history to continue after a restart.
     */
    public static RdbAux aux(final Server server) {
        final Runtime rt = Runtime.getRuntime();
        final RdbAux plain = RdbAux.of(server.clock(), rt.totalMemory() - rt.freeMemory());
        final Replication.SaveInfo repl = server.replication() == null ? null : server.replication().saveInfo();
        return repl == null ? plain : plain.withReplication(repl.streamDb(), repl.replid(), repl.offset());
    }

    /** dir/dbfilename. */
    public static Path dumpFile(final Server server) {
        return Path.of(server.config().dir).resolve(server.config().dbfilename);
    }

    /** Redis's temp-&lt;pid&gt;.rdb of a foreground save, in dir. */
    static Path foregroundTemp(final Server server) {
        return Path.of(server.config().dir).resolve("temp-" + ProcessHandle.current().pid() + ".rdb");
    }

    /** Writes the whole keyspace as it is now to {@code target}, atomically. */
    static void saveNow(final Keyspace ks, final Path temp, final Path target, final RdbOptions options,
                        final RdbAux aux) throws IOException {
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            final OutputStream out = Channels.newOutputStream(ch);
            RdbWriter.save(ks, out, options, aux);
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        publish(temp, target);
    }

    /** Renames a complete, synced temp file over the target and syncs the directory entry. */
    static void publish(final Path temp, final Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw new IOException("Error moving temp DB file " + temp.getFileName() + " on the final destination "
                + target.getFileName() + " (in server root dir " + target.getParent() + "): " + e.getMessage(), e);
        }
        try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    /**
     * Loads {@code file} into {@code ks}, which should be empty, logging as Redis's rdbLoad does,
     * and records the counts INFO shows. On an exception the keyspace holds part of the file.
     */
    public static RdbLoadResult load(final Server server, final Path file) throws IOException {
        return load(server, file, null);
    }

    /** As {@link #load(Server, Path)}, telling {@code progress} (when not null) the bytes read so far. */
    public static RdbLoadResult load(final Server server, final Path file, final LongConsumer progress)
        throws IOException {
        final long nowMs = progress == null ? refreshedClock(server) : System.currentTimeMillis();
        final RdbLoadResult r;
        try (InputStream raw = Files.newInputStream(file)) {
            r = load(server, raw, Files.size(file), server.keyspace(), nowMs, progress);
        }
        if (server.persistence() != null) {
            server.persistence().loaded(r);
        }
        return r;
    }

    /**
     * Loads an RDB of {@code length} bytes (-1 when unknown) from {@code raw} into {@code ks} with
     * Redis's log lines; records nothing in the server, so it may run on another thread into a
     * keyspace of its own (a replica's diskless load).
     */
    public static RdbLoadResult load(final Server server, final InputStream raw, final long length, final Keyspace ks,
                                     final long nowMs, final LongConsumer progress) throws IOException {
        final InputStream in = progress == null ? raw : new Counting(raw, progress);
        final RdbLoadResult r = RdbLoader.load(in, length, ks, nowMs, server.config().rdbChecksum,
            keyLoadDelay(server.config().keyLoadDelayUs));
        ServerLog.notice("Loading RDB produced by version " + r.auxString("redis-ver"));
        ServerLog.notice("RDB age " + Math.max(0, nowMs / 1000 - r.auxLong("ctime", nowMs / 1000)) + " seconds");
        final long usedMem = r.auxLong("used-mem", -1);
        if (usedMem >= 0) {
            ServerLog.notice(String.format(Locale.ROOT, "RDB memory usage when created %.2f Mb",
                usedMem / (1024.0 * 1024)));
        }
        for (final String w : r.warnings()) {
            ServerLog.warning(w);
        }
        ServerLog.notice("Done loading RDB, keys loaded: " + r.keys() + ", keys expired: " + r.expiredSkipped() + ".");
        return r;
    }

    /** key-load-delay as Redis's debugDelay: µs per key, or 1 µs every -n keys; null for none. */
    private static Runnable keyLoadDelay(final long us) {
        if (us == 0) {
            return null;
        }
        final long[] keys = new long[1];
        return () -> {
            if (us > 0) {
                LockSupport.parkNanos(us * 1000);
            } else if (++keys[0] % -us == 0) {
                LockSupport.parkNanos(1000);
            }
        };
    }

    private static long refreshedClock(final Server server) {
        server.refreshClock();
        return server.clock();
    }

    /** Counts the bytes read, for INFO's loading progress. */
    private static final class Counting extends FilterInputStream {
        private final LongConsumer progress;
        private long read;

        Counting(final InputStream in, final LongConsumer progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            final int b = super.read();
            if (b >= 0) {
                progress.accept(++read);
            }
            return b;
        }

        @Override
        public int read(final byte[] b, final int off, final int len) throws IOException {
            final int n = super.read(b, off, len);
            if (n > 0) {
                read += n;
                progress.accept(read);
            }
            return n;
        }
    }
}
