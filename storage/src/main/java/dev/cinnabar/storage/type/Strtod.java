package dev.cinnabar.storage.type;

import java.nio.charset.StandardCharsets;

import dev.cinnabar.protocol.util.Bytes;

/**
 * C's strtod (glibc), as the two ways Redis 7.0 reads a double argument use it.
 *
 * <p>Why two entry points: {@link #string2d} (ZADD scores, ZINCRBY, WEIGHTS, geo coordinates and
 * radii) demands that all {@code len} bytes parse, refuses a leading space, NaN, and a finite text
 * that overflows to infinity ("1e400") or underflows to zero ("1e-400"); {@link #rangeBound}
 * (zslParseRange: ZRANGEBYSCORE, ZCOUNT...) only checks that strtod stopped at a NUL, so it takes
 * "1e400" as infinity, "" as 0, " 1" as 1, and ignores what follows a NUL byte.
 *
 * <p>Both accept what strtod does: an optional sign, decimal digits with an optional point and
 * exponent, hexadecimal ("0x1.8p3", "0x10"), "inf", "infinity" (any case). Values are correctly
 * rounded, as glibc's are. Redis: util.c string2d(), t_zset.c zslParseRange().
 */
public final class Strtod {
    private Strtod() {
    }

    /** Redis's string2d: the double, or NaN when the text is not a valid float. */
    public static double string2d(final byte[] b, final int off, final int len) {
        if (len == 0 || isSpace(b[off])) {
            return Double.NaN;
        }
        final Parse p = parse(b, off, off + len);
        if (p.end != off + len || p.range) {
            return Double.NaN;
        }
        return p.value;
    }

    /** A zslParseRange bound (after any "("): the double, or NaN when strtod would not stop at a NUL. */
    public static double rangeBound(final byte[] b, final int off, final int len) {
        final int end = Bytes.cStringEnd(b, off, len);
        final Parse p = parse(b, off, end);
        return p.end == end ? p.value : Double.NaN;
    }


    /** What strtod returns: the value (NaN for "nan"), where it stopped, and whether errno was ERANGE. */
    private record Parse(double value, int end, boolean range) {
    }

    private static Parse parse(final byte[] b, final int start, final int limit) {
        int p = start;
        while (p < limit && isSpace(b[p])) {
            p++;
        }
        boolean negative = false;
        if (p < limit && (b[p] == '+' || b[p] == '-')) {
            negative = b[p] == '-';
            p++;
        }
        final double sign = negative ? -1 : 1;
        if (matches(b, p, limit, "infinity")) {
            return new Parse(sign * Double.POSITIVE_INFINITY, p + 8, false);
        }
        if (matches(b, p, limit, "inf")) {
            return new Parse(sign * Double.POSITIVE_INFINITY, p + 3, false);
        }
        if (matches(b, p, limit, "nan")) {
            return new Parse(Double.NaN, nanEnd(b, p + 3, limit), false);
        }
        if (p + 1 < limit && b[p] == '0' && (b[p + 1] == 'x' || b[p + 1] == 'X')) {
            final Parse hex = hex(b, p + 2, limit, sign);
            if (hex != null) {
                return hex;
            }
        }
        return decimal(b, p, limit, sign, start);
    }

    private static Parse decimal(final byte[] b, final int from, final int limit, final double sign, final int start) {
        int p = from;
        boolean nonZero = false;
        final int intStart = p;
        while (p < limit && isDigit(b[p])) {
            nonZero |= b[p] != '0';
            p++;
        }
        int digits = p - intStart;
        if (p < limit && b[p] == '.') {
            p++;
            final int fracStart = p;
            while (p < limit && isDigit(b[p])) {
                nonZero |= b[p] != '0';
                p++;
            }
            digits += p - fracStart;
        }
        if (digits == 0) {
            // no conversion: strtod returns 0 and points back at the very start
            return new Parse(0, start, false);
        }
        final int expAt = p;
        p = exponent(b, p, limit, 'e');
        final double exact = p == expAt ? exactDecimal(b, from, p) : Double.NaN;
        if (!Double.isNaN(exact)) {
            return new Parse(sign * exact, p, false);
        }
        final double v = Double.parseDouble(new String(b, from, p - from, StandardCharsets.ISO_8859_1));
        return new Parse(sign * v, p, Double.isInfinite(v) || (nonZero && v == 0));
    }

    /**
     * Digits with an optional point, no exponent, read without a String when the result is exact:
     * at most 15 significant digits fit a double's mantissa and 10^k (k <= 22) is exact too, so one
     * IEEE division is the correctly rounded value (Clinger's fast path). NaN: take the slow path.
     */
    private static double exactDecimal(final byte[] b, final int from, final int to) {
        long mantissa = 0;
        int fraction = -1;
        int digits = 0;
        for (int i = from; i < to; i++) {
            final byte c = b[i];
            if (c == '.') {
                fraction = 0;
                continue;
            }
            if (++digits > 15) {
                return Double.NaN;
            }
            mantissa = mantissa * 10 + (c - '0');
            if (fraction >= 0) {
                fraction++;
            }
        }
        return fraction <= 0 ? mantissa : mantissa / POWERS_OF_TEN[fraction];
    }

    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    };

    /** Hex digits after "0x"; null when none follow, so only the "0" is read as a decimal. */
    private static Parse hex(final byte[] b, final int from, final int limit, final double sign) {
        int p = from;
        final StringBuilder text = new StringBuilder("0x");
        boolean nonZero = false;
        int digits = 0;
        while (p < limit && Character.digit(b[p], 16) >= 0) {
            nonZero |= b[p] != '0';
            text.append((char) b[p++]);
            digits++;
        }
        if (p < limit && b[p] == '.') {
            text.append('.');
            p++;
            while (p < limit && Character.digit(b[p], 16) >= 0) {
                nonZero |= b[p] != '0';
                text.append((char) b[p++]);
                digits++;
            }
        }
        if (digits == 0) {
            return null;
        }
        final int expStart = p;
        p = exponent(b, p, limit, 'p');
        text.append(p > expStart ? new String(b, expStart, p - expStart, StandardCharsets.ISO_8859_1) : "p0");
        final double v = Double.parseDouble(text.toString());
        return new Parse(sign * v, p, Double.isInfinite(v) || (nonZero && v == 0));
    }

    /** The end of an exponent ('e' or 'p', sign, at least one digit) at p, or p when there is none. */
    private static int exponent(final byte[] b, final int p, final int limit, final char marker) {
        if (p >= limit || (b[p] | 0x20) != marker) {
            return p;
        }
        int q = p + 1;
        if (q < limit && (b[q] == '+' || b[q] == '-')) {
            q++;
        }
        final int digitsStart = q;
        while (q < limit && isDigit(b[q])) {
            q++;
        }
        return q > digitsStart ? q : p;
    }

    /** "nan" may be followed by "(n-char-sequence)". */
    private static int nanEnd(final byte[] b, final int p, final int limit) {
        if (p < limit && b[p] == '(') {
            int q = p + 1;
            while (q < limit && (isDigit(b[q]) || ((b[q] | 0x20) >= 'a' && (b[q] | 0x20) <= 'z') || b[q] == '_')) {
                q++;
            }
            if (q < limit && b[q] == ')') {
                return q + 1;
            }
        }
        return p;
    }

    private static boolean matches(final byte[] b, final int p, final int limit, final String word) {
        if (limit - p < word.length()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if ((b[p + i] | 0x20) != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(final byte c) {
        return c >= '0' && c <= '9';
    }

    static boolean isSpace(final byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == '\f';
    }
}
