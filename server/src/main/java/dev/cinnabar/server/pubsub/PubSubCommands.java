package dev.cinnabar.server.pubsub;

import static dev.cinnabar.protocol.command.CommandFlag.FAST;
import static dev.cinnabar.protocol.command.CommandFlag.LOADING;
import static dev.cinnabar.protocol.command.CommandFlag.MAY_REPLICATE;
import static dev.cinnabar.protocol.command.CommandFlag.NOSCRIPT;
import static dev.cinnabar.protocol.command.CommandFlag.PUBSUB;
import static dev.cinnabar.protocol.command.CommandFlag.SENTINEL;
import static dev.cinnabar.protocol.command.CommandFlag.STALE;

import java.util.List;

import dev.cinnabar.protocol.Errors;
import dev.cinnabar.protocol.command.CommandFamily;
import dev.cinnabar.protocol.command.CommandTable;
import dev.cinnabar.protocol.command.KeySpec;
import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.protocol.resp.RespWriter;
import dev.cinnabar.sentinel.SentinelCommands;
import dev.cinnabar.server.net.ClientSession;

/** SUBSCRIBE family, PUBLISH, SPUBLISH and PUBSUB introspection, over {@link PubSub}. */
public final class PubSubCommands implements CommandFamily {
    @Override
    public void register(final CommandTable.Builder t) {
        subscribeFamily(t, "SUBSCRIBE", -2, PubSub.Kind.CHANNEL, true, "Listen for messages published to the given channels");
        subscribeFamily(t, "UNSUBSCRIBE", -1, PubSub.Kind.CHANNEL, false, "Stop listening for messages posted to the given channels");
        subscribeFamily(t, "PSUBSCRIBE", -2, PubSub.Kind.PATTERN, true, "Listen for messages published to channels matching the given patterns");
        subscribeFamily(t, "PUNSUBSCRIBE", -1, PubSub.Kind.PATTERN, false, "Stop listening for messages posted to channels matching the given patterns");
        subscribeFamily(t, "SSUBSCRIBE", -2, PubSub.Kind.SHARD, true, "Listen for messages published to the given shard channels")
            .keys(KeySpec.range(1, -1, 1, KeySpec.NOT_KEY)).since("7.0.0");
        subscribeFamily(t, "SUNSUBSCRIBE", -1, PubSub.Kind.SHARD, false, "Stop listening for messages posted to the given shard channels")
            .keys(KeySpec.range(1, -1, 1, KeySpec.NOT_KEY)).since("7.0.0");
        t.command("PUBLISH").arity(3).flags(PUBSUB, LOADING, STALE, FAST, MAY_REPLICATE, SENTINEL).group("pubsub").since("2.0.0")
            .summary("Post a message to a channel").complexity("O(N+M)")
            .handler(this::publish);
        t.command("SPUBLISH").arity(3).flags(PUBSUB, LOADING, STALE, FAST, MAY_REPLICATE).group("pubsub").since("7.0.0")
            .keys(KeySpec.index(1, KeySpec.NOT_KEY))
            .summary("Post a message to a shard channel").complexity("O(N)")
            .handler(this::spublish);
        final CommandTable.CommandBuilder ps = t.command("PUBSUB").arity(-2).group("pubsub").since("2.8.0")
            .summary("A container for Pub/Sub commands");
        ps.subcommand("CHANNELS").arity(-2).flags(PUBSUB, LOADING, STALE)
            .summary("List active channels").handler((ClientSession c, Args a) -> channels(c, a, PubSub.Kind.CHANNEL));
        ps.subcommand("NUMSUB").arity(-2).flags(PUBSUB, LOADING, STALE)
            .summary("Get the count of subscribers for channels")
            .handler((ClientSession c, Args a) -> numsub(c, a, PubSub.Kind.CHANNEL));
        ps.subcommand("NUMPAT").arity(2).flags(PUBSUB, LOADING, STALE)
            .summary("Get the count of unique patterns pattern subscriptions")
            .handler((ClientSession c, Args a) -> c.reply().integer(c.server().pubsub().patternCount()));
        ps.subcommand("SHARDCHANNELS").arity(-2).flags(PUBSUB, LOADING, STALE).since("7.0.0")
            .summary("List active shard channels").handler((ClientSession c, Args a) -> channels(c, a, PubSub.Kind.SHARD));
        ps.subcommand("SHARDNUMSUB").arity(-2).flags(PUBSUB, LOADING, STALE).since("7.0.0")
            .summary("Get the count of subscribers for shard channels")
            .handler((ClientSession c, Args a) -> numsub(c, a, PubSub.Kind.SHARD));
        ps.subcommand("HELP").arity(2).flags(LOADING, STALE).since("6.2.0")
            .summary("Show helpful text about the different subcommands").handler(this::help);
    }

    private CommandTable.CommandBuilder subscribeFamily(final CommandTable.Builder t, final String name, final int arity,
                                                        final PubSub.Kind kind, final boolean subscribe,
                                                        final String summary) {
        return t.command(name).arity(arity).flags(PUBSUB, NOSCRIPT, LOADING, STALE, SENTINEL).group("pubsub")
            .since("2.0.0").summary(summary).complexity("O(N)")
            .handler((ClientSession c, Args a) -> {
                final PubSub ps = c.server().pubsub();
                final RespWriter w = c.reply();
                if (subscribe) {
                    for (int i = 1; i < a.count(); i++) {
                        ps.subscribe(c, kind, a.copy(i), w);
                    }
                } else if (a.count() == 1) {
                    ps.unsubscribeAll(c, kind, w);
                } else {
                    for (int i = 1; i < a.count(); i++) {
                        ps.unsubscribe(c, kind, a.copy(i), w);
                    }
                }
            });
    }

    private void publish(final ClientSession c, final Args a) {
        if (c.sentinel() != null) {
            SentinelCommands.publish(c, a);
            return;
        }
        final long n = c.server().pubsub().publish(a.copy(1), a.copy(2));
        // a master sends PUBLISH down the stream: subscribers on its replicas get the message too
        c.server().propagator().force();
        c.reply().integer(n);
    }

    private void spublish(final ClientSession c, final Args a) {
        final long n = c.server().pubsub().publishShard(a.copy(1), a.copy(2));
        c.server().propagator().force();
        c.reply().integer(n);
    }

    private void channels(final ClientSession c, final Args a, final PubSub.Kind kind) {
        if (a.count() > 3) {
            c.reply().error(Errors.subcommandSyntax(a.string(1), "PUBSUB"));
            return;
        }
        final List<byte[]> names = c.server().pubsub().activeChannels(kind, a.count() == 3 ? a.copy(2) : null);
        c.reply().array(names.size());
        for (final byte[] n : names) {
            c.reply().bulk(n);
        }
    }

    private void numsub(final ClientSession c, final Args a, final PubSub.Kind kind) {
        final RespWriter w = c.reply();
        w.map(a.count() - 2);
        for (int i = 2; i < a.count(); i++) {
            final byte[] ch = a.copy(i);
            w.bulk(ch).integer(c.server().pubsub().subscribers(kind, ch));
        }
    }

    private void help(final ClientSession c, final Args a) {
        final String[] lines = {
            "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "CHANNELS [<pattern>]",
            "    Return the currently active channels matching a <pattern> (default: '*').",
            "NUMPAT",
            "    Return number of subscriptions to patterns.",
            "NUMSUB [<channel> ...]",
            "    Return the number of subscribers for the specified channels, excluding",
            "    pattern subscriptions(default: no channels).",
            "SHARDCHANNELS [<pattern>]",
            "    Return the currently active shard level channels matching a <pattern> (default: '*').",
            "SHARDNUMSUB [<shardchannel> ...]",
            "    Return the number of subscribers for the specified shard level channel(s)",
            "HELP",
            "    Prints this help."};
        c.reply().array(lines.length);
        for (final String l : lines) {
            c.reply().simple(l);
        }
    }
}
