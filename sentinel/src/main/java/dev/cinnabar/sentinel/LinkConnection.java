package dev.cinnabar.sentinel;

import java.util.function.Consumer;

import dev.cinnabar.protocol.client.RespValue;

/**
 * One asynchronous connection of an instance link (a hiredis async context in Redis). Implementations call back on
 * the sentinel's loop, in command order, and never after {@link #close()}.
 */
public interface LinkConnection {
    /** Sends a command; {@code onReply} receives its reply (an error reply too). */
    void command(Consumer<RespValue> onReply, String... argv);

    /** Sends SUBSCRIBE; {@code onMessage} receives the confirmation and every later message. */
    void subscribe(Consumer<RespValue> onMessage, String... argv);

    /** The local IP of this connection (what the peer sees us as), or null when not known yet. */
    String localIp();

    void close();
}
