package dev.cinnabar.protocol.resp;

/**
 * Splits an inline command line the way Redis's sdssplitargs does: blanks separate arguments,
 * "double quotes" understand \n \r \t \b \a \xHH and \\-escapes, 'single quotes' understand \',
 * and a closing quote must be followed by a blank or the end of the line.
 *
 * <p>Unescaped text is never longer than its source, so arguments are rewritten in place.
 */
public final class InlineSplitter {
    private InlineSplitter() {
    }

    /** Splits a whole line (redis-cli input, config values) without touching it: null if quotes are unbalanced. */
    public static Args split(final byte[] line) {
        final byte[] b = line.clone();
        final Args args = new Args();
        args.reset(b);
        return split(b, 0, b.length, args) ? args : null;
    }

    static boolean split(final byte[] b, final int from, final int to, final Args args) {
        int p = from;
        while (true) {
            while (p < to && isSpace(b[p])) {
                p++;
            }
            if (p >= to) {
                return true;
            }
            final int argStart = p;
            int w = p;
            boolean inq = false;
            boolean insq = false;
            boolean done = false;
            while (!done) {
                if (inq) {
                    if (p >= to) {
                        return false;
                    }
                    if (b[p] == '\\' && p + 3 < to && b[p + 1] == 'x' && isHex(b[p + 2]) && isHex(b[p + 3])) {
                        b[w++] = (byte) ((hex(b[p + 2]) << 4) | hex(b[p + 3]));
                        p += 3;
                    } else if (b[p] == '\\' && p + 1 < to) {
                        p++;
                        final byte c;
                        switch (b[p]) {
                            case 'n': c = '\n'; break;
                            case 'r': c = '\r'; break;
                            case 't': c = '\t'; break;
                            case 'b': c = '\b'; break;
                            case 'a': c = 7; break;
                            default: c = b[p]; break;
                        }
                        b[w++] = c;
                    } else if (b[p] == '"') {
                        if (p + 1 < to && !isSpace(b[p + 1])) {
                            return false;
                        }
                        done = true;
                    } else {
                        b[w++] = b[p];
                    }
                } else if (insq) {
                    if (p >= to) {
                        return false;
                    }
                    if (b[p] == '\\' && p + 1 < to && b[p + 1] == '\'') {
                        p++;
                        b[w++] = '\'';
                    } else if (b[p] == '\'') {
                        if (p + 1 < to && !isSpace(b[p + 1])) {
                            return false;
                        }
                        done = true;
                    } else {
                        b[w++] = b[p];
                    }
                } else {
                    if (p >= to) {
                        break;
                    }
                    switch (b[p]) {
                        case ' ': case '\n': case '\r': case '\t': case 0:
                            done = true;
                            break;
                        case '"':
                            inq = true;
                            break;
                        case '\'':
                            insq = true;
                            break;
                        default:
                            b[w++] = b[p];
                            break;
                    }
                }
                if (p < to) {
                    p++;
                }
            }
            args.add(argStart, w - argStart);
        }
    }

    private static boolean isSpace(final byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == '\f';
    }

    private static boolean isHex(final byte c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static int hex(final byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        return (c | 0x20) - 'a' + 10;
    }
}
