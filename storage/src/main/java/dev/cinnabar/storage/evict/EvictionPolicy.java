package dev.cinnabar.storage.evict;

/**
 * Redis's maxmemory-policy values: which keys may be evicted (all, or only those with a TTL) and
 * how candidates are ranked (approximated LRU, approximated LFU, nearest TTL, or at random).
 * Redis: server.h MAXMEMORY_* and MAXMEMORY_FLAG_*.
 */
public enum EvictionPolicy {
    VOLATILE_LRU("volatile-lru", Rank.LRU, false),
    VOLATILE_LFU("volatile-lfu", Rank.LFU, false),
    VOLATILE_RANDOM("volatile-random", Rank.RANDOM, false),
    VOLATILE_TTL("volatile-ttl", Rank.TTL, false),
    ALLKEYS_LRU("allkeys-lru", Rank.LRU, true),
    ALLKEYS_LFU("allkeys-lfu", Rank.LFU, true),
    ALLKEYS_RANDOM("allkeys-random", Rank.RANDOM, true),
    NOEVICTION("noeviction", Rank.NONE, false);

    /** How a policy orders its candidates. */
    public enum Rank {
        LRU, LFU, TTL, RANDOM, NONE;

        /** Whether candidates go through the sampled eviction pool (everything but RANDOM). */
        boolean pooled() {
            return this == LRU || this == LFU || this == TTL;
        }
    }

    private final String wireName;
    private final Rank rank;
    private final boolean allKeys;

    EvictionPolicy(final String wireName, final Rank rank, final boolean allKeys) {
        this.wireName = wireName;
        this.rank = rank;
        this.allKeys = allKeys;
    }

    /** The name CONFIG and INFO use. */
    public String wireName() {
        return wireName;
    }

    public Rank rank() {
        return rank;
    }

    /** True for allkeys-*: candidates come from the main dict, not the expires dict. */
    public boolean allKeys() {
        return allKeys;
    }

    /** The policy of a maxmemory-policy name (case-insensitive), or null. */
    public static EvictionPolicy of(final String name) {
        for (final EvictionPolicy p : values()) {
            if (p.wireName.equalsIgnoreCase(name)) {
                return p;
            }
        }
        return null;
    }
}
