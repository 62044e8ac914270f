package dev.cinnabar.replication.master;

import io.netty.buffer.ByteBuf;

/** The connection to one replica, as the master writes to it. Implemented over a Netty channel. */
public interface ReplicaChannel {
    /** Sends {@code data} (ownership passes) after everything written before. */
    void write(ByteBuf data);

    /** Whether the socket accepts more without growing its outbound queue past the high mark. */
    boolean isWritable();

    /** Bytes queued and not yet written to the socket. */
    long pendingBytes();

    void close();

    /** Closes once everything written so far reached the socket. */
    void closeAfterWrites();
}
