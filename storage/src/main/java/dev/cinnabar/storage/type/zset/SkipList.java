package dev.cinnabar.storage.type.zset;

import java.util.Arrays;
import java.util.SplittableRandom;

import dev.cinnabar.storage.keyspace.Dict;
import dev.cinnabar.storage.type.MemorySizes;

/**
 * The "skiplist" encoding of a sorted set: a skiplist ordered by (score, member) whose links carry
 * spans, plus a member dictionary whose nodes are the skiplist nodes themselves.
 *
 * <p>Why spans: the span of a link is the number of level-0 steps it jumps, so summing spans on a
 * descent gives an element's rank, and ZRANK / ZRANGE by index / rank bounds of a score or lex
 * range are O(log n). Why the dictionary holds the skiplist nodes: one object per member serves
 * ZSCORE (O(1) by member), ordering, and ZSCAN's reverse-binary cursor over {@link Dict}.
 *
 * <p>Invariants:
 * <ol>
 *   <li>Level-0 order is ascending score, ties by unsigned byte order of the member.</li>
 *   <li>{@code header.span[i]} and each node's {@code span[i]} count the level-0 steps to
 *       {@code next[i]} (to the end of the list when {@code next[i]} is null and i < level).</li>
 *   <li>Every node is in the dictionary exactly once, keyed by its member.</li>
 * </ol>
 * Redis: t_zset.c zslInsert(), zslDeleteNode(), zslGetRank(), zslGetElementByRank().
 */
final class SkipList {
    /** Redis's ZSKIPLIST_MAXLEVEL and ZSKIPLIST_P. */
    static final int MAX_LEVEL = 32;
    private static final int P_THRESHOLD = (int) (0.25 * 0xFFFF);
    private static final SplittableRandom SEEDS = new SplittableRandom();

    /**
     * A member: its dictionary entry and its skiplist node at once. Levels 0 and 1 are fields, the
     * rest (1 node in 16) an array: the descents' cache misses are on the low levels, where a link
     * in a separate array would cost a second miss per step (Redis keeps its levels inside the node).
     */
    static final class Node extends Dict.Node {
        double score;
        Node backward;
        Node next0;
        Node next1;
        int span0;
        int span1;
        final int level;
        /** Levels 2 and up; null below level 3. */
        private final Node[] upNext;
        private final int[] upSpan;

        Node(final byte[] member, final double score, final int level) {
            super(member);
            this.score = score;
            this.level = level;
            this.upNext = level > 2 ? new Node[level - 2] : null;
            this.upSpan = level > 2 ? new int[level - 2] : null;
        }

        Node next(final int i) {
            return i == 0 ? next0 : i == 1 ? next1 : upNext[i - 2];
        }

        void next(final int i, final Node n) {
            if (i == 0) {
                next0 = n;
            } else if (i == 1) {
                next1 = n;
            } else {
                upNext[i - 2] = n;
            }
        }

        int span(final int i) {
            return i == 0 ? span0 : i == 1 ? span1 : upSpan[i - 2];
        }

        void span(final int i, final int s) {
            if (i == 0) {
                span0 = s;
            } else if (i == 1) {
                span1 = s;
            } else {
                upSpan[i - 2] = s;
            }
        }

        void clearLinks() {
            next0 = next1 = backward = null;
            span0 = span1 = 0;
            if (upNext != null) {
                Arrays.fill(upNext, null);
                Arrays.fill(upSpan, 0);
            }
        }
    }

    /** A monotone predicate over the order: true for a prefix of the list, then false. */
    interface Before {
        boolean test(Node n);
    }

    private static final int NODE_FIELDS = 4 + 4 + 8 + 4 + 4 + 4 + 4 + 4 + 4 + 4 + 4;
    private final Node header = new Node(null, 0, MAX_LEVEL);
    private final SplittableRandom random;
    final Dict<Node> dict;
    Node tail;
    int length;
    /** The heap of every node with its arrays and member, kept for {@link #memoryBytes}. */
    private long nodeBytes;
    private int level = 1;
    private final Node[] update = new Node[MAX_LEVEL];
    private final long[] rank = new long[MAX_LEVEL];

    SkipList() {
        final long s = SEEDS.nextLong();
        this.random = new SplittableRandom(s);
        this.dict = new Dict<>((int) s);
    }

    Node first() {
        return header.next0;
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

    private int randomLevel() {
        int lvl = 1;
        while ((random.nextInt() & 0xFFFF) < P_THRESHOLD && lvl < MAX_LEVEL) {
            lvl++;
        }
        return lvl;
    }

    /** Inserts a member known to be absent from the list and the dictionary. */
    Node insert(final double score, final byte[] member) {
        final Node n = new Node(member, score, randomLevel());
        link(n);
        dict.add(n);
        nodeBytes += nodeBytes(n);
        return n;
    }

    /** A node: its fields (key, chain next, score, backward, two links and spans, level, two arrays), its member. */
    private static long nodeBytes(final Node n) {
        final long up = n.level > 2 ? MemorySizes.refArray(n.level - 2) + MemorySizes.intArray(n.level - 2) : 0;
        return MemorySizes.object(NODE_FIELDS) + up + MemorySizes.byteArray(n.key.length);
    }

    /** The list object, its header node and scratch arrays, the nodes, and the dictionary. */
    long memoryBytes() {
        final long header = MemorySizes.object(NODE_FIELDS) + MemorySizes.refArray(MAX_LEVEL - 2)
            + MemorySizes.intArray(MAX_LEVEL - 2);
        final long scratch = MemorySizes.refArray(MAX_LEVEL) + MemorySizes.longArray(MAX_LEVEL);
        return MemorySizes.object(8 * 4 + 8) + header + scratch + MemorySizes.dict(dict.buckets()) + nodeBytes;
    }

    private void link(final Node n) {
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            rank[i] = i == level - 1 ? 0 : rank[i + 1];
            for (Node y = x.next(i); y != null && compare(y.score, y.key, n.score, n.key) < 0; y = x.next(i)) {
                rank[i] += x.span(i);
                x = y;
            }
            update[i] = x;
        }
        final int lvl = n.level;
        if (lvl > level) {
            for (int i = level; i < lvl; i++) {
                rank[i] = 0;
                update[i] = header;
                header.span(i, length);
            }
            level = lvl;
        }
        for (int i = 0; i < lvl; i++) {
            final Node u = update[i];
            n.next(i, u.next(i));
            u.next(i, n);
            n.span(i, u.span(i) - (int) (rank[0] - rank[i]));
            u.span(i, (int) (rank[0] - rank[i]) + 1);
        }
        for (int i = lvl; i < level; i++) {
            update[i].span(i, update[i].span(i) + 1);
        }
        n.backward = update[0] == header ? null : update[0];
        if (n.next0 != null) {
            n.next0.backward = n;
        } else {
            tail = n;
        }
        length++;
    }

    private void unlink(final Node n) {
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            for (Node y = x.next(i); y != null && compare(y.score, y.key, n.score, n.key) < 0; y = x.next(i)) {
                x = y;
            }
            update[i] = x;
        }
        for (int i = 0; i < level; i++) {
            final Node u = update[i];
            if (u.next(i) == n) {
                u.span(i, u.span(i) + n.span(i) - 1);
                u.next(i, n.next(i));
            } else {
                u.span(i, u.span(i) - 1);
            }
        }
        if (n.next0 != null) {
            n.next0.backward = n.backward;
        } else {
            tail = n.backward;
        }
        while (level > 1 && header.next(level - 1) == null) {
            level--;
        }
        length--;
        n.clearLinks();
    }

    void delete(final Node n) {
        unlink(n);
        dict.remove(n.key);
        nodeBytes -= nodeBytes(n);
    }

    /** Moves a node to its new score; in place when the order is unchanged (Redis's zslUpdateScore). */
    void updateScore(final Node n, final double score) {
        if ((n.backward == null || n.backward.score < score)
            && (n.next0 == null || n.next0.score > score)) {
            n.score = score;
            return;
        }
        unlink(n);
        n.score = score;
        link(n);
    }

    Node find(final byte[] b, final int off, final int len) {
        return dict.find(b, off, len);
    }

    /** 0-based rank of a node in the list. */
    long rankOf(final Node n) {
        long r = 0;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            for (Node y = x.next(i); y != null && compare(y.score, y.key, n.score, n.key) <= 0; y = x.next(i)) {
                r += x.span(i);
                x = y;
            }
            if (x == n) {
                return r - 1;
            }
        }
        return r - 1;
    }

    /** The node at a 0-based rank, or null out of range. */
    Node byRank(final long r) {
        if (r < 0 || r >= length) {
            return null;
        }
        final long target = r + 1;
        long traversed = 0;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            for (Node y = x.next(i); y != null && traversed + x.span(i) <= target; y = x.next(i)) {
                traversed += x.span(i);
                x = y;
            }
            if (traversed == target) {
                return x;
            }
        }
        return null;
    }

    /** How many leading nodes satisfy a monotone predicate. */
    long countBefore(final Before p) {
        long r = 0;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            for (Node y = x.next(i); y != null && p.test(y); y = x.next(i)) {
                r += x.span(i);
                x = y;
            }
        }
        return r;
    }
}
