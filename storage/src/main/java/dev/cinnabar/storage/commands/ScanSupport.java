package dev.cinnabar.storage.commands;

import java.util.List;

import dev.cinnabar.protocol.Errors;
import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.protocol.resp.RespWriter;
import dev.cinnabar.protocol.util.Bytes;
import dev.cinnabar.protocol.util.Glob;

/**
 * The parts every SCAN-family command shares (SCAN, HSCAN, SSCAN, ZSCAN): the cursor, the MATCH /
 * COUNT / TYPE options and the two-element reply.
 *
 * <p>Why the cursor is parsed apart from the options: Redis parses the cursor first, then looks the
 * key up (a missing key answers an empty scan without looking at the options), and only then the
 * options. Callers follow that order:
 * <pre>
 *   if (!ScanSupport.checkCursor(c, a, 2)) return;
 *   final long cursor = ScanSupport.cursor(a, 2);
 *   ... lookup; missing -> ScanSupport.replyEmpty(c.reply()) ...
 *   final ScanSupport.Options o = ScanSupport.options(c, a, 3, false);
 *   if (o == null) return;
 * </pre>
 * Redis: db.c parseScanCursorOrReply(), scanGenericCommand().
 */
public final class ScanSupport {
    /** Redis's default COUNT. */
    public static final long DEFAULT_COUNT = 10;
    private static final Options DEFAULTS = new Options(null, DEFAULT_COUNT, null);

    private ScanSupport() {
    }

    /**
     * The options after the cursor.
     *
     * @param pattern the MATCH pattern, or null when absent or "*" (matches everything)
     * @param count the COUNT hint, at least 1
     * @param type the TYPE filter as given (compared case-insensitively), or null
     */
    public record Options(byte[] pattern, long count, String type) {
        public boolean matches(final byte[] element) {
            return pattern == null || Glob.match(pattern, element, false);
        }

        public boolean matches(final byte[] b, final int off, final int len) {
            return pattern == null || Glob.match(pattern, 0, pattern.length, b, off, len, false);
        }

        /** Whether a value of this type name ("string", "hash", ...; "none" when missing) passes TYPE. */
        public boolean typeMatches(final String typeName) {
            return type == null || type.equalsIgnoreCase(typeName);
        }
    }

    /**
     * Whether argument i is a valid cursor (C's strtoul in base 10: optional sign, digits, no
     * leading space, no trailing garbage, no overflow; the empty string reads as 0). On failure
     * replies "ERR invalid cursor".
     */
    public static boolean checkCursor(final StorageCall c, final Args a, final int i) {
        if (!isCursor(a.array(), a.offset(i), a.length(i))) {
            c.reply().error(Errors.INVALID_CURSOR);
            return false;
        }
        return true;
    }

    /** The cursor of argument i, already checked by {@link #checkCursor}; unsigned 64-bit. */
    public static long cursor(final Args a, final int i) {
        final byte[] b = a.array();
        final int off = a.offset(i);
        final int end = Bytes.cStringEnd(b, off, a.length(i));
        int p = off;
        boolean negative = false;
        if (p < end && (b[p] == '+' || b[p] == '-')) {
            negative = b[p] == '-';
            p++;
        }
        long v = 0;
        for (; p < end; p++) {
            v = v * 10 + (b[p] - '0');
        }
        // strtoul negates a '-' value modulo 2^64
        return negative ? -v : v;
    }


    private static boolean isSpace(final byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == '\f';
    }

    private static boolean isCursor(final byte[] b, final int off, final int len) {
        final int end = Bytes.cStringEnd(b, off, len);
        if (end == off) {
            return true;
        }
        if (isSpace(b[off])) {
            return false;
        }
        int p = off;
        if (b[p] == '+' || b[p] == '-') {
            p++;
        }
        if (p == end) {
            return false;
        }
        final long maxBeforeShift = Long.divideUnsigned(-1L, 10);
        long v = 0;
        for (; p < end; p++) {
            final int d = b[p] - '0';
            if (d < 0 || d > 9 || Long.compareUnsigned(v, maxBeforeShift) > 0) {
                return false;
            }
            final long t = v * 10 + d;
            if (Long.compareUnsigned(t, v * 10) < 0) {
                return false;
            }
            v = t;
        }
        return true;
    }

    /**
     * Parses MATCH, COUNT and (when {@code allowType}, i.e. for SCAN) TYPE from argument {@code from}
     * on. Returns null after replying the error Redis gives: a non-integer COUNT is "ERR value is
     * not an integer or out of range", COUNT below 1, an unknown word or a missing value "ERR syntax
     * error". A later option overrides an earlier one.
     */
    public static Options options(final StorageCall c, final Args a, final int from, final boolean allowType) {
        if (from >= a.count()) {
            return DEFAULTS;
        }
        byte[] pattern = null;
        long count = DEFAULT_COUNT;
        String type = null;
        int i = from;
        while (i < a.count()) {
            final boolean hasValue = a.count() - i >= 2;
            if (hasValue && a.is(i, "COUNT")) {
                if (!a.isLong(i + 1)) {
                    c.reply().error(Errors.NOT_INTEGER);
                    return null;
                }
                count = a.longValue(i + 1);
                if (count < 1) {
                    c.reply().error(Errors.SYNTAX);
                    return null;
                }
            } else if (hasValue && a.is(i, "MATCH")) {
                pattern = a.length(i + 1) == 1 && a.array()[a.offset(i + 1)] == '*' ? null : a.copy(i + 1);
            } else if (hasValue && allowType && a.is(i, "TYPE")) {
                type = a.string(i + 1);
            } else {
                c.reply().error(Errors.SYNTAX);
                return null;
            }
            i += 2;
        }
        return new Options(pattern, count, type);
    }

    /** The reply: [cursor as a bulk string, array of elements]; the same in RESP2 and RESP3. */
    public static void reply(final RespWriter w, final long nextCursor, final List<byte[]> elements) {
        w.array(2);
        cursorBulk(w, nextCursor);
        w.array(elements.size());
        for (final byte[] e : elements) {
            w.bulk(e);
        }
    }

    /** The reply for a missing key: cursor 0 and no elements (Redis's shared.emptyscan). */
    public static void replyEmpty(final RespWriter w) {
        w.array(2);
        w.bulkLong(0);
        w.array(0);
    }

    private static void cursorBulk(final RespWriter w, final long cursor) {
        if (cursor >= 0) {
            w.bulkLong(cursor);
        } else {
            w.bulk(Long.toUnsignedString(cursor));
        }
    }
}
