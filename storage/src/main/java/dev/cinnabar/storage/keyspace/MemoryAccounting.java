package dev.cinnabar.storage.keyspace;

import dev.cinnabar.storage.type.MemorySizes;

/**
 * The keyspace's running used-memory estimate: per database, the sum over its keys of the entry,
 * the key bytes, the value's {@link MemorySizes#value estimate} and, for a key with a TTL, its
 * expires entry. The dict tables are added when the total is read.
 *
 * <p>Why "pending" entries: commands change collection values in place after a lookup for
 * writing, so the size after the change is only known later. {@link Database} reports each entry
 * before it changes ({@link #changing}); the estimate it had then is remembered, and
 * {@link #settle} adds the difference once the command is done (when the total is next read, or
 * when the pending table fills). Every value computes its estimate in O(1), so this costs a few
 * array stores per write and nothing per read.
 *
 * <p>Invariants:
 * <ol>
 *   <li>A database's {@code usedBytes} equals the sum of the estimates of its keys, except that a
 *       pending entry counts with the estimate recorded when it became pending.</li>
 *   <li>A value's estimate is a function of its state only, and every change of that state is
 *       preceded by {@link #changing} (Database's lookupWrite/lookupWriteEntry/willChange, set,
 *       overwrite), so an entry that is not pending counts with its current estimate.</li>
 *   <li>An entry leaves the pending table when it is settled or removed from its database.</li>
 * </ol>
 * Redis: zmalloc.c used_memory (what it approximates), object.c objectComputeSize().
 */
public final class MemoryAccounting {
    /** An {@link Entry}: key, next, value references and the lru and epoch ints. */
    public static final long ENTRY_BYTES = MemorySizes.object(5 * 4);
    /** An {@link ExpireEntry}: key and next references and the deadline. */
    public static final long EXPIRE_ENTRY_BYTES = MemorySizes.object(2 * 4 + 8);
    private static final int PENDING_MAX = 16;

    private final Database[] pendingDb = new Database[PENDING_MAX];
    private final Entry[] pendingEntry = new Entry[PENDING_MAX];
    private final long[] pendingBefore = new long[PENDING_MAX];
    private int pending;

    /** The estimate of one key: entry, key bytes and value (the expires entry is counted apart). */
    public static long entryBytes(final Entry e) {
        return ENTRY_BYTES + MemorySizes.byteArray(e.key.length) + MemorySizes.value(e.value);
    }

    /** MEMORY STATS's overhead.hashtable.main of {@code db}: its entries and bucket arrays. */
    public static long mainTableOverhead(final Database db) {
        return db.size() * ENTRY_BYTES + MemorySizes.refArray(db.dict().buckets());
    }

    /** MEMORY STATS's overhead.hashtable.expires of {@code db}. */
    public static long expiresTableOverhead(final Database db) {
        return db.expires().size() * EXPIRE_ENTRY_BYTES + MemorySizes.refArray(db.expires().buckets());
    }

    private int indexOf(final Entry e) {
        for (int i = 0; i < pending; i++) {
            if (pendingEntry[i] == e) {
                return i;
            }
        }
        return -1;
    }

    private void push(final Database db, final Entry e, final long before) {
        if (pending == PENDING_MAX) {
            settle();
        }
        pendingDb[pending] = db;
        pendingEntry[pending] = e;
        pendingBefore[pending] = before;
        pending++;
    }

    /** {@code e}, counted in {@code db}, is about to change its value in place or be given another. */
    void changing(final Database db, final Entry e) {
        if (indexOf(e) < 0) {
            push(db, e, entryBytes(e));
        }
    }

    /** {@code e} was just added to {@code db}; it counts as nothing until settled. */
    void added(final Database db, final Entry e) {
        push(db, e, 0);
    }

    /** {@code e} left {@code db}'s dict: its current contribution is subtracted. */
    void removed(final Database db, final Entry e) {
        final int i = indexOf(e);
        if (i < 0) {
            db.usedBytes -= entryBytes(e);
            return;
        }
        db.usedBytes -= pendingBefore[i];
        drop(i);
    }

    private void drop(final int i) {
        pending--;
        pendingDb[i] = pendingDb[pending];
        pendingEntry[i] = pendingEntry[pending];
        pendingBefore[i] = pendingBefore[pending];
        pendingDb[pending] = null;
        pendingEntry[pending] = null;
    }

    /** Forgets the pending entries of a database that was just emptied. */
    void cleared(final Database db) {
        for (int i = pending - 1; i >= 0; i--) {
            if (pendingDb[i] == db) {
                drop(i);
            }
        }
    }

    /** Applies the size changes of every pending entry. */
    public void settle() {
        for (int i = 0; i < pending; i++) {
            final Database db = pendingDb[i];
            db.usedBytes += entryBytes(pendingEntry[i]) - pendingBefore[i];
            pendingDb[i] = null;
            pendingEntry[i] = null;
        }
        pending = 0;
    }
}
