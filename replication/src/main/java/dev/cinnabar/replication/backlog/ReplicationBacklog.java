package dev.cinnabar.replication.backlog;

import io.netty.buffer.ByteBuf;

/**
 * The last {@code repl-backlog-size} bytes of the replication stream, so a replica that lost its
 * link can continue from the byte it lacks (PSYNC) instead of copying the whole dataset again.
 *
 * <p>Why a plain ring of bytes: each propagated command is appended once and the ring never
 * allocates after it reached its size; a partial resync copies the tail once. Online replicas get
 * the stream from the shared encoded buffer of each command, not from here.
 *
 * <ol>
 *   <li>Offsets are Redis's: the stream's bytes are numbered from 1; {@link #offset()} is the number
 *       of the oldest byte held, {@code offset + histlen - 1} the newest, so {@code offset + histlen}
 *       is the master_repl_offset plus one.</li>
 *   <li>{@code histlen <= size}; older bytes are overwritten first.</li>
 *   <li>The array grows on demand up to {@code size}, so an idle master with a large configured
 *       backlog does not hold the memory (Redis 7 allocates its backlog blocks lazily too).</li>
 * </ol>
 *
 * <p>Redis: replication.c createReplicationBacklog(), feedReplicationBuffer(),
 * addReplyReplicationBacklog(), resizeReplicationBacklog().
 */
public final class ReplicationBacklog {
    private static final int INITIAL_CAPACITY = 16 * 1024;
    /** The largest array the JVM reliably allocates. */
    private static final long MAX_SIZE = Integer.MAX_VALUE - 16;

    private int size;
    private byte[] ring;
    /** Ring index of the oldest byte. */
    private int start;
    private long offset;
    private long histlen;

    /**
     * @param sizeBytes   repl-backlog-size
     * @param firstOffset the number the first appended byte will carry: master_repl_offset + 1
     */
    public ReplicationBacklog(final long sizeBytes, final long firstOffset) {
        this.size = clamp(sizeBytes);
        this.ring = new byte[Math.min(size, INITIAL_CAPACITY)];
        this.offset = firstOffset;
    }

    private static int clamp(final long sizeBytes) {
        return (int) Math.max(1, Math.min(sizeBytes, MAX_SIZE));
    }

    /** repl_backlog_first_byte_offset. */
    public long offset() {
        return offset;
    }

    /** repl_backlog_histlen. */
    public long histlen() {
        return histlen;
    }

    /** repl_backlog_size. */
    public int size() {
        return size;
    }

    /** Bytes of memory held (INFO mem_replication_backlog). */
    public int allocated() {
        return ring.length;
    }

    /** Whether a replica asking for byte {@code psyncOffset} onwards can be served from here. */
    public boolean canServe(final long psyncOffset) {
        return psyncOffset >= offset && psyncOffset <= offset + histlen;
    }

    /** Appends the readable bytes of {@code src} without consuming them. */
    public void append(final ByteBuf src) {
        append(src, src.readerIndex(), src.readableBytes());
    }

    /** Appends {@code length} bytes of {@code src} from {@code index}, without moving its indexes. */
    public void append(final ByteBuf src, final int index, final int length) {
        int from = index;
        int len = length;
        if (len > size) {
            skip(len - size);
            from += len - size;
            len = size;
        }
        ensureCapacity(len);
        int pos = (int) ((start + histlen) % ring.length);
        while (len > 0) {
            final int n = Math.min(len, ring.length - pos);
            src.getBytes(from, ring, pos, n);
            from += n;
            len -= n;
            pos = (pos + n) % ring.length;
            advance(n);
        }
    }

    /** Bytes older than what the ring keeps: they count in the offsets but are not stored. */
    private void skip(final long n) {
        offset += histlen + n;
        histlen = 0;
        start = 0;
    }

    /** One appended run of {@code n} bytes: the oldest are dropped once the ring is full. */
    private void advance(final int n) {
        histlen += n;
        if (histlen > ring.length) {
            final long over = histlen - ring.length;
            start = (int) ((start + over) % ring.length);
            offset += over;
            histlen = ring.length;
        }
    }

    private void ensureCapacity(final int incoming) {
        final long needed = histlen + incoming;
        if (needed <= ring.length || ring.length == size) {
            return;
        }
        long cap = ring.length;
        while (cap < needed && cap < size) {
            cap *= 2;
        }
        relocate((int) Math.min(cap, size));
    }

    /** Moves the held bytes, oldest first, to the start of a new array of {@code capacity} bytes. */
    private void relocate(final int capacity) {
        final byte[] fresh = new byte[capacity];
        final int keep = (int) Math.min(histlen, capacity);
        final long drop = histlen - keep;
        copyOut(offset + drop, fresh, 0, keep);
        offset += drop;
        histlen = keep;
        start = 0;
        ring = fresh;
    }

    /**
     * Copies the bytes from {@code psyncOffset} to the newest into {@code dst}.
     *
     * @return the number of bytes copied (0 when the replica is up to date)
     * @throws IllegalArgumentException when {@link #canServe} is false for that offset
     */
    public long copyFrom(final long psyncOffset, final ByteBuf dst) {
        if (!canServe(psyncOffset)) {
            throw new IllegalArgumentException("offset " + psyncOffset + " outside the backlog [" + offset + ", "
                + (offset + histlen) + "]");
        }
        final long n = offset + histlen - psyncOffset;
        int pos = (int) ((start + (psyncOffset - offset)) % ring.length);
        long left = n;
        while (left > 0) {
            final int chunk = (int) Math.min(left, ring.length - pos);
            dst.writeBytes(ring, pos, chunk);
            left -= chunk;
            pos = (pos + chunk) % ring.length;
        }
        return n;
    }

    private void copyOut(final long fromOffset, final byte[] dst, final int dstOff, final int len) {
        int pos = (int) ((start + (fromOffset - offset)) % ring.length);
        int at = dstOff;
        int left = len;
        while (left > 0) {
            final int chunk = Math.min(left, ring.length - pos);
            System.arraycopy(ring, pos, dst, at, chunk);
            at += chunk;
            left -= chunk;
            pos = (pos + chunk) % ring.length;
        }
    }

    /** CONFIG SET repl-backlog-size: keeps the newest bytes that fit (Redis's resizeReplicationBacklog). */
    public void resize(final long sizeBytes) {
        final int fresh = clamp(sizeBytes);
        if (fresh == size) {
            return;
        }
        size = fresh;
        if (ring.length > size) {
            relocate(size);
        }
    }
}
