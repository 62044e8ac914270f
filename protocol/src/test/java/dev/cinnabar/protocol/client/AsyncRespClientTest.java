package dev.cinnabar.protocol.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

/** The async client against a scripted peer: ordering, early commands, pub/sub routing, close semantics. */
@Timeout(20)
class AsyncRespClientTest {
    private EventLoopGroup group;
    private EventLoop loop;
    private ServerSocket server;

    @BeforeEach
    void setUp() throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        loop = group.next();
        server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void tearDown() throws Exception {
        server.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    /** Accepts one connection, waits for {@code expect} bytes, then writes each chunk of {@code replies}. */
    private Thread peer(final int expect, final AtomicReference<String> received, final String... replies) {
        final Thread t = new Thread(() -> {
            try (Socket s = server.accept()) {
                final InputStream in = s.getInputStream();
                final byte[] buf = new byte[expect];
                int n = 0;
                while (n < expect) {
                    final int r = in.read(buf, n, expect - n);
                    if (r < 0) {
                        break;
                    }
                    n += r;
                }
                received.set(new String(buf, 0, n, StandardCharsets.UTF_8));
                final OutputStream out = s.getOutputStream();
                for (final String chunk : replies) {
                    out.write(chunk.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
                // wait for the client to go away so the replies are not cut short
                while (in.read() >= 0) {
                    n++;
                }
            } catch (Exception ignored) {
                // the test decides from what the client saw
            }
        }, "fake-peer");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static final AsyncRespClient.Listener QUIET = new AsyncRespClient.Listener() {
        @Override
        public void onConnected(final AsyncRespClient client) {
        }

        @Override
        public void onClosed(final AsyncRespClient client, final Throwable cause) {
        }
    };

    @Test
    void shouldDeliverEarlyPipelinedCommandsAndAnswerInOrderAcrossSplits() throws Exception {
        final AtomicReference<String> got = new AtomicReference<>();
        final String sent = "*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nINCR\r\n$1\r\nx\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n";
        peer(sent.length(), got, "+PONG\r\n:2", "\r\n$3\r\nab", "c\r\n");
        final List<String> replies = new CopyOnWriteArrayList<>();
        final CountDownLatch done = new CountDownLatch(3);
        loop.execute(() -> {
            final AsyncRespClient c = AsyncRespClient.connect(loop, "127.0.0.1", server.getLocalPort(), 2000, QUIET);
            c.command(r -> {
                replies.add(r.toString());
                done.countDown();
            }, "PING");
            c.command(r -> {
                replies.add(r.toString());
                done.countDown();
            }, "INCR", "x");
            c.command(r -> {
                replies.add(r.toString());
                done.countDown();
            }, "GET".getBytes(StandardCharsets.UTF_8), "k".getBytes(StandardCharsets.UTF_8));
        });
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(got.get()).isEqualTo(sent);
        assertThat(replies).containsExactly("SIMPLE PONG", "INTEGER 2", "BULK abc");
    }

    @Test
    void shouldRouteSubscriptionMessagesToTheSubscriber() throws Exception {
        final AtomicReference<String> got = new AtomicReference<>();
        final String sent = "*2\r\n$9\r\nSUBSCRIBE\r\n$2\r\nch\r\n*1\r\n$4\r\nPING\r\n";
        peer(sent.length(), got, "*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n",
            "*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n", "*2\r\n$4\r\npong\r\n$0\r\n\r\n",
            "*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$3\r\nbye\r\n");
        final List<String> messages = new CopyOnWriteArrayList<>();
        final AtomicReference<String> pong = new AtomicReference<>();
        final CountDownLatch done = new CountDownLatch(4);
        loop.execute(() -> {
            final AsyncRespClient c = AsyncRespClient.connect(loop, "127.0.0.1", server.getLocalPort(), 2000, QUIET);
            c.subscribe(r -> {
                messages.add(r.get(0).string() + ":" + r.get(2));
                done.countDown();
            }, "SUBSCRIBE", "ch");
            c.command(r -> {
                pong.set(r.get(0).string());
                done.countDown();
            }, "PING");
        });
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(messages).containsExactly("subscribe:INTEGER 1", "message:BULK hi", "message:BULK bye");
        assertThat(pong.get()).isEqualTo("pong");
    }

    @Test
    void shouldReportAPeerCloseOnceAndDropPendingCallbacks() throws Exception {
        final AtomicReference<String> got = new AtomicReference<>();
        final Thread t = new Thread(() -> {
            try (Socket s = server.accept()) {
                final byte[] b = new byte[14];
                int n = 0;
                while (n < b.length) {
                    n += s.getInputStream().read(b, n, b.length - n);
                }
                got.set(new String(b, StandardCharsets.UTF_8));
            } catch (Exception ignored) {
                // closing the socket is the point
            }
        });
        t.setDaemon(true);
        t.start();
        final AtomicInteger closes = new AtomicInteger();
        final AtomicInteger replies = new AtomicInteger();
        final CountDownLatch closed = new CountDownLatch(1);
        loop.execute(() -> AsyncRespClient.connect(loop, "127.0.0.1", server.getLocalPort(), 2000,
            new AsyncRespClient.Listener() {
                @Override
                public void onConnected(final AsyncRespClient client) {
                    client.command(r -> replies.incrementAndGet(), "PING");
                }

                @Override
                public void onClosed(final AsyncRespClient client, final Throwable cause) {
                    closes.incrementAndGet();
                    assertThat(client.isClosed()).isTrue();
                    assertThat(client.pending()).isZero();
                    closed.countDown();
                }
            }));
        assertThat(closed.await(10, TimeUnit.SECONDS)).isTrue();
        t.join(5000);
        assertThat(got.get()).isEqualTo("*1\r\n$4\r\nPING\r\n");
        final CountDownLatch settled = new CountDownLatch(1);
        loop.execute(settled::countDown);
        assertThat(settled.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(closes.get()).isEqualTo(1);
        assertThat(replies.get()).isZero();
    }

    @Test
    void shouldReportARefusedConnection() throws Exception {
        final int port = server.getLocalPort();
        server.close();
        final AtomicReference<Throwable> cause = new AtomicReference<>();
        final CountDownLatch closed = new CountDownLatch(1);
        loop.execute(() -> {
            final AsyncRespClient c = AsyncRespClient.connect(loop, "127.0.0.1", port, 2000,
                new AsyncRespClient.Listener() {
                    @Override
                    public void onConnected(final AsyncRespClient client) {
                        throw new AssertionError("must not connect");
                    }

                    @Override
                    public void onClosed(final AsyncRespClient client, final Throwable t) {
                        cause.set(t);
                        closed.countDown();
                    }
                });
            c.command(r -> {
                throw new AssertionError("no reply on a refused connection");
            }, "PING");
        });
        assertThat(closed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(cause.get()).isNotNull();
    }

    @Test
    void shouldNeverCallBackAfterClose() throws Exception {
        final AtomicReference<String> got = new AtomicReference<>();
        peer(14, got, "+PONG\r\n");
        final AtomicInteger calls = new AtomicInteger();
        final CountDownLatch sent = new CountDownLatch(1);
        loop.execute(() -> {
            final AsyncRespClient c = AsyncRespClient.connect(loop, "127.0.0.1", server.getLocalPort(), 2000,
                new AsyncRespClient.Listener() {
                    @Override
                    public void onConnected(final AsyncRespClient client) {
                        client.command(r -> calls.incrementAndGet(), "PING");
                        client.close();
                        sent.countDown();
                    }

                    @Override
                    public void onClosed(final AsyncRespClient client, final Throwable cause) {
                        calls.incrementAndGet();
                    }
                });
            assertThat(c.isConnected()).isFalse();
        });
        assertThat(sent.await(10, TimeUnit.SECONDS)).isTrue();
        final CountDownLatch settled = new CountDownLatch(1);
        loop.schedule(settled::countDown, 300, TimeUnit.MILLISECONDS);
        assertThat(settled.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(calls.get()).isZero();
    }
}
