package dev.cinnabar.storage.type.list;

import java.util.Arrays;
import java.util.function.IntPredicate;

import dev.cinnabar.storage.type.MemorySizes;
import dev.cinnabar.storage.type.TypedValue;
import dev.cinnabar.storage.type.ValueType;

/**
 * A list: a ring buffer of element arrays, so pushes and pops at both ends are O(1) and LINDEX,
 * LSET and LRANGE reach any position in O(1). Redis 7.0 stores every list as a quicklist (listpack
 * nodes), whatever its size, so OBJECT ENCODING always reports "quicklist" here too; the
 * list-max-listpack-size setting only shapes Redis's node sizes, which nothing observable depends on.
 *
 * <p>Invariants: elements live at {@code items[(head + i) & (items.length - 1)]} for i in [0, size);
 * the capacity is a power of two; empty slots hold null so popped elements can be collected.
 */
public final class QuickList implements TypedValue {
    private byte[][] items = new byte[4][];
    private int head;
    private int size;
    /** The element arrays' heap, kept for {@link #memoryBytes}. */
    private long elementBytes;

    @Override
    public ValueType type() {
        return ValueType.LIST;
    }

    @Override
    public String encoding() {
        return "quicklist";
    }

    @Override
    public long memoryBytes() {
        return MemorySizes.object(4 + 4 + 4 + 8) + MemorySizes.refArray(items.length) + elementBytes;
    }

    private static long bytes(final byte[] v) {
        return v == null ? 0 : MemorySizes.byteArray(v.length);
    }

    /** A copy sharing the element arrays, which are never written in place (LSET stores a new one). */
    @Override
    public QuickList copy() {
        final QuickList q = new QuickList();
        q.items = items.clone();
        q.head = head;
        q.size = size;
        q.elementBytes = elementBytes;
        return q;
    }

    public int size() {
        return size;
    }

    private int slot(final int i) {
        return (head + i) & (items.length - 1);
    }

    public byte[] get(final int i) {
        return items[slot(i)];
    }

    public void set(final int i, final byte[] v) {
        final int s = slot(i);
        elementBytes += bytes(v) - bytes(items[s]);
        items[s] = v;
    }

    private void grow() {
        if (size < items.length) {
            return;
        }
        final byte[][] r = new byte[items.length * 2][];
        for (int i = 0; i < size; i++) {
            r[i] = get(i);
        }
        items = r;
        head = 0;
    }

    public void pushHead(final byte[] v) {
        grow();
        head = (head - 1) & (items.length - 1);
        items[head] = v;
        elementBytes += bytes(v);
        size++;
    }

    public void pushTail(final byte[] v) {
        grow();
        items[slot(size)] = v;
        elementBytes += bytes(v);
        size++;
    }

    public void push(final byte[] v, final boolean atHead) {
        if (atHead) {
            pushHead(v);
        } else {
            pushTail(v);
        }
    }

    public byte[] popHead() {
        final byte[] v = items[head];
        items[head] = null;
        elementBytes -= bytes(v);
        head = (head + 1) & (items.length - 1);
        size--;
        return v;
    }

    public byte[] popTail() {
        final int s = slot(size - 1);
        final byte[] v = items[s];
        items[s] = null;
        elementBytes -= bytes(v);
        size--;
        return v;
    }

    public byte[] pop(final boolean atHead) {
        return atHead ? popHead() : popTail();
    }

    /** Inserts before position i (0..size). */
    public void insert(final int i, final byte[] v) {
        if (i == 0) {
            pushHead(v);
            return;
        }
        pushTail(v);
        for (int k = size - 1; k > i; k--) {
            set(k, get(k - 1));
        }
        set(i, v);
    }

    /** Removes the elements at the positions {@code remove} accepts (asked in ascending order), keeping order. */
    public int removeIf(final IntPredicate remove) {
        int w = 0;
        for (int r = 0; r < size; r++) {
            final byte[] v = get(r);
            if (!remove.test(r)) {
                set(w++, v);
            }
        }
        final int removed = size - w;
        for (int k = w; k < size; k++) {
            set(k, null);
        }
        size = w;
        return removed;
    }

    /** Keeps positions [start, end] (both valid, start <= end), dropping the rest. */
    public void trim(final int start, final int end) {
        for (int i = 0; i < start; i++) {
            popHead();
        }
        final int drop = size - (end - start + 1);
        for (int i = 0; i < drop; i++) {
            popTail();
        }
        if (size < items.length / 4 && items.length > 4) {
            shrink();
        }
    }

    private void shrink() {
        int cap = 4;
        while (cap < size) {
            cap <<= 1;
        }
        final byte[][] r = new byte[cap][];
        for (int i = 0; i < size; i++) {
            r[i] = get(i);
        }
        items = r;
        head = 0;
    }

    /** Whether element i equals the given bytes. */
    public boolean equalsAt(final int i, final byte[] b, final int off, final int len) {
        final byte[] v = get(i);
        return Arrays.equals(v, 0, v.length, b, off, off + len);
    }
}
