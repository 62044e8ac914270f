package dev.cinnabar.server.persistence;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.BiConsumer;

import dev.cinnabar.server.ServerLog;
import dev.cinnabar.storage.keyspace.Keyspace;
import dev.cinnabar.storage.rdb.RdbAux;
import dev.cinnabar.storage.rdb.RdbOptions;
import dev.cinnabar.storage.rdb.RdbWriter;
import dev.cinnabar.storage.rdb.Snapshot;
import dev.cinnabar.storage.rdb.SnapshotPipe;

/**
 * One BGSAVE, the fork-less stand-in for Redis's RDB child: the keyspace's point-in-time
 * {@link Snapshot} is stepped on the keyspace loop a slice at a time and its bytes cross a
 * {@link SnapshotPipe} to a writer thread, which writes the temp file and fsyncs it.
 *
 * <p>Why a slice bounded in time as well as in keys: a loop turn must give the clients their turn
 * within about a millisecond whatever the values weigh, so {@link #step} stops after
 * {@link #SLICE_NS} even mid-budget. Why the pipe's bound: when the disk is slower than the cursor,
 * the cursor waits (the snapshot's {@code ready}), not the clients.
 *
 * <p>Invariants:
 * <ol>
 *   <li>The writer thread never touches the keyspace; it reports once, through {@code onWritten},
 *       which the owner runs on the loop.</li>
 *   <li>After {@link #abort} the writer stops at the end of what was queued and deletes its temp
 *       file; a report that arrives anyway is ignored by the owner (the job is no longer current).</li>
 * </ol>
 */
final class BackgroundSave {
    /** Keys (and empty buckets) per snapshot step inside one slice. */
    private static final int KEYS_PER_STEP = 256;
    /** The most a slice may take on the keyspace loop. */
    static final long SLICE_NS = 1_000_000;
    /** Bytes queued for the writer beyond which the cursor pauses. */
    private static final long PIPE_BOUND_BYTES = 8L * 1024 * 1024;
    /** How long the writer waits for a chunk before checking for an abort. */
    private static final long POLL_MS = 200;

    /** What {@link #step} asks of the loop: come back at once, a little later, or never. */
    enum Next { AGAIN, LATER, FINISHED }

    private final Snapshot snapshot;
    private final SnapshotPipe pipe;
    private final Path temp;
    private final long keysTotal;
    private final long startNs;
    /** rdb-key-save-delay as nanoseconds per key, 0 for full speed. */
    private final long nsPerKey;
    private volatile boolean aborted;

    private BackgroundSave(final Snapshot snapshot, final SnapshotPipe pipe, final Path temp, final long keysTotal,
                           final long nsPerKey) {
        this.snapshot = snapshot;
        this.pipe = pipe;
        this.temp = temp;
        this.keysTotal = keysTotal;
        this.nsPerKey = nsPerKey;
        this.startNs = System.nanoTime();
    }

    /**
     * Opens the snapshot (the instant the file will show) and starts the writer thread. Must run on
     * the keyspace loop. {@code onWritten} is called on the writer thread with null or the error once
     * the file is complete and synced, or has failed.
     *
     * @throws IOException the header could not be produced
     */
    static BackgroundSave start(final Keyspace ks, final RdbOptions options, final RdbAux aux, final Path temp,
                                final long keySaveDelayUs, final BiConsumer<BackgroundSave, IOException> onWritten)
        throws IOException {
        final SnapshotPipe pipe = new SnapshotPipe(PIPE_BOUND_BYTES);
        final RdbWriter writer = new RdbWriter(pipe, options);
        final Snapshot snapshot = Snapshot.start(ks, writer, aux, pipe::hasRoom);
        final long nsPerKey = keySaveDelayUs > 0 ? keySaveDelayUs * 1000 : keySaveDelayUs < 0 ? 1000 / -keySaveDelayUs : 0;
        final BackgroundSave job = new BackgroundSave(snapshot, pipe, temp, ks.totalKeys(), nsPerKey);
        final Thread t = new Thread(() -> onWritten.accept(job, job.write()), "cinnabar-bgsave");
        t.setDaemon(true);
        t.start();
        return job;
    }

    /**
     * One slice of the cursor, on the loop: at most {@link #SLICE_NS}, fewer keys when
     * rdb-key-save-delay paces the save. Closes the pipe after the last key.
     *
     * @throws IOException a write error (of the pipe or of a value)
     */
    Next step() throws IOException {
        final long sliceStart = System.nanoTime();
        for (int round = 0; round < 1024; round++) {
            int budget = KEYS_PER_STEP;
            if (nsPerKey > 0) {
                final long due = (System.nanoTime() - startNs) / nsPerKey - snapshot.keysWritten();
                if (due <= 0) {
                    return Next.LATER;
                }
                budget = (int) Math.min(budget, due);
            }
            if (!snapshot.step(budget)) {
                pipe.close();
                return Next.FINISHED;
            }
            if (!pipe.hasRoom()) {
                return Next.LATER;
            }
            if (System.nanoTime() - sliceStart >= SLICE_NS) {
                return Next.AGAIN;
            }
        }
        return Next.AGAIN;
    }

    /** Stops the cursor and the writer; the temp file is removed. Idempotent. */
    void abort() {
        aborted = true;
        snapshot.abort();
        pipe.close();
    }

    boolean aborted() {
        return aborted;
    }

    Path temp() {
        return temp;
    }

    /** Keys written so far (INFO current_save_keys_processed). */
    long keysProcessed() {
        return snapshot.keysWritten();
    }

    /** Keys when the save started (INFO current_save_keys_total). */
    long keysTotal() {
        return keysTotal;
    }

    /** The writer thread's body: every chunk to the temp file, then fsync. Returns null or the error. */
    private IOException write() {
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (true) {
                final SnapshotPipe.Chunk chunk = pipe.poll(POLL_MS);
                if (chunk == null) {
                    if (aborted) {
                        break;
                    }
                    continue;
                }
                if (chunk.isEnd()) {
                    break;
                }
                final ByteBuffer b = ByteBuffer.wrap(chunk.data(), 0, chunk.length());
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                pipe.recycle(chunk);
            }
            if (!aborted) {
                ch.force(true);
                return null;
            }
        } catch (IOException e) {
            pipe.fail(e);
            deleteQuietly();
            return e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pipe.fail(new IOException("background save interrupted"));
        }
        deleteQuietly();
        return new IOException("background save aborted");
    }

    void deleteQuietly() {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            ServerLog.warning("Can't remove the temp RDB file " + temp.getFileName() + ": " + e.getMessage());
        }
    }
}
