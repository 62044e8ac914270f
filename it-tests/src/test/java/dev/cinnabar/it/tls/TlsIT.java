package dev.cinnabar.it.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;

import dev.cinnabar.it.support.Await;
import dev.cinnabar.it.support.Exec;
import dev.cinnabar.it.support.FreePort;
import dev.cinnabar.it.support.NodeLogOnFailure;
import dev.cinnabar.it.support.RealRedis;
import dev.cinnabar.it.support.RespClient;
import dev.cinnabar.it.support.ServerProcess;
import dev.cinnabar.it.support.TlsPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * A Cinnabar node with a plain port (for the harness) and a tls-port requiring client certificates,
 * driven by the real redis-cli and redis-benchmark with --tls and by Jedis over TLS; bad peers
 * (plain text, garbage, no or an untrusted certificate) lose only their own connection; CONFIG SET
 * reloads certificates and moves the TLS listener.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@ExtendWith(NodeLogOnFailure.class)
class TlsIT {
    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(60);
    private static TlsPki pki;
    private static ServerProcess node;
    private static int tlsPort;

    @BeforeAll
    static void start() {
        RealRedis.assumeInstalled();
        pki = TlsPki.create();
        tlsPort = FreePort.next();
        final List<String> args = new ArrayList<>(List.of("--tls-port", Integer.toString(tlsPort)));
        args.addAll(pki.serverArgs("server"));
        node = ServerProcess.start(args.toArray(new String[0]));
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    static Exec.Result cli(final TlsPki pki, final int port, final String cert, final String... args) {
        final List<String> cmd = new ArrayList<>(List.of(RealRedis.tool("redis-cli"), "-p", Integer.toString(port)));
        cmd.addAll(pki.cliArgs(cert));
        cmd.addAll(List.of(args));
        return Exec.run(CLI_TIMEOUT, cmd.toArray(new String[0]));
    }

    private static Jedis jedis(final int port) throws Exception {
        return new Jedis(new HostAndPort("127.0.0.1", port), DefaultJedisClientConfig.builder().ssl(true)
            .sslSocketFactory(pki.sslContext("client").getSocketFactory()).hostnameVerifier((h, s) -> true)
            .timeoutMillis(10_000).build());
    }

    @Test
    void redisCliOverTls() {
        assertThat(cli(pki, tlsPort, "client", "set", "tls:k", "over tls").stdout()).isEqualTo("OK\n");
        assertThat(cli(pki, tlsPort, "client", "get", "tls:k").stdout()).isEqualTo("over tls\n");
        final List<String> url = new ArrayList<>(List.of(RealRedis.tool("redis-cli"), "-u",
            "rediss://127.0.0.1:" + tlsPort));
        url.addAll(pki.cliArgs("client").subList(1, 7));
        url.add("ping");
        assertThat(Exec.run(CLI_TIMEOUT, url.toArray(new String[0])).stdout()).isEqualTo("PONG\n");
        // the same data on the plain port; INFO's tcp_port is the plain one while there is one
        try (RespClient c = node.client()) {
            assertThat(c.text("GET", "tls:k")).isEqualTo("$8\r\nover tls\r\n");
            assertThat(c.text("INFO", "server")).contains("tcp_port:" + node.port() + "\r\n");
            assertThat(c.text("CONFIG", "GET", "tls-port")).isEqualTo("*2\r\n$8\r\ntls-port\r\n$"
                + Integer.toString(tlsPort).length() + "\r\n" + tlsPort + "\r\n");
        }
    }

    @Test
    void redisBenchmarkOverTls() {
        final List<String> cmd = new ArrayList<>(List.of(RealRedis.tool("redis-benchmark"), "-p",
            Integer.toString(tlsPort), "-t", "set,get", "-n", "2000", "-c", "4", "-q"));
        cmd.addAll(pki.cliArgs("client"));
        final Exec.Result r = Exec.run(CLI_TIMEOUT, cmd.toArray(new String[0]));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).as(r.toString()).containsPattern("SET: [0-9.]+ requests per second")
            .containsPattern("GET: [0-9.]+ requests per second");
    }

    @Test
    void jedisOverTls() throws Exception {
        try (Jedis j = jedis(tlsPort)) {
            assertThat(j.set("tls:jedis", "1")).isEqualTo("OK");
            assertThat(j.incr("tls:jedis")).isEqualTo(2L);
            final Pipeline p = j.pipelined();
            for (int i = 0; i < 1000; i++) {
                p.rpush("tls:list", Integer.toString(i));
            }
            p.sync();
            assertThat(j.llen("tls:list")).isEqualTo(1000L);
            assertThat(j.lindex("tls:list", 999)).isEqualTo("999");
        }
    }

    @Test
    void clientsWithoutATrustedCertificateAreRefusedAlone() throws Exception {
        try (Jedis live = jedis(tlsPort)) {
            assertThat(live.ping()).isEqualTo("PONG");
            final Exec.Result none = cli(pki, tlsPort, null, "ping");
            assertThat(none.exitCode()).as(none.toString()).isEqualTo(1);
            assertThat(none.stdout()).isEmpty();
            final Exec.Result stranger = cli(pki, tlsPort, "stranger", "ping");
            assertThat(stranger.exitCode()).as(stranger.toString()).isEqualTo(1);
            assertThat(stranger.stdout()).isEmpty();
            Await.until("both refusals logged", () -> node.log().contains(
                "Error accepting a client connection: peer did not return a certificate")
                && node.log().contains("Error accepting a client connection: certificate verify failed"),
                Duration.ofSeconds(10));
            assertThat(live.ping()).isEqualTo("PONG");
        }
    }

    @Test
    void plaintextAndGarbageOnTheTlsPortCloseOnlyThatConnection() throws Exception {
        try (Jedis live = jedis(tlsPort)) {
            assertThat(live.set("tls:live", "yes")).isEqualTo("OK");
            final byte[] garbage = new byte[300];
            new Random(7).nextBytes(garbage);
            for (final byte[] payload : List.of("PING\r\n".getBytes(StandardCharsets.US_ASCII), garbage)) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", tlsPort), 5000);
                    s.setSoTimeout(10_000);
                    final OutputStream out = s.getOutputStream();
                    out.write(payload);
                    out.flush();
                    final InputStream in = s.getInputStream();
                    // at most an alert record, then the end of the stream
                    final byte[] buf = new byte[1024];
                    int total = 0;
                    int n;
                    while ((n = in.read(buf)) >= 0 && total < 4096) {
                        total += n;
                    }
                    assertThat(n).as("the server closed the connection").isEqualTo(-1);
                    assertThat(total).as("no RESP reply, at most a TLS alert").isLessThan(64);
                }
            }
            assertThat(node.log()).contains("Error accepting a client connection: not a TLS record");
            assertThat(live.get("tls:live")).isEqualTo("yes");
        }
        try (RespClient plain = node.client()) {
            assertThat(plain.text("PING")).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    void configSetReloadsCertificatesAndMovesTheListener() throws Exception {
        pki.leaf("server2", "ca");
        try (Jedis before = jedis(tlsPort); RespClient admin = node.client()) {
            assertThat(peerName(tlsPort)).isEqualTo("CN=server");
            assertThat(admin.text("CONFIG", "SET", "tls-cert-file", pki.file("server2.crt"), "tls-key-file",
                pki.file("server2.key"))).isEqualTo("+OK\r\n");
            assertThat(peerName(tlsPort)).as("a new connection gets the new certificate").isEqualTo("CN=server2");
            assertThat(before.ping()).as("an established connection keeps working").isEqualTo("PONG");
            assertThat(admin.text("CONFIG", "SET", "tls-cert-file", pki.file("missing.crt")))
                .isEqualTo("-ERR CONFIG SET failed (possibly related to argument 'tls-cert-file') - Unable to "
                    + "update TLS configuration. Check server logs.\r\n");
            assertThat(node.log()).contains("Failed to load certificate: " + pki.file("missing.crt"));
            assertThat(admin.text("CONFIG", "GET", "tls-cert-file")).endsWith(pki.file("server2.crt") + "\r\n");
            assertThat(peerName(tlsPort)).isEqualTo("CN=server2");

            final int moved = FreePort.next();
            try {
                assertThat(admin.text("CONFIG", "SET", "tls-port", Integer.toString(moved))).isEqualTo("+OK\r\n");
                assertThat(cli(pki, moved, "client", "ping").stdout()).isEqualTo("PONG\n");
                assertThat(cli(pki, tlsPort, "client", "ping").exitCode()).isEqualTo(1);
                assertThat(admin.text("CONFIG", "SET", "tls-port", "0")).isEqualTo("+OK\r\n");
                assertThat(cli(pki, moved, "client", "ping").exitCode()).isEqualTo(1);
            } finally {
                admin.text("CONFIG", "SET", "tls-port", Integer.toString(tlsPort), "tls-cert-file",
                    pki.file("server.crt"), "tls-key-file", pki.file("server.key"));
            }
            assertThat(peerName(tlsPort)).isEqualTo("CN=server");
        }
    }

    /** The subject of the certificate a new TLS connection to {@code port} is shown. */
    private static String peerName(final int port) throws Exception {
        try (SSLSocket s = (SSLSocket) pki.sslContext("client").getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.startHandshake();
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        }
    }
}
