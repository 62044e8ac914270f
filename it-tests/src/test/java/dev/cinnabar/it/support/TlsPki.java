package dev.cinnabar.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Assumptions;

/**
 * Certificates made with openssl for one test run, in a directory under target/it-nodes (never
 * committed): a CA, leaf certificates it signs for 127.0.0.1 and localhost (EC P-256 keys: made in
 * milliseconds, cheap handshakes), and a second CA whose certificates the first one does not trust.
 */
public final class TlsPki {
    private static final Duration OPENSSL_TIMEOUT = Duration.ofSeconds(60);
    private final Path dir;

    private TlsPki(final Path dir) {
        this.dir = dir;
    }

    /** A CA "ca", leaves "server" and "client" signed by it, and "stranger" signed by another CA; or a skip. */
    public static TlsPki create() {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")),
            "openssl not installed (apt-get install openssl): no certificates for the TLS tests");
        final TlsPki pki = new TlsPki(NodeProcess.newDirectory("tls-pki"));
        pki.ca("ca").ca("otherca");
        pki.leaf("server", "ca").leaf("client", "ca").leaf("stranger", "otherca");
        return pki;
    }

    public TlsPki ca(final String name) {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
            name + ".key", "-out", name + ".crt", "-days", "2", "-subj", "/CN=Cinnabar test " + name);
        return this;
    }

    /** {name}.crt and {name}.key, signed by {ca}; {name}.p12 (password "secret") for Java clients. */
    public TlsPki leaf(final String name, final String ca) {
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
            name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name);
        // loopback names, so clients that check host names (Jedis does) accept it
        try {
            Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key", "-CAcreateserial",
            "-out", name + ".crt", "-days", "2", "-extfile", "san.ext");
        openssl("pkcs12", "-export", "-in", name + ".crt", "-inkey", name + ".key", "-out", name + ".p12",
            "-passout", "pass:secret", "-name", name);
        return this;
    }

    public String file(final String name) {
        return dir.resolve(name).toString();
    }

    /** The server side: certificate, key and CA of redis.conf, as --name value arguments. */
    public List<String> serverArgs(final String name) {
        return List.of("--tls-cert-file", file(name + ".crt"), "--tls-key-file", file(name + ".key"),
            "--tls-ca-cert-file", file("ca.crt"));
    }

    /** redis-cli / redis-benchmark options for a client that presents {@code cert} (null: none). */
    public List<String> cliArgs(final String cert) {
        final List<String> a = new ArrayList<>(List.of("--tls", "--cacert", file("ca.crt")));
        if (cert != null) {
            a.addAll(List.of("--cert", file(cert + ".crt"), "--key", file(cert + ".key")));
        }
        return a;
    }

    /** A JDK context that trusts the CA and presents {@code cert}'s key (null: none). */
    public SSLContext sslContext(final String cert) throws Exception {
        final KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(dir.resolve("ca.crt"))) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        final TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (cert != null) {
            final KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(dir.resolve(cert + ".p12"))) {
                keys.load(in, "secret".toCharArray());
            }
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, "secret".toCharArray());
        }
        final SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    private void openssl(final String... args) {
        final String[] cmd = new String[args.length + 5];
        cmd[0] = "sh";
        cmd[1] = "-c";
        cmd[2] = "cd \"$0\" && exec \"$@\"";
        cmd[3] = dir.toString();
        cmd[4] = "openssl";
        System.arraycopy(args, 0, cmd, 5, args.length);
        final Exec.Result r = Exec.run(OPENSSL_TIMEOUT, cmd);
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }
}
