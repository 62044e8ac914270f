package dev.cinnabar.server.sentinel;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.cinnabar.protocol.command.CommandFamily;
import dev.cinnabar.protocol.command.CommandFlag;
import dev.cinnabar.protocol.command.CommandTable;
import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.protocol.util.Bytes;
import dev.cinnabar.sentinel.NettyLinkConnector;
import dev.cinnabar.sentinel.Sentinel;
import dev.cinnabar.sentinel.SentinelCommands;
import dev.cinnabar.sentinel.SentinelConfigException;
import dev.cinnabar.sentinel.SentinelConfigLoader;
import dev.cinnabar.sentinel.SentinelConfigRewriter;
import dev.cinnabar.sentinel.SentinelEnvironment;
import dev.cinnabar.sentinel.SentinelEventSink;
import dev.cinnabar.server.Server;
import dev.cinnabar.server.ServerLog;
import dev.cinnabar.server.net.ClientSession;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The sentinel role of the server process (redis-server --sentinel): the sentinel library from the
 * `sentinel` module hosted on the keyspace loop, its events logged and published on the server's
 * own pub/sub (clients subscribe to "+switch-master" and friends), its state rewritten into the
 * config file, its timer driven at the hz the library asks for.
 *
 * <p>The sentinel's command table keeps the commands declared with the SENTINEL flag — what a
 * real redis-sentinel serves — plus ROLE, which has a sentinel meaning.
 */
public final class SentinelRole {
    private static final int LINK_CONNECT_TIMEOUT_MS = 1000;

    private Server server;
    private final Path configFile;
    private final String configText;
    private Sentinel sentinel;

    public SentinelRole(final Path configFile, final String configText) {
        this.configFile = configFile;
        this.configText = configText;
    }

    /** The server hosting this role (set by the server's constructor). */
    public void attach(final Server s) {
        this.server = s;
    }

    /** Redis refuses to run a sentinel without a config file it can rewrite; the reason, or null. */
    public static String configFileProblem(final Path configFile) {
        if (configFile == null) {
            return "Sentinel needs config file on disk to save state.  Exiting...";
        }
        return SentinelConfigRewriter.checkConfigFile(configFile);
    }

    /** The sentinel's table: SENTINEL-flagged commands of the server families, SENTINEL itself, ROLE. */
    public static CommandTable table(final Iterable<CommandFamily> serverFamilies) {
        final CommandTable.Builder b = CommandTable.builder();
        serverFamilies.forEach(b::register);
        b.register(new SentinelCommands());
        b.register(t -> t.command("ROLE").arity(1).flags(CommandFlag.NOSCRIPT, CommandFlag.LOADING,
                CommandFlag.STALE, CommandFlag.FAST, CommandFlag.SENTINEL)
            .acl(dev.cinnabar.protocol.command.AclCategory.ADMIN, dev.cinnabar.protocol.command.AclCategory.DANGEROUS)
            .group("server").since("2.8.12").summary("Return the role of the instance in the context of replication")
            .complexity("O(1)")
            .handler((ClientSession c, Args a) -> SentinelCommands.role(c.reply(), c.sentinel())));
        return b.build(flags -> CommandFlag.SENTINEL.in(flags) || CommandFlag.ONLY_SENTINEL.in(flags));
    }

    public Sentinel sentinel() {
        return sentinel;
    }

    /** Builds the sentinel and loads the sentinel lines of the config; before the server listens. */
    public void create(final EventLoop loop) throws SentinelConfigException {
        final NettyLinkConnector connector = new NettyLinkConnector(loop,
            Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class, LINK_CONNECT_TIMEOUT_MS,
            () -> server.config().tlsReplication ? server.tls().clientContext() : null);
        final SentinelEnvironment env = SentinelEnvironment.of(connector, new Events(), plan -> {
            SentinelConfigRewriter.rewriteFile(configFile, plan);
        }, loop, server.replicationPort()).withRequirepass(() -> server.config().requirepass);
        sentinel = new Sentinel(env);
        SentinelConfigLoader.ofText(configText).load(sentinel);
    }

    /** Once listening: pick/persist the id, announce the masters, start the timer. */
    public void start(final EventLoop loop) {
        sentinel.start();
        schedule(loop);
    }

    private void schedule(final EventLoop loop) {
        loop.schedule(() -> {
            server.beforeCommands();
            sentinel.tick(System.currentTimeMillis());
            schedule(loop);
        }, sentinel.nextTickDelayMs(), TimeUnit.MILLISECONDS);
    }

    public void shutdown() {
        if (sentinel != null) {
            sentinel.shutdown();
        }
    }

    /** INFO's "# Sentinel" section, written by the library. */
    public void infoSection(final dev.cinnabar.server.info.InfoWriter w) {
        final String[] lines = sentinel.infoSection(System.currentTimeMillis()).split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            w.line(lines[i]);
        }
    }

    /** Events: a log line in Redis's format, and a message on the pub/sub channel named after the event. */
    private final class Events implements SentinelEventSink {
        @Override
        public void event(final Level level, final String type, final String message) {
            log(level, type + " " + message);
            if (level != Level.DEBUG) {
                server.pubsub().publish(Bytes.ascii(type), message.getBytes(StandardCharsets.UTF_8));
            }
        }

        @Override
        public void log(final Level level, final String message) {
            ServerLog.log(ServerLog.Level.valueOf(level.name()), message);
        }
    }
}
