package dev.cinnabar.protocol.resp;

/** A malformed request: the text is Redis's reply (without "-ERR "), and the connection closes after it. */
public final class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    public ProtocolException(final String message) {
        super(message, null, false, false);
    }
}
