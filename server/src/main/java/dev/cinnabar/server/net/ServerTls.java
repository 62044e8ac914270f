package dev.cinnabar.server.net;

import dev.cinnabar.protocol.tls.TlsContexts;
import dev.cinnabar.protocol.tls.TlsErrors;
import dev.cinnabar.protocol.tls.TlsSetupException;
import dev.cinnabar.server.ServerLog;
import dev.cinnabar.server.config.ServerConfig;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;

/**
 * The server's TLS contexts (Redis's tlsConfigure): one for the TLS listener, one for outgoing
 * links (replica to master, sentinel to instances). They are built at start-up when tls-port or
 * tls-replication is set, and again by CONFIG SET of any tls-* file or list; connections accepted
 * or opened afterwards use the new contexts, established ones keep theirs.
 */
public final class ServerTls {
    private final ServerConfig config;
    private volatile SslContext server;
    private volatile SslContext client;

    public ServerTls(final ServerConfig config) {
        this.config = config;
    }

    /** Whether the settings ask for TLS at all (a TLS port or TLS replication). */
    public boolean wanted() {
        return config.tlsPort != 0 || config.tlsReplication;
    }

    /** Builds both contexts from the current settings; on failure the previous ones stay. */
    public void configure() throws TlsSetupException {
        final SslContext s = TlsContexts.server(config.tls, config.tlsReplication);
        // without a CA nothing could verify a peer: no outgoing TLS then (tls-replication requires one)
        final boolean ca = !config.tls.caCertFile.isEmpty() || !config.tls.caCertDir.isEmpty();
        final SslContext c = ca ? TlsContexts.client(config.tls) : null;
        if (server == null) {
            ServerLog.notice("TLS provider: " + TlsContexts.provider() + (TlsContexts.provider() == SslProvider.JDK
                ? " (netty-tcnative not loaded or not wanted)" : " (netty-tcnative BoringSSL)"));
        }
        server = s;
        client = c;
    }

    /**
     * CONFIG SET's reload: null when it worked (or TLS is not in use), else Redis's reply reason,
     * with the cause in the log.
     */
    public String reload() {
        if (!wanted()) {
            return null;
        }
        try {
            configure();
            return null;
        } catch (TlsSetupException e) {
            ServerLog.warning(e.getMessage());
            return "Unable to update TLS configuration. Check server logs.";
        }
    }

    /** Whether the contexts have been built (start-up or a CONFIG SET). */
    public boolean configured() {
        return server != null;
    }

    /** The context for outgoing links; null when TLS has not been configured or has no CA. */
    public SslContext clientContext() {
        return client;
    }

    /** The handlers an accepted TLS connection starts with: the SslHandler, then the handshake's watcher. */
    void addServerHandlers(final io.netty.channel.Channel ch, final ByteBufAllocator alloc) {
        final SslContext ctx = server;
        final SslHandler ssl = TlsContexts.serverHandler(ctx, alloc, config.tls.preferServerCiphers);
        ch.pipeline().addLast(ssl, new HandshakeWatch());
    }

    /**
     * Logs a failed handshake once, as Redis logs "Error accepting a client connection", and closes
     * that connection only: garbage, a plaintext client, a missing or untrusted certificate.
     */
    private static final class HandshakeWatch extends ChannelInboundHandlerAdapter {
        private boolean failed;

        @Override
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt) throws Exception {
            if (evt instanceof SslHandshakeCompletionEvent e) {
                if (!e.isSuccess() && !failed) {
                    failed = true;
                    ServerLog.warning("Error accepting a client connection: " + TlsErrors.describe(e.cause())
                        + " (addr=" + ClientInfo.address(ctx.channel().remoteAddress()) + ")");
                    ctx.close();
                }
                if (e.isSuccess()) {
                    ctx.pipeline().remove(this);
                }
                return;
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
            if (!failed) {
                failed = true;
                ServerLog.warning("Error accepting a client connection: " + TlsErrors.describe(cause)
                    + " (addr=" + ClientInfo.address(ctx.channel().remoteAddress()) + ")");
            }
            ctx.close();
        }
    }
}
