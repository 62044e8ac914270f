package dev.cinnabar.protocol.tls;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;

import io.netty.handler.ssl.NotSslRecordException;

/** One short line for a failed TLS handshake, for logs and error replies. */
public final class TlsErrors {
    private TlsErrors() {
    }

    public static String describe(final Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof NotSslRecordException) {
                return "not a TLS record (a plaintext client on the TLS port?)";
            }
            if (t instanceof CertificateExpiredException || t instanceof CertPathValidatorException v
                && v.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                return "certificate verify failed: certificate has expired";
            }
            if (t instanceof CertificateNotYetValidException || t instanceof CertPathValidatorException v
                && v.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                return "certificate verify failed: certificate is not yet valid";
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException) {
                return "certificate verify failed: unable to get local issuer certificate (untrusted certificate)";
            }
        }
        final String m = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        if (m.contains("Empty client certificate chain") || m.contains("Empty server certificate chain")
            || m.contains("PEER_DID_NOT_RETURN_A_CERTIFICATE")) {
            return "peer did not return a certificate";
        }
        if (m.contains("no self-signed CA certificate")) {
            return "certificate verify failed: no trusted CA certificate";
        }
        return m;
    }
}
