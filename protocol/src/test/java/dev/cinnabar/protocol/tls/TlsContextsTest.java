package dev.cinnabar.protocol.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsContextsTest {
    @TempDir
    static Path dir;
    static TestCerts certs;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = TestCerts.in(dir).ca("ca").leaf("server", "ca").leaf("client", "ca").encrypted("server", "s3cret")
            .pkcs1("server").ca("other").leaf("stranger", "other").expired("old");
    }

    private static TlsSettings server(final String authClients) {
        final TlsSettings s = new TlsSettings();
        s.certFile = certs.file("server.crt").toString();
        s.keyFile = certs.file("server.key").toString();
        s.caCertFile = certs.file("ca.crt").toString();
        s.authClients = authClients;
        return s;
    }

    private static TlsSettings client(final String name, final String ca) {
        final TlsSettings s = new TlsSettings();
        if (name != null) {
            s.certFile = certs.file(name + ".crt").toString();
            s.keyFile = certs.file(name + ".key").toString();
        }
        s.caCertFile = certs.file(ca + ".crt").toString();
        return s;
    }

    @Test
    void mutualAuthenticationWithCertificatesOfTheCa() throws Exception {
        assertThat(handshake(TlsContexts.server(server("yes"), false), TlsContexts.client(client("client", "ca"))))
            .isNull();
    }

    @Test
    void aClientWithoutCertificateIsRefusedOnlyWhenAuthenticationIsRequired() throws Exception {
        final Exception refused = handshake(TlsContexts.server(server("yes"), false),
            TlsContexts.client(client(null, "ca")));
        assertThat(refused).isNotNull();
        assertThat(TlsErrors.describe(refused)).isEqualTo("peer did not return a certificate");
        assertThat(handshake(TlsContexts.server(server("optional"), false), TlsContexts.client(client(null, "ca"))))
            .isNull();
        assertThat(handshake(TlsContexts.server(server("no"), false), TlsContexts.client(client(null, "ca"))))
            .isNull();
    }

    @Test
    void aCertificateOfAnotherCaIsUntrusted() throws Exception {
        // the JDK's client offers no certificate the server's CA did not issue, so the server sees none
        assertThat(handshake(TlsContexts.server(server("yes"), false), TlsContexts.client(client("stranger", "ca"))))
            .isNotNull();
        assertThat(handshake(TlsContexts.server(server("no"), false), TlsContexts.client(client(null, "other"))))
            .isNotNull();
        assertThat(TlsErrors.describe(clientFailure)).startsWith("certificate verify failed: unable to get local");
    }

    @Test
    void anExpiredServerCertificateIsRefusedByTheClient() throws Exception {
        final TlsSettings s = new TlsSettings();
        s.certFile = certs.file("old.crt").toString();
        s.keyFile = certs.file("old.key").toString();
        s.authClients = "no";
        final Exception refused = handshake(TlsContexts.server(s, false), TlsContexts.client(client(null, "old-ca")));
        assertThat(refused).isNotNull();
        assertThat(TlsErrors.describe(clientFailure)).isEqualTo("certificate verify failed: certificate has expired");
    }

    @Test
    void keysInPkcs1AndEncryptedPkcs8Load() throws Exception {
        final TlsSettings pkcs1 = server("no");
        pkcs1.keyFile = certs.file("server.rsa.key").toString();
        assertThat(handshake(TlsContexts.server(pkcs1, false), TlsContexts.client(client(null, "ca")))).isNull();
        final TlsSettings enc = server("no");
        enc.keyFile = certs.file("server.enc.key").toString();
        enc.keyFilePass = "s3cret";
        assertThat(handshake(TlsContexts.server(enc, false), TlsContexts.client(client(null, "ca")))).isNull();
        enc.keyFilePass = "wrong";
        assertThatThrownBy(() -> TlsContexts.server(enc, false)).isInstanceOf(TlsSetupException.class)
            .hasMessageStartingWith("Failed to load private key: " + enc.keyFile + ": ")
            .hasMessageContaining("pass phrase");
    }

    @Test
    void setupErrorsNameTheSetting() {
        final TlsSettings missing = server("no");
        missing.certFile = dir.resolve("nope.crt").toString();
        assertThatThrownBy(() -> TlsContexts.server(missing, false))
            .hasMessage("Failed to load certificate: " + missing.certFile + ": No such file or directory");
        final TlsSettings mismatch = server("no");
        mismatch.keyFile = certs.file("client.key").toString();
        assertThatThrownBy(() -> TlsContexts.server(mismatch, false))
            .hasMessageContaining("does not match the certificate");
        final TlsSettings noCa = server("yes");
        noCa.caCertFile = "";
        assertThatThrownBy(() -> TlsContexts.server(noCa, false))
            .hasMessageStartingWith("Either tls-ca-cert-file or tls-ca-cert-dir must be specified");
        final TlsSettings noCert = new TlsSettings();
        assertThatThrownBy(() -> TlsContexts.server(noCert, false)).hasMessage("No tls-cert-file configured!");
        final TlsSettings badCiphers = server("no");
        badCiphers.ciphers = "NOT-A-CIPHER";
        assertThatThrownBy(() -> TlsContexts.server(badCiphers, false))
            .hasMessage("Failed to configure ciphers: Error while configuring ciphers");
        final TlsSettings dh = server("no");
        dh.dhParamsFile = certs.file("ca.crt").toString();
        assertThatThrownBy(() -> TlsContexts.server(dh, false)).hasMessageStartingWith("Failed to load " + dh.dhParamsFile);
    }

    @Test
    void protocolsAndCiphersRestrictTheHandshake() throws Exception {
        assertThat(TlsContexts.protocols("")).containsExactly("TLSv1.2", "TLSv1.3");
        assertThat(TlsContexts.protocols("tlsv1.2  TLSv1.3")).containsExactly("TLSv1.2", "TLSv1.3");
        assertThatThrownBy(() -> TlsContexts.protocols("SSLv3")).hasMessageStartingWith("Invalid tls-protocols");
        final TlsSettings s = server("no");
        s.protocols = "TLSv1.2";
        s.ciphers = "ECDHE-RSA-AES128-GCM-SHA256";
        assertThat(handshake(TlsContexts.server(s, false), TlsContexts.client(client(null, "ca")))).isNull();
        assertThat(lastSession).isEqualTo("TLSv1.2/TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        final TlsSettings c = client(null, "ca");
        c.protocols = "TLSv1.3";
        assertThat(handshake(TlsContexts.server(s, false), TlsContexts.client(c))).isNotNull();
    }

    @Test
    void outgoingLinksPresentTheClientCertificateWhenOneIsSet() throws Exception {
        // tls-cert-file is a certificate the server does not trust; tls-client-cert-file is one it does
        final TlsSettings c = client("stranger", "ca");
        assertThat(handshake(TlsContexts.server(server("yes"), false), TlsContexts.client(c))).isNotNull();
        c.clientCertFile = certs.file("client.crt").toString();
        c.clientKeyFile = certs.file("client.key").toString();
        assertThat(handshake(TlsContexts.server(server("yes"), false), TlsContexts.client(c))).isNull();
    }

    @Test
    void tls13SuitesSessionCacheAndDhParameters() throws Exception {
        final TlsSettings s = server("no");
        s.protocols = "TLSv1.3";
        s.ciphersuites = "TLS_AES_256_GCM_SHA384";
        assertThat(handshake(TlsContexts.server(s, false), TlsContexts.client(client(null, "ca")))).isNull();
        assertThat(lastSession).isEqualTo("TLSv1.3/TLS_AES_256_GCM_SHA384");
        final TlsSettings bad = server("no");
        bad.ciphersuites = "TLS_NOPE";
        assertThatThrownBy(() -> TlsContexts.server(bad, false))
            .hasMessage("Failed to configure ciphers: Error while setting cypher suites");

        final SslContext cached = TlsContexts.server(server("no"), false);
        assertThat(cached.sessionCacheSize()).isEqualTo(20480);
        assertThat(cached.sessionTimeout()).isEqualTo(300);
        final TlsSettings off = server("no");
        off.sessionCaching = false;
        assertThat(TlsContexts.server(off, false).sessionTimeout()).isEqualTo(1);

        // DH parameters are checked for presence only: the JDK picks its own groups
        final Path dh = dir.resolve("dh.pem");
        Files.writeString(dh, "-----BEGIN DH PARAMETERS-----\nMAgCAQACAQI=\n-----END DH PARAMETERS-----\n");
        final TlsSettings withDh = server("no");
        withDh.dhParamsFile = dh.toString();
        assertThat(handshake(TlsContexts.server(withDh, false), TlsContexts.client(client(null, "ca")))).isNull();
    }

    @Test
    void aCaDirectoryIsReadByHashedNames() throws Exception {
        final Path caDir = Files.createDirectories(dir.resolve("cadir"));
        Files.copy(certs.file("ca.crt"), caDir.resolve(certs.subjectHash("ca") + ".0"));
        Files.copy(certs.file("other.crt"), caDir.resolve("other.pem"));
        final TlsSettings c = client(null, "ca");
        c.caCertFile = "";
        c.caCertDir = caDir.toString();
        assertThat(handshake(TlsContexts.server(server("no"), false), TlsContexts.client(c))).isNull();
        final TlsSettings s = server("yes");
        s.caCertFile = "";
        s.caCertDir = caDir.toString();
        assertThat(handshake(TlsContexts.server(s, false), TlsContexts.client(client("stranger", "ca")))).isNotNull();
    }

    @Test
    void openSslCipherNamesMapToTheJdks() {
        assertThat(TlsCiphers.standardName("ECDHE-RSA-AES128-GCM-SHA256"))
            .isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        assertThat(TlsCiphers.standardName("ECDHE-ECDSA-AES256-GCM-SHA384"))
            .isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
        assertThat(TlsCiphers.standardName("ECDHE-RSA-CHACHA20-POLY1305"))
            .isEqualTo("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
        assertThat(TlsCiphers.standardName("TLS_AES_128_GCM_SHA256")).isEqualTo("TLS_AES_128_GCM_SHA256");
    }

    private static Exception serverFailure;
    private static Exception clientFailure;
    private static String lastSession;

    /** Runs a handshake between two in-memory engines; null when it succeeded, else the first failure. */
    private static Exception handshake(final SslContext serverCtx, final SslContext clientCtx) throws Exception {
        serverFailure = null;
        clientFailure = null;
        final SSLEngine server = serverCtx.newEngine(ByteBufAllocator.DEFAULT);
        final SSLEngine client = clientCtx.newEngine(ByteBufAllocator.DEFAULT, "localhost", 6379);
        final ByteBuffer toServer = ByteBuffer.allocate(1 << 17);
        final ByteBuffer toClient = ByteBuffer.allocate(1 << 17);
        final ByteBuffer app = ByteBuffer.allocate(1 << 17);
        final ByteBuffer empty = ByteBuffer.allocate(0);
        client.beginHandshake();
        server.beginHandshake();
        for (int round = 0; round < 200; round++) {
            try {
                step(client, empty, toServer, toClient, app);
            } catch (SSLException e) {
                clientFailure = e;
            }
            try {
                step(server, empty, toClient, toServer, app);
            } catch (SSLException e) {
                serverFailure = e;
            }
            if (clientFailure != null || serverFailure != null) {
                // let the alert of the failing side reach the other one
                try {
                    step(client, empty, toServer, toClient, app);
                } catch (SSLException e) {
                    clientFailure = clientFailure == null ? e : clientFailure;
                }
                return serverFailure != null ? serverFailure : clientFailure;
            }
            if (done(client) && done(server)) {
                lastSession = client.getSession().getProtocol() + "/" + client.getSession().getCipherSuite();
                return null;
            }
        }
        throw new AssertionError("handshake did not finish in 200 rounds");
    }

    private static boolean done(final SSLEngine e) {
        final SSLEngineResult.HandshakeStatus s = e.getHandshakeStatus();
        return s == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING || s == SSLEngineResult.HandshakeStatus.FINISHED;
    }

    /** One turn of an engine: runs delegated tasks, reads what the peer sent, writes what it has to say. */
    private static void step(final SSLEngine e, final ByteBuffer empty, final ByteBuffer out, final ByteBuffer in,
                             final ByteBuffer app) throws SSLException {
        for (int i = 0; i < 20; i++) {
            Runnable task;
            while ((task = e.getDelegatedTask()) != null) {
                task.run();
            }
            final SSLEngineResult.HandshakeStatus hs = e.getHandshakeStatus();
            if (hs == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                e.wrap(empty, out);
            } else if (hs == SSLEngineResult.HandshakeStatus.NEED_UNWRAP) {
                in.flip();
                final SSLEngineResult r = e.unwrap(in, app);
                in.compact();
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW || r.bytesConsumed() == 0) {
                    return;
                }
            } else if (hs != SSLEngineResult.HandshakeStatus.NEED_TASK) {
                return;
            }
        }
    }
}
