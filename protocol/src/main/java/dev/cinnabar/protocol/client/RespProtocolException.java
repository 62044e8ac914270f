package dev.cinnabar.protocol.client;

import java.io.IOException;

/** The peer sent bytes that are not a RESP2/RESP3 reply; the connection cannot be used any more. */
public final class RespProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    public RespProtocolException(final String message) {
        super(message);
    }
}
