package dev.cinnabar.storage.rdb;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import dev.cinnabar.protocol.util.Bytes;

/**
 * The reading side of the RDB primitives: bytes, Redis's length encoding, strings in their raw,
 * integer and LZF forms, with a running CRC-64 and the offset of every error.
 *
 * <p>Why so careful with lengths: an RDB may come from a disk, a master or a RESTORE argument,
 * and any length in it may lie. A length is checked against the bytes left when the input size
 * is known; otherwise a large string is read into an array that grows as the bytes really
 * arrive, so a lie ends in "unexpected end of file", never in a huge allocation.
 *
 * <p>Invariants: the input offset of {@code buf[pos]} is {@code base + pos}; the checksum covers
 * every byte before {@code buf[crcFrom]}; bytes read past the buffer are added to both at once.
 */
final class RdbInput {
    private static final int CHUNK = 64 * 1024;
    /** A string of unknown-size input starts at most this large and grows as bytes arrive. */
    private static final int FIRST_ALLOCATION = 1 << 20;
    /** The largest Java array we ask for. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 16;

    private final InputStream in;
    private final long length;
    private byte[] buf;
    private int pos;
    private int limit;
    private long base;
    private long crc;
    private int crcFrom;
    /** While a value is kept as its bytes: every byte consumed, as the checksum sees them. */
    private ByteArrayOutputStream capture;

    /** Reads a stream of {@code length} bytes, or of unknown size when {@code length} is negative. */
    RdbInput(final InputStream in, final long length) {
        this.in = in;
        this.length = length;
        this.buf = new byte[CHUNK];
    }

    /** Reads bytes held in memory. */
    RdbInput(final byte[] b, final int off, final int len) {
        this.in = null;
        this.length = len;
        this.buf = b;
        this.pos = off;
        this.limit = off + len;
        this.base = -off;
        this.crcFrom = off;
    }

    long offset() {
        return base + pos;
    }

    RdbException error(final String problem) {
        return new RdbException(offset(), problem);
    }

    private RdbException eof() {
        return error("unexpected end of file");
    }

    /** Makes at least {@code need} (at most CHUNK) bytes available; false at the end of input. */
    private boolean fill(final int need) throws IOException {
        if (in == null) {
            return false;
        }
        flushCrc();
        final int rem = limit - pos;
        System.arraycopy(buf, pos, buf, 0, rem);
        base += pos;
        pos = 0;
        crcFrom = 0;
        limit = rem;
        while (limit < need) {
            final int r = in.read(buf, limit, buf.length - limit);
            if (r < 0) {
                return false;
            }
            limit += r;
        }
        return true;
    }

    private void flushCrc() {
        if (pos > crcFrom) {
            consumed(buf, crcFrom, pos - crcFrom);
            crcFrom = pos;
        }
    }

    /** Bytes that left the input: into the checksum, and into the capture while one runs. */
    private void consumed(final byte[] b, final int off, final int len) {
        crc = Crc64.update(crc, b, off, len);
        if (capture != null) {
            capture.write(b, off, len);
        }
    }

    /** From now on keeps every byte consumed, until {@link #endCapture}. */
    void startCapture() {
        flushCrc();
        capture = new ByteArrayOutputStream();
    }

    /** The bytes consumed since {@link #startCapture}. */
    byte[] endCapture() {
        flushCrc();
        final byte[] b = capture.toByteArray();
        capture = null;
        return b;
    }

    /** The CRC-64 of every byte consumed so far. */
    long crc() {
        flushCrc();
        return crc;
    }

    private void require(final int n) throws IOException {
        if (limit - pos < n && !fill(n)) {
            throw eof();
        }
    }

    int u8() throws IOException {
        if (pos >= limit && !fill(1)) {
            throw eof();
        }
        return buf[pos++] & 0xff;
    }

    long u32le() throws IOException {
        require(4);
        final long v = (buf[pos] & 0xffL) | (buf[pos + 1] & 0xffL) << 8 | (buf[pos + 2] & 0xffL) << 16
            | (buf[pos + 3] & 0xffL) << 24;
        pos += 4;
        return v;
    }

    long u64le() throws IOException {
        require(8);
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (buf[pos + i] & 0xff);
        }
        pos += 8;
        return v;
    }

    double binaryDouble() throws IOException {
        return Double.longBitsToDouble(u64le());
    }

    /** A length (Redis's rdbLoadLen); an integer or LZF marker here is an error. */
    long length() throws IOException {
        return inRange(rawLength());
    }

    private long inRange(final long length) throws RdbException {
        if (length < 0) {
            throw error("length " + Long.toUnsignedString(length) + " out of range");
        }
        return length;
    }

    /** A length field holding any unsigned 64-bit value (streams save ids and counters so, -1 for "unknown"). */
    long rawLength() throws IOException {
        final int b = u8();
        switch (b >> 6) {
            case 0:
                return b & 0x3f;
            case 1:
                return (b & 0x3f) << 8 | u8();
            case 2:
                return bigLength(b);
            default:
                throw error("expected a length, found a string encoding marker 0x" + Integer.toHexString(b));
        }
    }

    private long bigLength(final int b) throws IOException {
        if (b == 0x80) {
            require(4);
            long v = 0;
            for (int i = 0; i < 4; i++) {
                v = (v << 8) | (buf[pos++] & 0xff);
            }
            return v;
        }
        if (b == 0x81) {
            require(8);
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (buf[pos++] & 0xff);
            }
            return v;
        }
        throw error("unknown length encoding 0x" + Integer.toHexString(b));
    }

    /** A length that must fit an int (counts of elements, sizes of arrays). */
    int intLength(final String what) throws IOException {
        final long n = length();
        if (n > MAX_ARRAY) {
            throw error(what + " " + n + " out of range");
        }
        return (int) n;
    }

    /** A string in any of its encodings, as its bytes (integers as their decimal text). */
    byte[] string() throws IOException {
        final int b = u8();
        switch (b >> 6) {
            case 0:
                return bytes(b & 0x3f);
            case 1:
                return bytes((b & 0x3f) << 8 | u8());
            case 2:
                return bytes(inRange(bigLength(b)));
            default:
                return encodedString(b & 0x3f);
        }
    }

    private byte[] encodedString(final int enc) throws IOException {
        switch (enc) {
            case 0:
                return Bytes.fromLong((byte) u8());
            case 1: {
                require(2);
                final int v = (short) ((buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8);
                pos += 2;
                return Bytes.fromLong(v);
            }
            case 2:
                return Bytes.fromLong((int) u32le());
            case 3:
                return lzf();
            default:
                throw error("unknown string encoding " + enc);
        }
    }

    private byte[] lzf() throws IOException {
        final long start = offset() - 1;
        final long clen = length();
        final long len = length();
        if (len > MAX_ARRAY) {
            throw error("LZF string length " + len + " out of range");
        }
        final byte[] packed = bytes(clen);
        final byte[] out = Lzf.decompress(packed, 0, packed.length, (int) len);
        if (out == null) {
            throw new RdbException(start, "invalid LZF compressed string (" + clen + " bytes, " + len + " expected)");
        }
        return out;
    }

    /** Exactly {@code n} bytes. */
    byte[] bytes(final long n) throws IOException {
        if (n > MAX_ARRAY) {
            throw error("string length " + n + " out of range");
        }
        if (n <= limit - pos) {
            final byte[] out = Arrays.copyOfRange(buf, pos, pos + (int) n);
            pos += (int) n;
            return out;
        }
        if (length >= 0 && n > length - offset()) {
            throw error("string length " + n + " exceeds the " + (length - offset()) + " bytes left");
        }
        if (in == null) {
            throw eof();
        }
        final int size = (int) n;
        byte[] out = new byte[length >= 0 ? size : Math.min(size, FIRST_ALLOCATION)];
        int have = limit - pos;
        System.arraycopy(buf, pos, out, 0, have);
        pos = limit;
        flushCrc();
        while (have < size) {
            if (have == out.length) {
                out = Arrays.copyOf(out, (int) Math.min(size, (long) out.length * 2));
            }
            final int r = in.read(out, have, out.length - have);
            if (r < 0) {
                throw eof();
            }
            consumed(out, have, r);
            base += r;
            have += r;
        }
        return out;
    }

    /** Redis's rdbLoadDoubleValue: a length byte (253 nan, 254 inf, 255 -inf) and ASCII text. */
    double stringDouble() throws IOException {
        final int len = u8();
        switch (len) {
            case 253:
                return Double.NaN;
            case 254:
                return Double.POSITIVE_INFINITY;
            case 255:
                return Double.NEGATIVE_INFINITY;
            default:
                final byte[] text = bytes(len);
                final double d = Numbers.parseDouble(text, 0, text.length);
                if (Double.isNaN(d)) {
                    throw error("invalid double value '" + Numbers.printable(text, 0, text.length) + "'");
                }
                return d;
        }
    }

    float floatLe() throws IOException {
        return Float.intBitsToFloat((int) u32le());
    }
}
