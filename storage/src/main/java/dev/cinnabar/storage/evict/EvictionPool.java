package dev.cinnabar.storage.evict;

/**
 * Redis's eviction pool: the best eviction candidates met so far, kept across calls, sorted by
 * ascending score ("idle": idle time, inverted frequency or inverted deadline), best at the right.
 *
 * <p>Why a pool: each call samples only maxmemory-samples keys per database, but the pool keeps
 * the best of all past samples, which makes the approximation of true LRU/LFU much closer than the
 * samples alone (Redis's LRU simulation shows this). Keys in the pool may have been deleted or
 * changed since; the evictor looks each pick up again and skips such ghosts.
 *
 * <p>Invariants:
 * <ol>
 *   <li>Occupied slots form a prefix {@code [0, used)}, in ascending unsigned score order.</li>
 *   <li>A sample worse than every pooled one is dropped when the pool is full; otherwise the
 *       worst one is pushed out at the left.</li>
 * </ol>
 * Redis: evict.c evictionPoolPopulate(), EVPOOL_SIZE.
 */
final class EvictionPool {
    static final int SIZE = 16;

    private final long[] idle = new long[SIZE];
    private final byte[][] keys = new byte[SIZE][];
    private final int[] dbs = new int[SIZE];
    private int used;

    int used() {
        return used;
    }

    /** Offers a sampled key; scores compare unsigned (volatile-ttl uses the whole 64-bit range). */
    void offer(final byte[] key, final int db, final long score) {
        int k = 0;
        while (k < used && Long.compareUnsigned(idle[k], score) < 0) {
            k++;
        }
        if (k == 0 && used == SIZE) {
            return;
        }
        if (used < SIZE) {
            System.arraycopy(idle, k, idle, k + 1, used - k);
            System.arraycopy(keys, k, keys, k + 1, used - k);
            System.arraycopy(dbs, k, dbs, k + 1, used - k);
            used++;
        } else {
            // full: drop the worst (leftmost) and insert just before the first better one
            k--;
            System.arraycopy(idle, 1, idle, 0, k);
            System.arraycopy(keys, 1, keys, 0, k);
            System.arraycopy(dbs, 1, dbs, 0, k);
        }
        idle[k] = score;
        keys[k] = key;
        dbs[k] = db;
    }

    /** The key of the best candidate (rightmost); {@link #bestDb} is its database. */
    byte[] bestKey() {
        return keys[used - 1];
    }

    int bestDb() {
        return dbs[used - 1];
    }

    void removeBest() {
        used--;
        keys[used] = null;
    }

    void clear() {
        for (int i = 0; i < used; i++) {
            keys[i] = null;
        }
        used = 0;
    }
}
