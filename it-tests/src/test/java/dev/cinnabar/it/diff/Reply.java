package dev.cinnabar.it.diff;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import dev.cinnabar.it.support.RespClient;

/**
 * One RESP2/RESP3 reply parsed into a tree, for the comparisons that cannot be byte for byte:
 * replies whose element order is unspecified (a hashtable's iteration order differs between two
 * processes) and replies whose elements are random (only their shape can be compared).
 *
 * @param type  the type byte ('*', '$', '%', ...)
 * @param raw   the exact bytes of this reply, children included
 * @param items the children of an aggregate (a map's keys and values alternate), empty otherwise
 */
public record Reply(char type, byte[] raw, List<Reply> items) {
    private static final Comparator<byte[]> BYTES = Arrays::compare;

    public static Reply parse(final byte[] b) {
        final int[] pos = {0};
        final Reply r = parse(b, pos);
        if (pos[0] != b.length) {
            throw new AssertionError("trailing bytes after a reply: " + RespClient.printable(b));
        }
        return r;
    }

    private static Reply parse(final byte[] b, final int[] pos) {
        final int start = pos[0];
        final char type = (char) b[start];
        final int eol = lineEnd(b, start);
        final String line = new String(b, start + 1, eol - start - 1, StandardCharsets.ISO_8859_1);
        pos[0] = eol + 2;
        final List<Reply> items = new ArrayList<>();
        switch (type) {
            case '$', '!', '=' -> {
                final int len = Integer.parseInt(line);
                if (len >= 0) {
                    pos[0] += len + 2;
                }
            }
            case '*', '~', '>' -> children(b, pos, Long.parseLong(line), items);
            case '%', '|' -> children(b, pos, 2 * Long.parseLong(line), items);
            default -> {
            }
        }
        final Reply r = new Reply(type, Arrays.copyOfRange(b, start, pos[0]), items);
        // an attribute precedes the reply it annotates: keep only the reply
        return type == '|' ? parse(b, pos) : r;
    }

    private static void children(final byte[] b, final int[] pos, final long n, final List<Reply> items) {
        for (long i = 0; i < n; i++) {
            items.add(parse(b, pos));
        }
    }

    private static int lineEnd(final byte[] b, final int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        throw new AssertionError("unterminated reply line: " + RespClient.printable(b));
    }

    public boolean isAggregate() {
        return type == '*' || type == '~' || type == '%' || type == '>';
    }

    public boolean isError() {
        return type == '-' || type == '!';
    }

    /** The text of a simple, integer or bulk reply (null for a null bulk). */
    public String text() {
        final String s = new String(raw, StandardCharsets.ISO_8859_1);
        final int eol = s.indexOf("\r\n");
        if (type == '$') {
            final int len = Integer.parseInt(s.substring(1, eol));
            return len < 0 ? null : s.substring(eol + 2, eol + 2 + len);
        }
        return s.substring(1, eol);
    }

    /**
     * The elements as a sorted list, for replies whose order is unspecified. With {@code pairs},
     * a flat aggregate is cut into consecutive pairs (field and value stay together) before
     * sorting; a map always is. Aggregate elements (RESP3 [member, score] pairs) are units.
     */
    public List<String> unordered(final boolean pairs) {
        final List<byte[]> units = new ArrayList<>();
        final boolean flatPairs = type == '%' || (pairs && items.stream().noneMatch(Reply::isAggregate));
        for (int i = 0; i < items.size(); i += flatPairs ? 2 : 1) {
            if (flatPairs && i + 1 < items.size()) {
                final byte[] a = items.get(i).raw;
                final byte[] v = items.get(i + 1).raw;
                final byte[] both = Arrays.copyOf(a, a.length + v.length);
                System.arraycopy(v, 0, both, a.length, v.length);
                units.add(both);
            } else {
                units.add(items.get(i).raw);
            }
        }
        units.sort(BYTES);
        final List<String> out = new ArrayList<>(units.size() + 1);
        out.add(type + Integer.toString(items.size()));
        for (final byte[] u : units) {
            out.add(RespClient.printable(u));
        }
        return out;
    }

    /** Types and sizes only: the structure a reply of random elements must still have. */
    public String shape() {
        if (isError()) {
            return RespClient.printable(raw);
        }
        if (!isAggregate()) {
            if (type == '$' || type == '_') {
                return type == '_' || (raw.length == 5 && raw[1] == '-') ? "null" : "$";
            }
            return Character.toString(type);
        }
        final StringBuilder sb = new StringBuilder().append(type).append(items.size()).append('[');
        for (final Reply r : items) {
            sb.append(r.shape()).append(' ');
        }
        return sb.append(']').toString();
    }
}
