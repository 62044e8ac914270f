package dev.cinnabar.replication.replica;

import io.netty.buffer.ByteBuf;

/**
 * One TCP connection from a replica to its master. Its events are delivered, on the owning loop,
 * to the {@link Events} given when it was opened; after {@link #close()} none is delivered.
 */
public interface MasterConnection {
    /** What the connection reports. */
    interface Events {
        void onConnected();

        /** Bytes from the master; the receiver releases {@code data}. */
        void onBytes(ByteBuf data);

        /** The connection failed or closed; {@code reason} is for the log. */
        void onClosed(String reason);
    }

    /** Opens connections to masters; the real one is Netty on the keyspace loop. */
    interface Connector {
        MasterConnection connect(String host, int port, Events events);
    }

    /** Sends {@code data} (ownership passes). */
    void write(ByteBuf data);

    void close();

    /**
     * Stops (true) or resumes (false) reading from the socket: bytes wait in the kernel, and the
     * master's sends slow down, while a diskless load's parser catches up.
     */
    void pauseReading(boolean paused);
}
