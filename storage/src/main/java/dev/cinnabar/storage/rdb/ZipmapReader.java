package dev.cinnabar.storage.rdb;

import java.util.Arrays;

/**
 * Reads a zipmap, the small-hash blob of RDB files from Redis before 2.6: a count byte, then per
 * pair a key length, key, value length, a "free" byte, value and that many unused bytes, and a
 * 0xFF terminator. Lengths below 254 take one byte; 254 introduces a 4-byte little-endian length.
 * Redis: zipmap.c zipmapValidateIntegrity().
 */
final class ZipmapReader {
    /** Receives one field/value pair. */
    interface PairSink {
        void pair(byte[] field, byte[] value) throws RdbException;
    }

    private final byte[] b;
    private final long at;
    private int p = 1;

    ZipmapReader(final byte[] b, final long at) {
        this.b = b;
        this.at = at;
    }

    /** Every pair, then verifies the terminator is the last byte; returns the pair count. */
    int read(final PairSink sink) throws RdbException {
        if (b.length < 2) {
            throw corrupt("shorter than a zipmap");
        }
        int n = 0;
        while (true) {
            check(p);
            if ((b[p] & 0xff) == 0xff) {
                if (p != b.length - 1) {
                    throw corrupt("end marker before the end");
                }
                return n;
            }
            final byte[] field = string(false);
            final byte[] value = string(true);
            sink.pair(field, value);
            n++;
        }
    }

    private byte[] string(final boolean withFree) throws RdbException {
        check(p);
        final int first = b[p] & 0xff;
        long len;
        if (first < 254) {
            len = first;
            p += 1;
        } else if (first == 254) {
            check(p + 4);
            len = (b[p + 1] & 0xffL) | (b[p + 2] & 0xffL) << 8 | (b[p + 3] & 0xffL) << 16 | (b[p + 4] & 0xffL) << 24;
            p += 5;
        } else {
            throw corrupt("end marker inside a pair");
        }
        int free = 0;
        if (withFree) {
            check(p);
            free = b[p] & 0xff;
            p += 1;
        }
        if (len + free > b.length - 1 - p) {
            throw corrupt("entry runs past the end");
        }
        final byte[] out = Arrays.copyOfRange(b, p, p + (int) len);
        p += (int) len + free;
        return out;
    }

    private void check(final int i) throws RdbException {
        if (i > b.length - 1) {
            throw corrupt("entry runs past the end");
        }
    }

    private RdbException corrupt(final String what) {
        return new RdbException(at, "corrupt zipmap: " + what + " (at byte " + p + " of " + b.length + ")");
    }
}
