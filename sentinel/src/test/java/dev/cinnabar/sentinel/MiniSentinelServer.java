package dev.cinnabar.sentinel;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.cinnabar.protocol.Errors;
import dev.cinnabar.protocol.client.RespProtocolException;
import dev.cinnabar.protocol.client.RespReplyDecoder;
import dev.cinnabar.protocol.client.RespValue;
import dev.cinnabar.protocol.command.CommandSpec;
import dev.cinnabar.protocol.command.CommandTable;
import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.protocol.resp.RespWriter;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * A stand-in host for interop tests: our {@link Sentinel} on one Netty loop, serving the few commands other
 * sentinels and clients send a sentinel (PING, CLIENT, AUTH, PUBLISH, INFO, ROLE, SENTINEL ...), ticking itself.
 * The real host is the server module; this is only what a test needs to put our sentinel among real ones.
 */
final class MiniSentinelServer implements AutoCloseable {
    private static final CommandTable TABLE = CommandTable.builder().register(new SentinelCommands())
        .build(f -> true);

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoop loop = group.next();
    private final Channel listener;
    final Sentinel sentinel;
    final List<String> events = new CopyOnWriteArrayList<>();
    private volatile boolean ticking = true;

    MiniSentinelServer(final String host, final int port, final Path configFile) throws Exception {
        final SentinelEventSink sink = new SentinelEventSink() {
            @Override
            public void event(final Level level, final String type, final String message) {
                events.add(type + " " + message);
                log(level, type + " " + message);
            }

            @Override
            public void log(final Level level, final String message) {
                if (level != Level.DEBUG) {
                    System.out.println("[cinnabar-sentinel " + System.currentTimeMillis() % 100_000 + "] "
                        + level.mark() + " " + message);
                }
            }
        };
        final SentinelEnvironment env = SentinelEnvironment.of(new NettyLinkConnector(loop, NioSocketChannel.class,
            2000), sink, SentinelConfigStore.file(configFile), loop, port);
        sentinel = new Sentinel(env);
        final SentinelConfigLoader loader = SentinelConfigLoader.ofFile(configFile);
        onLoop(() -> {
            loader.load(sentinel);
            sentinel.start();
            return null;
        });
        listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(final SocketChannel ch) {
                    ch.pipeline().addLast(new Session());
                }
            }).bind(new InetSocketAddress(host, port)).sync().channel();
        loop.execute(this::tick);
    }

    private void tick() {
        if (!ticking) {
            return;
        }
        sentinel.tick(System.currentTimeMillis());
        loop.schedule(this::tick, sentinel.nextTickDelayMs(), TimeUnit.MILLISECONDS);
    }

    /** Runs {@code c} on the sentinel's loop and returns its result. */
    <T> T onLoop(final Callable<T> c) throws Exception {
        return loop.submit(c).get(10, TimeUnit.SECONDS);
    }

    boolean hasEvent(final String prefix) {
        return events.stream().anyMatch(e -> e.startsWith(prefix));
    }

    @Override
    public void close() throws Exception {
        ticking = false;
        loop.submit(() -> {
            sentinel.shutdown();
            return null;
        }).get(10, TimeUnit.SECONDS);
        listener.close().sync();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    /** One client connection: RESP arrays in, replies out. */
    private final class Session extends ChannelInboundHandlerAdapter {
        private final RespReplyDecoder decoder = new RespReplyDecoder();

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
            final ByteBuf in = (ByteBuf) msg;
            final ByteBuf out = ctx.alloc().buffer();
            try {
                final int n = in.readableBytes();
                final byte[] dst = decoder.writable(n);
                in.readBytes(dst, decoder.writeOffset(), n);
                decoder.commit(n);
                RespValue v;
                while ((v = decoder.next()) != null) {
                    execute(v, new RespWriter(out));
                }
            } catch (RespProtocolException e) {
                ctx.close();
            } finally {
                in.release();
            }
            ctx.writeAndFlush(out);
        }

        private void execute(final RespValue cmd, final RespWriter w) {
            final byte[][] argv = new byte[cmd.size()][];
            for (int i = 0; i < argv.length; i++) {
                argv[i] = cmd.get(i).bytes();
            }
            final Args a = Args.of(argv);
            final String name = a.string(0).toUpperCase(java.util.Locale.ROOT);
            final SentinelCall call = call(w);
            switch (name) {
                case "PING" -> w.simple("PONG");
                case "CLIENT", "AUTH" -> w.ok();
                case "PUBLISH" -> SentinelCommands.publish(call, a);
                case "ROLE" -> SentinelCommands.role(w, sentinel);
                case "INFO" -> w.bulk("# Server\r\nredis_version:7.0.15\r\nredis_mode:sentinel\r\n\r\n"
                    + sentinel.infoSection(call.nowMs()));
                case "SENTINEL" -> sentinelCommand(call, a);
                default -> w.error("ERR unknown command '" + a.string(0) + "'");
            }
        }

        private void sentinelCommand(final SentinelCall call, final Args a) {
            final CommandSpec spec = TABLE.lookup("sentinel");
            if (a.count() < 2) {
                call.reply().error(Errors.wrongArity("sentinel"));
                return;
            }
            final CommandSpec sub = spec.subcommand(a);
            if (sub == null) {
                call.reply().error(Errors.unknownSubcommand(a.string(1), "SENTINEL"));
            } else if (!sub.arityOk(a.count())) {
                call.reply().error(Errors.wrongArity(sub.name()));
            } else {
                sub.invoke(call, a);
            }
        }

        private SentinelCall call(final RespWriter w) {
            return new TestCall(sentinel, w, System::currentTimeMillis);
        }
    }
}
