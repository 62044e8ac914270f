package dev.cinnabar.benchmarks;

import java.nio.charset.StandardCharsets;

import dev.cinnabar.server.Main;
import dev.cinnabar.server.Server;
import dev.cinnabar.server.net.ClientSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * One client of an in-JVM server that never listens: a {@link ClientSession} on an
 * {@link EmbeddedChannel}, so a request goes decode → dispatch → execute → encode → flush exactly
 * as on a socket, minus the syscalls.
 *
 * <p>Why requests are copied into one reused pooled buffer, retained before each read: the session
 * releases what it reads (as Netty's socket read path expects), and a retain plus a reset reader
 * index costs no allocation, so the allocation the benchmarks report is the server's own.
 */
public final class InProcessClient implements AutoCloseable {
    private final Server server;
    private final ClientSession session;
    private final EmbeddedChannel channel;
    private final ChannelPipeline pipeline;
    private final ByteBuf request = PooledByteBufAllocator.DEFAULT.directBuffer(64 * 1024);

    /** A server built from {@code options} (redis.conf words as on the command line) and one client of it. */
    public InProcessClient(final String... options) throws Exception {
        final String[] argv = new String[options.length + 2];
        argv[0] = "--save";
        argv[1] = "";
        System.arraycopy(options, 0, argv, 2, options.length);
        server = Main.fromArgs(argv);
        session = new ClientSession(server, server.newClientId());
        channel = new EmbeddedChannel(session);
        // the allocator NettyServer gives client channels; the session takes its reply buffers from it
        channel.config().setAllocator(PooledByteBufAllocator.DEFAULT);
        pipeline = channel.pipeline();
    }

    public Server server() {
        return server;
    }

    /**
     * Sends {@code len} request bytes of {@code src} as one socket read and returns the bytes of
     * the replies flushed at the end of that read. The caller never keeps a reply: it is released here.
     */
    public int exchange(final byte[] src, final int off, final int len) {
        send(src, off, len);
        int replyBytes = 0;
        for (Object m = channel.readOutbound(); m != null; m = channel.readOutbound()) {
            final ByteBuf reply = (ByteBuf) m;
            replyBytes += reply.readableBytes();
            reply.release();
        }
        return replyBytes;
    }

    /** One socket read of the session, then the end of the read batch, where the session flushes. */
    private void send(final byte[] src, final int off, final int len) {
        request.clear().writeBytes(src, off, len).retain();
        pipeline.fireChannelRead(request);
        pipeline.fireChannelReadComplete();
    }

    public int exchange(final byte[] src) {
        return exchange(src, 0, src.length);
    }

    /** Runs one request and returns its replies as text, for preloading and for checking set-ups. */
    public String call(final byte[] requestBytes) {
        send(requestBytes, 0, requestBytes.length);
        final StringBuilder sb = new StringBuilder();
        for (Object m = channel.readOutbound(); m != null; m = channel.readOutbound()) {
            final ByteBuf reply = (ByteBuf) m;
            sb.append(reply.toString(StandardCharsets.UTF_8));
            reply.release();
        }
        return sb.toString();
    }

    /** Runs one command given as words and returns its reply text. */
    public String call(final String... words) {
        return call(Resp.command(words));
    }

    /** Runs a command and fails the set-up unless its reply starts with {@code expectedPrefix}. */
    public void expect(final byte[] requestBytes, final String expectedPrefix) {
        final String reply = call(requestBytes);
        if (!reply.startsWith(expectedPrefix)) {
            throw new IllegalStateException("unexpected reply " + reply.replace("\r\n", "\\r\\n") + " to "
                + new String(requestBytes, StandardCharsets.UTF_8).replace("\r\n", "\\r\\n")
                + ", expected " + expectedPrefix.replace("\r\n", "\\r\\n"));
        }
    }

    /** Fails the run when any command was refused or answered an error: a score must not measure an error path. */
    public void checkNoErrors() {
        final var stats = server.commandStats();
        final long errors = stats.totalErrorReplies + stats.rejectedCalls;
        if (errors != 0) {
            throw new IllegalStateException(errors + " error replies: " + stats.errors());
        }
    }

    /** Forgets the errors of a set-up that checked refusals on purpose. */
    public void resetErrors() {
        server.commandStats().totalErrorReplies = 0;
        server.commandStats().rejectedCalls = 0;
    }

    @Override
    public void close() {
        channel.finishAndReleaseAll();
        request.release();
    }
}
