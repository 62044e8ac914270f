package dev.cinnabar.storage.type.zset;

import java.util.Arrays;

import dev.cinnabar.storage.type.MemorySizes;
import dev.cinnabar.storage.type.TypedValue;
import dev.cinnabar.storage.type.ValueType;

/**
 * A sorted set in one of Redis's two encodings.
 *
 * <p>Why two: small sets ("listpack") are two parallel arrays sorted by (score, member), compact
 * and scanned linearly as Redis scans its listpack; past {@code zset-max-listpack-entries} members
 * or a member longer than {@code zset-max-listpack-value} bytes the set becomes a {@link RankedTree}
 * (reported as "skiplist", Redis's structure for the same job) and never goes back, except when a
 * store command finishes a new set that fits.
 *
 * <p>Invariants:
 * <ol>
 *   <li>Exactly one of {@code members} and {@code list} is non-null.</li>
 *   <li>In the listpack form, entries {@code [0, n)} are sorted by score then unsigned bytes, with
 *       unique members; -0.0 and 0.0 compare equal, as C's operators do.</li>
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

    /** Receives one element of an iteration. */
    public interface Visitor {
        void accept(byte[] member, double score);
    }

    private byte[][] members;
    private double[] scores;
    private int n;
    private RankedTree list;

    private ZSet(final boolean skiplist) {
        if (skiplist) {
            list = new RankedTree();
        } else {
            members = new byte[4][];
            scores = new double[4];
        }
    }

    /** A new empty set: a skiplist when the limits forbid even one member of {@code firstLen} bytes. */
    public static ZSet create(final long firstLen, final int maxEntries, final int maxValue) {
        return new ZSet(maxEntries == 0 || firstLen > maxValue);
    }

    @Override
    public ValueType type() {
        return ValueType.ZSET;
    }

    @Override
    public String encoding() {
        return list == null ? "listpack" : "skiplist";
    }

    /** A copy in the same encoding; members are never written in place, so it shares them. */
    @Override
    public ZSet copy() {
        final ZSet z = new ZSet(list != null);
        if (list == null) {
            z.members = members.clone();
            z.scores = scores.clone();
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
        final long self = MemorySizes.object(4 * 4);
        if (list != null) {
            return self + list.memoryBytes();
        }
        // bounded by zset-max-listpack-entries, as Redis's own listpack scans are
        long bytes = self + MemorySizes.refArray(members.length) + MemorySizes.longArray(scores.length);
        for (int i = 0; i < n; i++) {
            bytes += MemorySizes.byteArray(members[i].length);
        }
        return bytes;
    }

    private int indexOf(final byte[] b, final int off, final int len) {
        for (int i = 0; i < n; i++) {
            final byte[] m = members[i];
            if (Arrays.equals(m, 0, m.length, b, off, off + len)) {
                return i;
            }
        }
        return -1;
    }

    /** The score of a member, NaN when absent. */
    public double score(final byte[] b, final int off, final int len) {
        if (list == null) {
            final int i = indexOf(b, off, len);
            return i < 0 ? Double.NaN : scores[i];
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
        if (n == members.length) {
            members = Arrays.copyOf(members, n * 2);
            scores = Arrays.copyOf(scores, n * 2);
        }
        System.arraycopy(members, pos, members, pos + 1, n - pos);
        System.arraycopy(scores, pos, scores, pos + 1, n - pos);
        members[pos] = member;
        // a listpack stores scores as text and -0 reads back as the integer 0
        scores[pos] = score == 0 ? 0.0 : score;
        n++;
    }

    private int insertionPoint(final double score, final byte[] member) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            final int mid = (lo + hi) >>> 1;
            if (RankedTree.compare(scores[mid], members[mid], score, member) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private void moveInListpack(final byte[] member, final double s) {
        final int i = indexOf(member, 0, member.length);
        final byte[] m = members[i];
        removeAt(i);
        insert(s, m);
    }

    private void removeAt(final int i) {
        System.arraycopy(members, i + 1, members, i, n - i - 1);
        System.arraycopy(scores, i + 1, scores, i, n - i - 1);
        members[--n] = null;
    }

    public boolean remove(final byte[] b, final int off, final int len) {
        if (list == null) {
            final int i = indexOf(b, off, len);
            if (i < 0) {
                return false;
            }
            removeAt(i);
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

    public byte[] memberAt(final long rank) {
        return list == null ? members[(int) rank] : list.memberAt(rank);
    }

    public double scoreAt(final long rank) {
        return list == null ? scores[(int) rank] : list.scoreAt(rank);
    }

    /**
     * Visits {@code count} elements starting at ascending rank {@code from}, towards higher ranks,
     * or towards lower ranks when {@code rev}. The caller keeps the ranks in range.
     */
    public void range(final long from, final long count, final boolean rev, final Visitor v) {
        if (count <= 0) {
            return;
        }
        if (list == null) {
            int i = (int) from;
            for (long k = 0; k < count; k++) {
                v.accept(members[i], scores[i]);
                i += rev ? -1 : 1;
            }
            return;
        }
        list.visit(from, count, rev, v);
    }

    public void forEach(final Visitor v) {
        range(0, size(), false, v);
    }

    /** Number of elements below the range's minimum (the ascending rank of its first element). */
    public long rankFrom(final ScoreRange r) {
        if (list == null) {
            int i = 0;
            while (i < n && !r.aboveMin(scores[i])) {
                i++;
            }
            return i;
        }
        return list.countBefore((s, m) -> !r.aboveMin(s));
    }

    /** Number of elements up to the range's maximum (one past the ascending rank of its last). */
    public long rankTo(final ScoreRange r) {
        if (list == null) {
            int i = 0;
            while (i < n && r.belowMax(scores[i])) {
                i++;
            }
            return i;
        }
        return list.countBefore((s, m) -> r.belowMax(s));
    }

    public long rankFrom(final LexRange r) {
        if (list == null) {
            int i = 0;
            while (i < n && !r.aboveMin(members[i])) {
                i++;
            }
            return i;
        }
        return list.countBefore((s, m) -> !r.aboveMin(m));
    }

    public long rankTo(final LexRange r) {
        if (list == null) {
            int i = 0;
            while (i < n && r.belowMax(members[i])) {
                i++;
            }
            return i;
        }
        return list.countBefore((s, m) -> r.belowMax(m));
    }

    /** Removes the elements of ascending ranks {@code [from, from + count)}. */
    public void removeRange(final long from, final long count) {
        if (count <= 0) {
            return;
        }
        if (list == null) {
            final int f = (int) from;
            final int c = (int) count;
            System.arraycopy(members, f + c, members, f, n - f - c);
            System.arraycopy(scores, f + c, scores, f, n - f - c);
            Arrays.fill(members, n - c, n, null);
            n -= c;
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
        for (int i = 0; i < n; i++) {
            sl.insert(scores[i], members[i]);
        }
        list = sl;
        members = null;
        scores = null;
        n = 0;
    }

    /** After a store command built this set: back to listpack when it fits (zsetConvertToListpackIfNeeded). */
    public void shrinkIfFits(final int maxEntries, final int maxValue) {
        if (list == null || list.length() > maxEntries) {
            return;
        }
        final int len = list.length();
        final byte[][] m = new byte[Math.max(4, len)][];
        final double[] s = new double[Math.max(4, len)];
        final int[] i = {0};
        list.visit(0, len, false, (member, score) -> {
            m[i[0]] = member;
            // a listpack stores an integral score as an integer, so -0 becomes 0
            s[i[0]++] = score == 0 ? 0.0 : score;
        });
        for (int k = 0; k < len; k++) {
            if (m[k].length > maxValue) {
                return;
            }
        }
        members = m;
        scores = s;
        n = len;
        list = null;
    }
}
