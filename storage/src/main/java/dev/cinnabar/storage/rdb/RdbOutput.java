package dev.cinnabar.storage.rdb;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

import dev.cinnabar.protocol.util.Bytes;

/**
 * The writing side of the RDB primitives: bytes, Redis's length encoding, strings in the integer
 * or LZF form Redis would pick, binary doubles, with a running CRC-64.
 *
 * <p>Bytes collect in a buffer that goes to the stream when full or on {@link #flush}; without a
 * stream (a DUMP payload) the buffer grows and is the result. A write error of the stream is kept
 * and reported by {@link #check} or {@link #flush}, so the many small writes of a value need no
 * error path of their own (a failed output is discarded whole). Redis: rdb.c rdbSaveLen(),
 * rdbSaveRawString(), rdbTryIntegerEncoding(), rdbSaveLzfStringObject().
 */
final class RdbOutput {
    /** Flush size, and the size of SnapshotPipe's recycled chunks. */
    static final int CHUNK = 64 * 1024;
    /** Redis compresses strings longer than 20 bytes when rdbcompression is on. */
    private static final int LZF_MIN = 21;
    /** rdbTryIntegerEncoding looks only at strings of up to 11 characters. */
    private static final int INT_ENCODING_MAX = 11;

    private final OutputStream out;
    private final boolean compression;
    private final Lzf lzf;
    private byte[] buf;
    private int pos;
    private int crcFrom;
    private long crc;
    private long flushed;
    private byte[] scratch = new byte[256];
    private IOException failure;

    RdbOutput(final OutputStream out, final boolean compression) {
        this.out = out;
        this.compression = compression;
        this.lzf = compression ? new Lzf() : null;
        this.buf = new byte[out == null ? 256 : CHUNK];
    }

    /** Bytes written so far (buffered ones included). */
    long written() {
        return flushed + pos;
    }

    /** The CRC-64 of every byte written so far. */
    long crc() {
        if (pos > crcFrom) {
            crc = Crc64.update(crc, buf, crcFrom, pos - crcFrom);
            crcFrom = pos;
        }
        return crc;
    }

    /** The bytes of an in-memory output. */
    byte[] toBytes() {
        return Arrays.copyOf(buf, pos);
    }

    /** Hands the buffered bytes to the stream and reports any write error so far. */
    void flush() throws IOException {
        drain();
        check();
    }

    /** Throws the stream's first write error, if there was one. */
    void check() throws IOException {
        if (failure != null) {
            throw failure;
        }
    }

    private void drain() {
        if (out == null || pos == 0) {
            return;
        }
        crc();
        write(buf, 0, pos);
        pos = 0;
        crcFrom = 0;
    }

    private void write(final byte[] b, final int off, final int len) {
        if (failure == null) {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                failure = e;
            }
        }
        flushed += len;
    }

    private void ensure(final int n) {
        if (pos + n <= buf.length) {
            return;
        }
        if (out != null) {
            drain();
            if (n <= buf.length) {
                return;
            }
        }
        buf = Arrays.copyOf(buf, Math.max(pos + n, buf.length * 2));
    }

    void u8(final int v) {
        if (pos == buf.length) {
            ensure(1);
        }
        buf[pos++] = (byte) v;
    }

    void bytes(final byte[] b, final int off, final int len) {
        if (out != null && len > CHUNK) {
            drain();
            crc = Crc64.update(crc, b, off, len);
            write(b, off, len);
            return;
        }
        ensure(len);
        System.arraycopy(b, off, buf, pos, len);
        pos += len;
    }

    void le(final long v, final int n) {
        ensure(n);
        for (int k = 0; k < n; k++) {
            buf[pos++] = (byte) (v >>> (8 * k));
        }
    }

    void binaryDouble(final double d) {
        le(Double.doubleToRawLongBits(d), 8);
    }

    /** Redis's rdbSaveLen: 6 bits, 14 bits, or a 32/64-bit big-endian length. */
    void length(final long n) {
        ensure(9);
        if (n < 1 << 6) {
            buf[pos++] = (byte) n;
        } else if (n < 1 << 14) {
            buf[pos++] = (byte) (0x40 | n >>> 8);
            buf[pos++] = (byte) n;
        } else if (n <= 0xffffffffL) {
            buf[pos++] = (byte) 0x80;
            for (int k = 3; k >= 0; k--) {
                buf[pos++] = (byte) (n >>> (8 * k));
            }
        } else {
            buf[pos++] = (byte) 0x81;
            for (int k = 7; k >= 0; k--) {
                buf[pos++] = (byte) (n >>> (8 * k));
            }
        }
    }

    /**
     * A string as Redis's rdbSaveRawString writes it: an integer encoding for short canonical
     * integers that fit 32 bits, LZF for longer strings when compression is on and it saves at
     * least 4 bytes, the raw bytes otherwise.
     */
    void string(final byte[] b, final int off, final int len) {
        if (len <= INT_ENCODING_MAX && Bytes.isLong(b, off, len) && integer(Bytes.parseLong(b, off, len))) {
            return;
        }
        if (compression && len >= LZF_MIN && compressed(b, off, len)) {
            return;
        }
        length(len);
        bytes(b, off, len);
    }

    void string(final byte[] b) {
        string(b, 0, b.length);
    }

    /** An integer as a string (Redis's rdbSaveLongLongAsStringObject). */
    void string(final long v) {
        if (!integer(v)) {
            final byte[] text = Bytes.fromLong(v);
            length(text.length);
            bytes(text, 0, text.length);
        }
    }

    /** The 8, 16 or 32-bit integer encoding; false when {@code v} does not fit 32 bits. */
    private boolean integer(final long v) {
        ensure(5);
        if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            buf[pos++] = (byte) 0xc0;
            buf[pos++] = (byte) v;
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            buf[pos++] = (byte) 0xc1;
            buf[pos++] = (byte) v;
            buf[pos++] = (byte) (v >>> 8);
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            buf[pos++] = (byte) 0xc2;
            for (int k = 0; k < 4; k++) {
                buf[pos++] = (byte) (v >>> (8 * k));
            }
        } else {
            return false;
        }
        return true;
    }

    private boolean compressed(final byte[] b, final int off, final int len) {
        final int room = len - 4;
        if (scratch.length < room) {
            scratch = new byte[Math.max(room, scratch.length * 2)];
        }
        final int clen = lzf.compress(b, off, len, scratch, 0, room);
        if (clen == 0) {
            return false;
        }
        u8(0xc3);
        length(clen);
        length(len);
        bytes(scratch, 0, clen);
        return true;
    }
}
