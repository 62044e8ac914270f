package dev.cinnabar.replication.replica;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A full sync's RDB parsed as it arrives (repl-diskless-load on-empty-db or swapdb): the loop
 * feeds the received bytes into a bounded pipe, a loader thread parses them from the other end
 * into a dataset of its own, and the outcome comes back to the loop.
 *
 * <p>Why a thread and a pipe rather than Redis's blocking read: the keyspace loop must keep serving
 * (-LOADING, or the old data during an async load) and must never block. The parser only ever
 * touches the dataset it builds, which nothing else sees until the loop installs it, so no lock
 * guards the keyspace.
 *
 * <ol>
 *   <li>The pipe holds at most about {@link #HIGH_MARK} bytes: above it {@link #full()} tells the
 *       link to stop reading the socket; once the parser drained it below {@link #LOW_MARK} the
 *       {@code drained} task runs on the loop to resume reading.</li>
 *   <li>The parser must consume the RDB exactly: bytes left after its end fail the load.</li>
 *   <li>{@link #cancel()} (a cut link, REPLICAOF, shutdown) makes the parser's next read fail; its
 *       outcome is then dropped, and the dataset it built is garbage.</li>
 *   <li>The outcome is delivered exactly once, on the loop, unless cancelled first.</li>
 * </ol>
 *
 * <p>Redis: replication.c readSyncBulkPayload() (the use_diskless_load branch), rio.c rioConnRead().
 */
public final class DisklessLoad {
    static final int HIGH_MARK = 8 * 1024 * 1024;
    static final int LOW_MARK = HIGH_MARK / 4;

    /** Parses an RDB into a dataset apart from the live one; runs on the loader thread. */
    public interface Parser {
        /** Returns the parsed dataset (opaque here), or throws why the RDB could not be loaded. */
        Object parse(InputStream in, long size) throws IOException;
    }

    /** The end of a load, on the loop: {@code parsed} on success, else {@code error}. */
    public interface Outcome {
        void done(DisklessLoad load, Object parsed, String error);
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = lock.newCondition();
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    /** Guarded by lock. */
    private int headPos;
    private long buffered;
    private boolean eof;
    private boolean cancelled;
    private boolean readerGone;
    private boolean wasFull;
    /** Loop side only. */
    private boolean delivered;
    private final Executor loop;
    private final Runnable drained;
    private final Thread thread;

    /**
     * Starts the loader thread at once; it waits for bytes.
     *
     * @param loop    runs tasks on the keyspace loop
     * @param drained runs on the loop when a full pipe drained (reading may resume)
     */
    public DisklessLoad(final Parser parser, final long size, final Executor loop, final Runnable drained,
                        final Outcome outcome) {
        this.loop = loop;
        this.drained = drained;
        this.thread = new Thread(() -> run(parser, size, outcome), "cinnabar-diskless-load");
        thread.setDaemon(true);
        thread.start();
    }

    private void run(final Parser parser, final long size, final Outcome outcome) {
        Object parsed = null;
        String error = null;
        final InputStream in = new PipeInput();
        try {
            parsed = parser.parse(in, size);
            if (in.read() != -1) {
                error = "Replication stream EOF marker is broken";
                parsed = null;
            }
        } catch (IOException | RuntimeException e) {
            error = e.getMessage() == null ? e.toString() : e.getMessage();
        } finally {
            lock.lock();
            try {
                readerGone = true;
                chunks.clear();
                buffered = 0;
            } finally {
                lock.unlock();
            }
        }
        final Object p = parsed;
        final String err = error;
        loop.execute(() -> {
            if (!delivered && !isCancelled()) {
                delivered = true;
                outcome.done(this, p, err);
            }
        });
    }

    /** The sink the link's {@link RdbReceiver} writes to (on the loop; never blocks). */
    public RdbReceiver.Sink sink() {
        return new RdbReceiver.Sink() {
            @Override
            public void write(final ByteBuffer bytes) {
                final byte[] copy = new byte[bytes.remaining()];
                bytes.get(copy);
                lock.lock();
                try {
                    if (readerGone || cancelled || copy.length == 0) {
                        return;
                    }
                    chunks.add(copy);
                    buffered += copy.length;
                    readable.signal();
                } finally {
                    lock.unlock();
                }
            }

            @Override
            public void finish() {
                lock.lock();
                try {
                    eof = true;
                    readable.signal();
                } finally {
                    lock.unlock();
                }
            }

            @Override
            public void abort() {
                cancel();
            }
        };
    }

    /** Whether the pipe holds too much: the link stops reading until {@code drained} runs. */
    public boolean full() {
        lock.lock();
        try {
            if (buffered >= HIGH_MARK && !readerGone) {
                wasFull = true;
            }
            return wasFull;
        } finally {
            lock.unlock();
        }
    }

    /** Ends the load without an outcome: the parser's next read fails. Idempotent. */
    public void cancel() {
        lock.lock();
        try {
            cancelled = true;
            chunks.clear();
            buffered = 0;
            readable.signal();
        } finally {
            lock.unlock();
        }
    }

    private boolean isCancelled() {
        lock.lock();
        try {
            return cancelled;
        } finally {
            lock.unlock();
        }
    }

    /** Waits (bounded) for the loader thread to end: tests and shutdown. */
    public boolean awaitThread(final long millis) throws InterruptedException {
        thread.join(millis);
        return !thread.isAlive();
    }

    /** The loader's end of the pipe. */
    private final class PipeInput extends InputStream {
        @Override
        public int read() throws IOException {
            final byte[] one = new byte[1];
            final int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(final byte[] b, final int off, final int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            boolean resume = false;
            int n = 0;
            lock.lock();
            try {
                while (chunks.isEmpty() && !eof && !cancelled) {
                    readable.await();
                }
                if (cancelled) {
                    throw new IOException("connection with master lost during the transfer");
                }
                if (chunks.isEmpty()) {
                    return -1;
                }
                while (n < len && !chunks.isEmpty()) {
                    final byte[] head = chunks.peek();
                    final int take = Math.min(len - n, head.length - headPos);
                    System.arraycopy(head, headPos, b, off + n, take);
                    n += take;
                    headPos += take;
                    if (headPos == head.length) {
                        chunks.poll();
                        headPos = 0;
                    }
                }
                buffered -= n;
                if (wasFull && buffered <= LOW_MARK) {
                    wasFull = false;
                    resume = true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("diskless load interrupted");
            } finally {
                lock.unlock();
            }
            if (resume) {
                loop.execute(drained);
            }
            return n;
        }
    }
}
