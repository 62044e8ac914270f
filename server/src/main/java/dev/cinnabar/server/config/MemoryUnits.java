package dev.cinnabar.server.config;

import java.util.Locale;

/** Redis's memtoull: "1gb" = 1024^3, "1g" = 1000^3, "1k" = 1000, "1kb" = 1024, plain bytes. */
public final class MemoryUnits {
    private MemoryUnits() {
    }

    /** Parsed bytes, or Long.MIN_VALUE when invalid. */
    public static long parse(final String text) {
        final String s = text.trim().toLowerCase(Locale.ROOT);
        int i = 0;
        if (s.startsWith("-")) {
            i = 1;
        }
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i == 0 || (i == 1 && s.startsWith("-"))) {
            return Long.MIN_VALUE;
        }
        final long mul;
        switch (s.substring(i)) {
            case "": case "b": mul = 1; break;
            case "k": mul = 1000; break;
            case "kb": mul = 1024; break;
            case "m": mul = 1000L * 1000; break;
            case "mb": mul = 1024L * 1024; break;
            case "g": mul = 1000L * 1000 * 1000; break;
            case "gb": mul = 1024L * 1024 * 1024; break;
            default: return Long.MIN_VALUE;
        }
        try {
            return Math.multiplyExact(Long.parseLong(s.substring(0, i)), mul);
        } catch (ArithmeticException | NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }
}
