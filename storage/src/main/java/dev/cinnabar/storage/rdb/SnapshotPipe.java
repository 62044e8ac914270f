package dev.cinnabar.storage.rdb;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Carries a snapshot's bytes from the keyspace thread to a background writer (a file, a replica
 * socket) in chunks, with a soft bound: {@link #hasRoom} turns false past {@code boundBytes} of
 * unconsumed chunks, which pauses the snapshot cursor, while copy-on-write saves still go
 * through. The producer writes it as an OutputStream (behind an {@link RdbWriter}); one consumer
 * thread calls {@link #poll} and {@link #recycle}, or {@link #drainTo}.
 *
 * <p>Why a queue of copies rather than a shared ring: the producer must never wait (it is the
 * keyspace thread). Why recycled: a fresh array per 64 KiB made every BGSAVE allocate its whole
 * file size again (30 MiB for a million small keys), enough to bring young collections, each a
 * pause of every client, into the save; the consumer hands its written chunks back instead, up to
 * what the bound can hold.
 */
public final class SnapshotPipe extends OutputStream {
    private static final int CHUNK_BYTES = RdbOutput.CHUNK;
    private static final Chunk END = new Chunk(new byte[0]);

    /** Some bytes of the snapshot: {@code data[0, length)}. */
    public static final class Chunk {
        private final byte[] data;
        private int length;

        private Chunk(final byte[] data) {
            this.data = data;
        }

        public byte[] data() {
            return data;
        }

        public int length() {
            return length;
        }

        /** The end of the stream. */
        public boolean isEnd() {
            return this == END;
        }
    }

    private final LinkedBlockingQueue<Chunk> chunks = new LinkedBlockingQueue<>();
    private final ArrayBlockingQueue<Chunk> free;
    private final AtomicLong queued = new AtomicLong();
    private final long boundBytes;
    private volatile IOException consumerFailure;
    private boolean closed;

    public SnapshotPipe(final long boundBytes) {
        this.boundBytes = boundBytes;
        this.free = new ArrayBlockingQueue<>((int) Math.min(1024, boundBytes / CHUNK_BYTES + 4));
    }

    /** False while the consumer is behind by the bound or more (the cursor's {@code ready}). */
    public boolean hasRoom() {
        return queued.get() < boundBytes && consumerFailure == null;
    }

    public long queuedBytes() {
        return queued.get();
    }

    @Override
    public void write(final int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(final byte[] b, final int off, final int len) throws IOException {
        final IOException failed = consumerFailure;
        if (failed != null) {
            throw new IOException("snapshot consumer failed: " + failed.getMessage(), failed);
        }
        if (closed) {
            throw new IOException("snapshot pipe closed");
        }
        if (len == 0) {
            return;
        }
        Chunk c = len <= CHUNK_BYTES ? free.poll() : null;
        if (c == null) {
            c = new Chunk(new byte[Math.max(len, CHUNK_BYTES)]);
        }
        System.arraycopy(b, off, c.data, 0, len);
        c.length = len;
        queued.addAndGet(len);
        chunks.add(c);
    }

    /** Marks the end of the stream (after the snapshot's last step). */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            chunks.add(END);
        }
    }

    /** Consumer side: records a failure of the destination; the producer's next write fails. */
    public void fail(final IOException e) {
        consumerFailure = e;
    }

    /**
     * Consumer side: the next chunk, waiting up to {@code timeoutMs}; null on timeout, an
     * {@link Chunk#isEnd end} chunk at the end of the stream. Give it back with {@link #recycle}
     * once written.
     */
    public Chunk poll(final long timeoutMs) throws InterruptedException {
        final Chunk c = chunks.poll(timeoutMs, TimeUnit.MILLISECONDS);
        if (c != null) {
            queued.addAndGet(-c.length);
        }
        return c;
    }

    /** Consumer side: a chunk written out, for the producer to fill again (dropped when enough are spare). */
    public void recycle(final Chunk c) {
        if (!c.isEnd() && c.data.length == CHUNK_BYTES) {
            free.offer(c);
        }
    }

    /**
     * Consumer side: copies every chunk to {@code out} until the end of the stream. Fails when no
     * chunk arrives for {@code idleTimeoutMs} (the producer stopped without closing), or when
     * {@code out} fails (the producer is told through {@link #fail}).
     */
    public void drainTo(final OutputStream out, final long idleTimeoutMs) throws IOException, InterruptedException {
        while (true) {
            final Chunk c = poll(idleTimeoutMs);
            if (c == null) {
                final IOException e = new IOException("snapshot producer idle for " + idleTimeoutMs + " ms");
                fail(e);
                throw e;
            }
            if (c.isEnd()) {
                return;
            }
            try {
                out.write(c.data, 0, c.length);
            } catch (IOException e) {
                fail(e);
                throw e;
            }
            recycle(c);
        }
    }
}
