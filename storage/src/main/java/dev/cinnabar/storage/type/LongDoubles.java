package dev.cinnabar.storage.type;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import dev.cinnabar.protocol.util.Bytes;

/**
 * Redis's long double arithmetic (x87 80-bit extended precision: a 64-bit significand, exponents
 * down to 2^-16445 with subnormals, overflow at 2^16384), emulated exactly with BigDecimal so
 * INCRBYFLOAT and HINCRBYFLOAT print the same digits as Redis on x86-64, e.g. 1502 + 0.1 is
 * "1502.09999999999999998", not Java's 1502.1 (the text stored is also what replicas receive).
 *
 * <p>Values are exact BigDecimals holding a representable long double; {@link #INFINITE} stands for
 * either infinity (callers only need to know a value is not finite). Redis: util.c string2ld()
 * (strtold plus its checks) and ld2string() in LD_STR_HUMAN mode ("%.17Lf", trailing zeros cut).
 */
public final class LongDoubles {
    /** Sentinel for +inf / -inf; compare by identity. */
    public static final BigDecimal INFINITE = new BigDecimal(BigInteger.TEN.pow(5000));
    /** Redis's MAX_LONG_DOUBLE_CHARS: string2ld and ld2string buffers. */
    public static final int MAX_CHARS = 5 * 1024;

    private static final int SIGNIFICAND_BITS = 64;
    private static final int MIN_EXP = -16445;
    private static final int MAX_EXP = 16384;
    private static final BigDecimal ZERO = BigDecimal.ZERO;

    private LongDoubles() {
    }

    /**
     * Redis's string2ld: strtold over the whole text, refusing a leading space, trailing garbage,
     * NaN, overflow to infinity and underflow to zero. Returns null when refused, {@link #INFINITE}
     * for "inf"/"infinity", otherwise the nearest long double. A NUL byte is trailing garbage too:
     * Redis 7.0 checks that strtold consumed all {@code len} bytes, not that it reached a NUL.
     */
    public static BigDecimal parse(final byte[] b, final int off, final int len) {
        if (len == 0 || len >= MAX_CHARS) {
            return null;
        }
        final String s = new String(b, off, len, StandardCharsets.ISO_8859_1);
        if (isSpace(s.charAt(0))) {
            return null;
        }
        int p = 0;
        boolean negative = false;
        if (s.charAt(0) == '+' || s.charAt(0) == '-') {
            negative = s.charAt(0) == '-';
            p = 1;
        }
        final String body = s.substring(p).toLowerCase(Locale.ROOT);
        if (body.equals("inf") || body.equals("infinity")) {
            return INFINITE;
        }
        final BigDecimal exact = body.startsWith("0x") && body.length() > 2 ? parseHex(body.substring(2))
            : parseDecimal(body);
        if (exact == null) {
            return null;
        }
        if (exact.signum() == 0) {
            return ZERO;
        }
        final BigDecimal r = round(negative ? exact.negate() : exact);
        // ERANGE with a zero or infinite result is refused; subnormal results are kept
        return r == INFINITE || r.signum() == 0 ? null : r;
    }

    private static boolean isSpace(final char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == '\f';
    }

    private static BigDecimal parseDecimal(final String s) {
        int i = 0;
        final StringBuilder digits = new StringBuilder();
        int fraction = 0;
        boolean seenDot = false;
        for (; i < s.length(); i++) {
            final char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
                if (seenDot) {
                    fraction++;
                }
            } else if (c == '.' && !seenDot) {
                seenDot = true;
            } else {
                break;
            }
        }
        if (digits.length() == 0) {
            return null;
        }
        long exp = 0;
        if (i < s.length()) {
            if (s.charAt(i) != 'e') {
                return null;
            }
            final Long e = exponent(s, i + 1);
            if (e == null) {
                return null;
            }
            exp = e;
        }
        return scaled(new BigInteger(digits.toString()), BigInteger.TEN, exp - fraction);
    }

    private static BigDecimal parseHex(final String s) {
        int i = 0;
        BigInteger m = BigInteger.ZERO;
        int digits = 0;
        int fraction = 0;
        boolean seenDot = false;
        for (; i < s.length(); i++) {
            final int d = Character.digit(s.charAt(i), 16);
            if (d >= 0) {
                m = m.shiftLeft(4).add(BigInteger.valueOf(d));
                digits++;
                if (seenDot) {
                    fraction++;
                }
            } else if (s.charAt(i) == '.' && !seenDot) {
                seenDot = true;
            } else {
                break;
            }
        }
        if (digits == 0) {
            return null;
        }
        long exp = 0;
        if (i < s.length()) {
            if (s.charAt(i) != 'p') {
                return null;
            }
            final Long e = exponent(s, i + 1);
            if (e == null) {
                return null;
            }
            exp = e;
        }
        return scaled(m, BigInteger.TWO, exp - 4L * fraction);
    }

    /** Digits of an exponent from index i to the end, clamped far past any representable range. */
    private static Long exponent(final String s, final int from) {
        int i = from;
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        if (i == s.length()) {
            return null;
        }
        long e = 0;
        for (; i < s.length(); i++) {
            final char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            e = Math.min(e * 10 + (c - '0'), 1_000_000);
        }
        return negative ? -e : e;
    }

    /** m * base^exp as an exact BigDecimal, or a value certain to overflow / underflow when far out. */
    private static BigDecimal scaled(final BigInteger m, final BigInteger base, final long exp) {
        if (m.signum() == 0) {
            return ZERO;
        }
        if (exp > 100_000) {
            return new BigDecimal(m, -100_000);
        }
        if (exp < -100_000) {
            return new BigDecimal(m, 100_000);
        }
        final int e = (int) exp;
        if (base.equals(BigInteger.TEN)) {
            return new BigDecimal(m, -e);
        }
        return e >= 0 ? new BigDecimal(m.shiftLeft(e)) : new BigDecimal(m.multiply(BigInteger.valueOf(5).pow(-e)), -e);
    }

    /** The long double nearest to an exact value (ties to even), or {@link #INFINITE} on overflow. */
    public static BigDecimal round(final BigDecimal v) {
        if (v.signum() == 0) {
            return ZERO;
        }
        if (v.scale() < -MAX_CHARS * 2) {
            return INFINITE;
        }
        BigInteger num = v.unscaledValue().abs();
        BigInteger den = BigInteger.ONE;
        if (v.scale() > 0) {
            if (v.scale() > 30_000) {
                return ZERO;
            }
            den = BigInteger.TEN.pow(v.scale());
        } else {
            num = num.multiply(BigInteger.TEN.pow(-v.scale()));
        }
        // floor(log2 v) is bitLength(num) - bitLength(den) or one less
        int log2 = num.bitLength() - den.bitLength();
        final boolean atLeast = log2 >= 0 ? num.compareTo(den.shiftLeft(log2)) >= 0
            : num.shiftLeft(-log2).compareTo(den) >= 0;
        if (!atLeast) {
            log2--;
        }
        int e = Math.max(log2 - (SIGNIFICAND_BITS - 1), MIN_EXP);
        BigInteger n = num;
        BigInteger d = den;
        if (e < 0) {
            n = n.shiftLeft(-e);
        } else {
            d = d.shiftLeft(e);
        }
        final BigInteger[] qr = n.divideAndRemainder(d);
        BigInteger m = qr[0];
        final int half = qr[1].shiftLeft(1).compareTo(d);
        if (half > 0 || (half == 0 && m.testBit(0))) {
            m = m.add(BigInteger.ONE);
        }
        if (m.bitLength() > SIGNIFICAND_BITS) {
            m = m.shiftRight(1);
            e++;
        }
        if (m.signum() == 0) {
            return ZERO;
        }
        if (e + SIGNIFICAND_BITS > MAX_EXP) {
            return INFINITE;
        }
        final BigDecimal abs = e >= 0 ? new BigDecimal(m.shiftLeft(e))
            : new BigDecimal(m.multiply(BigInteger.valueOf(5).pow(-e)), -e);
        return v.signum() < 0 ? abs.negate() : abs;
    }

    /** a + b rounded to a long double; {@link #INFINITE} when either is infinite or the sum overflows. */
    public static BigDecimal add(final BigDecimal a, final BigDecimal b) {
        if (a == INFINITE || b == INFINITE) {
            return INFINITE;
        }
        return round(a.add(b));
    }

    /**
     * Redis's ld2string in human mode: "%.17Lf" with trailing zeros (and a bare '.') removed and
     * "-0" printed as "0". Returns an empty array when the text would not fit Redis's buffer, which
     * is what Redis then stores.
     */
    public static byte[] format(final BigDecimal v) {
        final String s = human(v);
        return s.length() + 1 > MAX_CHARS ? Bytes.EMPTY : Bytes.ascii(s);
    }

    /** The text of {@link #format} without the buffer limit (also GEOPOS's addReplyHumanLongDouble). */
    public static String human(final BigDecimal v) {
        final String s = v.setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        final String t = s.substring(0, end);
        return t.equals("-0") ? "0" : t;
    }
}
