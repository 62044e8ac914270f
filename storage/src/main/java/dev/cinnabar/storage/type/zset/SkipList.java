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

    /** A member: its dictionary entry and its skiplist node at once. */
    static final class Node extends Dict.Node {
        double score;
        Node backward;
        final Node[] next;
        final long[] span;

        Node(final byte[] member, final double score, final int level) {
            super(member);
            this.score = score;
            this.next = new Node[level];
            this.span = new long[level];
        }
    }

    /** A monotone predicate over the order: true for a prefix of the list, then false. */
    interface Before {
        boolean test(Node n);
    }

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
        return header.next[0];
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

    /** A node: its fields (key, chain next, score, backward, two arrays), its arrays and its member. */
    private static long nodeBytes(final Node n) {
        return MemorySizes.object(4 + 4 + 8 + 4 + 4 + 4) + MemorySizes.refArray(n.next.length)
            + MemorySizes.longArray(n.span.length) + MemorySizes.byteArray(n.key.length);
    }

    /** The list object, its header node and scratch arrays, the nodes, and the dictionary. */
    long memoryBytes() {
        final long levelArrays = MemorySizes.refArray(MAX_LEVEL) + MemorySizes.longArray(MAX_LEVEL);
        return MemorySizes.object(8 * 4 + 8) + 2 * levelArrays + MemorySizes.object(4 + 4 + 8 + 4 + 4 + 4)
            + MemorySizes.dict(dict.buckets()) + nodeBytes;
    }

    private void link(final Node n) {
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            rank[i] = i == level - 1 ? 0 : rank[i + 1];
            while (x.next[i] != null && compare(x.next[i].score, x.next[i].key, n.score, n.key) < 0) {
                rank[i] += x.span[i];
                x = x.next[i];
            }
            update[i] = x;
        }
        final int lvl = n.next.length;
        if (lvl > level) {
            for (int i = level; i < lvl; i++) {
                rank[i] = 0;
                update[i] = header;
                update[i].span[i] = length;
            }
            level = lvl;
        }
        for (int i = 0; i < lvl; i++) {
            n.next[i] = update[i].next[i];
            update[i].next[i] = n;
            n.span[i] = update[i].span[i] - (rank[0] - rank[i]);
            update[i].span[i] = (rank[0] - rank[i]) + 1;
        }
        for (int i = lvl; i < level; i++) {
            update[i].span[i]++;
        }
        n.backward = update[0] == header ? null : update[0];
        if (n.next[0] != null) {
            n.next[0].backward = n;
        } else {
            tail = n;
        }
        length++;
    }

    private void unlink(final Node n) {
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.next[i] != null && compare(x.next[i].score, x.next[i].key, n.score, n.key) < 0) {
                x = x.next[i];
            }
            update[i] = x;
        }
        for (int i = 0; i < level; i++) {
            if (update[i].next[i] == n) {
                update[i].span[i] += n.span[i] - 1;
                update[i].next[i] = n.next[i];
            } else {
                update[i].span[i]--;
            }
        }
        if (n.next[0] != null) {
            n.next[0].backward = n.backward;
        } else {
            tail = n.backward;
        }
        while (level > 1 && header.next[level - 1] == null) {
            level--;
        }
        length--;
        Arrays.fill(n.next, null);
        Arrays.fill(n.span, 0);
        n.backward = null;
    }

    void delete(final Node n) {
        unlink(n);
        dict.remove(n.key);
        nodeBytes -= nodeBytes(n);
    }

    /** Moves a node to its new score; in place when the order is unchanged (Redis's zslUpdateScore). */
    void updateScore(final Node n, final double score) {
        if ((n.backward == null || n.backward.score < score)
            && (n.next[0] == null || n.next[0].score > score)) {
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
            while (x.next[i] != null && compare(x.next[i].score, x.next[i].key, n.score, n.key) <= 0) {
                r += x.span[i];
                x = x.next[i];
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
            while (x.next[i] != null && traversed + x.span[i] <= target) {
                traversed += x.span[i];
                x = x.next[i];
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
            while (x.next[i] != null && p.test(x.next[i])) {
                r += x.span[i];
                x = x.next[i];
            }
        }
        return r;
    }
}
