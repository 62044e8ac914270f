package dev.cinnabar.server.net;

/**
 * Per-client state owned by other families (pub/sub, MULTI) that CLIENT LIST, CLIENT KILL TYPE
 * and the idle-timeout rule read. The owning family installs its view with
 * {@code Server.sessionReport(...)}; until then a client has no subscriptions and no MULTI.
 */
public interface SessionReport {
    SessionReport NONE = new SessionReport() { };

    default int channels(final ClientSession c) {
        return 0;
    }

    default int patterns(final ClientSession c) {
        return 0;
    }

    default int shardChannels(final ClientSession c) {
        return 0;
    }

    /** Commands queued by MULTI, or -1 outside a transaction. */
    default int multiQueued(final ClientSession c) {
        return -1;
    }

    /** Clients blocked on a key (BLPOP ...) are exempt from the idle timeout. */
    default boolean blocked(final ClientSession c) {
        return false;
    }
}
