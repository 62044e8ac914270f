package dev.cinnabar.storage.rdb;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Carries a snapshot's bytes from the keyspace thread to a background writer (a file, a replica
 * socket) in chunks, with a soft bound: {@link #hasRoom} turns false past {@code boundBytes} of
 * unconsumed chunks, which pauses the snapshot cursor, while copy-on-write saves still go
 * through. The producer writes it as an OutputStream (behind an {@link RdbWriter}); one consumer
 * thread calls {@link #poll} or {@link #drainTo}.
 *
 * <p>Why a queue of copies rather than a shared ring: the producer must never wait (it is the
 * keyspace thread), and a chunk per writer flush keeps the hand-off to one allocation per 64 KiB.
 */
public final class SnapshotPipe extends OutputStream {
    private static final byte[] END = new byte[0];

    private final LinkedBlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
    private final AtomicLong queued = new AtomicLong();
    private final long boundBytes;
    private volatile IOException consumerFailure;
    private boolean closed;

    public SnapshotPipe(final long boundBytes) {
        this.boundBytes = boundBytes;
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
        queued.addAndGet(len);
        chunks.add(Arrays.copyOfRange(b, off, off + len));
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
     * Consumer side: the next chunk, waiting up to {@code timeoutMs}; null on timeout, an empty
     * array at the end of the stream.
     */
    public byte[] poll(final long timeoutMs) throws InterruptedException {
        final byte[] c = chunks.poll(timeoutMs, TimeUnit.MILLISECONDS);
        if (c != null) {
            queued.addAndGet(-c.length);
        }
        return c;
    }

    /**
     * Consumer side: copies every chunk to {@code out} until the end of the stream. Fails when no
     * chunk arrives for {@code idleTimeoutMs} (the producer stopped without closing), or when
     * {@code out} fails (the producer is told through {@link #fail}).
     */
    public void drainTo(final OutputStream out, final long idleTimeoutMs) throws IOException, InterruptedException {
        while (true) {
            final byte[] c = poll(idleTimeoutMs);
            if (c == null) {
                final IOException e = new IOException("snapshot producer idle for " + idleTimeoutMs + " ms");
                fail(e);
                throw e;
            }
            if (c.length == 0) {
                return;
            }
            try {
                out.write(c);
            } catch (IOException e) {
                fail(e);
                throw e;
            }
        }
    }
}
