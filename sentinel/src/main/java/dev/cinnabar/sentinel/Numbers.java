package dev.cinnabar.sentinel;

/** C's lenient number parsing (atoi, strtoull) as Redis applies it to INFO fields, hello messages and config. */
final class Numbers {
    private Numbers() {
    }

    /** Leading blanks, an optional sign, then digits up to the first non-digit; 0 when there are none. */
    static long atol(final String s) {
        int i = 0;
        final int n = s.length();
        while (i < n && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        long v = 0;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            v = v * 10 + (s.charAt(i) - '0');
            i++;
        }
        return negative ? -v : v;
    }

    /** strtoull: like atol, a negative number wraps (the epochs are unsigned 64-bit in Redis). */
    static long strtoull(final String s) {
        return atol(s);
    }
}
