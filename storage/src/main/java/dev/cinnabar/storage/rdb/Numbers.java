package dev.cinnabar.storage.rdb;

import java.nio.charset.StandardCharsets;

import dev.cinnabar.protocol.util.Bytes;
import dev.cinnabar.protocol.util.Doubles;

/** Number and text conversions the RDB codec needs, with Redis's exact forms. */
final class Numbers {
    /** Redis's d2string prints doubles with no fractional part in (-(2^52-1), 2^52) as integers. */
    private static final double D2STRING_MIN = -4503599627370495d;
    private static final double D2STRING_MAX = 4503599627370496d;
    private static final int PRINTABLE_MAX = 64;

    private Numbers() {
    }

    /** Redis's d2string: how a listpack stores a sorted-set score. */
    static byte[] d2string(final double d) {
        if (d == 0) {
            return 1 / d < 0 ? new byte[] {'-', '0'} : Bytes.fromLong(0);
        }
        if (d > D2STRING_MIN && d < D2STRING_MAX && d == (double) (long) d) {
            return Bytes.fromLong((long) d);
        }
        return Bytes.ascii(Doubles.formatG17(d));
    }

    /** strtod of a stored score: NaN when the text is not a number. */
    static double parseDouble(final byte[] b, final int off, final int len) {
        if (Bytes.isLong(b, off, len)) {
            return Bytes.parseLong(b, off, len);
        }
        return Doubles.parse(b, off, len);
    }

    /** A key or value for an error message: escaped like redis-cli prints it, and shortened. */
    static String printable(final byte[] b, final int off, final int len) {
        final StringBuilder sb = new StringBuilder();
        final int n = Math.min(len, PRINTABLE_MAX);
        for (int i = off; i < off + n; i++) {
            final int c = b[i] & 0xff;
            if (c == '\\' || c == '"') {
                sb.append('\\').append((char) c);
            } else if (c >= 0x20 && c < 0x7f) {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        if (len > n) {
            sb.append("...");
        }
        return sb.toString();
    }

    static String printable(final byte[] b) {
        return printable(b, 0, b.length);
    }

    static String ascii(final byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
