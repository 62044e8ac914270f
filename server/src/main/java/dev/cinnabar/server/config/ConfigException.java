package dev.cinnabar.server.config;

/** A configuration error; the message is what Redis prints or replies. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(final String message) {
        super(message);
    }
}
