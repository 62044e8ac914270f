package dev.cinnabar.storage.commands;

import static dev.cinnabar.protocol.command.AclCategory.DANGEROUS;
import static dev.cinnabar.protocol.command.AclCategory.LIST;
import static dev.cinnabar.protocol.command.AclCategory.SET;
import static dev.cinnabar.protocol.command.AclCategory.SORTEDSET;
import static dev.cinnabar.protocol.command.CommandFlag.DENYOOM;
import static dev.cinnabar.protocol.command.CommandFlag.READONLY;
import static dev.cinnabar.protocol.command.CommandFlag.WRITE;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import dev.cinnabar.protocol.Errors;
import dev.cinnabar.protocol.command.CommandFamily;
import dev.cinnabar.protocol.command.CommandTable;
import dev.cinnabar.protocol.command.KeySpec;
import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.protocol.resp.RespWriter;
import dev.cinnabar.protocol.util.Bytes;
import dev.cinnabar.storage.keyspace.Database;
import dev.cinnabar.storage.keyspace.Entry;
import dev.cinnabar.storage.keyspace.Notify;
import dev.cinnabar.storage.type.Strings;
import dev.cinnabar.storage.type.ValueType;
import dev.cinnabar.storage.type.hash.HashValue;
import dev.cinnabar.storage.type.list.QuickList;
import dev.cinnabar.storage.type.set.SetValue;
import dev.cinnabar.storage.type.zset.ZSet;

/**
 * SORT and SORT_RO with Redis 7.0's semantics: sort a list, set or sorted set numerically or
 * (ALPHA) by bytes, by the elements themselves or by external keys named by a BY pattern ({@code *}
 * replaced by the element, {@code ->field} reading a hash field), then LIMIT, then GET patterns
 * ({@code #} is the element), replied or stored as a list.
 *
 * <p>Rules kept from Redis, each observable:
 * <ol>
 *   <li>Options are parsed before the key is looked up, so a syntax error wins over WRONGTYPE.</li>
 *   <li>A BY pattern without {@code *} (conventionally {@code nosort}) skips sorting: lists and
 *       sorted sets keep their order (reversed by DESC), with LIMIT applied as a range.</li>
 *   <li>A set under {@code BY nosort} with STORE is sorted ALPHA instead: set order is not the same
 *       on a replica, and the stored result must be (Redis's rule for replication and scripts).</li>
 *   <li>Numbers are parsed like C's strtod (leading blanks, hex, inf; no trailing bytes, no
 *       overflow or underflow); one bad score fails the whole command. Equal scores are ordered by
 *       the elements' bytes, so the result is deterministic.</li>
 *   <li>A sorted set is converted to the skiplist encoding first, as Redis 7.0 does.</li>
 *   <li>STORE writes a list (dropping any TTL), or deletes the destination for an empty result.</li>
 * </ol>
 * Redis: sort.c sortCommandGeneric(), lookupKeyByPattern(), sortCompare().
 */
public final class SortCommands implements CommandFamily {
    private static final String SCORE_ERROR = "ERR One or more scores can't be converted into double";
    private static final String BY_GET_NOTES = "For the optional BY/GET keyword. It is marked 'unknown' because the key "
        + "names derive from the content of the key we sort";
    private static final String COMPLEXITY = "O(N+M*log(M)) where N is the number of elements in the list or set to "
        + "sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).";

    /** The parsed options of one call. */
    private static final class Options {
        boolean desc;
        boolean alpha;
        boolean dontSort;
        long limitStart;
        long limitCount = -1;
        byte[] by;
        final List<byte[]> gets = new ArrayList<>();
        int storeArg = -1;
    }

    /** One element of the sorting vector: the element, its numeric score or its ALPHA key. */
    private static final class Item {
        final byte[] obj;
        double score;
        byte[] cmp;

        Item(final byte[] obj) {
            this.obj = obj;
        }
    }

    @Override
    public void register(final CommandTable.Builder t) {
        t.command("SORT").arity(-2).flags(WRITE, DENYOOM).acl(SET, SORTEDSET, LIST, DANGEROUS)
            .keys(KeySpec.index(1, KeySpec.RO | KeySpec.ACCESS),
                KeySpec.unknown(KeySpec.RO | KeySpec.ACCESS).withNotes(BY_GET_NOTES),
                KeySpec.unknown(KeySpec.OW | KeySpec.UPDATE).withNotes("For the optional STORE keyword. It is marked "
                    + "'unknown' because the keyword can appear anywhere in the argument array"))
            .summary("Sort the elements in a list, set or sorted set").complexity(COMPLEXITY)
            .handler((StorageCall c, Args a) -> sort(c, a, false));
        t.command("SORT_RO").arity(-2).flags(READONLY).acl(SET, SORTEDSET, LIST, DANGEROUS).since("7.0.0")
            .keys(KeySpec.index(1, KeySpec.RO | KeySpec.ACCESS),
                KeySpec.unknown(KeySpec.RO | KeySpec.ACCESS).withNotes(BY_GET_NOTES))
            .summary("Sort the elements in a list, set or sorted set. Read-only variant of SORT.")
            .complexity(COMPLEXITY)
            .handler((StorageCall c, Args a) -> sort(c, a, true));
    }

    /** Parses argv[2..]; null after replying the error. */
    private static Options parse(final StorageCall c, final Args a, final boolean readonly) {
        final Options o = new Options();
        for (int j = 2; j < a.count(); j++) {
            final int left = a.count() - j - 1;
            if (a.is(j, "ASC")) {
                o.desc = false;
            } else if (a.is(j, "DESC")) {
                o.desc = true;
            } else if (a.is(j, "ALPHA")) {
                o.alpha = true;
            } else if (a.is(j, "LIMIT") && left >= 2) {
                if (!a.isLong(j + 1) || !a.isLong(j + 2)) {
                    c.reply().error(Errors.NOT_INTEGER);
                    return null;
                }
                o.limitStart = a.longValue(j + 1);
                o.limitCount = a.longValue(j + 2);
                j += 2;
            } else if (!readonly && a.is(j, "STORE") && left >= 1) {
                o.storeArg = ++j;
            } else if (a.is(j, "BY") && left >= 1) {
                o.by = a.copy(++j);
                // Redis only ever sets this: a later BY with a '*' does not sort again
                if (star(o.by) < 0) {
                    o.dontSort = true;
                } else if (!c.unrestrictedKeyRead(a)) {
                    c.reply().error("ERR BY option of SORT denied due to insufficient ACL permissions.");
                    return null;
                }
            } else if (a.is(j, "GET") && left >= 1) {
                if (!c.unrestrictedKeyRead(a)) {
                    c.reply().error("ERR GET option of SORT denied due to insufficient ACL permissions.");
                    return null;
                }
                o.gets.add(a.copy(++j));
            } else {
                c.reply().error(Errors.SYNTAX);
                return null;
            }
        }
        return o;
    }

    private static void sort(final StorageCall c, final Args a, final boolean readonly) {
        final Options o = parse(c, a, readonly);
        if (o == null) {
            return;
        }
        final Database db = c.db();
        final Entry e = db.lookupReadEntry(a.array(), a.offset(1), a.length(1));
        final Object v = e == null ? null : e.value;
        final ValueType type = v == null ? ValueType.LIST : ValueType.of(v);
        if (type != ValueType.LIST && type != ValueType.SET && type != ValueType.ZSET) {
            c.reply().error(Errors.WRONGTYPE);
            return;
        }
        if (o.dontSort && type == ValueType.SET && o.storeArg >= 0) {
            o.dontSort = false;
            o.alpha = true;
            o.by = null;
        }
        if (v instanceof ZSet z && z.isListpack()) {
            db.willChange(e);
            z.convertToSkiplist();
        }
        final int size = v == null ? 0 : size(v);
        long start = Math.max(o.limitStart, 0);
        long end = o.limitCount < 0 ? size - 1 : saturatedAdd(start, o.limitCount - 1);
        if (start >= size) {
            start = size - 1;
            end = size - 2;
        }
        if (end >= size) {
            end = size - 1;
        }
        final List<Item> vector;
        if (o.dontSort && (type == ValueType.LIST || type == ValueType.ZSET)) {
            // an ordered type that is not sorted: load just the LIMIT range, then index from 0
            vector = orderedRange(v, start, end, o.desc);
            end -= start;
            start = 0;
        } else {
            vector = all(v);
        }
        if (!o.dontSort) {
            if (!score(db, o, vector)) {
                c.reply().error(SCORE_ERROR);
                return;
            }
            vector.sort(comparator(o));
        }
        final long perElement = o.gets.isEmpty() ? 1 : o.gets.size();
        final long outputLen = perElement * (end - start + 1);
        if (o.storeArg < 0) {
            reply(c.reply(), db, o, vector, (int) start, (int) end, outputLen);
        } else {
            store(c, db, o, a, vector, (int) start, (int) end, outputLen);
        }
    }

    private static long saturatedAdd(final long x, final long y) {
        final long r = x + y;
        return ((x ^ r) & (y ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    private static int size(final Object v) {
        if (v instanceof QuickList l) {
            return l.size();
        }
        if (v instanceof SetValue s) {
            return s.size();
        }
        return ((ZSet) v).size();
    }

    /** Every element, in the value's own order (a sorted set by rank). */
    private static List<Item> all(final Object v) {
        final List<Item> out = new ArrayList<>();
        if (v instanceof QuickList l) {
            for (int i = 0; i < l.size(); i++) {
                out.add(new Item(l.get(i)));
            }
        } else if (v instanceof SetValue s) {
            s.forEach((b, off, len) -> out.add(new Item(Arrays.copyOfRange(b, off, off + len))));
        } else if (v instanceof ZSet z) {
            z.forEach((m, score) -> out.add(new Item(m)));
        }
        return out;
    }

    /** Positions [start, end] of a list or sorted set, counted from the tail when {@code desc}. */
    private static List<Item> orderedRange(final Object v, final long start, final long end, final boolean desc) {
        final List<Item> out = new ArrayList<>();
        if (v == null || end < start) {
            return out;
        }
        final int n = size(v);
        final int count = (int) (end - start + 1);
        final int from = (int) (desc ? n - 1 - start : start);
        if (v instanceof QuickList l) {
            for (int k = 0, i = from; k < count; k++, i += desc ? -1 : 1) {
                out.add(new Item(l.get(i)));
            }
        } else {
            ((ZSet) v).range(from, count, desc, (m, score) -> out.add(new Item(m)));
        }
        return out;
    }

    /** Fills each item's sort key from BY or the element; false when a score is not a number. */
    private static boolean score(final Database db, final Options o, final List<Item> vector) {
        boolean ok = true;
        for (final Item it : vector) {
            final byte[] by = o.by == null ? it.obj : lookupByPattern(db, o.by, it.obj);
            if (by == null) {
                continue;
            }
            if (o.alpha) {
                if (o.by != null) {
                    it.cmp = by;
                }
            } else {
                it.score = strtod(by);
                if (Double.isNaN(it.score)) {
                    ok = false;
                }
            }
        }
        return ok;
    }

    private static Comparator<Item> comparator(final Options o) {
        final Comparator<Item> cmp;
        if (!o.alpha) {
            cmp = (x, y) -> x.score > y.score ? 1 : x.score < y.score ? -1 : Arrays.compareUnsigned(x.obj, y.obj);
        } else if (o.by != null) {
            // a missing BY key sorts first; equal keys keep their input order (the sort is stable)
            cmp = (x, y) -> {
                if (x.cmp == null || y.cmp == null) {
                    return x.cmp == y.cmp ? 0 : x.cmp == null ? -1 : 1;
                }
                return Arrays.compareUnsigned(x.cmp, y.cmp);
            };
        } else {
            cmp = (x, y) -> Arrays.compareUnsigned(x.obj, y.obj);
        }
        return o.desc ? cmp.reversed() : cmp;
    }

    private static void reply(final RespWriter w, final Database db, final Options o, final List<Item> vector,
                              final int start, final int end, final long outputLen) {
        w.array(outputLen);
        for (int j = start; j <= end; j++) {
            final byte[] obj = vector.get(j).obj;
            if (o.gets.isEmpty()) {
                w.bulk(obj);
            }
            for (final byte[] pattern : o.gets) {
                final byte[] val = lookupByPattern(db, pattern, obj);
                if (val == null) {
                    w.nullBulk();
                } else {
                    w.bulk(val);
                }
            }
        }
    }

    private static void store(final StorageCall c, final Database db, final Options o, final Args a,
                              final List<Item> vector, final int start, final int end, final long outputLen) {
        final QuickList list = new QuickList();
        for (int j = start; j <= end; j++) {
            final byte[] obj = vector.get(j).obj;
            if (o.gets.isEmpty()) {
                list.pushTail(obj);
            }
            for (final byte[] pattern : o.gets) {
                final byte[] val = lookupByPattern(db, pattern, obj);
                list.pushTail(val == null ? Bytes.EMPTY : val);
            }
        }
        final byte[] dst = a.copy(o.storeArg);
        if (outputLen > 0) {
            db.set(dst, list, false);
            db.notify(Notify.LIST, "sortstore", dst);
            c.keyspace().dirty += outputLen;
        } else if (db.delete(dst)) {
            db.signalModified(dst);
            db.notify(Notify.GENERIC, "del", dst);
            c.keyspace().dirty++;
        }
        c.reply().integer(outputLen);
    }

    /** Length of a pattern as C sees it (up to its first NUL byte). */
    private static int cLength(final byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return b.length;
    }

    private static int star(final byte[] pattern) {
        final int n = cLength(pattern);
        for (int i = 0; i < n; i++) {
            if (pattern[i] == '*') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Redis's lookupKeyByPattern: "#" is the element itself; otherwise the first '*' is replaced by
     * the element to name a key, whose string value is returned, or, with a non-empty "->field"
     * after the '*', that field of the hash. Null for a pattern without '*', a missing key or
     * field, or a value of another type. The key is looked up as a read (statistics, LRU).
     */
    static byte[] lookupByPattern(final Database db, final byte[] pattern, final byte[] subst) {
        if (pattern.length > 0 && pattern[0] == '#' && (pattern.length == 1 || pattern[1] == 0)) {
            return subst;
        }
        final int star = star(pattern);
        if (star < 0) {
            return null;
        }
        final int cLen = cLength(pattern);
        int arrow = -1;
        for (int i = star + 1; i + 2 < cLen; i++) {
            if (pattern[i] == '-' && pattern[i + 1] == '>') {
                arrow = i;
                break;
            }
        }
        final int fieldLen = arrow < 0 ? 0 : pattern.length - arrow - 2;
        final int postfixLen = pattern.length - (star + 1) - (arrow < 0 ? 0 : fieldLen + 2);
        final byte[] key = new byte[star + subst.length + postfixLen];
        System.arraycopy(pattern, 0, key, 0, star);
        System.arraycopy(subst, 0, key, star, subst.length);
        System.arraycopy(pattern, star + 1, key, star + subst.length, postfixLen);
        final Object v = db.lookupRead(key, 0, key.length);
        if (v == null) {
            return null;
        }
        if (arrow >= 0) {
            return v instanceof HashValue h ? h.value(pattern, arrow + 2, fieldLen) : null;
        }
        return Strings.isString(v) ? Strings.bytes(v) : null;
    }

    private static boolean isCSpace(final byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    private static boolean hex(final byte b) {
        return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
    }

    private static boolean digit(final byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean wordAt(final byte[] b, final int p, final int end, final String word) {
        if (end - p < word.length()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (Bytes.lower(b[p + i]) != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The score SORT reads from a value, as Redis's strtod check: the whole C string must be
     * consumed (leading blanks allowed, trailing not), hex and "inf"/"infinity" are accepted, and
     * NaN, overflow and underflow (a non-zero number that rounds to zero or to a subnormal) are
     * refused. An empty string is 0, because strtod converts nothing and stops at its end.
     *
     * @return the number, or NaN when it is refused
     */
    static double strtod(final byte[] b) {
        final int end = cLength(b);
        int p = 0;
        while (p < end && isCSpace(b[p])) {
            p++;
        }
        final int signAt = p;
        if (p < end && (b[p] == '+' || b[p] == '-')) {
            p++;
        }
        final boolean negative = signAt < end && b[signAt] == '-';
        if (wordAt(b, p, end, "inf")) {
            p += wordAt(b, p, end, "infinity") ? 8 : 3;
            return p == end ? (negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY) : Double.NaN;
        }
        final int numStart = p;
        final boolean isHex = p + 1 < end && b[p] == '0' && (b[p + 1] == 'x' || b[p + 1] == 'X')
            && ((p + 2 < end && hex(b[p + 2])) || (p + 3 < end && b[p + 2] == '.' && hex(b[p + 3])));
        if (isHex) {
            p += 2;
        }
        boolean nonZero = false;
        int digits = 0;
        while (p < end && (isHex ? hex(b[p]) : digit(b[p]))) {
            nonZero |= b[p] != '0';
            p++;
            digits++;
        }
        if (p < end && b[p] == '.') {
            p++;
            while (p < end && (isHex ? hex(b[p]) : digit(b[p]))) {
                nonZero |= b[p] != '0';
                p++;
                digits++;
            }
        }
        if (digits == 0) {
            // no conversion: strtod points back at the very start of the string
            return end == 0 ? 0 : Double.NaN;
        }
        final int mantissaEnd = p;
        final byte expChar = isHex ? (byte) 'p' : (byte) 'e';
        if (p < end && Bytes.lower(b[p]) == expChar) {
            int q = p + 1;
            if (q < end && (b[q] == '+' || b[q] == '-')) {
                q++;
            }
            if (q < end && digit(b[q])) {
                while (q < end && digit(b[q])) {
                    q++;
                }
                p = q;
            }
        }
        if (p != end) {
            return Double.NaN;
        }
        final String text = new String(b, numStart, p - numStart, java.nio.charset.StandardCharsets.ISO_8859_1);
        final double d = Double.parseDouble(isHex && mantissaEnd == p ? text + "p0" : text);
        if (Double.isInfinite(d) || (nonZero && (d == 0 || d < Double.MIN_NORMAL))) {
            return Double.NaN;
        }
        return negative ? -d : d;
    }
}
