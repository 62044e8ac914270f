package dev.cinnabar.sentinel;

/** Opens instance connections; {@link NettyLinkConnector} in production, a fake in tests. */
@FunctionalInterface
public interface LinkConnector {
    /**
     * Starts connecting to {@code ip:port} and returns at once, or returns null when the attempt cannot even start.
     * Commands may be issued right away. {@code onLost} runs on the loop if the connection fails or drops later
     * (not after {@link LinkConnection#close()}).
     */
    LinkConnection connect(String ip, int port, Runnable onLost);
}
