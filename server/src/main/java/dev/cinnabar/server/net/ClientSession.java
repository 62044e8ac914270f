package dev.cinnabar.server.net;

import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.protocol.resp.ProtocolException;
import dev.cinnabar.protocol.resp.RespCommandDecoder;
import dev.cinnabar.protocol.resp.RespWriter;
import dev.cinnabar.server.Server;
import dev.cinnabar.server.ServerLog;
import dev.cinnabar.server.acl.AclUser;
import dev.cinnabar.protocol.command.CommandSpec;
import dev.cinnabar.sentinel.Sentinel;
import dev.cinnabar.sentinel.SentinelCall;
import dev.cinnabar.server.blocking.BlockedClients;
import dev.cinnabar.server.blocking.BlockedReply;
import dev.cinnabar.server.multi.MultiState;
import dev.cinnabar.server.pubsub.PubSub;
import dev.cinnabar.server.pubsub.Subscriptions;
import dev.cinnabar.server.replication.ServerReplication;
import dev.cinnabar.server.tracking.TrackingState;
import dev.cinnabar.storage.commands.MemoryFigures;
import dev.cinnabar.storage.commands.StorageCall;
import dev.cinnabar.storage.commands.StorageSettings;
import dev.cinnabar.storage.keyspace.Database;
import dev.cinnabar.storage.keyspace.Keyspace;
import dev.cinnabar.storage.type.ValueType;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * One client connection, living on the keyspace loop: it decodes every complete command of a read,
 * dispatches each at once, and flushes the replies of the whole batch in one write (Redis's
 * processInputBuffer + handleClientsWithPendingWrites).
 *
 * <p>It is also the {@link StorageCall} handed to handlers: a call sees this client's database
 * and writes into this client's outbound buffer. Not @Sharable: one instance per channel.
 */
public final class ClientSession extends ChannelInboundHandlerAdapter
    implements StorageCall, PubSub.Subscriber, SentinelCall {
    private final Server server;
    private final long id;
    private final RespCommandDecoder decoder = new RespCommandDecoder();
    private final Args args = new Args();
    private final RespWriter writer = new RespWriter();
    private Channel channel;
    private ByteBuf out;
    private boolean flushScheduled;

    private int dbIndex;
    private String name = "";
    private boolean authenticated;
    /** The ACL user; null for the master's client, which Redis runs as the superuser. */
    private AclUser user;
    private boolean closeAfterReply;
    private final long createdMs;
    private long lastInteractionMs;
    private String lastCommand = "NULL";
    private String libName = "";
    private String libVersion = "";
    private String addr = "";
    private String laddr = "";
    private int fd = -1;
    /** CLIENT REPLY OFF, or SKIP armed for the next command. */
    private boolean replyOff;
    private boolean skipNextReply;
    private boolean monitor;
    private boolean replica;
    /** Drops the replica's link to its master while this session is that link's client, else null. */
    private Runnable masterLinkKill;
    private boolean noEvict;
    /** A command refused by CLIENT PAUSE waits in args; input is not read until it runs. */
    private boolean postponed;
    /** Bit i set: argument i is shown as "(redacted)" to monitors (AUTH, HELLO ... AUTH). */
    private long redacted;
    private final MultiState multi = new MultiState();
    private final TrackingState tracking = new TrackingState();
    private CommandSpec currentSpec;
    private BlockedClients.Wait wait;
    private boolean blockedAgain;
    private final Subscriptions subscriptions = new Subscriptions();
    /** The replication offset this client's replies wait for the replicas to acknowledge, or 0 (HeldReplies). */
    private long replyAfterOffset;
    /** When the output first went over the soft limit of its class (Redis's obuf_soft_limit_reached_time), or 0. */
    private long softLimitSinceMs;

    public ClientSession(final Server server, final long id) {
        this.server = server;
        this.id = id;
        this.createdMs = server.clock();
        this.lastInteractionMs = createdMs;
        this.user = server.acl().defaultUser();
        this.authenticated = server.acl().defaultUserNeedsNoAuth();
        decoder.authRequired(!authenticated);
        decoder.protoMaxBulkLen(server.config().storage.protoMaxBulkLen);
    }

    // ---- Netty events ------------------------------------------------------------------------

    @Override
    public void channelActive(final ChannelHandlerContext ctx) {
        this.channel = ctx.channel();
        addr = ClientInfo.address(channel.remoteAddress());
        laddr = ClientInfo.address(channel.localAddress());
        fd = ClientInfo.fd(channel);
        final String refusal = AdmissionRules.refusal(server, channel.remoteAddress());
        if (refusal != null) {
            server.stats().rejectedConnections++;
            reply().error(refusal);
            closeAfterReply = true;
            flush();
            channel.close();
            return;
        }
        server.register(this);
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) {
        server.unregister(this);
        server.tracking().disable(this);
        server.monitors().remove(this);
        server.pause().forget(this);
        server.pubsub().removeClient(this);
        server.watches().unwatchAll(multi);
        if (wait != null) {
            server.blocking().remove(this, wait);
            wait = null;
        }
        if (out != null) {
            out.release();
            out = null;
        }
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
        final ByteBuf in = (ByteBuf) msg;
        try {
            if (closeAfterReply) {
                return;
            }
            server.stats().netInputBytes += in.readableBytes();
            server.stats().totalReadsProcessed++;
            decoder.append(in, args);
        } finally {
            in.release();
        }
        server.beforeCommands();
        lastInteractionMs = server.clock();
        if (!postponed) {
            processInput();
        }
    }

    @Override
    public void channelReadComplete(final ChannelHandlerContext ctx) {
        // an acknowledged write must already be on its way to every replica: when this batch fed the
        // replication stream, its replies go out after the stream's hand-off, queued earlier this turn
        final ServerReplication repl = server.replication();
        if (repl != null && repl.state().streamPending()) {
            scheduleFlush();
        } else {
            flush();
        }
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
        ServerLog.verbose("Client id=" + id + " error: " + cause.getMessage());
        ctx.close();
    }

    /** Runs every complete command buffered, stopping when the client must not go on. */
    public void processInput() {
        try {
            while (!closeAfterReply && !postponed && wait == null && decoder.next(args)) {
                executeCurrent();
            }
        } catch (ProtocolException e) {
            ServerLog.verbose("Protocol error (" + e.getMessage() + ") from client: id=" + id);
            reply().error("ERR " + e.getMessage());
            closeAfterReply = true;
        }
        if (decoder.pending() > server.config().clientQueryBufferLimit) {
            ServerLog.warning("Closing client that reached max query buffer length: id=" + id
                + " (qbuf initial bytes: ...)");
            server.stats().clientQueryBufferLimitDisconnections++;
            closeNow();
            return;
        }
        if (closeAfterReply) {
            flush();
            if (channel != null && replyAfterOffset == 0) {
                channel.close();
            }
        }
    }

    /** Runs the command in args, dropping its reply under CLIENT REPLY OFF/SKIP. */
    private void executeCurrent() {
        final boolean skip = skipNextReply;
        skipNextReply = false;
        redacted = 0;
        if (!replyOff && !skip) {
            server.dispatcher().execute(this, args);
        } else {
            final ByteBuf b = outBuffer();
            final int mark = b.writerIndex();
            server.dispatcher().execute(this, args);
            if ((replyOff || skip) && out == b && b.writerIndex() > mark) {
                b.writerIndex(mark);
            }
        }
        // CLIENT CACHING applies to the next command only; CLIENT commands and MULTI keep it (resetClient)
        if (tracking.caching() && !multi.active() && (currentSpec == null || !currentSpec.name().startsWith("client"))) {
            tracking.commandDone();
        }
    }

    /** CLIENT PAUSE holds this command: stop reading until {@link #resume()}. */
    public void postpone() {
        postponed = true;
        if (channel != null) {
            channel.config().setAutoRead(false);
        }
        server.pause().hold(this);
    }

    /** The pause ended: run the held command, then whatever input followed it. */
    public void resume() {
        if (!postponed) {
            return;
        }
        postponed = false;
        server.beforeCommands();
        executeCurrent();
        if (!postponed) {
            processInput();
            if (channel != null && channel.isActive()) {
                channel.config().setAutoRead(true);
            }
        }
        flush();
    }

    public boolean postponed() {
        return postponed;
    }

    /** Writes what the batch produced; one syscall per batch. */
    public void flush() {
        flushScheduled = false;
        if (checkOutputLimits()) {
            return;
        }
        if (replyAfterOffset != 0 && server.replication().holdsReply(this)) {
            return;
        }
        if (out != null && channel != null) {
            final ByteBuf b = out;
            out = null;
            if (b.isReadable()) {
                server.stats().netOutputBytes += b.readableBytes();
                server.stats().totalWritesProcessed++;
                channel.writeAndFlush(b, channel.voidPromise());
            } else {
                b.release();
            }
        }
    }

    /** For replies produced outside this client's own read (pub/sub, unblocking): flush later in this turn. */
    public void scheduleFlush() {
        if (!flushScheduled && channel != null) {
            flushScheduled = true;
            channel.eventLoop().execute(this::flush);
        }
    }

    /**
     * Redis's closeClientOnOutputBufferLimitReached: the bytes not yet written to the socket against
     * the hard and soft limits of this client's class (normal, replica, pubsub). Returns true when
     * the client was closed.
     */
    public boolean checkOutputLimits() {
        if (closeAfterReply || channel == null) {
            return false;
        }
        final long[] limit = server.config().clientOutputBufferLimits[outputClass()];
        final long hard = limit[0];
        final long soft = limit[1];
        if (hard == 0 && soft == 0) {
            return false;
        }
        final long used = outputBytes();
        final long now = server.clock();
        boolean over = hard > 0 && used >= hard;
        if (soft > 0 && used >= soft) {
            if (softLimitSinceMs == 0) {
                softLimitSinceMs = now;
            } else if (now - softLimitSinceMs >= limit[2] * 1000) {
                over = true;
            }
        } else {
            softLimitSinceMs = 0;
        }
        if (!over) {
            return false;
        }
        ServerLog.warning("Client id=" + id + " addr=" + addr + " scheduled to be closed ASAP for overcoming of output buffer limits.");
        server.stats().clientOutputBufferLimitDisconnections++;
        if (out != null) {
            out.release();
            out = null;
        }
        closeNow();
        return true;
    }

    /** 0 normal, 1 replica, 2 pubsub: the index into client-output-buffer-limit. */
    private int outputClass() {
        return subscriptions.active() ? 2 : 0;
    }

    /** Reply bytes this client holds: the batch being built plus what Netty has not yet written. */
    public long outputBytes() {
        long n = out == null ? 0 : out.readableBytes();
        if (channel != null) {
            final var ob = channel.unsafe().outboundBuffer();
            if (ob != null) {
                n += ob.totalPendingWriteBytes();
            }
        }
        return n;
    }

    /**
     * Closes the connection now. The master's client on a replica has no socket of its own: the
     * replication link is dropped instead, and reconnects and continues as in Redis, where freeing
     * the master client caches the master for a partial resync.
     */
    public void closeNow() {
        if (masterLinkKill != null) {
            masterLinkKill.run();
            return;
        }
        closeAfterReply = true;
        if (channel != null) {
            channel.close();
        }
    }

    public void closeAfterReply() {
        closeAfterReply = true;
    }

    public boolean closingAfterReply() {
        return closeAfterReply;
    }

    /** The replies from now on wait until the replicas acknowledged {@code offset} (0: they do not wait). */
    public void replyAfterOffset(final long offset) {
        this.replyAfterOffset = offset;
    }

    public long replyAfterOffset() {
        return replyAfterOffset;
    }

    // ---- StorageCall -------------------------------------------------------------------------

    @Override
    public RespWriter reply() {
        if (out == null) {
            out = channel != null ? channel.alloc().ioBuffer(256) : io.netty.buffer.Unpooled.buffer(256);
            writer.target(out);
        }
        return writer;
    }

    /** The outbound buffer, created on demand (for dispatch bookkeeping). */
    public ByteBuf outBuffer() {
        reply();
        return out;
    }

    @Override
    public long nowMs() {
        return server.clock();
    }

    @Override
    public void propagateAs(final byte[]... argv) {
        server.propagator().replaceCurrent(argv);
    }

    @Override
    public void alsoPropagate(final byte[]... argv) {
        server.propagator().also(argv);
    }

    @Override
    public void preventPropagation() {
        server.propagator().prevent();
    }

    @Override
    public Database db() {
        return server.keyspace().db(dbIndex);
    }

    @Override
    public Keyspace keyspace() {
        return server.keyspace();
    }

    @Override
    public StorageSettings settings() {
        return server.config().storage;
    }

    // ---- session state -----------------------------------------------------------------------

    public Server server() {
        return server;
    }

    public long id() {
        return id;
    }

    public Channel channel() {
        return channel;
    }

    public int dbIndex() {
        return dbIndex;
    }

    public void dbIndex(final int i) {
        this.dbIndex = i;
    }

    public String name() {
        return name;
    }

    public void name(final String n) {
        this.name = n;
    }

    public boolean authenticated() {
        return authenticated;
    }

    public void authenticated(final boolean a) {
        this.authenticated = a;
        decoder.authRequired(!a);
    }

    public AclUser user() {
        return user;
    }

    public void user(final AclUser u) {
        this.user = u;
    }

    @Override
    public boolean unrestrictedKeyRead(final Args commandArgs) {
        return user == null || user.unrestricted() || server.acl().unrestrictedKeyRead(user, currentSpec, commandArgs);
    }

    public int protocol() {
        return writer.protocol();
    }

    public void protocol(final int v) {
        writer.protocol(v);
    }

    public long createdMs() {
        return createdMs;
    }

    public long lastInteractionMs() {
        return lastInteractionMs;
    }

    public RespCommandDecoder decoder() {
        return decoder;
    }

    public String lastCommand() {
        return lastCommand;
    }

    public void lastCommand(final String c) {
        this.lastCommand = c;
    }

    public String libName() {
        return libName;
    }

    public void libName(final String n) {
        this.libName = n;
    }

    public String libVersion() {
        return libVersion;
    }

    public void libVersion(final String v) {
        this.libVersion = v;
    }

    @Override
    public MemoryFigures memoryFigures() {
        return server.memory().figures();
    }

    public String addr() {
        return addr;
    }

    public String laddr() {
        return laddr;
    }

    public int fd() {
        return fd;
    }

    public Args currentArgs() {
        return args;
    }

    public boolean replyOff() {
        return replyOff;
    }

    /** CLIENT REPLY: ON, OFF, or SKIP (the next command only). */
    public void replyMode(final boolean off, final boolean skipNext) {
        this.replyOff = off;
        this.skipNextReply = skipNext;
    }

    public boolean monitor() {
        return monitor;
    }

    public void monitor(final boolean m) {
        this.monitor = m;
    }

    /** A replica's link: SYNC/PSYNC accepted on it (Redis's CLIENT_SLAVE without CLIENT_MONITOR). */
    public boolean replica() {
        return replica;
    }

    public void markReplica() {
        this.replica = true;
    }

    /**
     * The master's client on a replica (Redis's CLIENT_MASTER), while the link is in sync: CLIENT
     * LIST shows the link's socket ({@code link}, the master's address and ours), and CLIENT KILL
     * runs {@code kill}. The session never writes to that socket.
     */
    public void attachMasterLink(final Channel link, final Runnable kill) {
        if (link != null) {
            addr = ClientInfo.address(link.remoteAddress());
            laddr = ClientInfo.address(link.localAddress());
            fd = ClientInfo.fd(link);
        }
        masterLinkKill = kill;
        lastInteractionMs = server.clock();
    }

    /** The link is gone: the session is cached for a partial resync, out of CLIENT LIST. */
    public void detachMasterLink() {
        masterLinkKill = null;
    }

    public boolean master() {
        return masterLinkKill != null;
    }

    /** The master's stream delivered a command (Redis updates lastinteraction on every read). */
    public void interacted() {
        lastInteractionMs = server.clock();
    }

    public boolean noEvict() {
        return noEvict;
    }

    public void noEvict(final boolean n) {
        this.noEvict = n;
    }

    public boolean closing() {
        return closeAfterReply;
    }

    public void redact(final int argIndex) {
        redacted |= 1L << Math.min(argIndex, 63);
    }

    public boolean redacted(final int argIndex) {
        return (redacted & (1L << Math.min(argIndex, 63))) != 0;
    }

    public int pubsubChannels() {
        return subscriptions.channelCount();
    }

    public int pubsubPatterns() {
        return subscriptions.patternCount();
    }

    public int pubsubShardChannels() {
        return subscriptions.shardCount();
    }

    /** Commands queued by MULTI, or -1 outside a transaction (CLIENT LIST multi=). */
    public int multiQueued() {
        return multi.active() ? multi.queued().size() : -1;
    }

    /** Waiting on keys (BLPOP ...): exempt from the idle timeout, reported as flags=b. */
    public boolean blocked() {
        return wait != null;
    }

    /**
     * A blocking command found nothing: wait on the keys (see {@link BlockedClients}). A retry
     * that still finds nothing keeps its place; inside EXEC nothing blocks and the handler
     * answers as on timeout.
     */
    @Override
    public boolean block(final ValueType type, final long timeoutMs, final byte[][] keys) {
        if (wait != null) {
            blockedAgain = true;
            return true;
        }
        if (multi.executing() || currentSpec == null) {
            return false;
        }
        wait = server.blocking().block(this, currentSpec, type, keys, timeoutMs);
        return true;
    }

    /** A key this client waits on is ready: run the blocked command again. */
    public void retryBlocked() {
        final BlockedClients.Wait w = wait;
        if (w == null) {
            return;
        }
        blockedAgain = false;
        server.dispatcher().call(this, w.spec(), args);
        if (!blockedAgain && wait == w) {
            endWait();
        }
    }

    /** Ends a wait without data: the timeout's null reply, or CLIENT UNBLOCK's error. */
    public boolean unblock(final BlockedReply how) {
        if (wait == null) {
            return false;
        }
        if (how == BlockedReply.ERROR) {
            reply().error("UNBLOCKED client unblocked via CLIENT UNBLOCK");
        } else {
            reply().nullArray();
        }
        endWait();
        return true;
    }

    /** The wait is over: reply goes out, and the input that queued up meanwhile runs in the next loop turn. */
    private void endWait() {
        server.blocking().remove(this, wait);
        wait = null;
        if (channel != null) {
            channel.eventLoop().execute(() -> {
                server.beforeCommands();
                processInput();
                flush();
            });
        }
    }

    /** The type the blocked command waits for, or null. */
    public ValueType waitType() {
        return wait == null ? null : wait.type();
    }

    public void currentSpec(final CommandSpec spec) {
        this.currentSpec = spec;
    }

    @Override
    public Sentinel sentinel() {
        return server.sentinel();
    }

    public TrackingState tracking() {
        return tracking;
    }

    public MultiState multi() {
        return multi;
    }

    // ---- PubSub.Subscriber -------------------------------------------------------------------

    @Override
    public Subscriptions subscriptions() {
        return subscriptions;
    }

    /** RESP2 clients with a subscription may only (un)subscribe, PING, QUIT and RESET. */
    public boolean inSubscribedContext() {
        return subscriptions.active() && writer.protocol() == 2;
    }

    @Override
    public RespWriter messageWriter() {
        return closeAfterReply ? null : reply();
    }

    @Override
    public void deliver() {
        if (!checkOutputLimits()) {
            scheduleFlush();
        }
    }

    /** Connected over loopback (enable-*-command "local", protected mode). */
    public boolean isLocal() {
        return channel == null || !(channel.remoteAddress() instanceof java.net.InetSocketAddress inet)
            || inet.getAddress() == null || inet.getAddress().isLoopbackAddress();
    }

    public int outCapacity() {
        return out == null ? 0 : out.capacity();
    }

    /** Bytes waiting in the outbound buffer (CLIENT LIST omem, output limits). */
    public int pendingOutput() {
        return out == null ? 0 : out.readableBytes();
    }
}
