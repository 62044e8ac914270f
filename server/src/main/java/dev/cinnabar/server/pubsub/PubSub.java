package dev.cinnabar.server.pubsub;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.cinnabar.protocol.resp.RespWriter;
import dev.cinnabar.protocol.util.Bytes;
import dev.cinnabar.protocol.util.Glob;

/**
 * The server-wide Pub/Sub index (Redis's pubsub.c): channel → subscribers, pattern → subscribers,
 * and shard channel → subscribers, each mirrored in the clients' own {@link Subscriptions}.
 *
 * <p>Why delivery writes straight into each subscriber's outbound buffer and flushes later in the
 * same loop turn: a publisher never waits for a subscriber; a subscriber that does not read is
 * cut off by the output buffer limits ({@link Subscriber#deliver}), never the publisher.
 */
public final class PubSub {
    /** What a subscriber must offer: its reply writer, its subscriptions, and a deferred flush. */
    public interface Subscriber {
        Subscriptions subscriptions();

        /** The writer to append a message to; null if the client is closing. */
        RespWriter messageWriter();

        /** Called after a message was appended: flush later this turn and enforce output limits. */
        void deliver();
    }

    private static final byte[] MESSAGE = Bytes.ascii("message");
    private static final byte[] PMESSAGE = Bytes.ascii("pmessage");
    private static final byte[] SMESSAGE = Bytes.ascii("smessage");

    private final Map<ByteKey, Set<Subscriber>> channels = new HashMap<>();
    private final Map<ByteKey, Set<Subscriber>> patterns = new LinkedHashMap<>();
    private final Map<ByteKey, Set<Subscriber>> shardChannels = new HashMap<>();

    public enum Kind {
        CHANNEL("subscribe", "unsubscribe"),
        PATTERN("psubscribe", "punsubscribe"),
        SHARD("ssubscribe", "sunsubscribe");

        final byte[] subscribeWord;
        final byte[] unsubscribeWord;

        Kind(final String sub, final String unsub) {
            this.subscribeWord = Bytes.ascii(sub);
            this.unsubscribeWord = Bytes.ascii(unsub);
        }
    }

    private Map<ByteKey, Set<Subscriber>> index(final Kind kind) {
        return switch (kind) {
            case CHANNEL -> channels;
            case PATTERN -> patterns;
            case SHARD -> shardChannels;
        };
    }

    private static Set<ByteKey> own(final Subscriber s, final Kind kind) {
        final Subscriptions subs = s.subscriptions();
        return switch (kind) {
            case CHANNEL -> subs.channels;
            case PATTERN -> subs.patterns;
            case SHARD -> subs.shardChannels;
        };
    }

    private static int count(final Subscriber s, final Kind kind) {
        return kind == Kind.SHARD ? s.subscriptions().shardCount() : s.subscriptions().count();
    }

    /** SUBSCRIBE / PSUBSCRIBE / SSUBSCRIBE one name; replies the confirmation to the subscriber. */
    public void subscribe(final Subscriber s, final Kind kind, final byte[] name, final RespWriter reply) {
        final ByteKey key = new ByteKey(name);
        if (own(s, kind).add(key)) {
            index(kind).computeIfAbsent(key, k -> new LinkedHashSet<>()).add(s);
        }
        reply.push(3).bulk(kind.subscribeWord).bulk(name).integer(count(s, kind));
    }

    /** UNSUBSCRIBE one name; replies the confirmation (also for names not subscribed). */
    public void unsubscribe(final Subscriber s, final Kind kind, final byte[] name, final RespWriter reply) {
        final ByteKey key = new ByteKey(name);
        if (own(s, kind).remove(key)) {
            final Set<Subscriber> set = index(kind).get(key);
            if (set != null) {
                set.remove(s);
                if (set.isEmpty()) {
                    index(kind).remove(key);
                }
            }
        }
        if (reply != null) {
            reply.push(3).bulk(kind.unsubscribeWord).bulk(name).integer(count(s, kind));
        }
    }

    /**
     * UNSUBSCRIBE without arguments: every name of that kind, or — when there is none — one reply
     * with a null name, as Redis does.
     */
    public void unsubscribeAll(final Subscriber s, final Kind kind, final RespWriter reply) {
        final List<ByteKey> names = new ArrayList<>(own(s, kind));
        if (names.isEmpty()) {
            if (reply != null) {
                reply.push(3).bulk(kind.unsubscribeWord).nullBulk().integer(count(s, kind));
            }
            return;
        }
        for (final ByteKey k : names) {
            unsubscribe(s, kind, k.bytes(), reply);
        }
    }

    /** Drops every subscription of a closing client, without replies. */
    public void removeClient(final Subscriber s) {
        for (final Kind k : Kind.values()) {
            unsubscribeAll(s, k, null);
        }
    }

    /** PUBLISH: delivers to channel subscribers, then to matching patterns; returns receivers. */
    public long publish(final byte[] channel, final byte[] message) {
        long receivers = 0;
        final Set<Subscriber> subs = channels.get(new ByteKey(channel));
        if (subs != null) {
            for (final Subscriber s : subs.toArray(new Subscriber[0])) {
                final RespWriter w = s.messageWriter();
                if (w != null) {
                    w.push(3).bulk(MESSAGE).bulk(channel).bulk(message);
                    s.deliver();
                }
                receivers++;
            }
        }
        if (!patterns.isEmpty()) {
            for (final Map.Entry<ByteKey, Set<Subscriber>> e : new ArrayList<>(patterns.entrySet())) {
                final byte[] pattern = e.getKey().bytes();
                if (!Glob.match(pattern, channel, false)) {
                    continue;
                }
                for (final Subscriber s : e.getValue().toArray(new Subscriber[0])) {
                    final RespWriter w = s.messageWriter();
                    if (w != null) {
                        w.push(4).bulk(PMESSAGE).bulk(pattern).bulk(channel).bulk(message);
                        s.deliver();
                    }
                    receivers++;
                }
            }
        }
        return receivers;
    }

    /** SPUBLISH: shard channel subscribers only. */
    public long publishShard(final byte[] channel, final byte[] message) {
        final Set<Subscriber> subs = shardChannels.get(new ByteKey(channel));
        if (subs == null) {
            return 0;
        }
        long receivers = 0;
        for (final Subscriber s : subs.toArray(new Subscriber[0])) {
            final RespWriter w = s.messageWriter();
            if (w != null) {
                w.push(3).bulk(SMESSAGE).bulk(channel).bulk(message);
                s.deliver();
            }
            receivers++;
        }
        return receivers;
    }

    /** Active channel names (PUBSUB CHANNELS / SHARDCHANNELS), optionally filtered by a glob. */
    public List<byte[]> activeChannels(final Kind kind, final byte[] pattern) {
        final List<byte[]> out = new ArrayList<>();
        for (final ByteKey k : index(kind).keySet()) {
            if (pattern == null || Glob.match(pattern, k.bytes(), false)) {
                out.add(k.bytes());
            }
        }
        return out;
    }

    public int subscribers(final Kind kind, final byte[] channel) {
        final Set<Subscriber> s = index(kind).get(new ByteKey(channel));
        return s == null ? 0 : s.size();
    }

    /** PUBSUB NUMPAT: the number of distinct patterns. */
    public int patternCount() {
        return patterns.size();
    }

    public int channelCount() {
        return channels.size();
    }

    public int shardChannelCount() {
        return shardChannels.size();
    }

    public Collection<ByteKey> patternNames() {
        return patterns.keySet();
    }
}
