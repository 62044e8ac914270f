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
 * Receives the RDB payload of a full sync into a temporary file, in either of Redis's framings:
 * a known length ({@code $<len>}), or a stream ended by a 40-byte mark ({@code $EOF:<mark>}).
 *
 * <p>Why a file: as with repl-diskless-load disabled in Redis, the replica keeps its old data
 * until the whole RDB arrived, and a large payload does not have to fit in the heap twice.
 *
 * <ol>
 *   <li>With a length, exactly that many bytes are taken; what follows belongs to the stream.</li>
 *   <li>With a mark, everything is taken (a master sends nothing after the mark until the
 *       replica's first ACK) and the transfer ends when the last 40 bytes received are the mark,
 *       which is then cut from the file.</li>
 * </ol>
 *
 * <p>Redis: replication.c readSyncBulkPayload().
 */
public final class RdbReceiver implements AutoCloseable {
    public static final int MARK_LENGTH = 40;

    private final Path file;
    private final FileChannel out;
    private final long size;
    private final byte[] mark;
    private final byte[] tail = new byte[MARK_LENGTH];
    private int tailLen;
    private long read;
    private boolean complete;

    private RdbReceiver(final Path file, final long size, final byte[] mark) throws IOException {
        this.file = file;
        this.size = size;
        this.mark = mark;
        this.out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE);
    }

    /** A payload of {@code size} bytes. */
    public static RdbReceiver ofLength(final Path file, final long size) throws IOException {
        return new RdbReceiver(file, size, null);
    }

    /** A payload ended by {@code mark} (40 bytes). */
    public static RdbReceiver ofMark(final Path file, final byte[] mark) throws IOException {
        if (mark.length != MARK_LENGTH) {
            throw new IllegalArgumentException("EOF mark must be " + MARK_LENGTH + " bytes");
        }
        return new RdbReceiver(file, -1, mark.clone());
    }

    /** Total size for a length-framed payload, or -1 for a mark-framed one (INFO's master_sync_total_bytes). */
    public long size() {
        return size;
    }

    public long read() {
        return read;
    }

    public boolean complete() {
        return complete;
    }

    public Path file() {
        return file;
    }

    /**
     * Takes the bytes of {@code in} that belong to the payload (consuming them).
     *
     * @return true once the payload is complete; the file is then closed and holds exactly the RDB
     */
    public boolean receive(final ByteBuf in) throws IOException {
        if (complete) {
            return true;
        }
        final int n = size >= 0 ? (int) Math.min(in.readableBytes(), size - read) : in.readableBytes();
        if (n > 0) {
            final ByteBuffer nio = in.nioBuffer(in.readerIndex(), n);
            if (mark != null) {
                rememberTail(in, n);
            }
            while (nio.hasRemaining()) {
                out.write(nio);
            }
            in.skipBytes(n);
            read += n;
        }
        if (size >= 0 ? read == size : tailLen == MARK_LENGTH && Arrays.equals(tail, mark)) {
            if (mark != null) {
                out.truncate(read - MARK_LENGTH);
            }
            out.force(false);
            out.close();
            complete = true;
        }
        return complete;
    }

    /** Keeps the last 40 bytes seen, across reads. */
    private void rememberTail(final ByteBuf in, final int n) {
        final int end = in.readerIndex() + n;
        if (n >= MARK_LENGTH) {
            in.getBytes(end - MARK_LENGTH, tail, 0, MARK_LENGTH);
            tailLen = MARK_LENGTH;
            return;
        }
        final int keep = Math.min(tailLen, MARK_LENGTH - n);
        System.arraycopy(tail, tailLen - keep, tail, 0, keep);
        in.getBytes(in.readerIndex(), tail, keep, n);
        tailLen = keep + n;
    }

    /** Abandons the transfer: closes and deletes the temporary file. */
    @Override
    public void close() {
        try {
            if (out.isOpen()) {
                out.close();
            }
            if (!complete) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // the file may already be gone; nothing else holds it
            file.toFile().deleteOnExit();
        }
    }
}
