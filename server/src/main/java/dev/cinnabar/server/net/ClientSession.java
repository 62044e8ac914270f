package dev.cinnabar.server.net;

import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.protocol.resp.ProtocolException;
import dev.cinnabar.protocol.resp.RespCommandDecoder;
import dev.cinnabar.protocol.resp.RespWriter;
import dev.cinnabar.server.Server;
import dev.cinnabar.server.ServerLog;
import dev.cinnabar.storage.commands.StorageCall;
import dev.cinnabar.storage.commands.StorageSettings;
import dev.cinnabar.storage.keyspace.Database;
import dev.cinnabar.storage.keyspace.Keyspace;
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
public final class ClientSession extends ChannelInboundHandlerAdapter implements StorageCall {
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
    private boolean noEvict;
    /** A command refused by CLIENT PAUSE waits in args; input is not read until it runs. */
    private boolean postponed;
    /** Bit i set: argument i is shown as "(redacted)" to monitors (AUTH, HELLO ... AUTH). */
    private long redacted;

    public ClientSession(final Server server, final long id) {
        this.server = server;
        this.id = id;
        this.createdMs = server.clock();
        this.lastInteractionMs = createdMs;
        this.authenticated = server.config().requirepass.isEmpty();
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
        server.clients().add(this);
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) {
        server.clients().remove(this);
        server.monitors().remove(this);
        server.pause().forget(this);
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
        flush();
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
        ServerLog.verbose("Client id=" + id + " error: " + cause.getMessage());
        ctx.close();
    }

    /** Runs every complete command buffered, stopping when the client must not go on. */
    public void processInput() {
        try {
            while (!closeAfterReply && !postponed && decoder.next(args)) {
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
            if (channel != null) {
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
            return;
        }
        final ByteBuf b = outBuffer();
        final int mark = b.writerIndex();
        server.dispatcher().execute(this, args);
        if ((replyOff || skip) && out == b && b.writerIndex() > mark) {
            b.writerIndex(mark);
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

    public void closeNow() {
        closeAfterReply = true;
        if (channel != null) {
            channel.close();
        }
    }

    public void closeAfterReply() {
        closeAfterReply = true;
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
        return server.sessionReport().channels(this);
    }

    public int pubsubPatterns() {
        return server.sessionReport().patterns(this);
    }

    public int pubsubShardChannels() {
        return server.sessionReport().shardChannels(this);
    }

    public int multiQueued() {
        return server.sessionReport().multiQueued(this);
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
