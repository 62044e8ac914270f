package dev.cinnabar.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * redis-cli's TLS options on top of JSSE, verifying like OpenSSL does for redis-cli: the peer's chain must end at a
 * self-signed certificate of --cacert or of --cacertdir (looked up by OpenSSL's hashed file names, {@code 1a2b3c4d.0});
 * other certificates there may only serve as intermediates; the host name is not checked. --insecure skips the
 * verification. Problems with the files or cipher lists are {@link SetupException}s, reported as redis-cli reports
 * them ("Could not negotiate a TLS connection: ...").
 */
final class Tls {
    private static final Pattern PEM = Pattern.compile(
        "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    private static final Pattern HASHED_NAME = Pattern.compile("[0-9a-f]{8}\\.[0-9]+");
    private static final Pattern OPENSSL_AEAD = Pattern.compile(
        "(ECDHE|DHE)-(RSA|ECDSA)-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)");

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
        final List<String> supported = Arrays.asList(s.getSupportedCipherSuites());
        final List<String> tls13 = new ArrayList<>();
        final List<String> older = new ArrayList<>();
        for (final String suite : s.getEnabledCipherSuites()) {
            (suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_") ? tls13 : older).add(suite);
        }
        final List<String> suites = new ArrayList<>();
        suites.addAll(o.tlsCiphersuites == null ? tls13
            : pick(o.tlsCiphersuites, supported, "Error while setting cypher suites"));
        suites.addAll(o.tlsCiphers == null ? older : pick(o.tlsCiphers, supported, "Error while configuring ciphers"));
        return suites.toArray(new String[0]);
    }

    private static List<String> pick(final String list, final List<String> supported, final String failure)
        throws SetupException {
        final List<String> picked = new ArrayList<>();
        for (final String name : list.split(":")) {
            final String standard = standardName(name.trim());
            if (supported.contains(standard) && !picked.contains(standard)) {
                picked.add(standard);
            }
        }
        if (picked.isEmpty()) {
            throw new SetupException(failure);
        }
        return picked;
    }

    /** OpenSSL's name of a TLS 1.2 AEAD suite (ECDHE-RSA-AES128-GCM-SHA256) as JSSE's; other names unchanged. */
    static String standardName(final String name) {
        final Matcher m = OPENSSL_AEAD.matcher(name.toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            return name;
        }
        final String cipher = m.group(4) != null ? "AES_" + m.group(4) + "_GCM_SHA" + m.group(5)
            : "CHACHA20_POLY1305_SHA256";
        return "TLS_" + m.group(1) + "_" + m.group(2) + "_WITH_" + cipher;
    }

    /** --cert and --key together; one without the other is ignored, as in redis-cli. */
    private static javax.net.ssl.KeyManager[] keyManagers(final CliOptions o) throws IOException {
        if (o.cert == null || o.key == null) {
            return null;
        }
        final List<X509Certificate> chain;
        try {
            chain = certificates(Files.readAllBytes(Path.of(o.cert)));
        } catch (IOException | GeneralSecurityException e) {
            throw new SetupException("Invalid client certificate");
        }
        if (chain.isEmpty()) {
            throw new SetupException("Invalid client certificate");
        }
        final PrivateKey key;
        try {
            key = privateKey(Files.readString(Path.of(o.key), StandardCharsets.ISO_8859_1));
            if (!matches(key, chain.get(0).getPublicKey())) {
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

    /** Whether the private key belongs to the certificate: a signature made with it verifies with the public key. */
    private static boolean matches(final PrivateKey key, final PublicKey pub) throws GeneralSecurityException {
        final String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            default -> key.getAlgorithm();
        };
        if (!key.getAlgorithm().equals(pub.getAlgorithm())) {
            return false;
        }
        final byte[] probe = "cinnabar-cli key check".getBytes(StandardCharsets.US_ASCII);
        final Signature signer = Signature.getInstance(alg);
        signer.initSign(key);
        signer.update(probe);
        final byte[] sig = signer.sign();
        final Signature verifier = Signature.getInstance(alg);
        verifier.initVerify(pub);
        verifier.update(probe);
        return verifier.verify(sig);
    }

    private static TrustManager[] trustManagers(final CliOptions o) throws IOException, GeneralSecurityException {
        final List<X509Certificate> cas = new ArrayList<>();
        if (o.caCert != null) {
            try {
                cas.addAll(certificates(Files.readAllBytes(Path.of(o.caCert))));
            } catch (IOException | GeneralSecurityException e) {
                throw new SetupException("Invalid CA Certificate File/Directory");
            }
            if (cas.isEmpty()) {
                throw new SetupException("Invalid CA Certificate File/Directory");
            }
        }
        if (o.caCertDir != null) {
            cas.addAll(hashedDirectory(Path.of(o.caCertDir)));
        }
        if (o.insecure) {
            return new TrustManager[] {new TrustEverything()};
        }
        if (o.caCert == null && o.caCertDir == null) {
            return null;
        }
        final Set<TrustAnchor> anchors = new HashSet<>();
        final List<X509Certificate> intermediates = new ArrayList<>();
        for (final X509Certificate c : cas) {
            if (c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
                anchors.add(new TrustAnchor(c, null));
            } else {
                intermediates.add(c);
            }
        }
        if (anchors.isEmpty()) {
            // nothing can end a chain: every server is rejected during the handshake, as with OpenSSL
            return new TrustManager[] {new TrustNothing()};
        }
        final PKIXBuilderParameters pkix = new PKIXBuilderParameters(anchors, new X509CertSelector());
        pkix.setRevocationEnabled(false);
        pkix.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(intermediates)));
        final TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(new CertPathTrustManagerParameters(pkix));
        return tmf.getTrustManagers();
    }

    /** The certificates OpenSSL would find in a CA directory: only files named by subject hash. */
    private static List<X509Certificate> hashedDirectory(final Path dir) throws IOException {
        final List<X509Certificate> found = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (final Path p : (Iterable<Path>) files::iterator) {
                if (HASHED_NAME.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p)) {
                    try {
                        found.addAll(certificates(Files.readAllBytes(p)));
                    } catch (GeneralSecurityException e) {
                        continue;
                    }
                }
            }
        }
        return found;
    }

    private static List<X509Certificate> certificates(final byte[] pem) throws GeneralSecurityException {
        final CertificateFactory cf = CertificateFactory.getInstance("X.509");
        final List<X509Certificate> certs = new ArrayList<>();
        try (InputStream in = new ByteArrayInputStream(pem)) {
            for (final Certificate c : cf.generateCertificates(in)) {
                certs.add((X509Certificate) c);
            }
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        return certs;
    }

    private static PrivateKey privateKey(final String pem) throws GeneralSecurityException {
        final Matcher m = PEM.matcher(pem);
        while (m.find()) {
            final byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            switch (m.group(1)) {
                case "PRIVATE KEY":
                    return pkcs8(der);
                case "RSA PRIVATE KEY":
                    return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(rsaPkcs1ToPkcs8(der)));
                default:
                    continue;
            }
        }
        throw new GeneralSecurityException("no PKCS#8 or RSA private key found in the key file");
    }

    private static PrivateKey pkcs8(final byte[] der) throws GeneralSecurityException {
        GeneralSecurityException last = null;
        for (final String alg : new String[] {"RSA", "EC", "Ed25519", "Ed448", "DSA"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw last;
    }

    /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo (version 0, rsaEncryption, NULL parameters). */
    private static byte[] rsaPkcs1ToPkcs8(final byte[] pkcs1) {
        final byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d,
            0x01, 0x01, 0x01, 0x05, 0x00};
        final byte[] version = {0x02, 0x01, 0x00};
        final byte[] octets = der(0x04, pkcs1);
        final byte[] body = new byte[version.length + algorithm.length + octets.length];
        System.arraycopy(version, 0, body, 0, version.length);
        System.arraycopy(algorithm, 0, body, version.length, algorithm.length);
        System.arraycopy(octets, 0, body, version.length + algorithm.length, octets.length);
        return der(0x30, body);
    }

    private static byte[] der(final int tag, final byte[] content) {
        final int n = content.length;
        final byte[] len;
        if (n < 0x80) {
            len = new byte[] {(byte) n};
        } else if (n < 0x100) {
            len = new byte[] {(byte) 0x81, (byte) n};
        } else if (n < 0x10000) {
            len = new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
        } else {
            len = new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
        }
        final byte[] out = new byte[1 + len.length + n];
        out[0] = (byte) tag;
        System.arraycopy(len, 0, out, 1, len.length);
        System.arraycopy(content, 0, out, 1 + len.length, n);
        return out;
    }

    /** --insecure. */
    private static final class TrustEverything implements X509TrustManager {
        @Override
        public void checkClientTrusted(final X509Certificate[] chain, final String authType) {
        }

        @Override
        public void checkServerTrusted(final X509Certificate[] chain, final String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /** A CA file with no self-signed certificate. */
    private static final class TrustNothing implements X509TrustManager {
        @Override
        public void checkClientTrusted(final X509Certificate[] chain, final String authType)
            throws CertificateException {
            throw new CertificateException("no trust anchor");
        }

        @Override
        public void checkServerTrusted(final X509Certificate[] chain, final String authType)
            throws CertificateException {
            throw new CertificateException("no trust anchor");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
