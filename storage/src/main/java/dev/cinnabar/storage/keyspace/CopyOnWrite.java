package dev.cinnabar.storage.keyspace;

/**
 * The point-in-time snapshot's hook: called by {@link Database} just before a key that existed
 * when the snapshot started is modified, deleted, expired or has its TTL changed, so the
 * snapshot serializes the value as it was at that instant first.
 *
 * <p>Why key granularity, and why an epoch in the entry: a fork gives Redis page-level
 * copy-on-write for free; without one, the keyspace thread itself must save a key before its
 * first change. The entry's {@link Entry#epoch} says whether that happened already (or whether
 * the key is newer than the snapshot), so the hook costs one field read and a null check while
 * no snapshot runs.
 *
 * <p>Invariants:
 * <ol>
 *   <li>Mutations go only through Database's lookupWrite/lookupWriteEntry (before in-place
 *       changes), set, overwrite, delete, setExpire, removeExpire and the expiry paths; each
 *       calls the hook for an entry whose epoch is not the keyspace's current one.</li>
 *   <li>The hook sets the entry's epoch to the current one, so it runs at most once per key and
 *       snapshot.</li>
 *   <li>Entries added while a snapshot runs get the current epoch and are never serialized.</li>
 * </ol>
 */
public interface CopyOnWrite {
    /** Serialize {@code e} (of {@code db}) as it is now, then stamp it with the current epoch. */
    void beforeWrite(Database db, Entry e);
}
