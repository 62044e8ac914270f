package dev.cinnabar.server.replication;

import java.io.IOException;

import dev.cinnabar.replication.master.RdbStream;
import dev.cinnabar.storage.keyspace.Keyspace;
import dev.cinnabar.storage.rdb.RdbAux;
import dev.cinnabar.storage.rdb.RdbOptions;
import dev.cinnabar.storage.rdb.RdbWriter;
import dev.cinnabar.storage.rdb.Snapshot;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;

/**
 * The RDB of a full sync, from the keyspace's fork-less snapshot (storage's {@link Snapshot}): the
 * cursor advances a slice at a time when the transfer asks for bytes, and copy-on-write saves
 * land in the same buffer whenever a command touches a key the cursor has not reached.
 */
final class SnapshotRdbStream implements RdbStream {
    /** Keys (and empty buckets) the cursor visits per slice. */
    private static final int KEYS_PER_STEP = 1024;

    private final ByteBuf pending = Unpooled.buffer(64 * 1024);
    private final Snapshot snapshot;
    private boolean produced;
    private boolean closed;

    SnapshotRdbStream(final Keyspace ks, final RdbOptions options, final RdbAux aux) throws IOException {
        final RdbWriter writer = new RdbWriter(new ByteBufOutputStream(pending), options);
        Snapshot s = null;
        try {
            s = Snapshot.start(ks, writer, aux, () -> true);
        } finally {
            if (s == null) {
                pending.release();
            }
        }
        this.snapshot = s;
    }

    @Override
    public boolean next(final ByteBuf out, final int maxBytes) throws IOException {
        // bounded: each step adds one slice; the copy-on-write saves are at most one per key
        while (!produced && pending.readableBytes() < maxBytes) {
            produced = !snapshot.step(KEYS_PER_STEP);
        }
        final int n = Math.min(maxBytes, pending.readableBytes());
        out.writeBytes(pending, n);
        pending.discardSomeReadBytes();
        return !produced || pending.isReadable();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        snapshot.abort();
        pending.release();
    }
}
