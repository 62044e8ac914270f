package dev.cinnabar.sentinel;

import java.net.InetSocketAddress;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.cinnabar.protocol.client.AsyncRespClient;
import dev.cinnabar.protocol.client.RespValue;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;

/** Instance connections as {@link AsyncRespClient}s on the host's loop (the keyspace loop). */
public final class NettyLinkConnector implements LinkConnector {
    private final EventLoop loop;
    private final Class<? extends Channel> channelClass;
    private final int connectTimeoutMs;
    private final Supplier<SslContext> tls;

    /** {@code channelClass} must fit the loop's transport (NioSocketChannel, EpollSocketChannel...). */
    public NettyLinkConnector(final EventLoop loop, final Class<? extends Channel> channelClass,
                              final int connectTimeoutMs) {
        this(loop, channelClass, connectTimeoutMs, () -> null);
    }

    /**
     * Links over TLS whenever {@code tls} gives a context (the sentinel's tls-replication), asked at
     * each connection so a reloaded certificate serves the next link.
     */
    public NettyLinkConnector(final EventLoop loop, final Class<? extends Channel> channelClass,
                              final int connectTimeoutMs, final Supplier<SslContext> tls) {
        this.loop = loop;
        this.channelClass = channelClass;
        this.connectTimeoutMs = connectTimeoutMs;
        this.tls = tls;
    }

    @Override
    public LinkConnection connect(final String ip, final int port, final Runnable onLost) {
        if (ip == null || ip.isEmpty()) {
            return null;
        }
        final AsyncRespClient client = AsyncRespClient.connect(loop, channelClass, ip, port, connectTimeoutMs,
            tls.get(), new AsyncRespClient.Listener() {
                @Override
                public void onConnected(final AsyncRespClient c) {
                    // nothing to do: commands were queued before the connection completed
                }

                @Override
                public void onClosed(final AsyncRespClient c, final Throwable cause) {
                    onLost.run();
                }
            });
        return new LinkConnection() {
            @Override
            public void command(final Consumer<RespValue> onReply, final String... argv) {
                client.command(onReply::accept, argv);
            }

            @Override
            public void subscribe(final Consumer<RespValue> onMessage, final String... argv) {
                client.subscribe(onMessage::accept, argv);
            }

            @Override
            public String localIp() {
                final InetSocketAddress a = client.localAddress();
                return a == null ? null : a.getAddress().getHostAddress();
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }
}
