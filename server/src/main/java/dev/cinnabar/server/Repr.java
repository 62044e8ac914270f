package dev.cinnabar.server;

/** Redis's sdscatrepr: a double-quoted string, printable ASCII as is, C escapes, other bytes as \xHH. */
public final class Repr {
    private Repr() {
    }

    public static StringBuilder append(final StringBuilder sb, final byte[] b, final int off, final int len) {
        sb.append('"');
        for (int i = off; i < off + len; i++) {
            final int ch = b[i] & 0xff;
            switch (ch) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 7 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                default -> {
                    if (ch >= 0x20 && ch < 0x7f) {
                        sb.append((char) ch);
                    } else {
                        sb.append(String.format("\\x%02x", ch));
                    }
                }
            }
        }
        return sb.append('"');
    }

    public static String quote(final String s) {
        final byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return append(new StringBuilder(b.length + 2), b, 0, b.length).toString();
    }
}
