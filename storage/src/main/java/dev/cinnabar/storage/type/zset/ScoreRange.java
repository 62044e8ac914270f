package dev.cinnabar.storage.type.zset;

import dev.cinnabar.storage.type.Strtod;

/** A score interval of ZRANGEBYSCORE / ZCOUNT / ZREMRANGEBYSCORE: "(" makes a bound exclusive. */
public record ScoreRange(double min, double max, boolean minex, boolean maxex) {
    public boolean aboveMin(final double v) {
        return minex ? v > min : v >= min;
    }

    public boolean belowMax(final double v) {
        return maxex ? v < max : v <= max;
    }

    /**
     * Parses min and max as Redis's zslParseRange: an optional "(" then C strtod over the rest
     * ({@link Strtod#rangeBound}); NaN is refused. Returns null when either bound is invalid
     * ("ERR min or max is not a float").
     */
    public static ScoreRange parse(final byte[] b, final int minOff, final int minLen,
                                   final int maxOff, final int maxLen) {
        final boolean minex = minLen > 0 && b[minOff] == '(';
        final boolean maxex = maxLen > 0 && b[maxOff] == '(';
        final double min = Strtod.rangeBound(b, minex ? minOff + 1 : minOff, minex ? minLen - 1 : minLen);
        final double max = Strtod.rangeBound(b, maxex ? maxOff + 1 : maxOff, maxex ? maxLen - 1 : maxLen);
        if (Double.isNaN(min) || Double.isNaN(max)) {
            return null;
        }
        return new ScoreRange(min, max, minex, maxex);
    }

    /** A score argument as Redis's getDoubleFromObject reads it ({@link Strtod#string2d}); NaN when invalid. */
    public static double parseScore(final byte[] b, final int off, final int len) {
        return Strtod.string2d(b, off, len);
    }
}
