package dev.cinnabar.storage.keyspace;

/** A key of the expires dictionary: its absolute deadline in ms (unboxed). */
public final class ExpireEntry extends Dict.Node {
    public long whenMs;

    public ExpireEntry(final byte[] key, final long whenMs) {
        super(key);
        this.whenMs = whenMs;
    }
}
