package dev.cinnabar.server.info;

import java.util.Locale;

/** Accumulates "field:value\r\n" lines of INFO sections. */
public final class InfoWriter {
    private final StringBuilder sb = new StringBuilder(4096);

    public InfoWriter field(final String name, final String value) {
        sb.append(name).append(':').append(value).append("\r\n");
        return this;
    }

    public InfoWriter field(final String name, final long value) {
        sb.append(name).append(':').append(value).append("\r\n");
        return this;
    }

    /** A value printed with "%.2f" as Redis prints ratios and rates. */
    public InfoWriter field2(final String name, final double value) {
        return field(name, String.format(Locale.ROOT, "%.2f", value));
    }

    /** A line already in "name:value" form (cmdstat_..., db0:keys=...). */
    public InfoWriter line(final String line) {
        sb.append(line).append("\r\n");
        return this;
    }

    InfoWriter header(final String title, final boolean first) {
        if (!first) {
            sb.append("\r\n");
        }
        sb.append("# ").append(title).append("\r\n");
        return this;
    }

    @Override
    public String toString() {
        return sb.toString();
    }

    /** Redis's bytesToHuman: B below 1K, then K, M, G, T, P with two decimals. */
    public static String human(final long n) {
        final double d = n;
        final String[] units = {"K", "M", "G", "T", "P"};
        if (n < 1024) {
            return n + "B";
        }
        double div = 1024;
        for (int i = 0; i < units.length; i++) {
            if (d < div * 1024 || i == units.length - 1) {
                return String.format(Locale.ROOT, "%.2f%s", d / div, units[i]);
            }
            div *= 1024;
        }
        return n + "B";
    }
}
