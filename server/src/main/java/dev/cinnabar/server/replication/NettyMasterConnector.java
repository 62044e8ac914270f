package dev.cinnabar.server.replication;

import java.util.concurrent.TimeUnit;

import dev.cinnabar.protocol.tls.TlsErrors;
import dev.cinnabar.replication.replica.MasterConnection;
import dev.cinnabar.server.Server;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

/**
 * The replica's outbound connection to its master, on the keyspace loop itself, so the link's
 * events run on the thread that owns the dataset (no hand-off, no lock). The connection timeout is
 * repl-timeout's job (the link's tick), not the socket's. With tls-replication the link speaks TLS
 * with the server's client context, and counts as connected once the handshake is done.
 */
final class NettyMasterConnector implements MasterConnection.Connector {
    private final Server server;
    private final EventLoop loop;

    NettyMasterConnector(final Server server, final EventLoop loop) {
        this.server = server;
        this.loop = loop;
    }

    @Override
    public MasterConnection connect(final String host, final int port, final MasterConnection.Events events) {
        final Conn conn = new Conn(events);
        // tls-replication: the link is connected once the handshake is done, not the TCP connect
        final SslContext tls = server.config().tlsReplication ? server.tls().clientContext() : null;
        conn.tls = server.config().tlsReplication;
        if (conn.tls && tls == null) {
            // never fall back to clear text when TLS was asked for
            conn.closed = true;
            loop.execute(() -> events.onClosed("TLS is not configured (tls-replication needs tls-ca-cert-file)"));
            return conn;
        }
        final Bootstrap b = new Bootstrap()
            .group(loop)
            .channel(server.net().epoll() ? EpollSocketChannel.class : NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) TimeUnit.SECONDS.toMillis(60))
            .handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(final SocketChannel ch) {
                    if (tls != null) {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc(), host, port));
                    }
                    ch.pipeline().addLast(conn);
                }
            });
        final ChannelFuture f = b.connect(host, port);
        conn.channel = f.channel();
        f.addListener(done -> {
            if (conn.closed) {
                return;
            }
            if (done.isSuccess()) {
                if (!conn.tls) {
                    events.onConnected();
                }
            } else {
                conn.closed = true;
                final Throwable cause = done.cause();
                events.onClosed(cause == null ? "connection failed" : describe(cause));
            }
        });
        return conn;
    }

    /** "Connection refused" rather than the exception's long form, as Redis logs strerror. */
    private static String describe(final Throwable cause) {
        final String m = cause.getMessage();
        if (m == null) {
            return cause.getClass().getSimpleName();
        }
        final int colon = m.lastIndexOf(": ");
        return m.contains("Connection refused") ? "Connection refused" : colon > 0 ? m.substring(0, colon) : m;
    }

    /** One connection: forwards the channel's events until closed by either side. */
    /** The socket of a connection this connector opened, or null (for CLIENT LIST's addresses). */
    static Channel channel(final MasterConnection connection) {
        return connection instanceof Conn c ? c.channel : null;
    }

    private static final class Conn extends ChannelInboundHandlerAdapter implements MasterConnection {
        private final Events events;
        private Channel channel;
        private boolean closed;
        private boolean tls;

        Conn(final Events events) {
            this.events = events;
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
            if (closed) {
                ((ByteBuf) msg).release();
                return;
            }
            events.onBytes((ByteBuf) msg);
        }

        @Override
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt) throws Exception {
            if (evt instanceof SslHandshakeCompletionEvent e) {
                if (closed) {
                    return;
                }
                if (e.isSuccess()) {
                    events.onConnected();
                } else {
                    closed = true;
                    events.onClosed("TLS handshake failed: " + TlsErrors.describe(e.cause()));
                    ctx.close();
                }
                return;
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx) {
            if (!closed) {
                closed = true;
                events.onClosed("connection lost");
            }
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
            ctx.close();
        }

        @Override
        public void write(final ByteBuf data) {
            if (closed || !channel.isActive()) {
                data.release();
                return;
            }
            channel.writeAndFlush(data, channel.voidPromise());
        }

        @Override
        public void close() {
            closed = true;
            if (channel != null) {
                channel.close();
            }
        }

        @Override
        public void pauseReading(final boolean paused) {
            channel.config().setAutoRead(!paused);
        }
    }
}
