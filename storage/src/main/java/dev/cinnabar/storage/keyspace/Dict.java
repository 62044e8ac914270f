package dev.cinnabar.storage.keyspace;

import java.util.function.Consumer;

/**
 * Redis's dict: a chained hash table keyed by byte strings, resized by incremental rehashing, with
 * the reverse-binary SCAN cursor.
 *
 * <p>Why chaining with power-of-two tables, not open addressing: the SCAN guarantee (a key present
 * for the whole scan is returned at least once, across any number of resizes) rests on a key's
 * bucket being a prefix function of its hash, which only chained power-of-two tables give.
 *
 * <p>Invariants:
 * <ol>
 *   <li>While rehashing ({@code rehashIdx >= 0}) buckets {@code [0, rehashIdx)} of table 0 are
 *       empty and every key lives in exactly one of the two tables.</li>
 *   <li>Each lookup, insert and delete moves one bucket (Redis's _dictRehashStep); the cron moves
 *       more in bounded slices ({@link #rehashMicroseconds}).</li>
 *   <li>Nodes carry no stored hash; a rehash recomputes it, which keeps a node at 3 references.</li>
 * </ol>
 * Redis: dict.c dictScan(), _dictExpandIfNeeded(), _dictRehashStep().
 */
public class Dict<N extends Dict.Node> {
    /** A chain node; subclasses carry the value. */
    public abstract static class Node {
        public final byte[] key;
        Node next;

        protected Node(final byte[] key) {
            this.key = key;
        }
    }

    private static final int INITIAL = 4;
    private static final Node[] EMPTY = new Node[0];
    /** Redis's HASHTABLE_MIN_FILL: shrink when under 10% full. */
    private static final int MIN_FILL_PERCENT = 10;

    private final int seed;
    private Node[] t0 = EMPTY;
    private Node[] t1 = EMPTY;
    private int used0;
    private int used1;
    private int rehashIdx = -1;
    private int pauseRehash;

    public Dict(final int seed) {
        this.seed = seed;
    }

    public final int size() {
        return used0 + used1;
    }

    public final int buckets() {
        return t0.length + t1.length;
    }

    public final boolean isRehashing() {
        return rehashIdx >= 0;
    }

    final int hash(final byte[] b, final int off, final int len) {
        return Hashing.murmur3(b, off, len, seed);
    }

    @SuppressWarnings("unchecked")
    public final N find(final byte[] b, final int off, final int len) {
        if (size() == 0) {
            return null;
        }
        if (isRehashing()) {
            rehashStep();
        }
        final int h = hash(b, off, len);
        final Node n = chainFind(t0, h, b, off, len);
        return (N) (n != null || !isRehashing() ? n : chainFind(t1, h, b, off, len));
    }

    public final N find(final byte[] key) {
        return find(key, 0, key.length);
    }

    /** Inserts a node whose key is known to be absent. */
    public final void add(final N node) {
        if (isRehashing()) {
            rehashStep();
        }
        expandIfNeeded();
        insert(node, hash(node.key, 0, node.key.length));
    }

    /**
     * Inserts {@code node} unless its key is present, hashing the key once (an RDB load's find-then-add);
     * returns the node already there, or null when {@code node} went in.
     */
    @SuppressWarnings("unchecked")
    public final N addIfAbsent(final N node) {
        if (isRehashing()) {
            rehashStep();
        }
        expandIfNeeded();
        final byte[] k = node.key;
        final int h = hash(k, 0, k.length);
        final Node found = isRehashing() ? chainFind(t1, h, k, 0, k.length) : null;
        final Node existing = found != null ? found : chainFind(t0, h, k, 0, k.length);
        if (existing != null) {
            return (N) existing;
        }
        insert(node, h);
        return null;
    }

    /** The node of the key in {@code b[off, off + len)} in the bucket chain of hash {@code h}, or null. */
    private static Node chainFind(final Node[] t, final int h, final byte[] b, final int off, final int len) {
        if (t.length == 0) {
            return null;
        }
        for (Node n = t[h & (t.length - 1)]; n != null; n = n.next) {
            if (java.util.Arrays.equals(n.key, 0, n.key.length, b, off, off + len)) {
                return n;
            }
        }
        return null;
    }

    private void insert(final N node, final int h) {
        if (isRehashing()) {
            final int i = h & (t1.length - 1);
            node.next = t1[i];
            t1[i] = node;
            used1++;
        } else {
            final int i = h & (t0.length - 1);
            node.next = t0[i];
            t0[i] = node;
            used0++;
        }
    }

    /** Replaces {@code old} (found in this dict) by {@code node} with the same key, in place. */
    public final void replace(final N old, final N node) {
        final int h = hash(old.key, 0, old.key.length);
        if (!replaceIn(t0, h, old, node) && isRehashing()) {
            replaceIn(t1, h, old, node);
        }
    }

    private static boolean replaceIn(final Node[] t, final int h, final Node old, final Node node) {
        if (t.length == 0) {
            return false;
        }
        final int i = h & (t.length - 1);
        Node prev = null;
        for (Node n = t[i]; n != null; prev = n, n = n.next) {
            if (n == old) {
                node.next = n.next;
                if (prev == null) {
                    t[i] = node;
                } else {
                    prev.next = node;
                }
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    public final N remove(final byte[] b, final int off, final int len) {
        if (size() == 0) {
            return null;
        }
        if (isRehashing()) {
            rehashStep();
        }
        final int h = hash(b, off, len);
        for (int table = 0; table < 2; table++) {
            final Node[] t = table == 0 ? t0 : t1;
            if (t.length == 0) {
                continue;
            }
            final int i = h & (t.length - 1);
            Node prev = null;
            for (Node n = t[i]; n != null; prev = n, n = n.next) {
                if (java.util.Arrays.equals(n.key, 0, n.key.length, b, off, off + len)) {
                    if (prev == null) {
                        t[i] = n.next;
                    } else {
                        prev.next = n.next;
                    }
                    n.next = null;
                    if (table == 0) {
                        used0--;
                    } else {
                        used1--;
                    }
                    return (N) n;
                }
            }
            if (!isRehashing()) {
                break;
            }
        }
        return null;
    }

    public final N remove(final byte[] key) {
        return remove(key, 0, key.length);
    }

    public final void clear() {
        t0 = EMPTY;
        t1 = EMPTY;
        used0 = used1 = 0;
        rehashIdx = -1;
    }

    private void expandIfNeeded() {
        if (isRehashing()) {
            return;
        }
        if (t0.length == 0) {
            t0 = new Node[INITIAL];
            return;
        }
        // load factor 1, as Redis when no child process exists (we never fork)
        if (used0 >= t0.length) {
            resize(nextPower(used0 + 1));
        }
    }

    /**
     * Grows the table for {@code n} entries at once (Redis's dictExpand, used by the RDB loader's
     * RESIZEDB hint); nothing while rehashing or when the table is large enough already.
     */
    public final void expand(final int n) {
        if (!isRehashing() && n > t0.length) {
            resize(nextPower(n));
        }
    }

    /** Shrinks a sparse table (Redis's htNeedsResize / dictResize, run from the cron). */
    public final boolean shrinkIfNeeded() {
        if (isRehashing() || t0.length <= INITIAL) {
            return false;
        }
        if ((long) used0 * 100 / t0.length < MIN_FILL_PERCENT) {
            resize(nextPower(Math.max(used0, INITIAL)));
            return true;
        }
        return false;
    }

    private void resize(final int size) {
        if (size == t0.length) {
            return;
        }
        t1 = new Node[size];
        used1 = 0;
        rehashIdx = 0;
        if (used0 == 0) {
            finishRehash();
        }
    }

    private static int nextPower(final int n) {
        int s = INITIAL;
        while (s < n && s < (1 << 30)) {
            s <<= 1;
        }
        return s;
    }

    private void rehashStep() {
        if (pauseRehash == 0) {
            rehash(1);
        }
    }

    /** Moves up to n buckets (visiting at most 10n empty ones); returns true while more remain. */
    public final boolean rehash(final int n) {
        if (!isRehashing()) {
            return false;
        }
        int emptyVisits = n * 10;
        int todo = n;
        while (todo-- > 0 && used0 != 0) {
            while (t0[rehashIdx] == null) {
                rehashIdx++;
                if (--emptyVisits == 0) {
                    return true;
                }
            }
            Node node = t0[rehashIdx];
            while (node != null) {
                final Node next = node.next;
                final int i = hash(node.key, 0, node.key.length) & (t1.length - 1);
                node.next = t1[i];
                t1[i] = node;
                used0--;
                used1++;
                node = next;
            }
            t0[rehashIdx] = null;
            rehashIdx++;
        }
        if (used0 == 0) {
            finishRehash();
            return false;
        }
        return true;
    }

    private void finishRehash() {
        t0 = t1;
        used0 = used1;
        t1 = EMPTY;
        used1 = 0;
        rehashIdx = -1;
    }

    /** Rehashes in steps of 100 buckets for about {@code micros}; returns the steps done. */
    public final int rehashMicroseconds(final long micros) {
        if (pauseRehash > 0) {
            return 0;
        }
        final long deadline = System.nanoTime() + micros * 1000;
        int steps = 0;
        while (rehash(100)) {
            steps += 100;
            if (System.nanoTime() > deadline) {
                break;
            }
        }
        return steps;
    }

    /**
     * One SCAN step from {@code cursor}: emits the buckets the cursor names and returns the next
     * cursor (0 when the scan is complete). Rehashing is not advanced by a scan.
     */
    @SuppressWarnings("unchecked")
    public final long scan(final long cursor, final Consumer<N> fn) {
        if (size() == 0) {
            return 0;
        }
        long v = cursor;
        pauseRehash++;
        try {
            if (!isRehashing()) {
                final long m0 = t0.length - 1;
                emit(t0[(int) (v & m0)], fn);
                v |= ~m0;
                v = Long.reverse(Long.reverse(v) + 1);
            } else {
                Node[] small = t0;
                Node[] large = t1;
                if (small.length > large.length) {
                    small = t1;
                    large = t0;
                }
                final long m0 = small.length - 1;
                final long m1 = large.length - 1;
                emit(small[(int) (v & m0)], fn);
                do {
                    emit(large[(int) (v & m1)], fn);
                    v |= ~m1;
                    v = Long.reverse(Long.reverse(v) + 1);
                } while ((v & (m0 ^ m1)) != 0);
            }
        } finally {
            pauseRehash--;
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    private void emit(Node n, final Consumer<N> fn) {
        while (n != null) {
            final Node next = n.next;
            fn.accept((N) n);
            n = next;
        }
    }

    /** Every node; the consumer must not modify the dict. */
    @SuppressWarnings("unchecked")
    public final void forEach(final Consumer<N> fn) {
        pauseRehash++;
        try {
            for (final Node[] t : new Node[][] {t0, t1}) {
                for (Node head : t) {
                    for (Node n = head; n != null; n = n.next) {
                        fn.accept((N) n);
                    }
                }
            }
        } finally {
            pauseRehash--;
        }
    }

    /**
     * Up to {@code count} distinct nodes from around a random position (Redis's dictGetSomeKeys):
     * consecutive buckets of both tables are walked from a random index, jumping elsewhere after
     * five empty buckets in a row once enough are seen, for at most {@code count * 10} buckets.
     * Cheaper than {@code count} calls of {@link #random}, at the price of less independent picks,
     * which is all eviction sampling needs. Returns how many nodes were stored in {@code out}.
     */
    @SuppressWarnings("unchecked")
    public final int sample(final N[] out, final int count, final java.util.random.RandomGenerator rnd) {
        final int want = Math.min(count, size());
        if (want == 0) {
            return 0;
        }
        for (int j = 0; j < want && isRehashing(); j++) {
            rehashStep();
        }
        final int tables = isRehashing() ? 2 : 1;
        int maxMask = t0.length - 1;
        if (tables > 1 && t1.length - 1 > maxMask) {
            maxMask = t1.length - 1;
        }
        long maxSteps = (long) want * 10;
        int i = rnd.nextInt(maxMask + 1);
        int emptyLen = 0;
        int stored = 0;
        while (stored < want && maxSteps-- > 0) {
            for (int table = 0; table < tables; table++) {
                final Node[] t = table == 0 ? t0 : t1;
                // buckets of table 0 below rehashIdx are empty: skip to the same index of table 1
                if (tables == 2 && table == 0 && i < rehashIdx) {
                    if (i >= t1.length) {
                        i = rehashIdx;
                    } else {
                        continue;
                    }
                }
                if (i >= t.length) {
                    continue;
                }
                Node n = t[i];
                if (n == null) {
                    emptyLen++;
                    if (emptyLen >= 5 && emptyLen > want) {
                        i = rnd.nextInt(maxMask + 1);
                        emptyLen = 0;
                    }
                } else {
                    emptyLen = 0;
                    while (n != null && stored < want) {
                        out[stored++] = (N) n;
                        n = n.next;
                    }
                }
            }
            i = (i + 1) & maxMask;
        }
        return stored;
    }

    /**
     * A random node (Redis's dictGetRandomKey: a random non-empty bucket, then a random element of
     * its chain), or null when empty.
     */
    @SuppressWarnings("unchecked")
    public final N random(final java.util.random.RandomGenerator rnd) {
        if (size() == 0) {
            return null;
        }
        if (isRehashing()) {
            rehashStep();
        }
        Node head;
        do {
            if (isRehashing()) {
                final int span = t0.length + t1.length - rehashIdx;
                final int r = rehashIdx + rnd.nextInt(span);
                head = r >= t0.length ? t1[r - t0.length] : t0[r];
            } else {
                head = t0[rnd.nextInt(t0.length)];
            }
        } while (head == null);
        int len = 0;
        for (Node n = head; n != null; n = n.next) {
            len++;
        }
        int k = rnd.nextInt(len);
        Node n = head;
        while (k-- > 0) {
            n = n.next;
        }
        return (N) n;
    }
}
