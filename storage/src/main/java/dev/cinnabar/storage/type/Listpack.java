package dev.cinnabar.storage.type;

import java.util.Arrays;

/**
 * A packed sequence of byte strings in one exactly sized byte[]: each entry is its length as a
 * little-endian base-128 varint followed by its bytes. This is our listpack: a small hash of ten
 * short fields costs one array instead of ten nodes and twenty arrays. A user may follow each
 * entry with a fixed-size trailer of its own (a sorted set's 8-byte score).
 *
 * <p>Invariants:
 * <ol>
 *   <li>The array holds only whole entries (and their trailers), back to back, and is never
 *       over-allocated, so its length is the used length (Redis reallocates a listpack exactly on
 *       each change too).</li>
 *   <li>Positions handed out are entry starts; without trailers, {@link #next} of the last entry is
 *       the array length.</li>
 * </ol>
 */
public final class Listpack {
    public static final byte[] EMPTY = new byte[0];

    private Listpack() {
    }

    /** The byte length of the entry at {@code pos}. */
    public static int length(final byte[] lp, final int pos) {
        int len = 0;
        int shift = 0;
        int p = pos;
        byte b;
        do {
            b = lp[p++];
            len |= (b & 0x7F) << shift;
            shift += 7;
        } while (b < 0);
        return len;
    }

    /** Where the bytes of the entry at {@code pos} start. */
    public static int data(final byte[] lp, final int pos) {
        int p = pos;
        while (lp[p] < 0) {
            p++;
        }
        return p + 1;
    }

    public static int next(final byte[] lp, final int pos) {
        return data(lp, pos) + length(lp, pos);
    }

    private static int headerSize(final int len) {
        int n = 1;
        for (int v = len >>> 7; v != 0; v >>>= 7) {
            n++;
        }
        return n;
    }

    /** Bytes an entry of {@code len} bytes takes. */
    public static int entrySize(final int len) {
        return headerSize(len) + len;
    }

    /** Writes an entry at {@code pos} of an array with room for it; returns the position after it. */
    public static int write(final byte[] lp, final int pos, final byte[] b, final int off, final int len) {
        int p = pos;
        int v = len;
        while (v >= 0x80) {
            lp[p++] = (byte) (v | 0x80);
            v >>>= 7;
        }
        lp[p++] = (byte) v;
        System.arraycopy(b, off, lp, p, len);
        return p + len;
    }

    /** Whether the entry at {@code pos} holds exactly the given bytes. */
    public static boolean equals(final byte[] lp, final int pos, final byte[] b, final int off, final int len) {
        final int d = data(lp, pos);
        return length(lp, pos) == len && Arrays.equals(lp, d, d + len, b, off, off + len);
    }

    /** A copy of the entry at {@code pos}. */
    public static byte[] copy(final byte[] lp, final int pos) {
        final int d = data(lp, pos);
        return Arrays.copyOfRange(lp, d, d + length(lp, pos));
    }

    /** A new array with the entry appended. */
    public static byte[] append(final byte[] lp, final byte[] b, final int off, final int len) {
        final byte[] r = Arrays.copyOf(lp, lp.length + entrySize(len));
        write(r, lp.length, b, off, len);
        return r;
    }

    /**
     * A new array with an entry of the given bytes inserted at {@code pos}, followed by
     * {@code trailer} zero bytes for the caller to fill at {@code pos + entrySize(len)}.
     */
    public static byte[] insert(final byte[] lp, final int pos, final byte[] b, final int off, final int len,
                                final int trailer) {
        final int size = entrySize(len) + trailer;
        final byte[] r = new byte[lp.length + size];
        System.arraycopy(lp, 0, r, 0, pos);
        write(r, pos, b, off, len);
        System.arraycopy(lp, pos, r, pos + size, lp.length - pos);
        return r;
    }

    /** A new array with the entry at {@code pos} replaced by the given bytes. */
    public static byte[] replace(final byte[] lp, final int pos, final byte[] b, final int off, final int len) {
        final int end = next(lp, pos);
        final byte[] r = new byte[lp.length - (end - pos) + entrySize(len)];
        System.arraycopy(lp, 0, r, 0, pos);
        final int after = write(r, pos, b, off, len);
        System.arraycopy(lp, end, r, after, lp.length - end);
        return r;
    }

    /** A new array without the bytes in [from, to). */
    public static byte[] cut(final byte[] lp, final int from, final int to) {
        if (from == 0 && to == lp.length) {
            return EMPTY;
        }
        final byte[] r = new byte[lp.length - (to - from)];
        System.arraycopy(lp, 0, r, 0, from);
        System.arraycopy(lp, to, r, from, lp.length - to);
        return r;
    }
}
