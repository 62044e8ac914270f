package dev.cinnabar.storage.rdb;

/**
 * Redis's intset blob: a 4-byte element width (2, 4 or 8), a 4-byte count, then the elements,
 * little-endian, sorted ascending and unique. Redis: intset.c intsetValidateIntegrity().
 */
final class Intsets {
    private static final int HEADER = 8;

    private Intsets() {
    }

    /** The members of an intset blob, checked for size, order and uniqueness. */
    static long[] read(final byte[] b, final long at) throws RdbException {
        if (b.length < HEADER) {
            throw new RdbException(at, "corrupt intset: shorter than its header");
        }
        final long width = le(b, 0, 4);
        if (width != 2 && width != 4 && width != 8) {
            throw new RdbException(at, "corrupt intset: element width " + width);
        }
        final long n = le(b, 4, 4) & 0xffffffffL;
        if (HEADER + n * width != b.length) {
            throw new RdbException(at, "corrupt intset: " + n + " elements of " + width + " bytes in a blob of "
                + b.length + " bytes");
        }
        final long[] out = new long[(int) n];
        for (int i = 0; i < n; i++) {
            out[i] = le(b, HEADER + i * (int) width, (int) width);
            if (i > 0 && out[i] <= out[i - 1]) {
                throw new RdbException(at, "corrupt intset: elements not in ascending order");
            }
        }
        return out;
    }

    /** The blob of ascending unique members, in the narrowest width that holds them all. */
    static byte[] write(final long[] v) {
        int width = 2;
        if (v.length > 0) {
            final long min = v[0];
            final long max = v[v.length - 1];
            if (min < Integer.MIN_VALUE || max > Integer.MAX_VALUE) {
                width = 8;
            } else if (min < Short.MIN_VALUE || max > Short.MAX_VALUE) {
                width = 4;
            }
        }
        final byte[] b = new byte[HEADER + v.length * width];
        put(b, 0, width, 4);
        put(b, 4, v.length, 4);
        for (int i = 0; i < v.length; i++) {
            put(b, HEADER + i * width, v[i], width);
        }
        return b;
    }

    private static long le(final byte[] b, final int off, final int n) {
        long v = 0;
        for (int k = n - 1; k >= 0; k--) {
            v = (v << 8) | (b[off + k] & 0xff);
        }
        final int shift = 64 - 8 * n;
        return (v << shift) >> shift;
    }

    private static void put(final byte[] b, final int off, final long v, final int n) {
        for (int k = 0; k < n; k++) {
            b[off + k] = (byte) (v >>> (8 * k));
        }
    }
}
