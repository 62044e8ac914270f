package dev.cinnabar.cli;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

import dev.cinnabar.protocol.tls.PemFiles;
import dev.cinnabar.protocol.tls.TlsCiphers;
import dev.cinnabar.protocol.tls.TlsTrust;

/**
 * redis-cli's TLS options on top of JSSE, verifying like OpenSSL does for redis-cli: the peer's chain must end at a
 * self-signed certificate of --cacert or of --cacertdir (looked up by OpenSSL's hashed file names, {@code 1a2b3c4d.0});
 * other certificates there may only serve as intermediates; the host name is not checked. --insecure skips the
 * verification. Problems with the files or cipher lists are {@link SetupException}s, reported as redis-cli reports
 * them ("Could not negotiate a TLS connection: ...").
 */
final class Tls {
    /** The TLS configuration cannot be used; the message is redis-cli's reason. */
    static final class SetupException extends IOException {
        private static final long serialVersionUID = 1L;

        SetupException(final String reason) {
            super(reason);
        }
    }

    private Tls() {
    }

    static Socket wrap(final Socket plain, final String host, final int port, final CliOptions o)
        throws IOException {
        final SSLContext ctx;
        try {
            ctx = SSLContext.getInstance("TLS");
            ctx.init(keyManagers(o), trustManagers(o), new SecureRandom());
        } catch (GeneralSecurityException e) {
            throw new SetupException("Invalid CA Certificate File/Directory");
        }
        final SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, host, port, true);
        final SSLParameters params = s.getSSLParameters();
        params.setServerNames(o.sni != null ? List.of(new SNIHostName(o.sni)) : List.of());
        params.setCipherSuites(cipherSuites(s, o));
        s.setSSLParameters(params);
        try {
            s.startHandshake();
        } catch (SSLHandshakeException e) {
            throw new IOException("SSL_connect failed: " + (verificationFailure(e) ? "certificate verify failed"
                : e.getMessage()), e);
        }
        return s;
    }

    private static boolean verificationFailure(final Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertPathValidatorException || t instanceof CertificateException
                || t instanceof java.security.cert.CertPathBuilderException) {
                return true;
            }
        }
        return false;
    }

    /** TLS 1.3 suites from --tls-ciphersuites and older ones from --tls-ciphers; the defaults for a list not given. */
    private static String[] cipherSuites(final SSLSocket s, final CliOptions o) throws SetupException {
        try {
            return TlsCiphers.select(o.tlsCiphersuites, o.tlsCiphers, Arrays.asList(s.getSupportedCipherSuites()),
                Arrays.asList(s.getEnabledCipherSuites())).toArray(new String[0]);
        } catch (TlsCiphers.NoneSupported e) {
            throw new SetupException(e.getMessage());
        }
    }

    /** --cert and --key together; one without the other is ignored, as in redis-cli. */
    private static javax.net.ssl.KeyManager[] keyManagers(final CliOptions o) throws IOException {
        if (o.cert == null || o.key == null) {
            return null;
        }
        final List<X509Certificate> chain;
        try {
            chain = PemFiles.certificates(Path.of(o.cert));
        } catch (IOException | GeneralSecurityException e) {
            throw new SetupException("Invalid client certificate");
        }
        if (chain.isEmpty()) {
            throw new SetupException("Invalid client certificate");
        }
        try {
            final PrivateKey key = PemFiles.privateKey(Files.readString(Path.of(o.key), StandardCharsets.ISO_8859_1),
                null);
            if (!PemFiles.keyMatches(key, chain.get(0).getPublicKey())) {
                throw new SetupException("Invalid private key");
            }
            final KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            ks.setKeyEntry("client", key, new char[0], chain.toArray(new Certificate[0]));
            final KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
            return kmf.getKeyManagers();
        } catch (IOException | GeneralSecurityException e) {
            throw new SetupException("Invalid private key");
        }
    }

    private static TrustManager[] trustManagers(final CliOptions o) throws IOException, GeneralSecurityException {
        final List<X509Certificate> cas = new ArrayList<>();
        if (o.caCert != null) {
            try {
                cas.addAll(PemFiles.certificates(Path.of(o.caCert)));
            } catch (IOException | GeneralSecurityException e) {
                throw new SetupException("Invalid CA Certificate File/Directory");
            }
            if (cas.isEmpty()) {
                throw new SetupException("Invalid CA Certificate File/Directory");
            }
        }
        if (o.caCertDir != null) {
            cas.addAll(PemFiles.hashedDirectory(Path.of(o.caCertDir)));
        }
        if (o.insecure) {
            return TlsTrust.everything();
        }
        if (o.caCert == null && o.caCertDir == null) {
            return null;
        }
        return TlsTrust.of(cas);
    }
}
