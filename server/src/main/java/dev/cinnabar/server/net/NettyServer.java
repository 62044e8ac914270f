package dev.cinnabar.server.net;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import dev.cinnabar.server.Server;
import dev.cinnabar.server.ServerLog;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.FastThreadLocalThread;

/**
 * Netty bootstrap: one acceptor thread and one keyspace loop. Every client channel is registered on
 * the keyspace loop, so a command is decoded, executed and answered on the thread that owns the
 * data, without locks or hand-offs (ARCHITECTURE §3). Native epoll when available, NIO otherwise.
 */
public final class NettyServer {
    private final Server server;
    private final boolean epoll = Epoll.isAvailable();
    private EventLoopGroup boss;
    private EventLoopGroup keyspaceGroup;
    private final List<Channel> listeners = new ArrayList<>();
    /** The tls-port listeners; their accepted channels start with an SslHandler. */
    private final List<Channel> tlsListeners = new ArrayList<>();
    private static final AttributeKey<Boolean> TLS_LISTENER = AttributeKey.valueOf("cinnabar.tls");
    private ServerBootstrap bootstrap;

    public NettyServer(final Server server) {
        this.server = server;
    }

    public void start() throws InterruptedException {
        final IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        boss = new MultiThreadIoEventLoopGroup(1, factory);
        keyspaceGroup = new MultiThreadIoEventLoopGroup(1, r -> {
            // a FastThreadLocalThread: Netty's per-thread buffer caches and recyclers are an indexed slot on it, a
            // ThreadLocal map lookup on any other thread, and objects recycled on it are batched, not queued one by one
            final Thread t = new FastThreadLocalThread(r, "cinnabar-keyspace");
            t.setDaemon(false);
            return t;
        }, factory);
        final Class<? extends ServerSocketChannel> channelClass =
            epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        final ServerBootstrap b = new ServerBootstrap()
            .group(boss, keyspaceGroup)
            .channel(channelClass)
            .option(ChannelOption.SO_BACKLOG, Math.max(server.config().tcpBacklog, 1))
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(final SocketChannel ch) {
                    server.stats().totalConnectionsReceived++;
                    final long keepalive = server.config().tcpKeepalive;
                    if (keepalive > 0) {
                        ch.config().setOption(ChannelOption.SO_KEEPALIVE, true);
                        if (epoll) {
                            ch.config().setOption(EpollChannelOption.TCP_KEEPIDLE, (int) keepalive);
                            ch.config().setOption(EpollChannelOption.TCP_KEEPINTVL, (int) Math.max(1, keepalive / 3));
                            ch.config().setOption(EpollChannelOption.TCP_KEEPCNT, 3);
                        }
                    }
                    if (Boolean.TRUE.equals(ch.parent().attr(TLS_LISTENER).get())) {
                        server.tls().addServerHandlers(ch, ch.alloc());
                    }
                    ch.pipeline().addLast(new ClientSession(server, server.newClientId()));
                }
            });
        bootstrap = b;
        try {
            listeners.addAll(listen(false));
        } catch (IllegalStateException e) {
            ServerLog.warning("Failed listening on port " + server.config().port + " (tcp), aborting.");
            stop();
            throw e;
        }
        try {
            tlsListeners.addAll(listen(true));
        } catch (IllegalStateException e) {
            ServerLog.warning("Failed listening on port " + server.config().tlsPort + " (tls), aborting.");
            stop();
            throw e;
        }
    }

    /**
     * Binds every address of the current bind config to port (or tls-port); on failure closes what
     * it opened and throws.
     */
    private List<Channel> listen(final boolean tls) {
        final List<Channel> opened = new ArrayList<>();
        final int port = tls ? server.config().tlsPort : server.config().port;
        if (port == 0) {
            return opened;
        }
        final ServerBootstrap b = tls ? bootstrap.clone().attr(TLS_LISTENER, true) : bootstrap;
        for (String addr : server.config().bind) {
            final boolean optional = addr.startsWith("-");
            if (optional) {
                addr = addr.substring(1);
            }
            final String host = addr.equals("*") ? "0.0.0.0" : addr.equals("::*") ? "::" : addr;
            try {
                opened.add(b.bind(new InetSocketAddress(host, port)).sync().channel());
            } catch (Exception e) {
                if (optional) {
                    continue;
                }
                ServerLog.warning("Warning: Could not create server TCP listening socket " + addr + ":" + port
                    + ": " + e.getMessage());
                opened.forEach(Channel::close);
                throw new IllegalStateException("could not listen on " + addr + ":" + port, e);
            }
        }
        return opened;
    }

    /**
     * CONFIG SET bind, as Redis's changeBindAddr: the old listeners close first (a new address may lie within an old
     * one on the same port, 127.0.0.1 within *), and are opened again if any new one fails, so a failed change leaves
     * the server listening as before. Null or {@code error}.
     */
    public String rebind(final String error) {
        final List<InetSocketAddress> old = closeAll(listeners);
        final List<InetSocketAddress> oldTls = closeAll(tlsListeners);
        final List<Channel> fresh = new ArrayList<>();
        try {
            fresh.addAll(listen(false));
            fresh.addAll(listen(true));
        } catch (IllegalStateException e) {
            closeAll(fresh);
            listeners.addAll(reopen(bootstrap, old));
            tlsListeners.addAll(reopen(bootstrap.clone().attr(TLS_LISTENER, true), oldTls));
            return error;
        }
        for (final Channel c : fresh) {
            (Boolean.TRUE.equals(c.attr(TLS_LISTENER).get()) ? tlsListeners : listeners).add(c);
        }
        return null;
    }

    /** Closes the channels, waiting for each, and returns the addresses they listened on. */
    private static List<InetSocketAddress> closeAll(final List<Channel> channels) {
        final List<InetSocketAddress> addresses = new ArrayList<>();
        for (final Channel c : channels) {
            addresses.add((InetSocketAddress) c.localAddress());
            c.close().awaitUninterruptibly(1, java.util.concurrent.TimeUnit.SECONDS);
        }
        channels.clear();
        return addresses;
    }

    private static List<Channel> reopen(final ServerBootstrap b, final List<InetSocketAddress> addresses) {
        final List<Channel> opened = new ArrayList<>();
        for (final InetSocketAddress a : addresses) {
            try {
                opened.add(b.bind(a).sync().channel());
            } catch (Exception e) {
                ServerLog.warning("Could not listen again on " + a + " after a failed bind change: " + e.getMessage());
            }
        }
        return opened;
    }

    /** CONFIG SET port or tls-port: the plain or the TLS listeners alone, with the same all-or-nothing rule. */
    public String rebind(final boolean tls, final String error) {
        final List<Channel> fresh;
        try {
            fresh = listen(tls);
        } catch (IllegalStateException e) {
            return error;
        }
        replace(tls ? tlsListeners : listeners, fresh);
        return null;
    }

    private static void replace(final List<Channel> current, final List<Channel> fresh) {
        closeAll(current);
        current.addAll(fresh);
    }

    public EventLoop keyspaceLoop() {
        return keyspaceGroup.next();
    }

    public int boundPort() {
        return listeners.isEmpty() ? 0 : ((InetSocketAddress) listeners.get(0).localAddress()).getPort();
    }

    public int boundTlsPort() {
        return tlsListeners.isEmpty() ? 0 : ((InetSocketAddress) tlsListeners.get(0).localAddress()).getPort();
    }

    public boolean epoll() {
        return epoll;
    }

    public void stop() {
        for (final Channel c : listeners) {
            // bounded: a loop already shutting down never runs the close
            c.close().awaitUninterruptibly(1, java.util.concurrent.TimeUnit.SECONDS);
        }
        for (final Channel c : tlsListeners) {
            c.close().awaitUninterruptibly();
        }
        if (boss != null) {
            boss.shutdownGracefully(0, 200, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        if (keyspaceGroup != null) {
            keyspaceGroup.shutdownGracefully(0, 200, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }
}
