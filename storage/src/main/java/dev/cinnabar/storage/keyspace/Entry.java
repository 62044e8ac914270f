package dev.cinnabar.storage.keyspace;

/** A key of the main dictionary: its value object and Redis's 24-bit LRU/LFU field. */
public final class Entry extends Dict.Node {
    public Object value;
    /** LRU clock (seconds) or, under an LFU policy, Redis's 16-bit minutes + 8-bit counter. */
    public int lru;
    /**
     * The snapshot epoch this entry belongs to (see {@link CopyOnWrite}): an entry whose epoch
     * differs from the running snapshot's existed at its start and is not yet serialized. An int
     * here costs nothing: the object pads to 32 bytes either way with compressed oops.
     */
    public int epoch;

    public Entry(final byte[] key, final Object value) {
        super(key);
        this.value = value;
    }
}
