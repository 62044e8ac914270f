package dev.cinnabar.it.cli;

import static dev.cinnabar.it.cli.CliTools.assertSame;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.cinnabar.it.support.Exec;
import dev.cinnabar.it.support.FreePort;
import dev.cinnabar.it.support.NodeLogOnFailure;
import dev.cinnabar.it.support.NodeProcess;
import dev.cinnabar.it.support.RealRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * --tls, --cacert, --cacertdir, --cert, --key, --insecure, --sni, the cipher lists and rediss:// against a real
 * redis-server with TLS (client certificates required), compared with the real redis-cli. A CA, a server and a
 * client certificate are made with openssl for the run. The server also listens in clear text on another port, only
 * so that the harness can see it is up.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(NodeLogOnFailure.class)
class CliTlsIT {
    private static final byte[] NONE = new byte[0];
    private static final Duration OPENSSL_TIMEOUT = Duration.ofSeconds(60);
    private static RealRedis server;
    private static int tlsPort;
    private static Path pki;

    @BeforeAll
    static void start() throws IOException {
        RealRedis.assumeInstalled();
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")),
            "openssl not installed (apt-get install openssl): no certificates for the TLS tests");
        pki = NodeProcess.newDirectory("cli-tls");
        // EC keys: made in milliseconds, and cheaper handshakes than RSA
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
            "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=Cinnabar test CA");
        for (final String name : new String[] {"server", "client", "other"}) {
            openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
                name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name);
            openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", name + ".crt", "-days", "2");
        }
        Files.createDirectories(pki.resolve("hashed"));
        Files.createDirectories(pki.resolve("unhashed"));
        final String hash = openssl("x509", "-hash", "-noout", "-in", "ca.crt").stdout().trim();
        Files.copy(pki.resolve("ca.crt"), pki.resolve("hashed").resolve(hash + ".0"));
        Files.copy(pki.resolve("ca.crt"), pki.resolve("unhashed").resolve("ca.crt"));
        tlsPort = FreePort.next();
        try {
            server = RealRedis.start("--tls-port", Integer.toString(tlsPort), "--tls-cert-file", file("server.crt"),
                "--tls-key-file", file("server.key"), "--tls-ca-cert-file", file("ca.crt"));
        } catch (IllegalStateException e) {
            Assumptions.assumeFalse(e.getMessage().contains("tls"),
                "this redis-server was built without TLS support: " + e.getMessage());
            throw e;
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Exec.Result openssl(final String... args) {
        final String[] cmd = new String[args.length + 1];
        cmd[0] = "openssl";
        System.arraycopy(args, 0, cmd, 1, args.length);
        final Exec.Result r = Exec.run(OPENSSL_TIMEOUT, null, inPki(cmd));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    /** openssl writes relative names into the PKI directory. */
    private static String[] inPki(final String[] cmd) {
        final String[] sh = {"sh", "-c", "cd \"$0\" && exec \"$@\"", pki.toString()};
        final String[] all = new String[sh.length + cmd.length];
        System.arraycopy(sh, 0, all, 0, sh.length);
        System.arraycopy(cmd, 0, all, sh.length, cmd.length);
        return all;
    }

    private static String file(final String name) {
        return pki.resolve(name).toString();
    }

    private static Exec.Result same(final String... args) {
        return assertSame(tlsPort, NONE, args);
    }

    @Test
    void mutualTlsWithTheCaFile() {
        assertThat(same("--tls", "--cacert", file("ca.crt"), "--cert", file("client.crt"), "--key", file("client.key"),
            "ping").stdout()).isEqualTo("PONG\n");
        same("--tls", "--cacert", file("ca.crt"), "--cert", file("client.crt"), "--key", file("client.key"),
            "--no-raw", "set", "tls:k", "over tls");
        CliTools.assertAllSame(tlsPort, NONE, CliTools.runs(
            new String[] {"--tls", "--cacert", file("ca.crt"), "--cert", file("client.crt"), "--key",
                file("client.key"), "--scan", "--pattern", "tls:*"},
            new String[] {"--tls", "--cacert", file("ca.crt"), "--cert", file("other.crt"), "--key",
                file("other.key"), "--sni", "cache.example.com", "get", "tls:k"},
            new String[] {"-u", "rediss://127.0.0.1:" + tlsPort, "--cacert", file("ca.crt"), "--cert",
                file("client.crt"), "--key", file("client.key"), "ping"}));
    }

    @Test
    void serverVerification() {
        final String[] client = {"--cert", file("client.crt"), "--key", file("client.key")};
        final java.util.List<Exec.Result> ours = CliTools.assertAllSame(tlsPort, NONE, CliTools.runs(
            concat(new String[] {"--tls", "--insecure"}, concat(client, "ping")),
            concat(new String[] {"--tls"}, concat(client, "ping")),
            // a leaf certificate is not a trust anchor, and a CA directory is searched by subject-hash file names
            concat(new String[] {"--tls", "--cacert", file("server.crt")}, concat(client, "ping")),
            concat(new String[] {"--tls", "--cacertdir", file("hashed")}, concat(client, "ping")),
            concat(new String[] {"--tls", "--cacertdir", file("unhashed")}, concat(client, "ping")),
            new String[] {"--tls", "--cacertdir", file("missing"), "ping"}));
        assertThat(ours.get(1).stderr()).isEqualTo("Could not connect to Redis at 127.0.0.1:" + tlsPort
            + ": SSL_connect failed: certificate verify failed\n");
        assertThat(ours.get(3).stdout()).isEqualTo("PONG\n");
    }

    @Test
    void unusableFilesAndCipherLists() {
        final String[] client = {"--tls", "--insecure", "--cert", file("client.crt"), "--key", file("client.key")};
        final java.util.List<Exec.Result> ours = CliTools.assertAllSame(tlsPort, NONE, CliTools.runs(
            new String[] {"--tls", "--cacert", file("missing.crt"), "ping"},
            new String[] {"--tls", "--cacert", file("client.key"), "ping"},
            new String[] {"--tls", "--cacert", file("missing.crt"), "--scan"},
            new String[] {"--tls", "--cacert", file("ca.crt"), "--cert", file("missing.crt"), "--key",
                file("client.key"), "ping"},
            new String[] {"--tls", "--cacert", file("ca.crt"), "--cert", file("client.crt"), "--key",
                file("missing.key"), "ping"},
            new String[] {"--tls", "--cacert", file("ca.crt"), "--cert", file("client.crt"), "--key",
                file("server.key"), "ping"},
            concat(client, "--tls-ciphersuites", "TLS_AES_128_GCM_SHA256", "ping"),
            concat(client, "--tls-ciphersuites", "NOPE", "ping"),
            concat(client, "--tls-ciphers", "NOPE", "ping"),
            concat(client, "--tls-ciphers", "ECDHE-ECDSA-AES128-GCM-SHA256", "ping")));
        assertThat(ours.get(0).stderr()).isEqualTo("Could not negotiate a TLS connection: Invalid CA Certificate "
            + "File/Directory\nCould not negotiate a TLS connection: Invalid CA Certificate File/Directory\n");
    }

    /**
     * Without a client certificate the server drops the connection after the handshake. redis-cli reports the failed
     * read ("Connection reset by peer", at times "Server closed the connection"); JSSE fails the write first.
     */
    @Test
    void aServerThatWantsAClientCertificate() {
        for (final java.util.List<String> tool : java.util.List.of(CliTools.redisCli(), CliTools.cinnabarCli())) {
            final Exec.Result r = CliTools.run(tool, tlsPort, NONE, "--tls", "--cacert", file("ca.crt"), "ping");
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            assertThat(r.stdout()).isEmpty();
            assertThat(r.stderr()).as(r.toString()).startsWith("Error: ");
        }
    }

    private static String[] concat(final String[] a, final String... b) {
        final String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
