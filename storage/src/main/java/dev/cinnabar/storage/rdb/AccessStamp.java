package dev.cinnabar.storage.rdb;

import dev.cinnabar.storage.keyspace.Entry;
import dev.cinnabar.storage.keyspace.Keyspace;
import dev.cinnabar.storage.keyspace.Lfu;

/**
 * Redis's objectSetLRUOrLFU: an idle time (RDB IDLE, RESTORE IDLETIME) sets the LRU clock under
 * an LRU policy; a frequency (RDB FREQ, RESTORE FREQ) sets the LFU counter under an LFU policy;
 * the other one is ignored, as Redis ignores it.
 */
public final class AccessStamp {
    /** Redis's LRU_CLOCK_MAX: the LRU clock is 24 bits of seconds. */
    private static final int LRU_CLOCK_MAX = 0xFFFFFF;

    private AccessStamp() {
    }

    /** Applies {@code idleSeconds} or {@code freq} (-1: none) to the entry. */
    public static void apply(final Keyspace ks, final Entry e, final long idleSeconds, final long freq,
                             final long nowMs) {
        if (idleSeconds < 0 && freq < 0) {
            return;
        }
        if (Lfu.isLfuPolicy(ks.settings().maxmemoryPolicy)) {
            if (freq >= 0) {
                e.lru = (Lfu.initial(nowMs) & ~0xff) | (int) Math.min(freq, 255);
            }
        } else if (idleSeconds >= 0) {
            final long clock = (nowMs / 1000) & LRU_CLOCK_MAX;
            final long idle = Math.min(idleSeconds, LRU_CLOCK_MAX);
            final long abs = clock - idle;
            e.lru = (int) (abs >= 0 ? abs : abs + LRU_CLOCK_MAX);
        }
    }
}
