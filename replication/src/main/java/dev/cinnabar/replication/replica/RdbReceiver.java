package dev.cinnabar.replication.replica;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import io.netty.buffer.ByteBuf;

/**
 * Receives the RDB payload of a full sync, in either of Redis's framings: a known length
 * ({@code $<len>}), or a stream ended by a 40-byte mark ({@code $EOF:<mark>}), and passes exactly
 * the RDB's bytes to a {@link Sink}: a temporary file (repl-diskless-load disabled, or
 * on-empty-db with data) or the pipe of a {@link DisklessLoad}.
 *
 * <p>Why a file by default: as with repl-diskless-load disabled in Redis, the replica keeps its
 * old data until the whole RDB arrived, and a large payload does not have to fit in the heap twice.
 *
 * <ol>
 *   <li>With a length, exactly that many bytes are taken; what follows belongs to the stream.</li>
 *   <li>With a mark, everything is taken (a master sends nothing after the mark until the
 *       replica's first ACK) and the transfer ends when the last 40 bytes received are the mark.
 *       The last 40 bytes seen are always held back from the sink, so the mark never reaches it.</li>
 * </ol>
 *
 * <p>Redis: replication.c readSyncBulkPayload().
 */
public final class RdbReceiver implements AutoCloseable {
    public static final int MARK_LENGTH = 40;

    /** Where the payload goes. */
    public interface Sink {
        /** The next bytes of the RDB (all of {@code bytes} must be taken). */
        void write(ByteBuffer bytes) throws IOException;

        /** The RDB is complete. */
        void finish() throws IOException;

        /** The transfer was abandoned. */
        void abort();
    }

    private final Path file;
    private final Sink out;
    private final long size;
    private final byte[] mark;
    private final byte[] tail = new byte[MARK_LENGTH];
    private int tailLen;
    private long read;
    private boolean complete;
    private boolean closed;

    private RdbReceiver(final Path file, final Sink out, final long size, final byte[] mark) {
        if (mark != null && mark.length != MARK_LENGTH) {
            throw new IllegalArgumentException("EOF mark must be " + MARK_LENGTH + " bytes");
        }
        this.file = file;
        this.out = out;
        this.size = size;
        this.mark = mark == null ? null : mark.clone();
    }

    /** A payload of {@code size} bytes, into {@code file}. */
    public static RdbReceiver ofLength(final Path file, final long size) throws IOException {
        return new RdbReceiver(file, new FileSink(file), size, null);
    }

    /** A payload ended by {@code mark} (40 bytes), into {@code file}. */
    public static RdbReceiver ofMark(final Path file, final byte[] mark) throws IOException {
        return new RdbReceiver(file, new FileSink(file), -1, mark);
    }

    /** A payload of {@code size} bytes, into {@code sink}. */
    public static RdbReceiver ofLength(final Sink sink, final long size) {
        return new RdbReceiver(null, sink, size, null);
    }

    /** A payload ended by {@code mark} (40 bytes), into {@code sink}. */
    public static RdbReceiver ofMark(final Sink sink, final byte[] mark) {
        return new RdbReceiver(null, sink, -1, mark);
    }

    /** Total size for a length-framed payload, or -1 for a mark-framed one (INFO's master_sync_total_bytes). */
    public long size() {
        return size;
    }

    /** Bytes of the payload received so far (a mark-framed one: including the mark once seen). */
    public long read() {
        return read;
    }

    public boolean complete() {
        return complete;
    }

    /** The temporary file, or null when the payload goes to another sink. */
    public Path file() {
        return file;
    }

    /**
     * Takes the bytes of {@code in} that belong to the payload (consuming them).
     *
     * @return true once the payload is complete; the sink then holds exactly the RDB
     */
    public boolean receive(final ByteBuf in) throws IOException {
        if (complete) {
            return true;
        }
        final int n = size >= 0 ? (int) Math.min(in.readableBytes(), size - read) : in.readableBytes();
        if (n > 0) {
            if (mark != null) {
                passHoldingBack(in, n);
            } else {
                out.write(in.nioBuffer(in.readerIndex(), n));
            }
            in.skipBytes(n);
            read += n;
        }
        if (size >= 0 ? read == size : tailLen == MARK_LENGTH && Arrays.equals(tail, mark)) {
            complete = true;
            out.finish();
        }
        return complete;
    }

    /**
     * Passes on all but the last 40 bytes seen (the held tail, then the first bytes of {@code in}),
     * and keeps those 40 as the new tail: the mark, if this is the end.
     */
    private void passHoldingBack(final ByteBuf in, final int n) throws IOException {
        final int total = tailLen + n;
        final int emit = Math.max(0, total - MARK_LENGTH);
        final int fromTail = Math.min(tailLen, emit);
        final int fromIn = emit - fromTail;
        if (fromTail > 0) {
            out.write(ByteBuffer.wrap(tail, 0, fromTail).asReadOnlyBuffer());
        }
        if (fromIn > 0) {
            out.write(in.nioBuffer(in.readerIndex(), fromIn));
        }
        final int keptTail = tailLen - fromTail;
        System.arraycopy(tail, fromTail, tail, 0, keptTail);
        in.getBytes(in.readerIndex() + fromIn, tail, keptTail, n - fromIn);
        tailLen = keptTail + n - fromIn;
    }

    /** Abandons an incomplete transfer (a temporary file is deleted); nothing after completion. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!complete) {
            out.abort();
        }
    }

    /** The temporary file of a disk-based load. */
    private static final class FileSink implements Sink {
        private final Path file;
        private final FileChannel ch;

        FileSink(final Path file) throws IOException {
            this.file = file;
            this.ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        }

        @Override
        public void write(final ByteBuffer bytes) throws IOException {
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
        }

        @Override
        public void finish() throws IOException {
            ch.force(false);
            ch.close();
        }

        @Override
        public void abort() {
            try {
                if (ch.isOpen()) {
                    ch.close();
                }
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // the file may already be gone; nothing else holds it
                file.toFile().deleteOnExit();
            }
        }
    }
}
