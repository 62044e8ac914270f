package dev.cinnabar.protocol.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import dev.cinnabar.protocol.client.AsyncRespClient;
import dev.cinnabar.protocol.client.RespValue;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The async client (sentinel links) over TLS: commands queue behind the handshake; a refused one closes it. */
@Timeout(60)
class AsyncRespClientTlsTest {
    @TempDir
    static Path dir;
    static TestCerts certs;
    static EventLoopGroup group;

    @BeforeAll
    static void setUp() throws Exception {
        certs = TestCerts.in(dir).ca("ca").leaf("server", "ca").ca("other");
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** A TLS peer presenting "server" that answers +PONG to the first command it reads. */
    private static SSLServerSocket peer() throws Exception {
        final KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", PemFiles.privateKey(certs.file("server.key"), null), new char[0],
            PemFiles.certificates(certs.file("server.crt")).toArray(new Certificate[0]));
        final KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        final SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        final SSLServerSocket server = (SSLServerSocket) ctx.getServerSocketFactory()
            .createServerSocket(0, 10, InetAddress.getLoopbackAddress());
        final Thread t = new Thread(() -> {
            try (SSLSocket s = (SSLSocket) server.accept()) {
                final InputStream in = s.getInputStream();
                final byte[] buf = new byte[14];
                int n = 0;
                while (n < buf.length) {
                    final int r = in.read(buf, n, buf.length - n);
                    if (r < 0) {
                        return;
                    }
                    n += r;
                }
                s.getOutputStream().write("+PONG\r\n".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                while (in.read() >= 0) {
                    n++;
                }
            } catch (Exception ignored) {
                // the client's view decides the test
            }
        }, "tls-peer");
        t.setDaemon(true);
        t.start();
        return server;
    }

    private static TlsSettings trusting(final String ca) {
        final TlsSettings s = new TlsSettings();
        s.caCertFile = certs.file(ca + ".crt").toString();
        return s;
    }

    @Test
    void aCommandSentBeforeTheHandshakeIsAnswered() throws Exception {
        try (SSLServerSocket server = peer()) {
            final CompletableFuture<String> reply = new CompletableFuture<>();
            final EventLoop loop = group.next();
            loop.execute(() -> {
                final AsyncRespClient c = AsyncRespClient.connect(loop, NioSocketChannel.class, "127.0.0.1",
                    server.getLocalPort(), 5000, context(trusting("ca")), listener(null));
                c.command(v -> reply.complete(v.string()), "PING");
            });
            assertThat(reply.get(20, TimeUnit.SECONDS)).isEqualTo("PONG");
        }
    }

    @Test
    void anUntrustedPeerClosesTheClientWithTheReason() throws Exception {
        try (SSLServerSocket server = peer()) {
            final CompletableFuture<Throwable> closed = new CompletableFuture<>();
            final CompletableFuture<RespValue> reply = new CompletableFuture<>();
            final EventLoop loop = group.next();
            loop.execute(() -> {
                final AsyncRespClient c = AsyncRespClient.connect(loop, NioSocketChannel.class, "127.0.0.1",
                    server.getLocalPort(), 5000, context(trusting("other")), listener(closed));
                c.command(reply::complete, "PING");
            });
            final Throwable cause = closed.get(20, TimeUnit.SECONDS);
            assertThat(cause).isNotNull();
            assertThat(TlsErrors.describe(cause)).startsWith("certificate verify failed");
            assertThat(reply).isNotDone();
        }
    }

    private static io.netty.handler.ssl.SslContext context(final TlsSettings s) {
        try {
            return TlsContexts.client(s);
        } catch (TlsSetupException e) {
            throw new IllegalStateException(e);
        }
    }

    private static AsyncRespClient.Listener listener(final CompletableFuture<Throwable> closed) {
        return new AsyncRespClient.Listener() {
            @Override
            public void onConnected(final AsyncRespClient client) {
            }

            @Override
            public void onClosed(final AsyncRespClient client, final Throwable cause) {
                if (closed != null) {
                    closed.complete(cause);
                }
            }
        };
    }
}
