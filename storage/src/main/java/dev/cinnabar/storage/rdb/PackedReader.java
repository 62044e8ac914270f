package dev.cinnabar.storage.rdb;

import java.util.Arrays;

import dev.cinnabar.protocol.util.Bytes;

/**
 * Walks the entries of a packed blob (listpack or ziplist) read from an RDB string. Each entry is
 * an integer or a byte string; {@link #value()} gives either as bytes, {@link #score()} as a
 * double. Every position is checked against the blob's bounds, so a corrupt blob ends in an
 * {@link RdbException} naming the offset of the blob in the input.
 */
abstract class PackedReader {
    protected final byte[] b;
    /** The input offset of the blob, for errors. */
    private final long at;
    private final String kind;
    protected int p;
    protected int count;
    protected boolean isInt;
    protected long intValue;
    protected int strOff;
    protected int strLen;

    PackedReader(final byte[] b, final long at, final String kind) {
        this.b = b;
        this.at = at;
        this.kind = kind;
    }

    /** Advances to the next entry; false after the last one (the end marker is then verified). */
    abstract boolean next() throws RdbException;

    /** Entries read so far. */
    final int count() {
        return count;
    }

    /** The current entry as bytes (an integer as its decimal text). */
    final byte[] value() {
        return isInt ? Bytes.fromLong(intValue) : Arrays.copyOfRange(b, strOff, strOff + strLen);
    }

    /** The current entry as a sorted-set score. */
    final double score() throws RdbException {
        if (isInt) {
            return intValue;
        }
        final double d = Numbers.parseDouble(b, strOff, strLen);
        if (Double.isNaN(d)) {
            throw corrupt("score '" + Numbers.printable(b, strOff, strLen) + "' is not a number");
        }
        return d;
    }

    /** The next entry, which must exist (the second of a pair). */
    final void nextOfPair() throws RdbException {
        if (!next()) {
            throw corrupt("odd number of entries where pairs were expected");
        }
    }

    final RdbException corrupt(final String what) {
        return new RdbException(at, "corrupt " + kind + ": " + what + " (at byte " + p + " of " + b.length + ")");
    }

    final void need(final int end) throws RdbException {
        if (end > b.length - 1 || end < 0) {
            throw corrupt("entry runs past the end");
        }
    }

    /** The current entry is the string of {@code len} bytes at {@code off}; the next one follows it. */
    final void string(final int off, final int len) throws RdbException {
        need(off + len);
        isInt = false;
        strOff = off;
        strLen = len;
        p = off + len;
    }

    final int u16le(final int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8;
    }

    final long u32le(final int i) {
        return (b[i] & 0xffL) | (b[i + 1] & 0xffL) << 8 | (b[i + 2] & 0xffL) << 16 | (b[i + 3] & 0xffL) << 24;
    }

    final long le(final int i, final int n) {
        long v = 0;
        for (int k = n - 1; k >= 0; k--) {
            v = (v << 8) | (b[i + k] & 0xff);
        }
        // sign-extend from n bytes
        final int shift = 64 - 8 * n;
        return (v << shift) >> shift;
    }
}
