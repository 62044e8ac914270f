package dev.cinnabar.protocol.command;

/**
 * Command flags with Redis 7.0's meaning (server.h, above struct redisCommand). The declaration
 * order is the order COMMAND INFO lists them in; {@link #wireName} is null for the flags Redis
 * keeps internal.
 */
public enum CommandFlag {
    /** May modify the keyspace. */
    WRITE("write"),
    /** Reads data and never modifies it. */
    READONLY("readonly"),
    /** May grow memory: refused past maxmemory. */
    DENYOOM("denyoom"),
    MODULE("module"),
    /** Administrative: implies @admin and @dangerous. */
    ADMIN("admin"),
    /** Pub/Sub related. */
    PUBSUB("pubsub"),
    NOSCRIPT("noscript"),
    /** May block the client. */
    BLOCKING("blocking"),
    /** Allowed while the dataset is loading. */
    LOADING("loading"),
    /** Allowed on a replica with stale data. */
    STALE("stale"),
    SKIP_MONITOR("skip_monitor"),
    SKIP_SLOWLOG("skip_slowlog"),
    ASKING("asking"),
    /** O(1) or O(log N): implies @fast, otherwise @slow. */
    FAST("fast"),
    /** Runs before authentication. */
    NO_AUTH("no_auth"),
    /** Not a write but propagated (PUBLISH): waits under CLIENT PAUSE WRITE; hidden from COMMAND INFO as in 7.0. */
    MAY_REPLICATE(null),
    NO_MANDATORY_KEYS("no_mandatory_keys"),
    NO_ASYNC_LOADING("no_async_loading"),
    /** Refused inside MULTI. */
    NO_MULTI("no_multi"),
    /** Key positions depend on the arguments; derived from the key specs. */
    MOVABLE_KEYS("movablekeys"),
    ALLOW_BUSY("allow_busy"),
    /** Served by a sentinel too. */
    SENTINEL(null),
    /** Served by a sentinel only. */
    ONLY_SENTINEL(null),
    /** Refused unless enable-*-command allows it. */
    PROTECTED(null);

    private final String wireName;

    CommandFlag(final String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public long bit() {
        return 1L << ordinal();
    }

    public boolean in(final long mask) {
        return (mask & bit()) != 0;
    }
}
