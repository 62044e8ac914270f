package dev.cinnabar.storage.rdb;

import java.io.IOException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import dev.cinnabar.storage.keyspace.CopyOnWrite;
import dev.cinnabar.storage.keyspace.Database;
import dev.cinnabar.storage.keyspace.Dict;
import dev.cinnabar.storage.keyspace.Entry;
import dev.cinnabar.storage.keyspace.ExpireEntry;
import dev.cinnabar.storage.keyspace.Keyspace;

/**
 * A point-in-time RDB of the keyspace taken without stopping it (ARCHITECTURE section 6): a
 * cursor walks every database in slices ({@link #step}, called between event-loop batches) and
 * a copy-on-write hook saves a key the cursor has not reached just before a command changes it.
 *
 * <p>Why the start captures each database's dictionaries: FLUSHDB/FLUSHALL give a database new
 * dictionaries and SWAPDB exchanges them, so the cursor walks the dictionary objects of the start
 * instant, under the index they had then. A flushed dictionary is no longer changed by anyone,
 * so the cursor finishes it at leisure; a swapped one is still live and still hooked.
 *
 * <p>Invariants:
 * <ol>
 *   <li>An entry is written at most once: whoever writes it (cursor or hook) stamps it with this
 *       snapshot's epoch, and both skip stamped entries. SCAN may return a key twice across a
 *       rehash; the stamp makes that harmless.</li>
 *   <li>Entries added after the start carry the epoch already, so they are never written.</li>
 *   <li>A key changed, deleted or expired before the cursor reached it is written by the hook
 *       with its value and deadline of that moment, which are those of the start instant.</li>
 *   <li>The cursor slows when the sink is full ({@code ready} false); the hook never waits, so
 *       the sink may briefly exceed its bound by the keys clients change meanwhile.</li>
 * </ol>
 * Redis: none (Redis forks); the approach is Dragonfly's key-granularity snapshot.
 */
public final class Snapshot implements CopyOnWrite {
    /** RUNNING → DONE when the cursor finishes, → FAILED on a write error, → ABORTED on request. */
    public enum State { RUNNING, DONE, FAILED, ABORTED }

    private final Keyspace ks;
    private final RdbWriter writer;
    private final BooleanSupplier ready;
    private final Dict<Entry>[] dicts;
    private final Dict<ExpireEntry>[] expires;
    private final long[] sizes;
    private final long[] expireSizes;
    private final boolean[] selectedOnce;
    private int epoch;
    private int db;
    private long cursor;
    private State state = State.RUNNING;
    private IOException failure;
    private long written;
    private long copied;
    private int sliceWork;
    private final Consumer<Entry> visitor = this::visit;

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Snapshot(final Keyspace ks, final RdbWriter writer, final BooleanSupplier ready) {
        this.ks = ks;
        this.writer = writer;
        this.ready = ready;
        final int n = ks.databases();
        dicts = new Dict[n];
        expires = new Dict[n];
        sizes = new long[n];
        expireSizes = new long[n];
        selectedOnce = new boolean[n];
        for (int i = 0; i < n; i++) {
            final Database d = ks.db(i);
            dicts[i] = d.dict();
            expires[i] = d.expires();
            sizes[i] = d.size();
            expireSizes[i] = d.expires().size();
        }
    }

    /**
     * Opens a snapshot of {@code ks} as it is now and writes the file header. From here on
     * every change to an existing key first saves that key through {@code writer}. Call
     * {@link #step} until it returns false. Must run on the keyspace thread, between commands.
     *
     * @param ready false while the sink behind {@code writer} is full; {@link #step} then does nothing
     * @throws IllegalStateException when another snapshot is running
     */
    public static Snapshot start(final Keyspace ks, final RdbWriter writer, final RdbAux aux,
                                 final BooleanSupplier ready) throws IOException {
        final Snapshot s = new Snapshot(ks, writer, ready);
        s.epoch = ks.beginSnapshot(s);
        try {
            writer.header(aux);
        } catch (IOException e) {
            s.fail(e);
            throw e;
        }
        return s;
    }

    /**
     * Advances the cursor by about {@code budget} keys (empty buckets count too) and flushes what
     * was written. Returns true while the snapshot is unfinished; on the last step it writes EOF
     * and the checksum, removes the hook and returns false.
     *
     * @throws IOException a write error, now or in an earlier copy-on-write (the snapshot is then FAILED)
     */
    public boolean step(final int budget) throws IOException {
        if (state == State.FAILED) {
            throw failure;
        }
        if (state != State.RUNNING) {
            return false;
        }
        if (!ready.getAsBoolean()) {
            return true;
        }
        try {
            sliceWork = 0;
            while (sliceWork < budget && db < dicts.length) {
                cursor = dicts[db].scan(cursor, visitor);
                if (failure != null) {
                    throw failure;
                }
                sliceWork++;
                if (cursor == 0) {
                    db++;
                }
            }
            if (db == dicts.length) {
                writer.finish();
                state = State.DONE;
                ks.endSnapshot(this);
                return false;
            }
            writer.flush();
            return true;
        } catch (IOException e) {
            fail(e);
            throw e;
        }
    }

    private void visit(final Entry e) {
        sliceWork++;
        if (e.epoch != epoch && failure == null) {
            e.epoch = epoch;
            save(db, e);
        }
    }

    @Override
    public void beforeWrite(final Database d, final Entry e) {
        e.epoch = epoch;
        if (state != State.RUNNING) {
            return;
        }
        final Dict<Entry> live = d.dict();
        for (int i = 0; i < dicts.length; i++) {
            if (dicts[i] == live) {
                save(i, e);
                copied++;
                return;
            }
        }
    }

    private void save(final int i, final Entry e) {
        try {
            if (!selectedOnce[i]) {
                writer.selectDb(i);
                writer.resizeDb(sizes[i], expireSizes[i]);
                selectedOnce[i] = true;
            }
            writer.entry(i, e, expires[i].size() == 0 ? null : expires[i].find(e.key), ks);
            written++;
        } catch (IOException x) {
            fail(x);
        }
    }

    private void fail(final IOException e) {
        if (failure == null) {
            failure = e;
        }
        state = State.FAILED;
        ks.endSnapshot(this);
    }

    /** Stops the snapshot and removes its hook; what was written is incomplete and must be discarded. */
    public void abort() {
        if (state == State.RUNNING) {
            state = State.ABORTED;
            ks.endSnapshot(this);
        }
    }

    public State state() {
        return state;
    }

    /** The write error of a FAILED snapshot, or null. */
    public IOException failure() {
        return failure;
    }

    /** Keys written so far, by the cursor and the hook. */
    public long keysWritten() {
        return written;
    }

    /** Keys the hook wrote before a change. */
    public long copiedOnWrite() {
        return copied;
    }

    /** Bytes produced so far. */
    public long bytesWritten() {
        return writer.written();
    }
}
