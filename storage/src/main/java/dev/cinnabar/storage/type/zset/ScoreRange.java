package dev.cinnabar.storage.type.zset;

import dev.cinnabar.protocol.util.Doubles;

/** A score interval of ZRANGEBYSCORE / ZCOUNT / ZREMRANGEBYSCORE: "(" makes a bound exclusive. */
public record ScoreRange(double min, double max, boolean minex, boolean maxex) {
    public boolean aboveMin(final double v) {
        return minex ? v > min : v >= min;
    }

    public boolean belowMax(final double v) {
        return maxex ? v < max : v <= max;
    }

    /**
     * Parses min and max as Redis's zslParseRange: an optional "(" then C strtod over the rest (the
     * whole text must be consumed; an empty rest reads as 0); NaN is refused. Returns null when
     * either bound is invalid ("ERR min or max is not a float").
     */
    public static ScoreRange parse(final byte[] b, final int minOff, final int minLen,
                                   final int maxOff, final int maxLen) {
        final boolean minex = minLen > 0 && b[minOff] == '(';
        final boolean maxex = maxLen > 0 && b[maxOff] == '(';
        final double min = strtod(b, minex ? minOff + 1 : minOff, minex ? minLen - 1 : minLen);
        final double max = strtod(b, maxex ? maxOff + 1 : maxOff, maxex ? maxLen - 1 : maxLen);
        if (Double.isNaN(min) || Double.isNaN(max)) {
            return null;
        }
        return new ScoreRange(min, max, minex, maxex);
    }

    /** C strtod used with an end-pointer check: leading whitespace allowed, "" is 0, NaN when invalid. */
    static double strtod(final byte[] b, final int off, final int len) {
        int p = off;
        final int end = off + len;
        if (len == 0) {
            return 0;
        }
        while (p < end && isSpace(b[p])) {
            p++;
        }
        if (p == end) {
            return Double.NaN;
        }
        return parseScore(b, p, end - p);
    }

    /**
     * A score argument as Redis's getDoubleFromObject reads it: {@link Doubles#parse} plus strtod's
     * ERANGE refusals, i.e. a finite text that overflows to infinity ("1e400") or underflows to zero
     * ("1e-400") is invalid. Returns NaN when invalid.
     */
    public static double parseScore(final byte[] b, final int off, final int len) {
        final double d = Doubles.parse(b, off, len);
        if (Double.isInfinite(d) && !mentionsInf(b, off, len)) {
            return Double.NaN;
        }
        if (d == 0 && hasNonZeroMantissa(b, off, len)) {
            return Double.NaN;
        }
        return d;
    }

    private static boolean mentionsInf(final byte[] b, final int off, final int len) {
        for (int i = off; i < off + len; i++) {
            if (b[i] == 'i' || b[i] == 'I') {
                return true;
            }
        }
        return false;
    }

    private static boolean hasNonZeroMantissa(final byte[] b, final int off, final int len) {
        for (int i = off; i < off + len; i++) {
            final byte c = b[i];
            if (c == 'e' || c == 'E' || c == 'p' || c == 'P') {
                return false;
            }
            if (c >= '1' && c <= '9') {
                return true;
            }
        }
        return false;
    }

    private static boolean isSpace(final byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == '\f';
    }
}
