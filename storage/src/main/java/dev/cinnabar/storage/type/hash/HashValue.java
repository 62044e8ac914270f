package dev.cinnabar.storage.type.hash;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.SplittableRandom;

import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.protocol.resp.RespWriter;
import dev.cinnabar.storage.commands.StorageSettings;
import dev.cinnabar.storage.keyspace.Dict;
import dev.cinnabar.storage.type.Listpack;
import dev.cinnabar.storage.type.MemorySizes;
import dev.cinnabar.storage.type.TypedValue;
import dev.cinnabar.storage.type.ValueType;

/**
 * A hash: a {@link Listpack} of alternating fields and values while small, a {@link Dict} of
 * field nodes past Redis's thresholds.
 *
 * <p>Invariants (Redis 7.0's t_hash.c rules):
 * <ol>
 *   <li>Exactly one of {@code lp} and {@code dict} is non-null.</li>
 *   <li>The listpack converts when a field or value longer than hash-max-listpack-value is about to
 *       be written, or when an insert makes the hash longer than hash-max-listpack-entries.</li>
 *   <li>A hashtable never converts back, even when it shrinks (neither does Redis).</li>
 * </ol>
 * Redis: t_hash.c hashTypeTryConversion(), hashTypeSet(), hashTypeConvertListpack().
 */
public final class HashValue implements TypedValue {
    /** Receives one field/value pair as slices; the slices are valid only during the call. */
    @FunctionalInterface
    public interface PairVisitor {
        void pair(byte[] fb, int foff, int flen, byte[] vb, int voff, int vlen);
    }

    static final class Node extends Dict.Node {
        byte[] value;

        Node(final byte[] field, final byte[] value) {
            super(field);
            this.value = value;
        }
    }

    private static final int SEED = new SplittableRandom().nextInt();

    private byte[] lp = Listpack.EMPTY;
    private int lpPairs;
    private Dict<Node> dict;
    /** The hashtable's nodes with their fields and values, kept for {@link #memoryBytes}. */
    private long nodeBytes;

    @Override
    public ValueType type() {
        return ValueType.HASH;
    }

    @Override
    public String encoding() {
        return lp != null ? "listpack" : "hashtable";
    }

    @Override
    public long memoryBytes() {
        final long self = MemorySizes.object(4 + 4 + 4 + 8);
        if (lp != null) {
            return self + MemorySizes.byteArray(lp.length);
        }
        return self + MemorySizes.dict(dict.buckets()) + nodeBytes;
    }

    /** A node: its object (field, chain next and value references) and both arrays. */
    private static long nodeBytes(final byte[] field, final byte[] value) {
        return MemorySizes.object(3 * 4) + MemorySizes.byteArray(field.length) + MemorySizes.byteArray(value.length);
    }

    /**
     * A copy in the same encoding. Listpack arrays and node values are replaced, never written in
     * place, so the copy shares them; the hashtable gets its own nodes.
     */
    @Override
    public HashValue copy() {
        final HashValue h = new HashValue();
        if (lp != null) {
            h.lp = lp;
            h.lpPairs = lpPairs;
            return h;
        }
        final Dict<Node> d = new Dict<>(SEED);
        dict.forEach(n -> d.add(new Node(n.key, n.value)));
        h.lp = null;
        h.dict = d;
        h.nodeBytes = nodeBytes;
        return h;
    }

    public boolean isListpack() {
        return lp != null;
    }

    public int size() {
        return lp != null ? lpPairs : dict.size();
    }

    /** Position of the field entry in the listpack, or -1. */
    private int find(final byte[] b, final int off, final int len) {
        for (int p = 0; p < lp.length; p = Listpack.next(lp, Listpack.next(lp, p))) {
            if (Listpack.equals(lp, p, b, off, len)) {
                return p;
            }
        }
        return -1;
    }

    public boolean exists(final byte[] b, final int off, final int len) {
        return lp != null ? find(b, off, len) >= 0 : dict.find(b, off, len) != null;
    }

    /** The value's length, or -1 when the field is missing. */
    public int valueLength(final byte[] b, final int off, final int len) {
        if (lp != null) {
            final int p = find(b, off, len);
            return p < 0 ? -1 : Listpack.length(lp, Listpack.next(lp, p));
        }
        final Node n = dict.find(b, off, len);
        return n == null ? -1 : n.value.length;
    }

    /** Writes the field's value as a bulk string; false (nothing written) when the field is missing. */
    public boolean replyValue(final RespWriter w, final byte[] b, final int off, final int len) {
        if (lp != null) {
            final int p = find(b, off, len);
            if (p < 0) {
                return false;
            }
            final int v = Listpack.next(lp, p);
            w.bulk(lp, Listpack.data(lp, v), Listpack.length(lp, v));
            return true;
        }
        final Node n = dict.find(b, off, len);
        if (n == null) {
            return false;
        }
        w.bulk(n.value);
        return true;
    }

    /** The field's value (do not modify it), or null. */
    public byte[] value(final byte[] b, final int off, final int len) {
        if (lp != null) {
            final int p = find(b, off, len);
            return p < 0 ? null : Listpack.copy(lp, Listpack.next(lp, p));
        }
        final Node n = dict.find(b, off, len);
        return n == null ? null : n.value;
    }

    /**
     * Redis's hashTypeTryConversion: converts before a multi-field write when any of arguments
     * [from, to] is longer than hash-max-listpack-value.
     */
    public void convertForArgs(final Args a, final int from, final int to, final StorageSettings s) {
        if (lp == null) {
            return;
        }
        for (int i = from; i <= to; i++) {
            if (a.length(i) > s.hashMaxListpackValue) {
                convert();
                return;
            }
        }
    }

    /**
     * Sets a field (both arrays are kept, not copied); true when the field is new. Converts first
     * when either is too long for the listpack, and after an insert past the entries limit.
     */
    public boolean set(final byte[] field, final byte[] value, final StorageSettings s) {
        if (lp != null && (field.length > s.hashMaxListpackValue || value.length > s.hashMaxListpackValue)) {
            convert();
        }
        if (lp == null) {
            final Node n = dict.find(field);
            if (n != null) {
                nodeBytes += MemorySizes.byteArray(value.length) - MemorySizes.byteArray(n.value.length);
                n.value = value;
                return false;
            }
            dict.add(new Node(field, value));
            nodeBytes += nodeBytes(field, value);
            return true;
        }
        final int p = find(field, 0, field.length);
        if (p >= 0) {
            lp = Listpack.replace(lp, Listpack.next(lp, p), value, 0, value.length);
            return false;
        }
        final byte[] withField = Listpack.append(lp, field, 0, field.length);
        lp = Listpack.append(withField, value, 0, value.length);
        lpPairs++;
        if (lpPairs > s.hashMaxListpackEntries) {
            convert();
        }
        return true;
    }

    /** Removes a field; true when it existed. */
    public boolean delete(final byte[] b, final int off, final int len) {
        if (lp == null) {
            final Node n = dict.remove(b, off, len);
            if (n == null) {
                return false;
            }
            nodeBytes -= nodeBytes(n.key, n.value);
            return true;
        }
        final int p = find(b, off, len);
        if (p < 0) {
            return false;
        }
        lp = Listpack.cut(lp, p, Listpack.next(lp, Listpack.next(lp, p)));
        lpPairs--;
        return true;
    }

    private void convert() {
        final Dict<Node> d = new Dict<>(SEED);
        for (int p = 0; p < lp.length; ) {
            final int v = Listpack.next(lp, p);
            final Node n = new Node(Listpack.copy(lp, p), Listpack.copy(lp, v));
            d.add(n);
            nodeBytes += nodeBytes(n.key, n.value);
            p = Listpack.next(lp, v);
        }
        dict = d;
        lp = null;
        lpPairs = 0;
    }

    /** Every pair, in the encoding's order; the hash must not change meanwhile. */
    public void forEach(final PairVisitor v) {
        if (lp != null) {
            visitPacked(lp, v);
        } else {
            dict.forEach(n -> v.pair(n.key, 0, n.key.length, n.value, 0, n.value.length));
        }
    }

    private static void visitPacked(final byte[] lp, final PairVisitor v) {
        for (int p = 0; p < lp.length; ) {
            final int q = Listpack.next(lp, p);
            v.pair(lp, Listpack.data(lp, p), Listpack.length(lp, p), lp, Listpack.data(lp, q), Listpack.length(lp, q));
            p = Listpack.next(lp, q);
        }
    }

    /**
     * One HSCAN step: a listpack is returned whole with cursor 0 (Redis does the same for small
     * encodings); a hashtable follows the dict's reverse-binary cursor.
     */
    public long scan(final long cursor, final PairVisitor v) {
        if (lp != null) {
            visitPacked(lp, v);
            return 0;
        }
        return dict.scan(cursor, n -> v.pair(n.key, 0, n.key.length, n.value, 0, n.value.length));
    }

    /** Visits one uniformly chosen pair (the hash must not be empty). */
    public void randomPair(final SplittableRandom rnd, final PairVisitor v) {
        if (lp != null) {
            visitIndex(rnd.nextInt(lpPairs), v);
            return;
        }
        final Node n = dict.random(rnd);
        v.pair(n.key, 0, n.key.length, n.value, 0, n.value.length);
    }

    /** Visits the pair at a listpack index (listpack only). */
    private void visitIndex(final int index, final PairVisitor v) {
        int p = 0;
        for (int i = 0; i < index; i++) {
            p = Listpack.next(lp, Listpack.next(lp, p));
        }
        final int q = Listpack.next(lp, p);
        v.pair(lp, Listpack.data(lp, p), Listpack.length(lp, p), lp, Listpack.data(lp, q), Listpack.length(lp, q));
    }

    /**
     * Visits {@code count} distinct pairs chosen at random (count below size). A listpack yields them
     * in listpack order, as Redis's lpRandomPairsUnique does; a hashtable in pick order.
     */
    public void randomDistinct(final SplittableRandom rnd, final int count, final PairVisitor v) {
        if (lp != null) {
            // selection sampling (Knuth's algorithm S): one pass, each pair kept with the right odds
            int needed = count;
            int left = lpPairs;
            for (int p = 0; p < lp.length && needed > 0; left--) {
                final int q = Listpack.next(lp, p);
                if (rnd.nextInt(left) < needed) {
                    v.pair(lp, Listpack.data(lp, p), Listpack.length(lp, p), lp, Listpack.data(lp, q),
                        Listpack.length(lp, q));
                    needed--;
                }
                p = Listpack.next(lp, q);
            }
            return;
        }
        if ((long) count * 3 > dict.size()) {
            // Redis's CASE 3: many of the elements are wanted, so drop random ones from a full copy
            final ArrayList<Node> all = new ArrayList<>(dict.size());
            dict.forEach(all::add);
            for (int i = all.size() - 1; i >= count; i--) {
                final int j = rnd.nextInt(i + 1);
                all.set(j, all.get(i));
            }
            for (int i = 0; i < count; i++) {
                final Node n = all.get(i);
                v.pair(n.key, 0, n.key.length, n.value, 0, n.value.length);
            }
            return;
        }
        final Set<Node> picked = Collections.newSetFromMap(new IdentityHashMap<>());
        while (picked.size() < count) {
            final Node n = dict.random(rnd);
            if (picked.add(n)) {
                v.pair(n.key, 0, n.key.length, n.value, 0, n.value.length);
            }
        }
    }
}
