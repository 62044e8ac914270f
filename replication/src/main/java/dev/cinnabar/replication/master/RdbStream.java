package dev.cinnabar.replication.master;

import java.io.IOException;

import io.netty.buffer.ByteBuf;

/**
 * A point-in-time RDB of the dataset, produced in slices on the keyspace loop, so a full sync
 * never stops the server for longer than one slice. The snapshot's content is the dataset as of
 * its opening, whatever commands run between slices.
 */
public interface RdbStream extends AutoCloseable {
    /**
     * Appends the next slice (about {@code maxBytes}) of the RDB to {@code out}.
     *
     * @return true while more follows; false once the RDB (up to its checksum) is complete
     */
    boolean next(ByteBuf out, int maxBytes) throws IOException;

    /** Abandons the snapshot (its replicas went away); releases what it holds. */
    @Override
    void close();
}
