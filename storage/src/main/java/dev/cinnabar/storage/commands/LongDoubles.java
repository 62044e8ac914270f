package dev.cinnabar.storage.commands;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * The x87 80-bit long double arithmetic INCRBYFLOAT and HINCRBYFLOAT use in Redis 7.0 (x86-64),
 * emulated exactly with BigDecimal: parse as strtold does, add, round to a 64-bit significand,
 * and print as "%.17Lf" with trailing zeros removed (Redis's ld2string LD_STR_HUMAN).
 *
 * <p>Why exact emulation: the text stored is what replicas receive (as SET ... KEEPTTL) and what
 * clients compare, e.g. 1502 + 0.1 is "1502.09999999999999998" in Redis, not Java's 1502.1.
 *
 * <p>Invariants: every finite value handled here is exactly m * 2^e with m < 2^64 (the long
 * double it stands for), so BigDecimal holds it without error; infinities never get stored.
 * Redis: util.c string2ld(), ld2string(); t_string.c incrbyfloatCommand().
 */
public final class LongDoubles {
    /** Redis's MAX_LONG_DOUBLE_CHARS: longer text is not a valid float. */
    private static final int MAX_CHARS = 5 * 1024;
    private static final int SIGNIFICAND_BITS = 64;
    /** Smallest exponent e of m * 2^e (subnormals): 2^-16382 is the least normal, 63 more bits below. */
    private static final int MIN_EXP = -16382 - (SIGNIFICAND_BITS - 1);
    /** Values at or above 2^16384 overflow to infinity. */
    private static final int MAX_BINARY_EXP = 16384;
    /** Decimal exponents beyond this magnitude overflow or underflow whatever the (bounded) digits. */
    private static final int EXP_CLAMP = 20_000;
    private static final long BAD_EXPONENT = Long.MIN_VALUE;
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(SIGNIFICAND_BITS);

    /** A parsed operand: a finite exact value, or an infinity (sign in {@code infinity}). */
    public record Value(BigDecimal finite, int infinity) {
        public boolean isInfinite() {
            return infinity != 0;
        }
    }

    private static final Value POS_INF = new Value(null, 1);
    private static final Value NEG_INF = new Value(null, -1);
    public static final Value ZERO = new Value(BigDecimal.ZERO, 0);

    private LongDoubles() {
    }

    /**
     * Redis's string2ld: the whole text must be a strtold number (decimal or hex, "inf" and
     * "infinity" allowed), no leading space, no NaN, no overflow, no underflow to zero.
     *
     * @return the value, or null when the text is not a valid float
     */
    public static Value parse(final byte[] b, final int off, final int len) {
        if (len == 0 || len >= MAX_CHARS) {
            return null;
        }
        final int end = cStringEnd(b, off, len);
        if (end == off || isSpace(b[off])) {
            return null;
        }
        int p = off;
        boolean negative = false;
        if (b[p] == '+' || b[p] == '-') {
            negative = b[p] == '-';
            p++;
        }
        final String rest = new String(b, p, end - p, StandardCharsets.ISO_8859_1);
        if (rest.equalsIgnoreCase("inf") || rest.equalsIgnoreCase("infinity")) {
            return negative ? NEG_INF : POS_INF;
        }
        final BigDecimal exact = rest.length() > 1 && rest.charAt(0) == '0'
            && (rest.charAt(1) == 'x' || rest.charAt(1) == 'X') ? parseHex(rest) : parseDecimal(rest);
        if (exact == null) {
            return null;
        }
        if (exact.signum() == 0) {
            return ZERO;
        }
        final BigDecimal rounded = round(negative ? exact.negate() : exact);
        if (rounded == null || rounded.signum() == 0) {
            // overflow (HUGE_VALL) or underflow to zero: strtold's ERANGE cases Redis refuses
            return null;
        }
        return new Value(rounded, 0);
    }

    /** The long double sum, or null when it is NaN or infinite (overflow included). */
    public static BigDecimal add(final Value a, final Value b) {
        if (a.isInfinite() || b.isInfinite()) {
            return null;
        }
        final BigDecimal sum = a.finite.add(b.finite);
        return sum.signum() == 0 ? BigDecimal.ZERO : round(sum);
    }

    /** "%.17Lf" with trailing zeros (and a trailing '.') removed, "-0" printed as "0". */
    public static byte[] format(final BigDecimal v) {
        String s = v.setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        int n = s.length();
        while (s.charAt(n - 1) == '0') {
            n--;
        }
        if (s.charAt(n - 1) == '.') {
            n--;
        }
        s = s.substring(0, n);
        return (s.equals("-0") ? "0" : s).getBytes(StandardCharsets.US_ASCII);
    }

    /** C strings end at the first NUL: text after it is invisible to strtol-like parsers. */
    static int cStringEnd(final byte[] b, final int off, final int len) {
        for (int i = off; i < off + len; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return off + len;
    }

    static boolean isSpace(final byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == '\f';
    }

    /** digits [. digits] | . digits, then optional e[sign]digits; the whole text must match. */
    private static BigDecimal parseDecimal(final String s) {
        int i = 0;
        final int n = s.length();
        final StringBuilder digits = new StringBuilder(n);
        int fraction = 0;
        boolean any = false;
        while (i < n && isDigit(s.charAt(i))) {
            digits.append(s.charAt(i++));
            any = true;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(s.charAt(i))) {
                digits.append(s.charAt(i++));
                fraction++;
                any = true;
            }
        }
        if (!any) {
            return null;
        }
        long exp = 0;
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            exp = exponent(s, i + 1);
        } else if (i != n) {
            return null;
        }
        if (exp == BAD_EXPONENT) {
            return null;
        }
        final BigInteger unscaled = new BigInteger(digits.toString());
        if (unscaled.signum() == 0) {
            return BigDecimal.ZERO;
        }
        if (Math.abs(exp) > EXP_CLAMP) {
            // far outside the long double range whatever the digits: overflow or underflow
            return exp > 0 ? new BigDecimal(BigInteger.ONE, -EXP_CLAMP) : BigDecimal.ONE.movePointLeft(EXP_CLAMP);
        }
        return new BigDecimal(unscaled, fraction - (int) exp);
    }

    /** 0x hexdigits [. hexdigits] [p[sign]digits]; the whole text must match. */
    private static BigDecimal parseHex(final String s) {
        int i = 2;
        final int n = s.length();
        BigInteger mantissa = BigInteger.ZERO;
        int fractionBits = 0;
        boolean any = false;
        while (i < n && Character.digit(s.charAt(i), 16) >= 0) {
            mantissa = mantissa.shiftLeft(4).add(BigInteger.valueOf(Character.digit(s.charAt(i++), 16)));
            any = true;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && Character.digit(s.charAt(i), 16) >= 0) {
                mantissa = mantissa.shiftLeft(4).add(BigInteger.valueOf(Character.digit(s.charAt(i++), 16)));
                fractionBits += 4;
                any = true;
            }
        }
        if (!any) {
            return null;
        }
        long exp = 0;
        if (i < n && (s.charAt(i) == 'p' || s.charAt(i) == 'P')) {
            exp = exponent(s, i + 1);
        } else if (i != n) {
            return null;
        }
        if (exp == BAD_EXPONENT) {
            return null;
        }
        if (mantissa.signum() == 0) {
            return BigDecimal.ZERO;
        }
        final long e = Math.max(Math.min(exp - fractionBits, EXP_CLAMP * 4L), -EXP_CLAMP * 4L);
        return scaleByPowerOfTwo(new BigDecimal(mantissa), (int) e);
    }

    /**
     * The [sign]digits exponent from {@code from} to the end of the text, clamped far beyond any
     * long double range; {@link #BAD_EXPONENT} when the rest is not such an exponent.
     */
    private static long exponent(final String s, final int from) {
        int i = from;
        final int n = s.length();
        boolean negative = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        if (i == n) {
            return BAD_EXPONENT;
        }
        long exp = 0;
        for (; i < n; i++) {
            if (!isDigit(s.charAt(i))) {
                return BAD_EXPONENT;
            }
            exp = Math.min(exp * 10 + (s.charAt(i) - '0'), EXP_CLAMP * 10L);
        }
        return negative ? -exp : exp;
    }

    private static boolean isDigit(final char c) {
        return c >= '0' && c <= '9';
    }

    /** Exact x * 2^e. */
    private static BigDecimal scaleByPowerOfTwo(final BigDecimal x, final int e) {
        if (e >= 0) {
            return x.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(e)));
        }
        return x.multiply(new BigDecimal(BigInteger.valueOf(5).pow(-e))).movePointLeft(-e);
    }

    /**
     * Rounds a non-zero exact value to the nearest long double (ties to even), as the x87 unit
     * does; null when it overflows, zero when it underflows.
     */
    private static BigDecimal round(final BigDecimal x) {
        final BigDecimal abs = x.abs();
        // log2 estimate from the unscaled value's bit length and the decimal scale
        final double log2 = abs.unscaledValue().bitLength() - abs.scale() * (Math.log(10) / Math.log(2));
        if (log2 > MAX_BINARY_EXP + 2) {
            return null;
        }
        if (log2 < MIN_EXP - 2) {
            return BigDecimal.ZERO;
        }
        int e = (int) Math.floor(log2) - (SIGNIFICAND_BITS - 1);
        BigDecimal scaled = scaleByPowerOfTwo(abs, -e);
        final BigDecimal low = new BigDecimal(BigInteger.ONE.shiftLeft(SIGNIFICAND_BITS - 1));
        final BigDecimal high = new BigDecimal(TWO_64);
        while (scaled.compareTo(low) < 0) {
            scaled = scaled.multiply(BigDecimal.valueOf(2));
            e--;
        }
        while (scaled.compareTo(high) >= 0) {
            scaled = scaled.divide(BigDecimal.valueOf(2));
            e++;
        }
        if (e < MIN_EXP) {
            scaled = scaleByPowerOfTwo(abs, -MIN_EXP);
            e = MIN_EXP;
        }
        BigInteger m = scaled.setScale(0, RoundingMode.HALF_EVEN).unscaledValue();
        if (m.equals(TWO_64)) {
            m = m.shiftRight(1);
            e++;
        }
        if (m.signum() == 0) {
            return BigDecimal.ZERO;
        }
        if (e + m.bitLength() > MAX_BINARY_EXP) {
            return null;
        }
        final BigDecimal v = scaleByPowerOfTwo(new BigDecimal(m), e);
        return x.signum() < 0 ? v.negate() : v;
    }
}
