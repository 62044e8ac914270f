package dev.cinnabar.storage.rdb;

import java.util.Arrays;

import dev.cinnabar.protocol.util.Bytes;

/**
 * Builds a Redis listpack, the blob Redis 7.0 stores small hashes, sorted sets and list nodes
 * in: integers in the smallest integer encoding (as lpAppend does for any string that is a
 * canonical integer), strings with a 6, 12 or 32-bit length, each entry followed by its
 * back-length. One instance is reused for every blob of a save. Redis: listpack.c lpEncodeString(),
 * lpEncodeBacklen().
 */
final class ListpackWriter {
    private static final int HEADER = 6;
    private static final int UNKNOWN_COUNT = 65535;

    private byte[] buf = new byte[256];
    private int pos = HEADER;
    private int count;

    void reset() {
        pos = HEADER;
        count = 0;
    }

    int count() {
        return count;
    }

    /** The listpack's size if finished now, terminator included. */
    int size() {
        return pos + 1;
    }

    byte[] array() {
        return buf;
    }

    /** Writes the header and terminator; the listpack is {@code array()[0, returned)}. */
    int finish() {
        ensure(1);
        buf[pos] = (byte) 0xff;
        final int total = pos + 1;
        buf[0] = (byte) total;
        buf[1] = (byte) (total >>> 8);
        buf[2] = (byte) (total >>> 16);
        buf[3] = (byte) (total >>> 24);
        final int n = Math.min(count, UNKNOWN_COUNT);
        buf[4] = (byte) n;
        buf[5] = (byte) (n >>> 8);
        return total;
    }

    /** Appends a string, integer-encoded when it is a canonical integer. */
    void add(final byte[] b, final int off, final int len) {
        if (len <= 20 && Bytes.isLong(b, off, len)) {
            addInt(Bytes.parseLong(b, off, len));
        } else {
            addString(b, off, len);
        }
    }

    void add(final byte[] b) {
        add(b, 0, b.length);
    }

    void addInt(final long v) {
        ensure(9 + 1);
        final int size = intSize(v);
        switch (size) {
            case 1:
                buf[pos++] = (byte) v;
                break;
            case 2: {
                final int u = (int) v & 0x1fff;
                buf[pos++] = (byte) (0xc0 | u >>> 8);
                buf[pos++] = (byte) u;
                break;
            }
            case 3:
                fixed(0xf1, v, 2);
                break;
            case 4:
                fixed(0xf2, v, 3);
                break;
            case 5:
                fixed(0xf3, v, 4);
                break;
            default:
                fixed(0xf4, v, 8);
                break;
        }
        backlen(size);
        count++;
    }

    /** Bytes of the narrowest integer encoding of {@code v} (7-bit, 13-bit, 16, 24, 32 or 64-bit). */
    private static int intSize(final long v) {
        if (v >= 0 && v <= 127) {
            return 1;
        }
        if (v >= -4096 && v <= 4095) {
            return 2;
        }
        if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            return 3;
        }
        if (v >= -(1 << 23) && v < (1 << 23)) {
            return 4;
        }
        return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? 5 : 9;
    }

    private void fixed(final int enc, final long v, final int n) {
        buf[pos++] = (byte) enc;
        for (int k = 0; k < n; k++) {
            buf[pos++] = (byte) (v >>> (8 * k));
        }
    }

    void addString(final byte[] b, final int off, final int len) {
        ensure(len + 5 + 5);
        final int start = pos;
        if (len < 64) {
            buf[pos++] = (byte) (0x80 | len);
        } else if (len < 4096) {
            buf[pos++] = (byte) (0xe0 | len >>> 8);
            buf[pos++] = (byte) len;
        } else {
            buf[pos++] = (byte) 0xf0;
            buf[pos++] = (byte) len;
            buf[pos++] = (byte) (len >>> 8);
            buf[pos++] = (byte) (len >>> 16);
            buf[pos++] = (byte) (len >>> 24);
        }
        System.arraycopy(b, off, buf, pos, len);
        pos += len;
        backlen(pos - start);
        count++;
    }

    private void backlen(final int len) {
        final int n = backlenSize(len);
        for (int k = 0; k < n; k++) {
            final int shift = 7 * (n - 1 - k);
            buf[pos++] = (byte) ((len >>> shift) & 127 | (k == 0 ? 0 : 128));
        }
    }

    /** Bytes of the back-length of an entry of {@code len} bytes (encoding and data). */
    static int backlenSize(final int len) {
        if (len <= 127) {
            return 1;
        }
        if (len < 16383) {
            return 2;
        }
        if (len < 2097151) {
            return 3;
        }
        return len < 268435455 ? 4 : 5;
    }

    /** The bytes {@link #add} would append for this string (for node splitting). */
    static int entrySize(final byte[] b, final int off, final int len) {
        if (len <= 20 && Bytes.isLong(b, off, len)) {
            return intSize(Bytes.parseLong(b, off, len)) + 1;
        }
        final int header = len < 64 ? 1 : len < 4096 ? 2 : 5;
        return header + len + backlenSize(header + len);
    }

    private void ensure(final int more) {
        if (pos + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(pos + more, buf.length * 2));
        }
    }
}
