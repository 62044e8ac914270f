package dev.cinnabar.protocol.tls;

/** A TLS context cannot be built from the settings; the message says which file or list and why. */
public final class TlsSetupException extends Exception {
    private static final long serialVersionUID = 1L;

    public TlsSetupException(final String message) {
        super(message);
    }

    public TlsSetupException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
