package dev.cinnabar.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS options of redis-cli on top of JSSE: PEM CA file or directory, PEM client certificate and key (PKCS#8 or
 * PKCS#1 RSA), --insecure, --sni and cipher lists. Like OpenSSL in redis-cli, the peer's chain is verified but not
 * its host name.
 */
final class Tls {
    private static final Pattern PEM = Pattern.compile(
        "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private Tls() {
    }

    static Socket wrap(final Socket plain, final String host, final int port, final CliOptions o)
        throws IOException {
        try {
            final SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keyManagers(o), trustManagers(o), null);
            final SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, host, port, true);
            final SSLParameters params = s.getSSLParameters();
            if (o.sni != null) {
                params.setServerNames(List.of(new SNIHostName(o.sni)));
            }
            final List<String> suites = new ArrayList<>();
            for (final String list : Arrays.asList(o.tlsCiphersuites, o.tlsCiphers)) {
                if (list != null) {
                    suites.addAll(Arrays.asList(list.split(":")));
                }
            }
            if (!suites.isEmpty()) {
                final List<String> supported = Arrays.asList(s.getSupportedCipherSuites());
                suites.retainAll(supported);
                if (suites.isEmpty()) {
                    throw new IOException("no supported cipher suite in the given lists");
                }
                params.setCipherSuites(suites.toArray(new String[0]));
            }
            s.setSSLParameters(params);
            s.startHandshake();
            return s;
        } catch (GeneralSecurityException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static javax.net.ssl.KeyManager[] keyManagers(final CliOptions o)
        throws IOException, GeneralSecurityException {
        if (o.cert == null || o.key == null) {
            return null;
        }
        final List<Certificate> chain = certificates(Files.readAllBytes(Path.of(o.cert)));
        final PrivateKey key = privateKey(Files.readString(Path.of(o.key)));
        final KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        ks.setKeyEntry("client", key, new char[0], chain.toArray(new Certificate[0]));
        final KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        return kmf.getKeyManagers();
    }

    private static TrustManager[] trustManagers(final CliOptions o) throws IOException, GeneralSecurityException {
        if (o.insecure) {
            return new TrustManager[] {new X509TrustManager() {
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
            }};
        }
        if (o.caCert == null && o.caCertDir == null) {
            return null;
        }
        final KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        final List<Certificate> cas = new ArrayList<>();
        if (o.caCert != null) {
            cas.addAll(certificates(Files.readAllBytes(Path.of(o.caCert))));
        }
        if (o.caCertDir != null) {
            try (Stream<Path> files = Files.list(Path.of(o.caCertDir))) {
                for (final Path p : (Iterable<Path>) files::iterator) {
                    if (Files.isRegularFile(p)) {
                        try {
                            cas.addAll(certificates(Files.readAllBytes(p)));
                        } catch (GeneralSecurityException e) {
                            continue;
                        }
                    }
                }
            }
        }
        for (int i = 0; i < cas.size(); i++) {
            ks.setCertificateEntry("ca" + i, cas.get(i));
        }
        final TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        return tmf.getTrustManagers();
    }

    private static List<Certificate> certificates(final byte[] pem) throws GeneralSecurityException {
        final CertificateFactory cf = CertificateFactory.getInstance("X.509");
        final Collection<? extends Certificate> certs;
        try (InputStream in = new ByteArrayInputStream(pem)) {
            certs = cf.generateCertificates(in);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        return new ArrayList<>(certs);
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
}
