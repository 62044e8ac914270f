package dev.cinnabar.protocol.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;

/**
 * Netty {@link SslContext}s from the tls-* settings, checked as Redis's tlsConfigure checks them: a
 * certificate and its key are required, a CA when peers must be verified; a file that cannot be
 * read, a key that does not match its certificate, a protocol or cipher list that selects nothing
 * is a {@link TlsSetupException} naming the setting. OpenSSL (netty-tcnative) is used when it is on
 * the class path and loads, the JDK's provider otherwise.
 */
public final class TlsContexts {
    private static final List<String> PROTOCOLS = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

    private TlsContexts() {
    }

    /** OpenSSL when netty-tcnative loads, unless -Dcinnabar.tls.provider=jdk asks for the JDK's. */
    public static SslProvider provider() {
        return !"jdk".equals(System.getProperty("cinnabar.tls.provider")) && OpenSsl.isAvailable() ? SslProvider.OPENSSL
            : SslProvider.JDK;
    }

    /**
     * The context of a TLS listener. {@code needCa}: verifying peers is required besides client
     * authentication (tls-replication or tls-cluster on).
     */
    public static SslContext server(final TlsSettings s, final boolean needCa) throws TlsSetupException {
        if (s.certFile.isEmpty()) {
            throw new TlsSetupException("No tls-cert-file configured!");
        }
        if (s.keyFile.isEmpty()) {
            throw new TlsSetupException("No tls-key-file configured!");
        }
        final boolean verify = !"no".equals(s.authClients);
        if ((verify || needCa) && s.caCertFile.isEmpty() && s.caCertDir.isEmpty()) {
            throw new TlsSetupException("Either tls-ca-cert-file or tls-ca-cert-dir must be specified when "
                + "tls-cluster, tls-replication or tls-auth-clients are enabled!");
        }
        checkDhParams(s.dhParamsFile);
        final Key key = key(s.certFile, s.keyFile, s.keyFilePass);
        final SslContextBuilder b = SslContextBuilder.forServer(key.key, key.chain)
            .clientAuth("optional".equals(s.authClients) ? ClientAuth.OPTIONAL : verify ? ClientAuth.REQUIRE
                : ClientAuth.NONE);
        if (!s.caCertFile.isEmpty() || !s.caCertDir.isEmpty()) {
            b.trustManager(trust(s)[0]);
        }
        if (s.sessionCaching) {
            b.sessionCacheSize(s.sessionCacheSize).sessionTimeout(s.sessionCacheTimeoutSeconds);
        } else {
            // the JDK cannot switch its cache off: one entry that expires at once comes closest
            b.sessionCacheSize(1).sessionTimeout(1);
        }
        return common(b, s);
    }

    /**
     * The context of outgoing links (replica to master, sentinel to instances): the client
     * certificate if tls-client-cert-file is set, else the server's; the peer verified against the
     * CA, its host name not checked (as Redis).
     */
    public static SslContext client(final TlsSettings s) throws TlsSetupException {
        final SslContextBuilder b = SslContextBuilder.forClient().endpointIdentificationAlgorithm(null);
        final boolean own = !s.clientCertFile.isEmpty() && !s.clientKeyFile.isEmpty();
        if (own) {
            final Key key = key(s.clientCertFile, s.clientKeyFile, s.clientKeyFilePass);
            b.keyManager(key.key, key.chain);
        } else if (!s.certFile.isEmpty() && !s.keyFile.isEmpty()) {
            final Key key = key(s.certFile, s.keyFile, s.keyFilePass);
            b.keyManager(key.key, key.chain);
        }
        if (s.caCertFile.isEmpty() && s.caCertDir.isEmpty()) {
            throw new TlsSetupException("Either tls-ca-cert-file or tls-ca-cert-dir must be specified when "
                + "tls-cluster, tls-replication or tls-auth-clients are enabled!");
        }
        b.trustManager(trust(s)[0]);
        return common(b, s);
    }

    /** A handler for one accepted connection; tls-prefer-server-ciphers orders the suites by ours. */
    public static SslHandler serverHandler(final SslContext ctx, final ByteBufAllocator alloc,
                                           final boolean preferServerCiphers) {
        final SslHandler h = ctx.newHandler(alloc);
        final SSLEngine engine = h.engine();
        final SSLParameters p = engine.getSSLParameters();
        p.setUseCipherSuitesOrder(preferServerCiphers);
        engine.setSSLParameters(p);
        return h;
    }

    private static SslContext common(final SslContextBuilder b, final TlsSettings s) throws TlsSetupException {
        b.sslProvider(provider()).protocols(protocols(s.protocols));
        try {
            final SSLContext jdk = SSLContext.getDefault();
            final List<String> supported = Arrays.asList(jdk.getSupportedSSLParameters().getCipherSuites());
            final List<String> enabled = Arrays.asList(jdk.getDefaultSSLParameters().getCipherSuites());
            if (!s.ciphers.isEmpty() || !s.ciphersuites.isEmpty()) {
                b.ciphers(TlsCiphers.select(s.ciphersuites, s.ciphers, supported, enabled));
            }
        } catch (NoSuchAlgorithmException e) {
            throw new TlsSetupException("no TLS support in this JDK", e);
        } catch (TlsCiphers.NoneSupported e) {
            throw new TlsSetupException("Failed to configure ciphers: " + e.getMessage());
        }
        try {
            return b.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new TlsSetupException("Failed to create the TLS context: " + e.getMessage(), e);
        }
    }

    /** tls-protocols: any of TLSv1, TLSv1.1, TLSv1.2, TLSv1.3; empty is TLSv1.2 and TLSv1.3, as Redis 7.0. */
    public static String[] protocols(final String setting) throws TlsSetupException {
        if (setting == null || setting.isBlank()) {
            return new String[] {"TLSv1.2", "TLSv1.3"};
        }
        final Set<String> out = new LinkedHashSet<>();
        for (final String word : setting.trim().split("\\s+")) {
            final String found = PROTOCOLS.stream().filter(p -> p.toLowerCase(Locale.ROOT)
                .equals(word.toLowerCase(Locale.ROOT))).findFirst().orElse(null);
            if (found == null) {
                throw new TlsSetupException("Invalid tls-protocols specified. Use a combination of 'TLSv1', "
                    + "'TLSv1.1', 'TLSv1.2' and 'TLSv1.3'.");
            }
            out.add(found);
        }
        return out.toArray(new String[0]);
    }

    private static TrustManager[] trust(final TlsSettings s) throws TlsSetupException {
        final List<X509Certificate> cas = new ArrayList<>();
        try {
            if (!s.caCertFile.isEmpty()) {
                cas.addAll(PemFiles.certificates(Path.of(s.caCertFile)));
                if (cas.isEmpty()) {
                    throw new GeneralSecurityException("no certificate in the file");
                }
            }
            if (!s.caCertDir.isEmpty()) {
                if (!Files.isDirectory(Path.of(s.caCertDir))) {
                    throw new IOException(s.caCertDir + ": not a directory");
                }
                cas.addAll(PemFiles.hashedDirectory(Path.of(s.caCertDir)));
            }
            return TlsTrust.of(cas);
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsSetupException("Failed to configure CA certificate(s) file/directory: " + reason(e), e);
        }
    }

    private record Key(PrivateKey key, X509Certificate[] chain) {
    }

    private static Key key(final String certFile, final String keyFile, final String pass) throws TlsSetupException {
        final List<X509Certificate> chain;
        try {
            chain = PemFiles.certificates(Path.of(certFile));
            if (chain.isEmpty()) {
                throw new GeneralSecurityException("no certificate in the file");
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsSetupException("Failed to load certificate: " + certFile + ": " + reason(e), e);
        }
        try {
            final PrivateKey key = PemFiles.privateKey(Path.of(keyFile), pass);
            if (!PemFiles.keyMatches(key, chain.get(0).getPublicKey())) {
                throw new GeneralSecurityException("the key does not match the certificate " + certFile);
            }
            return new Key(key, chain.toArray(new X509Certificate[0]));
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsSetupException("Failed to load private key: " + keyFile + ": " + reason(e), e);
        }
    }

    /** tls-dh-params-file must hold DH parameters; the JDK picks its own (RFC 7919) groups. */
    private static void checkDhParams(final String file) throws TlsSetupException {
        if (file.isEmpty()) {
            return;
        }
        try {
            final String text = Files.readString(Path.of(file), StandardCharsets.ISO_8859_1);
            if (!text.contains("-----BEGIN DH PARAMETERS-----")) {
                throw new IOException("no DH parameters in the file");
            }
        } catch (IOException e) {
            throw new TlsSetupException("Failed to load " + file + ": " + reason(e), e);
        }
    }

    private static String reason(final Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "No such file or directory";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
