package dev.cinnabar.storage.keyspace;

import java.util.random.RandomGenerator;

/**
 * Redis's LFU counter, kept in an entry's 24-bit {@code lru} field under an LFU maxmemory policy:
 * 16 bits of "last decrement time" in minutes, then an 8-bit logarithmic access counter.
 *
 * <p>Why logarithmic: 8 bits must rank keys hit millions of times; each hit increments the counter
 * with probability 1 / ((counter - 5) * lfu-log-factor + 1). The counter decays by one per
 * lfu-decay-time minutes without access. Redis: evict.c LFULogIncr(), LFUDecrAndReturn().
 */
public final class Lfu {
    /** Redis's LFU_INIT_VAL: new keys start here so they are not evicted at once. */
    public static final int INIT_VAL = 5;
    private static final int MINUTES_MASK = 0xFFFF;

    private Lfu() {
    }

    /** Whether a maxmemory-policy name is one of the LFU policies (volatile-lfu, allkeys-lfu). */
    public static boolean isLfuPolicy(final String policy) {
        return policy.endsWith("-lfu");
    }

    static int minutes(final long nowMs) {
        return (int) ((nowMs / 1000 / 60) & MINUTES_MASK);
    }

    /** The field of a new key: now and the initial counter. */
    public static int initial(final long nowMs) {
        return minutes(nowMs) << 8 | INIT_VAL;
    }

    /** The counter after decay (not stored). */
    public static int decrAndReturn(final int field, final long nowMs, final int decayTimeMinutes) {
        final int ldt = field >>> 8;
        final int counter = field & 0xFF;
        final int now = minutes(nowMs);
        final int elapsed = now >= ldt ? now - ldt : MINUTES_MASK - ldt + now;
        final int periods = decayTimeMinutes > 0 ? elapsed / decayTimeMinutes : 0;
        return periods > counter ? 0 : counter - periods;
    }

    /** The field after one access: decay, then a logarithmic increment, stamped with now. */
    public static int access(final int field, final long nowMs, final int logFactor, final int decayTimeMinutes,
                             final RandomGenerator random) {
        int counter = decrAndReturn(field, nowMs, decayTimeMinutes);
        if (counter < 255) {
            final int base = Math.max(counter - INIT_VAL, 0);
            final double p = 1.0 / (base * (double) logFactor + 1);
            if (random.nextDouble() < p) {
                counter++;
            }
        }
        return minutes(nowMs) << 8 | counter;
    }
}
