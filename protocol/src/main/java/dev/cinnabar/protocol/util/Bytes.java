package dev.cinnabar.protocol.util;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Byte-string helpers shared by every module: ASCII case folding, Redis's strict number parsing. */
public final class Bytes {
    public static final byte[] EMPTY = new byte[0];

    private Bytes() {
    }

    public static byte[] ascii(final String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    public static byte[] utf8(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static String string(final byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Where C's string functions stop reading {@code b[off..off+len)}: its first NUL, else its end. */
    public static int cStringEnd(final byte[] b, final int off, final int len) {
        for (int i = off; i < off + len; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return off + len;
    }

    public static byte upper(final byte b) {
        return (b >= 'a' && b <= 'z') ? (byte) (b - 32) : b;
    }

    public static byte lower(final byte b) {
        return (b >= 'A' && b <= 'Z') ? (byte) (b + 32) : b;
    }

    public static boolean equalsIgnoreCase(final byte[] upperWord, final byte[] buf, final int off, final int len) {
        if (len != upperWord.length) {
            return false;
        }
        for (int k = 0; k < len; k++) {
            if (upper(buf[off + k]) != upperWord[k]) {
                return false;
            }
        }
        return true;
    }

    /** Hash of a byte range (Java's polynomial hash, mixed): equal bytes give equal hashes. */
    public static int hash(final byte[] b, final int off, final int len) {
        int h = 1;
        for (int i = off, end = off + len; i < end; i++) {
            h = 31 * h + b[i];
        }
        return h ^ (h >>> 16);
    }

    public static int hash(final byte[] b) {
        return hash(b, 0, b.length);
    }

    public static boolean equals(final byte[] a, final byte[] b, final int off, final int len) {
        return Arrays.equals(a, 0, a.length, b, off, off + len);
    }

    /**
     * Redis's string2ll: an optional '-', no '+', no leading zeros, no spaces, within long range.
     */
    public static boolean isLong(final byte[] b, final int off, final int len) {
        if (len == 0 || len > 20) {
            return false;
        }
        int p = off;
        final int end = off + len;
        boolean negative = false;
        if (b[p] == '-') {
            negative = true;
            p++;
            if (p == end) {
                return false;
            }
        }
        if (b[p] == '0') {
            return len == 1;
        }
        if (b[p] < '1' || b[p] > '9') {
            return false;
        }
        long v = 0;
        final long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
        for (; p < end; p++) {
            final int d = b[p] - '0';
            if (d < 0 || d > 9) {
                return false;
            }
            // accumulate negatively so Long.MIN_VALUE fits without overflow
            if (v < Long.MIN_VALUE / 10) {
                return false;
            }
            final long t = v * 10;
            if (t < limit + d) {
                return false;
            }
            v = t - d;
        }
        return true;
    }

    /** Parses a value {@link #isLong} accepted; undefined for anything else. */
    public static long parseLong(final byte[] b, final int off, final int len) {
        int p = off;
        final int end = off + len;
        final boolean negative = b[p] == '-';
        if (negative) {
            p++;
        }
        long v = 0;
        for (; p < end; p++) {
            v = v * 10 - (b[p] - '0');
        }
        return negative ? v : -v;
    }

    public static boolean isLong(final byte[] b) {
        return isLong(b, 0, b.length);
    }

    public static long parseLong(final byte[] b) {
        return parseLong(b, 0, b.length);
    }

    private static final byte[][] SMALL = new byte[10001][];

    static {
        for (int i = 0; i < SMALL.length; i++) {
            SMALL[i] = ascii(Integer.toString(i));
        }
    }

    /** The decimal text of v; small non-negative values come from a shared table. */
    public static byte[] fromLong(final long v) {
        if (v >= 0 && v < SMALL.length) {
            return SMALL[(int) v];
        }
        return ascii(Long.toString(v));
    }

    /** Number of bytes {@code v} takes in decimal. */
    public static int decimalLength(final long v) {
        if (v == Long.MIN_VALUE) {
            return 20;
        }
        long x = v < 0 ? -v : v;
        int n = v < 0 ? 2 : 1;
        while (x >= 10) {
            x /= 10;
            n++;
        }
        return n;
    }
}
