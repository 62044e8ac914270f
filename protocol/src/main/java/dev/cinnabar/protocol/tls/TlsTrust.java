package dev.cinnabar.protocol.tls;

import java.security.GeneralSecurityException;
import java.security.cert.CertStore;
import java.security.cert.CertificateException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Trust decisions made the way OpenSSL makes them for Redis and redis-cli: a peer's chain must end
 * at a self-signed certificate of the CA file or directory; the other certificates there may only
 * serve as intermediates; validity dates are checked, host names are not, revocation is not.
 */
public final class TlsTrust {
    private TlsTrust() {
    }

    /** Trust managers for these CA certificates; a list without a self-signed one trusts nobody. */
    public static TrustManager[] of(final List<X509Certificate> cas) throws GeneralSecurityException {
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
            // nothing can end a chain: every peer is rejected during the handshake, as with OpenSSL
            return new TrustManager[] {new TrustNothing()};
        }
        final PKIXBuilderParameters pkix = new PKIXBuilderParameters(anchors, new X509CertSelector());
        pkix.setRevocationEnabled(false);
        pkix.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(intermediates)));
        final TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(new CertPathTrustManagerParameters(pkix));
        return tmf.getTrustManagers();
    }

    /** No verification at all (redis-cli --insecure). */
    public static TrustManager[] everything() {
        return new TrustManager[] {new TrustEverything()};
    }

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

    private static final class TrustNothing implements X509TrustManager {
        @Override
        public void checkClientTrusted(final X509Certificate[] chain, final String authType)
            throws CertificateException {
            throw new CertificateException("no self-signed CA certificate to trust");
        }

        @Override
        public void checkServerTrusted(final X509Certificate[] chain, final String authType)
            throws CertificateException {
            throw new CertificateException("no self-signed CA certificate to trust");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
