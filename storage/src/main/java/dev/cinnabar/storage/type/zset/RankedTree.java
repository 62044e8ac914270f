package dev.cinnabar.storage.type.zset;

import java.util.Arrays;
import java.util.SplittableRandom;

import dev.cinnabar.storage.keyspace.Dict;
import dev.cinnabar.storage.type.MemorySizes;

/**
 * The "skiplist" encoding of a sorted set, built as a counted B+ tree of (score, member) plus a
 * member dictionary holding each member's score. OBJECT ENCODING still says "skiplist": the name is
 * Redis's, the layout is ours.
 *
 * <p>Why not Redis's skiplist: every step of a skiplist descent loads a node at a random address,
 * some twenty cache misses per ZADD on a set of 100,000 members, and a JVM object is bigger than
 * Redis's node. Here the keys a descent compares sit in arrays: the inner pages of a 100,000-member
 * set (a few dozen) stay in cache, and the leaf is one binary search over contiguous scores.
 * Why counts: each inner page keeps its children's sizes, so rank to element and element to rank
 * are O(log n), which ZRANK, ZRANGE by index and the bounds of score and lex ranges need.
 *
 * <p>Invariants:
 * <ol>
 *   <li>Leaves hold elements in ascending (score, unsigned member bytes) order, -0.0 equal to 0.0;
 *       leaves are doubly linked in that order and all at depth {@code height}.</li>
 *   <li>In an inner page, for {@code i >= 1}, every element under child {@code i - 1} is below key
 *       {@code i} and every element under child {@code i} is at or above it; key 0 is the key its
 *       parent routes by (unused in the leftmost page of a level).</li>
 *   <li>{@code counts[i]} is the number of elements under child {@code i}.</li>
 *   <li>Every page but the root holds between {@code capacity / 2} and {@code capacity} entries; an
 *       inner root holds at least two.</li>
 *   <li>Every element is in the dictionary exactly once, keyed by its member (the same array), with
 *       its score.</li>
 * </ol>
 * Redis: t_zset.c (the operations), not its data layout.
 */
final class RankedTree {
    static final int CAPACITY = 64;
    private static final int MAX_HEIGHT = 40;
    private static final int SELF_BYTES = 5 * 4 + 8 + 4 * 8;

    /** A member and its score: what ZSCORE and ZSCAN read, and what locates the element in the tree. */
    static final class Entry extends Dict.Node {
        double score;

        Entry(final byte[] member, final double score) {
            super(member);
            this.score = score;
        }
    }

    /** A monotone predicate over the order: true for a prefix of all keys, then false. */
    interface Before {
        boolean test(double score, byte[] member);
    }

    /** A leaf (children null) or an inner page; keys are elements in a leaf, separators above. */
    private static final class Page {
        final double[] scores;
        final byte[][] members;
        final Page[] children;
        final int[] counts;
        Page prev;
        Page next;
        int n;

        Page(final int capacity, final boolean leaf) {
            scores = new double[capacity];
            members = new byte[capacity][];
            children = leaf ? null : new Page[capacity];
            counts = leaf ? null : new int[capacity];
        }

        boolean isLeaf() {
            return children == null;
        }

        long size() {
            if (children == null) {
                return n;
            }
            long s = 0;
            for (int i = 0; i < n; i++) {
                s += counts[i];
            }
            return s;
        }

        /** Moves {@code len} entries from {@code src} at {@code from} into this page at {@code to}. */
        void copyFrom(final Page src, final int from, final int to, final int len) {
            System.arraycopy(src.scores, from, scores, to, len);
            System.arraycopy(src.members, from, members, to, len);
            if (children != null) {
                System.arraycopy(src.children, from, children, to, len);
                System.arraycopy(src.counts, from, counts, to, len);
            }
        }

        /** Clears entries {@code [from, to)} so that a page never keeps a moved member reachable. */
        void clear(final int from, final int to) {
            Arrays.fill(members, from, to, null);
            if (children != null) {
                Arrays.fill(children, from, to, null);
            }
        }

        void openGap(final int i) {
            copyFrom(this, i, i + 1, n - i);
            n++;
        }

        void closeGap(final int i) {
            copyFrom(this, i + 1, i, n - i - 1);
            n--;
            clear(n, n + 1);
        }
    }

    private final int capacity;
    private final int min;
    final Dict<Entry> dict;
    private Page root;
    private int height;
    private int length;
    /** The heap of every page with its arrays, kept for {@link #memoryBytes}. */
    private long pageBytes;
    private long memberBytes;
    /** The descent of the current insert or delete: the inner pages and the child taken in each. */
    private final Page[] pathPage = new Page[MAX_HEIGHT];
    private final int[] pathIdx = new int[MAX_HEIGHT];
    /** Where {@link #leafAt} found its rank in the leaf it returned. */
    private int rankInLeaf;

    RankedTree() {
        this(CAPACITY);
    }

    /** A tree with pages of {@code capacity} entries (even, at least 4); small ones test deep trees. */
    RankedTree(final int capacity) {
        if (capacity < 4 || (capacity & 1) != 0) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.capacity = capacity;
        this.min = capacity / 2;
        this.root = new Page(capacity, true);
        this.dict = new Dict<>((int) new SplittableRandom().nextLong());
        this.pageBytes = pageBytes(true);
    }

    private long pageBytes(final boolean leaf) {
        final long keys = MemorySizes.object(4 * 6 + 4) + MemorySizes.longArray(capacity) + MemorySizes.refArray(capacity);
        return leaf ? keys : keys + MemorySizes.refArray(capacity) + MemorySizes.intArray(capacity);
    }

    int length() {
        return length;
    }

    static int compare(final double s1, final byte[] m1, final double s2, final byte[] m2) {
        if (s1 < s2) {
            return -1;
        }
        if (s1 > s2) {
            return 1;
        }
        return Arrays.compareUnsigned(m1, m2);
    }

    Entry find(final byte[] b, final int off, final int len) {
        return dict.find(b, off, len);
    }

    /** The child of an inner page whose range holds the key: the last {@code i} with key i at or below it. */
    private static int route(final Page p, final double score, final byte[] member) {
        return bound(p, 1, score, member, true) - 1;
    }

    /** The position of the first element at or above the key in a leaf. */
    private static int lowerBound(final Page leaf, final double score, final byte[] member) {
        return bound(leaf, 0, score, member, false);
    }

    /** The first key at or after {@code from} above the given one (at or above it when not {@code above}). */
    private static int bound(final Page p, final int from, final double score, final byte[] member,
                             final boolean above) {
        int lo = from;
        int hi = p.n;
        while (lo < hi) {
            final int mid = (lo + hi) >>> 1;
            final int c = compare(p.scores[mid], p.members[mid], score, member);
            if (c < 0 || (above && c == 0)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The elements under the first {@code i} children of an inner page. */
    private static long countsBefore(final Page p, final int i) {
        long r = 0;
        for (int k = 0; k < i; k++) {
            r += p.counts[k];
        }
        return r;
    }

    /** Descends to the key's leaf, recording the path and adding {@code delta} to the counts on it. */
    private Page descend(final double score, final byte[] member, final int delta) {
        Page p = root;
        for (int h = 0; h < height; h++) {
            final int i = route(p, score, member);
            p.counts[i] += delta;
            pathPage[h] = p;
            pathIdx[h] = i;
            p = p.children[i];
        }
        return p;
    }

    /** Inserts a member known to be absent from the tree and the dictionary. */
    Entry insert(final double score, final byte[] member) {
        final Entry e = new Entry(member, score);
        put(score, member);
        dict.add(e);
        memberBytes += MemorySizes.byteArray(member.length);
        return e;
    }

    private void put(final double score, final byte[] member) {
        final Page leaf = descend(score, member, 1);
        final int pos = lowerBound(leaf, score, member);
        addEntry(leaf, pos, score, member, null, 0, height);
        length++;
    }

    /** Adds an entry at {@code pos} of a page at depth {@code depth}, splitting full pages upwards. */
    private void addEntry(final Page p, final int pos, final double score, final byte[] member,
                          final Page child, final int count, final int depth) {
        if (p.n < capacity) {
            setEntry(p, pos, score, member, child, count);
            return;
        }
        final Page right = split(p);
        if (pos <= p.n) {
            setEntry(p, pos, score, member, child, count);
        } else {
            setEntry(right, pos - p.n, score, member, child, count);
        }
        final long rightSize = right.size();
        if (depth == 0) {
            final Page r = new Page(capacity, false);
            r.n = 2;
            r.children[0] = p;
            r.children[1] = right;
            r.counts[0] = (int) p.size();
            r.counts[1] = (int) rightSize;
            r.scores[0] = p.scores[0];
            r.members[0] = p.members[0];
            r.scores[1] = right.scores[0];
            r.members[1] = right.members[0];
            root = r;
            height++;
            pageBytes += pageBytes(false);
            return;
        }
        final Page parent = pathPage[depth - 1];
        final int i = pathIdx[depth - 1];
        parent.counts[i] -= (int) rightSize;
        addEntry(parent, i + 1, right.scores[0], right.members[0], right, (int) rightSize, depth - 1);
    }

    private static void setEntry(final Page p, final int pos, final double score, final byte[] member,
                                 final Page child, final int count) {
        p.openGap(pos);
        p.scores[pos] = score;
        p.members[pos] = member;
        if (child != null) {
            p.children[pos] = child;
            p.counts[pos] = count;
        }
    }

    /** Moves the upper half of a full page into a new page after it. */
    private Page split(final Page p) {
        final Page right = new Page(capacity, p.isLeaf());
        final int keep = p.n / 2;
        right.copyFrom(p, keep, 0, p.n - keep);
        right.n = p.n - keep;
        p.clear(keep, p.n);
        p.n = keep;
        if (p.isLeaf()) {
            right.next = p.next;
            right.prev = p;
            if (p.next != null) {
                p.next.prev = right;
            }
            p.next = right;
        }
        pageBytes += pageBytes(right.isLeaf());
        return right;
    }

    void delete(final Entry e) {
        remove(e.score, e.key);
        dict.remove(e.key);
        memberBytes -= MemorySizes.byteArray(e.key.length);
    }

    private void remove(final double score, final byte[] member) {
        final Page leaf = descend(score, member, -1);
        removeAt(leaf, lowerBound(leaf, score, member));
    }

    /** Removes an element of the leaf {@link #descend} reached, its counts on the path already lowered. */
    private void removeAt(final Page leaf, final int pos) {
        leaf.closeGap(pos);
        length--;
        Page p = leaf;
        for (int depth = height; depth > 0 && p.n < min; depth--) {
            p = pathPage[depth - 1];
            rebalance(p, pathIdx[depth - 1]);
        }
        if (height > 0 && root.n == 1) {
            root = root.children[0];
            height--;
            pageBytes -= pageBytes(false);
        }
    }

    /** Refills an underfull child of {@code parent} from a sibling: merged when both fit one page. */
    private void rebalance(final Page parent, final int idx) {
        final int i = idx > 0 ? idx - 1 : idx;
        final Page a = parent.children[i];
        final Page b = parent.children[i + 1];
        final int total = a.n + b.n;
        if (!b.isLeaf()) {
            // b's first key is its separator in parent, which a gets as an ordinary key
            b.scores[0] = parent.scores[i + 1];
            b.members[0] = parent.members[i + 1];
        }
        if (total <= capacity) {
            a.copyFrom(b, 0, a.n, b.n);
            a.n = total;
            if (a.isLeaf()) {
                a.next = b.next;
                if (b.next != null) {
                    b.next.prev = a;
                }
            }
            parent.counts[i] += parent.counts[i + 1];
            parent.closeGap(i + 1);
            pageBytes -= pageBytes(b.isLeaf());
            return;
        }
        final int aN = total / 2;
        if (a.n < aN) {
            final int move = aN - a.n;
            a.copyFrom(b, 0, a.n, move);
            b.copyFrom(b, move, 0, b.n - move);
            b.clear(b.n - move, b.n);
        } else {
            final int move = a.n - aN;
            b.copyFrom(b, 0, move, b.n);
            b.copyFrom(a, aN, 0, move);
            a.clear(aN, a.n);
        }
        b.n = total - aN;
        a.n = aN;
        final long bSize = b.size();
        parent.counts[i] = (int) (parent.counts[i] + parent.counts[i + 1] - bSize);
        parent.counts[i + 1] = (int) bSize;
        parent.scores[i + 1] = b.scores[0];
        parent.members[i + 1] = b.members[0];
    }

    /** Moves an element to a new score; in place when its neighbours in the leaf keep the order. */
    void updateScore(final Entry e, final double score) {
        final Page p = descend(e.score, e.key, 0);
        final int pos = lowerBound(p, e.score, e.key);
        if (pos > 0 && pos < p.n - 1
            && compare(p.scores[pos - 1], p.members[pos - 1], score, e.key) < 0
            && compare(score, e.key, p.scores[pos + 1], p.members[pos + 1]) < 0) {
            p.scores[pos] = score;
        } else {
            for (int h = 0; h < height; h++) {
                pathPage[h].counts[pathIdx[h]]--;
            }
            removeAt(p, pos);
            put(score, e.key);
        }
        e.score = score;
    }

    /** The 0-based rank of an element of the tree. */
    long rankOf(final Entry e) {
        long r = 0;
        Page p = root;
        for (int h = 0; h < height; h++) {
            final int i = route(p, e.score, e.key);
            r += countsBefore(p, i);
            p = p.children[i];
        }
        return r + lowerBound(p, e.score, e.key);
    }

    /** How many leading elements satisfy a monotone predicate. */
    long countBefore(final Before pred) {
        long r = 0;
        Page p = root;
        for (int h = 0; h < height; h++) {
            final int i = prefix(p, 1, pred) - 1;
            r += countsBefore(p, i);
            p = p.children[i];
        }
        return r + prefix(p, 0, pred);
    }

    /** The first key at or after {@code from} that fails the predicate (n when none does). */
    private static int prefix(final Page p, final int from, final Before pred) {
        int lo = from;
        int hi = p.n;
        while (lo < hi) {
            final int mid = (lo + hi) >>> 1;
            if (pred.test(p.scores[mid], p.members[mid])) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The leaf holding a 0-based rank in range; {@link #rankInLeaf} receives its index there. */
    private Page leafAt(final long rank) {
        long r = rank;
        Page p = root;
        for (int h = 0; h < height; h++) {
            int i = 0;
            while (r >= p.counts[i]) {
                r -= p.counts[i];
                i++;
            }
            p = p.children[i];
        }
        rankInLeaf = (int) r;
        return p;
    }

    byte[] memberAt(final long rank) {
        final Page leaf = leafAt(rank);
        return leaf.members[rankInLeaf];
    }

    double scoreAt(final long rank) {
        final Page leaf = leafAt(rank);
        return leaf.scores[rankInLeaf];
    }

    /** Visits {@code count} elements from a rank in range, towards higher ranks or, {@code rev}, lower. */
    void visit(final long from, final long count, final boolean rev, final ZSet.Visitor v) {
        if (count <= 0) {
            return;
        }
        Page p = leafAt(from);
        int i = rankInLeaf;
        for (long k = 0; k < count && p != null; k++) {
            v.accept(p.members[i], p.scores[i]);
            if (rev) {
                if (--i < 0) {
                    p = p.prev;
                    i = p == null ? 0 : p.n - 1;
                }
            } else if (++i == p.n) {
                p = p.next;
                i = 0;
            }
        }
    }

    /** The tree, the dictionary, the entries and their members, and the pages. */
    long memoryBytes() {
        final long scratch = MemorySizes.refArray(MAX_HEIGHT) + MemorySizes.intArray(MAX_HEIGHT);
        return MemorySizes.object(SELF_BYTES) + scratch + MemorySizes.dict(dict.buckets())
            + (long) length * MemorySizes.object(4 + 4 + 8) + memberBytes + pageBytes;
    }

    /** Checks every invariant; for tests. Returns the number of elements found. */
    long checkInvariants() {
        if (height > 0 && root.n < 2) {
            throw new IllegalStateException("inner root with " + root.n + " children");
        }
        final long n = check(root, 0, null);
        if (n != length || dict.size() != length) {
            throw new IllegalStateException("length " + length + ", counted " + n + ", dict " + dict.size());
        }
        Page first = root;
        while (!first.isLeaf()) {
            first = first.children[0];
        }
        long walked = 0;
        Page prev = null;
        for (Page p = first; p != null; prev = p, p = p.next) {
            if (p.prev != prev) {
                throw new IllegalStateException("broken leaf links");
            }
            for (int i = 0; i < p.n; i++) {
                final Entry e = dict.find(p.members[i]);
                if (e == null || e.key != p.members[i] || Double.compare(e.score, p.scores[i]) != 0) {
                    throw new IllegalStateException("element not in the dictionary");
                }
                walked++;
            }
        }
        if (walked != length) {
            throw new IllegalStateException("leaf chain holds " + walked + " of " + length);
        }
        return n;
    }

    private long check(final Page p, final int depth, final Page parent) {
        if (parent != null && p.n < min) {
            throw new IllegalStateException("underfull page: " + p.n);
        }
        if (p.isLeaf()) {
            if (depth != height) {
                throw new IllegalStateException("leaf at depth " + depth + " of " + height);
            }
            for (int i = 1; i < p.n; i++) {
                if (compare(p.scores[i - 1], p.members[i - 1], p.scores[i], p.members[i]) >= 0) {
                    throw new IllegalStateException("leaf out of order");
                }
            }
            return p.n;
        }
        long total = 0;
        for (int i = 0; i < p.n; i++) {
            final Page c = p.children[i];
            final long size = check(c, depth + 1, p);
            if (size != p.counts[i]) {
                throw new IllegalStateException("count " + p.counts[i] + ", subtree " + size);
            }
            if (i > 0 && !isAtOrAbove(c, p.scores[i], p.members[i])) {
                throw new IllegalStateException("element below its separator");
            }
            if (i + 1 < p.n && !isBelow(c, p.scores[i + 1], p.members[i + 1])) {
                throw new IllegalStateException("element at or above the next separator");
            }
            total += size;
        }
        return total;
    }

    private static boolean isAtOrAbove(final Page p, final double score, final byte[] member) {
        Page leaf = p;
        while (!leaf.isLeaf()) {
            leaf = leaf.children[0];
        }
        return leaf.n == 0 || compare(leaf.scores[0], leaf.members[0], score, member) >= 0;
    }

    private static boolean isBelow(final Page p, final double score, final byte[] member) {
        Page leaf = p;
        while (!leaf.isLeaf()) {
            leaf = leaf.children[leaf.n - 1];
        }
        return leaf.n == 0 || compare(leaf.scores[leaf.n - 1], leaf.members[leaf.n - 1], score, member) < 0;
    }
}
