package dev.cinnabar.storage.keyspace;

/** A key of the main dictionary: its value object and Redis's 24-bit LRU/LFU field. */
public final class Entry extends Dict.Node {
    public Object value;
    /** LRU clock (seconds) or, under an LFU policy, Redis's 16-bit minutes + 8-bit counter. */
    public int lru;

    public Entry(final byte[] key, final Object value) {
        super(key);
        this.value = value;
    }
}
