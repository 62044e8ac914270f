package dev.cinnabar.storage.type.zset;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

import dev.cinnabar.storage.type.Listpack;
import dev.cinnabar.storage.type.MemorySizes;
import dev.cinnabar.storage.type.TypedValue;
import dev.cinnabar.storage.type.ValueType;

/**
 * A sorted set in one of Redis's two encodings.
 *
 * <p>Why two: small sets ("listpack") are one exactly sized array of (member, score) elements
 * sorted by (score, member), each member a {@link Listpack} entry followed by the score's 8 bytes,
 * scanned linearly as Redis scans its listpack (a 10-member set is one array of ~190 bytes instead
 * of ten member arrays and two slot arrays, ~500); past {@code zset-max-listpack-entries} members
 * or a member longer than {@code zset-max-listpack-value} bytes the set becomes a {@link RankedTree}
 * (reported as "skiplist", Redis's structure for the same job) and never goes back, except when a
 * store command finishes a new set that fits.
 *
 * <p>Invariants:
 * <ol>
 *   <li>Exactly one of {@code lp} and {@code list} is non-null.</li>
 *   <li>In the listpack form, the {@code n} elements of {@code lp} are sorted by score then unsigned
 *       bytes, with unique members; -0.0 and 0.0 compare equal, as C's operators do.</li>
 *   <li>{@code lp} is never written in place: a change builds a new array, so copies share it.</li>
 *   <li>A score is never NaN.</li>
 * </ol>
 * Redis: t_zset.c zsetAdd(), zsetConvert(), zzlInsert().
 */
public final class ZSet implements TypedValue {
    // zsetAdd input flags
    public static final int INCR = 1;
    public static final int NX = 1 << 1;
    public static final int XX = 1 << 2;
    public static final int GT = 1 << 3;
    public static final int LT = 1 << 4;
    // zsetAdd results
    public static final int ADDED = 1;
    public static final int UPDATED = 1 << 1;
    public static final int NOP = 1 << 2;
    public static final int NAN = 1 << 3;

    /** Receives one element of an iteration; the member array is the caller's to keep. */
    public interface Visitor {
        void accept(byte[] member, double score);
    }

    /** Receives one element in place: the member is {@code len} bytes of {@code b} from {@code off}, for the call only. */
    public interface SliceVisitor {
        void accept(byte[] b, int off, int len, double score);
    }

    private static final int SCORE_BYTES = 8;
    private static final VarHandle SCORE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private byte[] lp;
    private int n;
    private RankedTree list;

    private ZSet(final boolean skiplist) {
        if (skiplist) {
            list = new RankedTree();
        } else {
            lp = Listpack.EMPTY;
        }
    }

    /** A new empty set: a skiplist when the limits forbid even one member of {@code firstLen} bytes. */
    public static ZSet create(final long firstLen, final int maxEntries, final int maxValue) {
        return new ZSet(maxEntries == 0 || firstLen > maxValue);
    }

    /**
     * Builds a set from elements that usually come in order, as an RDB holds them: while they do and
     * the set stays small, each is appended to one growing array (an insert into the exact-size
     * listpack would copy it for every element); otherwise it falls back to {@link #add}.
     */
    public static final class Loader {
        private final int maxEntries;
        private final int maxValue;
        private byte[] buf = new byte[64];
        private int used;
        private int count;
        private int last = -1;
        private ZSet z;

        public Loader(final int maxEntries, final int maxValue) {
            this.maxEntries = maxEntries;
            this.maxValue = maxValue;
        }

        /** Adds an element; false when the member is already in the set (the caller's corruption). */
        public boolean add(final double score, final byte[] member) {
            if (z == null && count < maxEntries && member.length <= maxValue && followsLast(score, member)) {
                if (positionIn(buf, count, member, 0, member.length) >= 0) {
                    return false;
                }
                final int size = elementSize(member);
                if (used + size > buf.length) {
                    buf = Arrays.copyOf(buf, Math.max(buf.length * 2, used + size));
                }
                last = used;
                used = writeElement(buf, used, member, score);
                count++;
                return true;
            }
            return set().add(score, member, 0, null, maxEntries, maxValue) == ADDED;
        }

        private boolean followsLast(final double score, final byte[] member) {
            return last < 0 || compareAt(buf, last, score, member) < 0;
        }

        private ZSet set() {
            if (z == null) {
                z = new ZSet(false);
                z.lp = Arrays.copyOf(buf, used);
                z.n = count;
                buf = null;
            }
            return z;
        }

        /** The set, or null when nothing was added. */
        public ZSet finish() {
            return count == 0 && z == null ? null : set();
        }
    }

    @Override
    public ValueType type() {
        return ValueType.ZSET;
    }

    @Override
    public String encoding() {
        return list == null ? "listpack" : "skiplist";
    }

    /** A copy in the same encoding; members and the packed array are never written in place, so it shares them. */
    @Override
    public ZSet copy() {
        final ZSet z = new ZSet(list != null);
        if (list == null) {
            z.lp = lp;
            z.n = n;
            return z;
        }
        list.visit(0, list.length(), false, (m, s) -> z.list.insert(s, m));
        return z;
    }

    public boolean isListpack() {
        return list == null;
    }

    public int size() {
        return list == null ? n : list.length();
    }

    @Override
    public long memoryBytes() {
        final long self = MemorySizes.object(3 * 4);
        return self + (list != null ? list.memoryBytes() : MemorySizes.byteArray(lp.length));
    }

    private static double scoreOf(final byte[] lp, final int pos) {
        return Double.longBitsToDouble((long) SCORE.get(lp, Listpack.next(lp, pos)));
    }

    private static int nextElement(final byte[] lp, final int pos) {
        return Listpack.next(lp, pos) + SCORE_BYTES;
    }

    /** How the element at {@code pos} sorts against (score, member): by score, then by unsigned bytes. */
    private static int compareAt(final byte[] a, final int pos, final double score, final byte[] member) {
        final double s = scoreOf(a, pos);
        if (s != score) {
            return s < score ? -1 : 1;
        }
        final int d = Listpack.data(a, pos);
        return Arrays.compareUnsigned(a, d, d + Listpack.length(a, pos), member, 0, member.length);
    }

    /** Writes a score's 8 bytes; a listpack stores scores as text and -0 reads back as the integer 0. */
    private static void putScore(final byte[] a, final int at, final double score) {
        SCORE.set(a, at, Double.doubleToRawLongBits(score == 0 ? 0.0 : score));
    }

    /** Writes an element at {@code pos} of an array with room for it; returns the position after it. */
    private static int writeElement(final byte[] a, final int pos, final byte[] member, final double score) {
        final int at = Listpack.write(a, pos, member, 0, member.length);
        putScore(a, at, score);
        return at + SCORE_BYTES;
    }

    private static int elementSize(final byte[] member) {
        return Listpack.entrySize(member.length) + SCORE_BYTES;
    }

    /** Where the element of ascending rank {@code rank} starts in {@code lp}. */
    private int position(final long rank) {
        int p = 0;
        for (long i = 0; i < rank; i++) {
            p = nextElement(lp, p);
        }
        return p;
    }

    /** The ascending rank of a member in {@code lp}, -1 when absent (a linear scan, as Redis's listpack). */
    private int indexOf(final byte[] b, final int off, final int len) {
        final int p = positionOf(b, off, len);
        if (p < 0) {
            return -1;
        }
        int i = 0;
        for (int q = 0; q < p; q = nextElement(lp, q)) {
            i++;
        }
        return i;
    }

    /** Where a member's element starts in {@code lp}, -1 when absent. */
    private int positionOf(final byte[] b, final int off, final int len) {
        return positionIn(lp, n, b, off, len);
    }

    private static int positionIn(final byte[] a, final int count, final byte[] b, final int off, final int len) {
        int p = 0;
        for (int i = 0; i < count; i++) {
            if (Listpack.equals(a, p, b, off, len)) {
                return p;
            }
            p = nextElement(a, p);
        }
        return -1;
    }

    /** The score of a member, NaN when absent. */
    public double score(final byte[] b, final int off, final int len) {
        if (list == null) {
            final int p = positionOf(b, off, len);
            return p < 0 ? Double.NaN : scoreOf(lp, p);
        }
        final RankedTree.Entry x = list.find(b, off, len);
        return x == null ? Double.NaN : x.score;
    }

    public double score(final byte[] member) {
        return score(member, 0, member.length);
    }

    /**
     * Redis's zsetAdd: adds or updates under NX/XX/GT/LT/INCR. Returns ADDED, UPDATED, 0 (the
     * element qualified but its score did not change), NOP (NX/XX/GT/LT skipped it), or NAN (INCR
     * produced NaN; nothing changed). {@code newScore[0]} receives the resulting score when it is
     * non-null and the result is not NOP/NAN.
     */
    public int add(final double score, final byte[] member, final int flags, final double[] newScore,
                   final int maxEntries, final int maxValue) {
        final RankedTree.Entry node = list == null ? null : list.find(member, 0, member.length);
        final double cur = list == null ? score(member, 0, member.length) : node == null ? Double.NaN : node.score;
        if (!Double.isNaN(cur)) {
            if ((flags & NX) != 0) {
                return NOP;
            }
            double s = score;
            if ((flags & INCR) != 0) {
                s = cur + score;
                if (Double.isNaN(s)) {
                    return NAN;
                }
            }
            if (((flags & LT) != 0 && s >= cur) || ((flags & GT) != 0 && s <= cur)) {
                return NOP;
            }
            if (newScore != null) {
                newScore[0] = s;
            }
            if (s != cur) {
                if (node != null) {
                    list.updateScore(node, s);
                } else {
                    moveInListpack(member, s);
                }
                return UPDATED;
            }
            // processed but unchanged: ZINCRBY still replies the score
            return 0;
        }
        if ((flags & XX) != 0) {
            return NOP;
        }
        if (list == null && (n + 1 > maxEntries || member.length > maxValue)) {
            convertToSkiplist();
        }
        insert(score, member);
        if (newScore != null) {
            newScore[0] = score;
        }
        return ADDED;
    }

    /** Inserts a member known to be absent, without any threshold check. */
    private void insert(final double score, final byte[] member) {
        if (list != null) {
            list.insert(score, member);
            return;
        }
        final int pos = insertionPoint(score, member);
        lp = Listpack.insert(lp, pos, member, 0, member.length, SCORE_BYTES);
        putScore(lp, pos + Listpack.entrySize(member.length), score);
        n++;
    }

    /** Where an element that is not in the set goes: before the first element that sorts after it. */
    private int insertionPoint(final double score, final byte[] member) {
        int p = 0;
        for (int i = 0; i < n; i++) {
            if (compareAt(lp, p, score, member) > 0) {
                return p;
            }
            p = nextElement(lp, p);
        }
        return p;
    }

    private void moveInListpack(final byte[] member, final double s) {
        removeAt(positionOf(member, 0, member.length));
        insert(s, member);
    }

    private void removeAt(final int p) {
        lp = Listpack.cut(lp, p, nextElement(lp, p));
        n--;
    }

    public boolean remove(final byte[] b, final int off, final int len) {
        if (list == null) {
            final int p = positionOf(b, off, len);
            if (p < 0) {
                return false;
            }
            removeAt(p);
            return true;
        }
        final RankedTree.Entry x = list.find(b, off, len);
        if (x == null) {
            return false;
        }
        list.delete(x);
        return true;
    }

    /** The 0-based ascending rank of a member, -1 when absent. */
    public long rank(final byte[] b, final int off, final int len) {
        if (list == null) {
            final int i = indexOf(b, off, len);
            return i;
        }
        final RankedTree.Entry x = list.find(b, off, len);
        return x == null ? -1 : list.rankOf(x);
    }

    /** The member of an ascending rank, an array the caller may keep. */
    public byte[] memberAt(final long rank) {
        return list == null ? Listpack.copy(lp, position(rank)) : list.memberAt(rank);
    }

    public double scoreAt(final long rank) {
        return list == null ? scoreOf(lp, position(rank)) : list.scoreAt(rank);
    }

    /**
     * Visits {@code count} elements starting at ascending rank {@code from}, towards higher ranks,
     * or towards lower ranks when {@code rev}. The caller keeps the ranks in range.
     */
    public void range(final long from, final long count, final boolean rev, final Visitor v) {
        if (list == null) {
            rangeInPlace(from, count, rev, (b, off, len, s) -> v.accept(Arrays.copyOfRange(b, off, off + len), s));
        } else if (count > 0) {
            list.visit(from, count, rev, v);
        }
    }

    /** {@link #range}, handing members out in place: for replies, which copy them anyway. */
    public void rangeInPlace(final long from, final long count, final boolean rev, final SliceVisitor v) {
        if (count <= 0) {
            return;
        }
        if (list != null) {
            list.visit(from, count, rev, (m, s) -> v.accept(m, 0, m.length, s));
            return;
        }
        final byte[] a = lp;
        if (!rev) {
            int p = position(from);
            for (long k = 0; k < count; k++) {
                final int d = Listpack.data(a, p);
                final int len = Listpack.length(a, p);
                v.accept(a, d, len, scoreOf(a, p));
                p = d + len + SCORE_BYTES;
            }
            return;
        }
        // elements are found only forwards: note the positions of the range, then visit them backwards
        final int c = (int) count;
        final int[] at = new int[c];
        int p = position(from - c + 1);
        for (int k = 0; k < c; k++) {
            at[k] = p;
            p = nextElement(a, p);
        }
        for (int k = c - 1; k >= 0; k--) {
            v.accept(a, Listpack.data(a, at[k]), Listpack.length(a, at[k]), scoreOf(a, at[k]));
        }
    }

    public void forEach(final Visitor v) {
        range(0, size(), false, v);
    }

    /** Number of elements below the range's minimum (the ascending rank of its first element). */
    public long rankFrom(final ScoreRange r) {
        if (list == null) {
            return countWhile((b, off, len, s) -> !r.aboveMin(s));
        }
        return list.countBefore((s, m) -> !r.aboveMin(s));
    }

    /** Number of elements up to the range's maximum (one past the ascending rank of its last). */
    public long rankTo(final ScoreRange r) {
        if (list == null) {
            return countWhile((b, off, len, s) -> r.belowMax(s));
        }
        return list.countBefore((s, m) -> r.belowMax(s));
    }

    public long rankFrom(final LexRange r) {
        if (list == null) {
            return countWhile((b, off, len, s) -> !r.aboveMin(b, off, len));
        }
        return list.countBefore((s, m) -> !r.aboveMin(m));
    }

    public long rankTo(final LexRange r) {
        if (list == null) {
            return countWhile((b, off, len, s) -> r.belowMax(b, off, len));
        }
        return list.countBefore((s, m) -> r.belowMax(m));
    }

    /** A condition on one element of the listpack form. */
    private interface SliceTest {
        boolean test(byte[] b, int off, int len, double score);
    }

    /** Listpack form: how many elements from the lowest rank on pass the test (a prefix, as the order makes it). */
    private int countWhile(final SliceTest t) {
        int p = 0;
        int i = 0;
        while (i < n) {
            final int d = Listpack.data(lp, p);
            final int len = Listpack.length(lp, p);
            if (!t.test(lp, d, len, scoreOf(lp, p))) {
                break;
            }
            p = d + len + SCORE_BYTES;
            i++;
        }
        return i;
    }

    /** Removes the elements of ascending ranks {@code [from, from + count)}. */
    public void removeRange(final long from, final long count) {
        if (count <= 0) {
            return;
        }
        if (list == null) {
            final int start = position(from);
            int end = start;
            for (long k = 0; k < count; k++) {
                end = nextElement(lp, end);
            }
            lp = Listpack.cut(lp, start, end);
            n -= (int) count;
            return;
        }
        for (long k = 0; k < count; k++) {
            final byte[] m = list.memberAt(from);
            list.delete(list.find(m, 0, m.length));
        }
    }

    /**
     * One ZSCAN step: the listpack form returns everything with cursor 0 (as Redis does for
     * compact encodings); the skiplist form scans its dictionary. Returns the next cursor.
     */
    public long scan(final long cursor, final Visitor v) {
        if (list == null) {
            forEach(v);
            return 0;
        }
        return list.dict.scan(cursor, x -> v.accept(x.key, x.score));
    }

    public void convertToSkiplist() {
        if (list != null) {
            return;
        }
        final RankedTree sl = new RankedTree();
        rangeInPlace(0, n, false, (b, off, len, s) -> sl.insert(s, Arrays.copyOfRange(b, off, off + len)));
        list = sl;
        lp = null;
        n = 0;
    }

    /** After a store command built this set: back to listpack when it fits (zsetConvertToListpackIfNeeded). */
    public void shrinkIfFits(final int maxEntries, final int maxValue) {
        if (list == null || list.length() > maxEntries) {
            return;
        }
        final int len = list.length();
        final int[] size = {0};
        final boolean[] tooLong = {false};
        list.visit(0, len, false, (member, score) -> {
            size[0] += elementSize(member);
            tooLong[0] |= member.length > maxValue;
        });
        if (tooLong[0]) {
            return;
        }
        final byte[] packed = new byte[size[0]];
        final int[] p = {0};
        list.visit(0, len, false, (member, score) -> {
            p[0] = writeElement(packed, p[0], member, score);
        });
        lp = packed;
        n = len;
        list = null;
    }
}
