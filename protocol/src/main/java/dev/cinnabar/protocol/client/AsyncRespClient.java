package dev.cinnabar.protocol.client;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * An asynchronous RESP client living on one Netty event loop: hiredis's async context for the JVM.
 *
 * <p>Why: sentinel links (and any outbound link of the keyspace thread) must never block the loop, and their replies
 * must be handled on the loop that owns the state they update, without locks. Commands are pipelined; each reply goes
 * to the callback of the command it answers.
 *
 * <ol>
 * <li>Every method must be called on the loop; every callback runs on the loop.</li>
 * <li>Callbacks run in the order the commands were issued, one per reply.</li>
 * <li>Commands issued before the TCP connection completes are buffered and sent when it does.</li>
 * <li>After {@link #close()} no callback and no listener method runs. When the peer closes the connection or it
 *     fails, the pending callbacks are dropped at once and the listener hears {@link Listener#onClosed} once, on a
 *     later turn of the loop.</li>
 * <li>After {@link #subscribe}, the callback given there receives the subscription confirmation and then every
 *     pub/sub message (a {@code message}/{@code pmessage} array, or a RESP3 push).</li>
 * </ol>
 */
public final class AsyncRespClient {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] MESSAGE = "message".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PMESSAGE = "pmessage".getBytes(StandardCharsets.US_ASCII);

    /** Receives one reply (an error reply is a reply too). */
    @FunctionalInterface
    public interface ReplyCallback {
        void onReply(RespValue reply);
    }

    /** Connection lifecycle, as hiredis's connect and disconnect callbacks. */
    public interface Listener {
        void onConnected(AsyncRespClient client);

        /** The connection failed or was lost; {@code cause} may be null for an orderly close by the peer. */
        void onClosed(AsyncRespClient client, Throwable cause);
    }

    private final EventLoop loop;
    private final Listener listener;
    private final ArrayDeque<ReplyCallback> callbacks = new ArrayDeque<>();
    private final RespReplyDecoder decoder = new RespReplyDecoder(16 * 1024);
    private Channel channel;
    private ByteBuf beforeConnect;
    private ReplyCallback subscription;
    private boolean active;
    private boolean closed;

    private AsyncRespClient(final EventLoop loop, final Listener listener) {
        this.loop = loop;
        this.listener = listener;
    }

    /** Starts connecting with a NIO socket channel; the loop must accept NIO channels. */
    public static AsyncRespClient connect(final EventLoop loop, final String host, final int port,
                                          final int connectTimeoutMs, final Listener listener) {
        return connect(loop, NioSocketChannel.class, host, port, connectTimeoutMs, listener);
    }

    /** Starts connecting; {@code channelClass} must match the loop's transport (NIO, epoll...). */
    public static AsyncRespClient connect(final EventLoop loop, final Class<? extends Channel> channelClass,
                                          final String host, final int port, final int connectTimeoutMs,
                                          final Listener listener) {
        return connect(loop, channelClass, host, port, connectTimeoutMs, null, listener);
    }

    /**
     * Starts connecting, over TLS when {@code tls} is not null: commands queue behind the handshake,
     * and a failed handshake closes the client with the failure as cause.
     */
    public static AsyncRespClient connect(final EventLoop loop, final Class<? extends Channel> channelClass,
                                          final String host, final int port, final int connectTimeoutMs,
                                          final SslContext tls, final Listener listener) {
        assert loop.inEventLoop();
        final AsyncRespClient client = new AsyncRespClient(loop, listener);
        final Bootstrap b = new Bootstrap()
            .group(loop)
            .channel(channelClass)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.max(1, connectTimeoutMs))
            .handler(tls == null ? client.new Handler() : new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(final Channel ch) {
                    ch.pipeline().addLast(tls.newHandler(ch.alloc(), host, port), client.new Handler());
                }
            });
        final ChannelFuture f = b.connect(new InetSocketAddress(host, port));
        client.channel = f.channel();
        f.addListener(done -> {
            if (!done.isSuccess()) {
                client.fail(done.cause());
            }
        });
        return client;
    }

    public EventLoop loop() {
        return loop;
    }

    /** True once connected and until closed. */
    public boolean isConnected() {
        return active && !closed;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Commands sent and not yet answered. */
    public int pending() {
        return callbacks.size();
    }

    /** The local address of the connection, or null before it is established. */
    public InetSocketAddress localAddress() {
        final SocketAddress a = channel == null ? null : channel.localAddress();
        return a instanceof InetSocketAddress ? (InetSocketAddress) a : null;
    }

    public void command(final ReplyCallback callback, final String... argv) {
        final byte[][] b = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) {
            b[i] = argv[i].getBytes(StandardCharsets.UTF_8);
        }
        command(callback, b);
    }

    /** Sends one command; {@code callback} (may be null to ignore the reply) receives its reply. */
    public void command(final ReplyCallback callback, final byte[]... argv) {
        assert loop.inEventLoop();
        if (closed) {
            return;
        }
        callbacks.add(callback == null ? r -> { } : callback);
        write(argv);
    }

    /** Sends SUBSCRIBE/PSUBSCRIBE {@code argv}; {@code onMessage} gets the confirmation and every later message. */
    public void subscribe(final ReplyCallback onMessage, final byte[]... argv) {
        assert loop.inEventLoop();
        if (closed) {
            return;
        }
        subscription = onMessage;
        callbacks.add(onMessage);
        write(argv);
    }

    public void subscribe(final ReplyCallback onMessage, final String... argv) {
        final byte[][] b = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) {
            b[i] = argv[i].getBytes(StandardCharsets.UTF_8);
        }
        subscribe(onMessage, b);
    }

    /** Closes the connection; nothing is called back afterwards. */
    public void close() {
        shutdown();
    }

    /** Marks the client closed, drops what is pending and closes the channel; false if it was already closed. */
    private boolean shutdown() {
        if (closed) {
            return false;
        }
        closed = true;
        callbacks.clear();
        releaseBuffered();
        if (channel != null) {
            channel.close();
        }
        return true;
    }

    private void write(final byte[][] argv) {
        final ByteBuf out;
        if (active) {
            out = channel.alloc().buffer(estimate(argv));
        } else {
            if (beforeConnect == null) {
                beforeConnect = channel.alloc().buffer(estimate(argv));
            }
            out = beforeConnect;
        }
        encode(argv, out);
        if (active) {
            channel.writeAndFlush(out, channel.voidPromise());
        }
    }

    private static int estimate(final byte[][] argv) {
        int n = 16;
        for (final byte[] a : argv) {
            n += a.length + 16;
        }
        return n;
    }

    /** Appends {@code argv} as a RESP array of bulk strings. */
    public static void encode(final byte[][] argv, final ByteBuf out) {
        out.writeByte('*');
        writeDecimal(out, argv.length);
        out.writeBytes(CRLF);
        for (final byte[] a : argv) {
            out.writeByte('$');
            writeDecimal(out, a.length);
            out.writeBytes(CRLF);
            out.writeBytes(a);
            out.writeBytes(CRLF);
        }
    }

    private static void writeDecimal(final ByteBuf out, final int v) {
        out.writeCharSequence(Integer.toString(v), StandardCharsets.US_ASCII);
    }

    private void releaseBuffered() {
        if (beforeConnect != null) {
            beforeConnect.release();
            beforeConnect = null;
        }
    }

    private void fail(final Throwable cause) {
        if (!shutdown()) {
            return;
        }
        // told on the next turn, so a failure inside connect() reaches a caller that already holds the client
        loop.execute(() -> listener.onClosed(this, cause));
    }

    private void dispatch(final RespValue reply) {
        if (subscription != null && isMessage(reply)) {
            subscription.onReply(reply);
            return;
        }
        final ReplyCallback cb = callbacks.poll();
        if (cb != null) {
            cb.onReply(reply);
        } else if (subscription != null) {
            subscription.onReply(reply);
        }
    }

    private static boolean isMessage(final RespValue v) {
        if (v.is(RespValue.Type.PUSH)) {
            return true;
        }
        if (!v.is(RespValue.Type.ARRAY) || v.size() < 3 || !v.get(0).is(RespValue.Type.BULK)) {
            return false;
        }
        final byte[] kind = v.get(0).bytes();
        return java.util.Arrays.equals(kind, MESSAGE) || java.util.Arrays.equals(kind, PMESSAGE);
    }

    private final class Handler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(final ChannelHandlerContext ctx) {
            if (closed) {
                ctx.close();
                return;
            }
            active = true;
            if (beforeConnect != null) {
                final ByteBuf b = beforeConnect;
                beforeConnect = null;
                ctx.writeAndFlush(b, ctx.voidPromise());
            }
            listener.onConnected(AsyncRespClient.this);
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
            final ByteBuf in = (ByteBuf) msg;
            try {
                if (closed) {
                    return;
                }
                final int n = in.readableBytes();
                final byte[] dst = decoder.writable(n);
                in.readBytes(dst, decoder.writeOffset(), n);
                decoder.commit(n);
                RespValue v;
                while (!closed && (v = decoder.next()) != null) {
                    dispatch(v);
                }
            } catch (RespProtocolException e) {
                fail(e);
            } finally {
                in.release();
            }
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx) {
            fail(null);
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
            fail(cause);
        }
    }
}
