package dev.cinnabar.protocol.util;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** C-compatible double formatting and parsing, as Redis's replies and argument checks need. */
public final class Doubles {
    private Doubles() {
    }

    /** printf("%.17g", d) as glibc prints it; "inf" / "-inf" / "nan" for the non-finite values. */
    public static String formatG17(final double d) {
        return formatG(d, 17);
    }

    /** printf("%.{precision}g", d). */
    public static String formatG(final double d, final int precision) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0" : "0";
        }
        final BigDecimal rounded = new BigDecimal(d).round(new MathContext(precision, RoundingMode.HALF_EVEN));
        // exponent X of the rounded value in scientific notation
        final int x = rounded.precision() - rounded.scale() - 1;
        String s;
        if (x < -4 || x >= precision) {
            final BigDecimal mantissa = rounded.movePointLeft(x);
            s = stripZeros(mantissa.setScale(precision - 1, RoundingMode.HALF_EVEN).toPlainString());
            final int ax = Math.abs(x);
            s = s + "e" + (x < 0 ? "-" : "+") + (ax < 10 ? "0" : "") + ax;
        } else {
            s = stripZeros(rounded.setScale(Math.max(precision - 1 - x, 0), RoundingMode.HALF_EVEN).toPlainString());
        }
        return s;
    }

    private static String stripZeros(final String s) {
        if (s.indexOf('.') < 0) {
            return s;
        }
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        return s.substring(0, end);
    }

    /**
     * Redis's string2d/strtod check for a double argument: the whole text must parse, no leading
     * space, "inf"/"-inf"/"+inf" (any case) accepted, NaN refused. Returns NaN when invalid.
     */
    public static double parse(final byte[] b, final int off, final int len) {
        if (len == 0 || len > 5000) {
            return Double.NaN;
        }
        final String s = new String(b, off, len, java.nio.charset.StandardCharsets.ISO_8859_1);
        final char c0 = s.charAt(0);
        if (Character.isWhitespace(c0) || Character.isWhitespace(s.charAt(len - 1))) {
            return Double.NaN;
        }
        final String lower = s.toLowerCase(java.util.Locale.ROOT);
        switch (lower) {
            case "inf": case "+inf": case "infinity": case "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf": case "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                break;
        }
        // Java accepts forms strtod refuses (trailing 'd'/'f', hex without 0x prefix rules differ)
        final char last = lower.charAt(len - 1);
        if (last == 'd' || last == 'f' || lower.contains("nan") || lower.contains("inf")) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
