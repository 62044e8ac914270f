package dev.cinnabar.server.pubsub;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One client's subscriptions, kept beside the server-wide index so UNSUBSCRIBE without arguments
 * and the subscription counts in replies need no scan of the index. Channels are ByteKeys so
 * binary channel names work.
 */
public final class Subscriptions {
    final Set<ByteKey> channels = new LinkedHashSet<>();
    final Set<ByteKey> patterns = new LinkedHashSet<>();
    final Set<ByteKey> shardChannels = new LinkedHashSet<>();

    /** Redis's clientSubscriptionsCount: channels + patterns (shard channels counted apart). */
    public int count() {
        return channels.size() + patterns.size();
    }

    public int shardCount() {
        return shardChannels.size();
    }

    /** True while the client is in the RESP2 "subscribed" context. */
    public boolean active() {
        return count() + shardCount() > 0;
    }

    public Set<ByteKey> channels() {
        return java.util.Collections.unmodifiableSet(channels);
    }

    public Set<ByteKey> patterns() {
        return java.util.Collections.unmodifiableSet(patterns);
    }

    public Set<ByteKey> shardChannels() {
        return java.util.Collections.unmodifiableSet(shardChannels);
    }

    public int channelCount() {
        return channels.size();
    }

    public int patternCount() {
        return patterns.size();
    }
}
