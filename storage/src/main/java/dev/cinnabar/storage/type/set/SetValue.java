package dev.cinnabar.storage.type.set;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.SplittableRandom;

import dev.cinnabar.protocol.util.Bytes;
import dev.cinnabar.storage.commands.StorageSettings;
import dev.cinnabar.storage.keyspace.Dict;
import dev.cinnabar.storage.type.MemorySizes;
import dev.cinnabar.storage.type.TypedValue;
import dev.cinnabar.storage.type.ValueType;

/**
 * A set: a sorted, exactly sized long[] (Redis's intset) while every member is an integer in
 * Redis's strict string2ll form and the count stays within set-max-intset-entries; a {@link Dict}
 * of member nodes otherwise.
 *
 * <p>Invariants (Redis 7.0's t_set.c rules):
 * <ol>
 *   <li>Exactly one of {@code ints} and {@code dict} is non-null.</li>
 *   <li>A new set is an intset when its first member is an integer, even if set-max-intset-entries
 *       is 0; the first insert that exceeds the limit, or a non-integer member, converts it.</li>
 *   <li>A hashtable never converts back.</li>
 * </ol>
 * Redis: t_set.c setTypeCreate(), setTypeAdd(), setTypeConvert().
 */
public final class SetValue implements TypedValue {
    /** Receives one member as a slice, valid only during the call. */
    @FunctionalInterface
    public interface MemberVisitor {
        void member(byte[] b, int off, int len);
    }

    static final class Node extends Dict.Node {
        Node(final byte[] member) {
            super(member);
        }
    }

    private static final int SEED = new SplittableRandom().nextInt();
    private static final long[] NO_INTS = new long[0];

    private long[] ints;
    private Dict<Node> dict;
    /** The hashtable's nodes with their members, kept for {@link #memoryBytes}. */
    private long nodeBytes;

    private SetValue(final boolean intset) {
        if (intset) {
            ints = NO_INTS;
        } else {
            dict = new Dict<>(SEED);
        }
    }

    /** An empty set in the encoding Redis picks for a first member (setTypeCreate). */
    public static SetValue createFor(final byte[] b, final int off, final int len) {
        return new SetValue(Bytes.isLong(b, off, len));
    }

    /** An empty intset, the form SINTERSTORE/SUNIONSTORE/SDIFFSTORE start their result from. */
    public static SetValue intset() {
        return new SetValue(true);
    }

    /** An intset holding {@code sortedUnique} (kept, not copied), as an RDB intset blob decodes. */
    public static SetValue ofInts(final long[] sortedUnique) {
        final SetValue s = new SetValue(true);
        s.ints = sortedUnique;
        return s;
    }

    /** The members of an intset in ascending order (do not modify), null for a hashtable. */
    public long[] intsView() {
        return ints;
    }

    @Override
    public ValueType type() {
        return ValueType.SET;
    }

    @Override
    public String encoding() {
        return ints != null ? "intset" : "hashtable";
    }

    @Override
    public long memoryBytes() {
        final long self = MemorySizes.object(4 + 4 + 8);
        if (ints != null) {
            return self + MemorySizes.longArray(ints.length);
        }
        return self + MemorySizes.dict(dict.buckets()) + nodeBytes;
    }

    /** A node: its object (member and chain next references) and the member's array. */
    private static long nodeBytes(final byte[] member) {
        return MemorySizes.object(2 * 4) + MemorySizes.byteArray(member.length);
    }

    private void addNode(final Dict<Node> d, final byte[] member) {
        d.add(new Node(member));
        nodeBytes += nodeBytes(member);
    }

    /** A copy in the same encoding: intset arrays are replaced on change, never written in place. */
    @Override
    public SetValue copy() {
        final SetValue s = new SetValue(ints != null);
        if (ints != null) {
            s.ints = ints;
            return s;
        }
        dict.forEach(n -> s.dict.add(new Node(n.key)));
        s.nodeBytes = nodeBytes;
        return s;
    }

    public boolean isIntset() {
        return ints != null;
    }

    public int size() {
        return ints != null ? ints.length : dict.size();
    }

    public boolean contains(final byte[] b, final int off, final int len) {
        if (ints != null) {
            return Bytes.isLong(b, off, len) && Arrays.binarySearch(ints, Bytes.parseLong(b, off, len)) >= 0;
        }
        return dict.find(b, off, len) != null;
    }

    /** Adds a member (copied when stored); true when it was new. */
    public boolean add(final byte[] b, final int off, final int len, final StorageSettings s) {
        if (ints != null) {
            if (Bytes.isLong(b, off, len)) {
                final long v = Bytes.parseLong(b, off, len);
                final int i = Arrays.binarySearch(ints, v);
                if (i >= 0) {
                    return false;
                }
                final int at = -i - 1;
                final long[] r = new long[ints.length + 1];
                System.arraycopy(ints, 0, r, 0, at);
                r[at] = v;
                System.arraycopy(ints, at, r, at + 1, ints.length - at);
                ints = r;
                if (ints.length > s.setMaxIntsetEntries) {
                    convert();
                }
                return true;
            }
            convert();
        }
        if (dict.find(b, off, len) != null) {
            return false;
        }
        addNode(dict, Arrays.copyOfRange(b, off, off + len));
        return true;
    }

    public boolean add(final byte[] member, final StorageSettings s) {
        return add(member, 0, member.length, s);
    }

    /** Removes a member; true when it was present. */
    public boolean remove(final byte[] b, final int off, final int len) {
        if (ints == null) {
            final Node n = dict.remove(b, off, len);
            if (n == null) {
                return false;
            }
            nodeBytes -= nodeBytes(n.key);
            return true;
        }
        if (!Bytes.isLong(b, off, len)) {
            return false;
        }
        final int i = Arrays.binarySearch(ints, Bytes.parseLong(b, off, len));
        if (i < 0) {
            return false;
        }
        removeIntAt(i);
        return true;
    }

    private void removeIntAt(final int i) {
        final long[] r = new long[ints.length - 1];
        System.arraycopy(ints, 0, r, 0, i);
        System.arraycopy(ints, i + 1, r, i, ints.length - i - 1);
        ints = r;
    }

    private void convert() {
        final Dict<Node> d = new Dict<>(SEED);
        for (final long v : ints) {
            addNode(d, Bytes.fromLong(v));
        }
        dict = d;
        ints = null;
    }

    private static void visitInt(final long v, final MemberVisitor fn) {
        final byte[] text = Bytes.fromLong(v);
        fn.member(text, 0, text.length);
    }

    /** Every member: an intset in ascending order; the set must not change meanwhile. */
    public void forEach(final MemberVisitor fn) {
        if (ints != null) {
            for (final long v : ints) {
                visitInt(v, fn);
            }
        } else {
            dict.forEach(n -> fn.member(n.key, 0, n.key.length));
        }
    }

    /** One SSCAN step: an intset is returned whole with cursor 0, a hashtable follows the dict cursor. */
    public long scan(final long cursor, final MemberVisitor fn) {
        if (ints != null) {
            forEach(fn);
            return 0;
        }
        return dict.scan(cursor, n -> fn.member(n.key, 0, n.key.length));
    }

    /** A uniformly chosen member (the set must not be empty). */
    public byte[] random(final SplittableRandom rnd) {
        if (ints != null) {
            return Bytes.fromLong(ints[rnd.nextInt(ints.length)]);
        }
        return dict.random(rnd).key;
    }

    /** Removes and returns a uniformly chosen member (the set must not be empty). */
    public byte[] pop(final SplittableRandom rnd) {
        if (ints != null) {
            final int i = rnd.nextInt(ints.length);
            final byte[] m = Bytes.fromLong(ints[i]);
            removeIntAt(i);
            return m;
        }
        final Node n = dict.random(rnd);
        dict.remove(n.key);
        nodeBytes -= nodeBytes(n.key);
        return n.key;
    }

    /**
     * Visits {@code count} distinct members chosen at random (count below size): an intset in
     * ascending order, a hashtable in pick order.
     */
    public void randomDistinct(final SplittableRandom rnd, final int count, final MemberVisitor fn) {
        if (ints != null) {
            int needed = count;
            for (int i = 0; i < ints.length && needed > 0; i++) {
                if (rnd.nextInt(ints.length - i) < needed) {
                    visitInt(ints[i], fn);
                    needed--;
                }
            }
            return;
        }
        if ((long) count * 3 > dict.size()) {
            final ArrayList<Node> all = new ArrayList<>(dict.size());
            dict.forEach(all::add);
            for (int i = all.size() - 1; i >= count; i--) {
                all.set(rnd.nextInt(i + 1), all.get(i));
            }
            for (int i = 0; i < count; i++) {
                fn.member(all.get(i).key, 0, all.get(i).key.length);
            }
            return;
        }
        final Set<Node> picked = Collections.newSetFromMap(new IdentityHashMap<>());
        while (picked.size() < count) {
            final Node n = dict.random(rnd);
            if (picked.add(n)) {
                fn.member(n.key, 0, n.key.length);
            }
        }
    }
}
