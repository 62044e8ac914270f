package dev.cinnabar.storage.rdb;

import dev.cinnabar.storage.type.RawString;
import dev.cinnabar.storage.type.TypedValue;
import dev.cinnabar.storage.type.hash.HashValue;
import dev.cinnabar.storage.type.list.QuickList;
import dev.cinnabar.storage.type.set.SetValue;
import dev.cinnabar.storage.type.stream.StreamValue;
import dev.cinnabar.storage.type.zset.ZSet;

/**
 * Serializes one value in the RDB encoding Redis 7.0 would save it in: strings raw, integer or
 * LZF; lists as quicklist 2 of listpack nodes sized by list-max-listpack-size; intsets and
 * listpacks for small sets, hashes and sorted sets; plain counts of elements otherwise; streams as
 * the bytes they were read as ({@link StreamValue}). This is
 * the body of a key in a file and the whole of a DUMP payload but its footer.
 * Redis: rdb.c rdbSaveObjectType(), rdbSaveObject().
 */
final class RdbValueWriter {
    /** Redis's default packed_threshold: a list element this large gets a plain node of its own. */
    private static final int PLAIN_THRESHOLD = 1 << 30;
    /** quicklist's SIZE_SAFETY_LIMIT, the node bytes a positive list-max-listpack-size still obeys. */
    private static final int SIZE_SAFETY_LIMIT = 8192;
    /** Node byte limits for list-max-listpack-size -1 .. -5. */
    private static final int[] NODE_BYTES = {4096, 8192, 16384, 32768, 65536};

    private final RdbOutput out;
    private final ListpackWriter lp = new ListpackWriter();
    private final int listFill;

    RdbValueWriter(final RdbOutput out, final int listMaxListpackSize) {
        this.out = out;
        this.listFill = listMaxListpackSize;
    }

    /** The RDB type byte of a value. */
    static int typeOf(final Object v) throws RdbException {
        if (v instanceof byte[] || v instanceof RawString) {
            return RdbType.STRING;
        }
        if (v instanceof QuickList) {
            return RdbType.LIST_QUICKLIST_2;
        }
        if (v instanceof SetValue s) {
            return s.isIntset() ? RdbType.SET_INTSET : RdbType.SET;
        }
        if (v instanceof HashValue h) {
            return h.isListpack() ? RdbType.HASH_LISTPACK : RdbType.HASH;
        }
        if (v instanceof ZSet z) {
            return z.isListpack() ? RdbType.ZSET_LISTPACK : RdbType.ZSET_2;
        }
        if (v instanceof StreamValue s) {
            return s.rdbType();
        }
        final String what = v instanceof TypedValue t ? t.type().wireName() + " (" + t.getClass().getSimpleName() + ")"
            : v.getClass().getName();
        throw new RdbException(-1, "cannot serialize a value of type " + what);
    }

    /** The type byte, then the value (a DUMP payload's body). Stream errors are left in the output. */
    void write(final Object v) throws RdbException {
        final int type = typeOf(v);
        out.u8(type);
        body(type, v);
    }

    /** The type byte, the key, then the value (a key of a file). */
    void writeWithKey(final byte[] key, final Object v) throws RdbException {
        final int type = typeOf(v);
        out.u8(type);
        out.string(key, 0, key.length);
        body(type, v);
    }

    private void body(final int type, final Object v) {
        switch (type) {
            case RdbType.STRING:
                if (v instanceof byte[] b) {
                    out.string(b, 0, b.length);
                } else {
                    final RawString r = (RawString) v;
                    out.string(r.array(), 0, r.length());
                }
                break;
            case RdbType.LIST_QUICKLIST_2:
                list((QuickList) v);
                break;
            case RdbType.SET_INTSET: {
                final byte[] blob = Intsets.write(((SetValue) v).intsView());
                out.string(blob, 0, blob.length);
                break;
            }
            case RdbType.SET:
                set((SetValue) v);
                break;
            case RdbType.HASH_LISTPACK:
                hashListpack((HashValue) v);
                break;
            case RdbType.HASH:
                hashTable((HashValue) v);
                break;
            case RdbType.ZSET_LISTPACK:
                zsetListpack((ZSet) v);
                break;
            case RdbType.STREAM_LISTPACKS:
            case RdbType.STREAM_LISTPACKS_2: {
                final byte[] body = ((StreamValue) v).body();
                out.bytes(body, 0, body.length);
                break;
            }
            default:
                zsetSkiplist((ZSet) v);
                break;
        }
    }

    private void list(final QuickList l) {
        final int n = l.size();
        out.length(countNodes(l));
        int i = 0;
        while (i < n) {
            final byte[] first = l.get(i);
            if (first.length >= PLAIN_THRESHOLD) {
                out.length(RdbType.NODE_PLAIN);
                out.string(first, 0, first.length);
                i++;
                continue;
            }
            lp.reset();
            final int end = nodeEnd(l, i);
            for (int k = i; k < end; k++) {
                lp.add(l.get(k));
            }
            out.length(RdbType.NODE_PACKED);
            final int size = lp.finish();
            out.string(lp.array(), 0, size);
            i = end;
        }
    }

    private int countNodes(final QuickList l) {
        int nodes = 0;
        int i = 0;
        while (i < l.size()) {
            i = l.get(i).length >= PLAIN_THRESHOLD ? i + 1 : nodeEnd(l, i);
            nodes++;
        }
        return nodes;
    }

    /**
     * One past the last element of the packed node starting at {@code from}: as many elements as
     * quicklist's _quicklistNodeAllowInsert would admit (a byte limit for a negative fill, a count
     * and the safety byte limit for a positive one), and at least one.
     */
    private int nodeEnd(final QuickList l, final int from) {
        final int maxBytes = listFill < 0 ? NODE_BYTES[Math.min(-listFill, NODE_BYTES.length) - 1] : SIZE_SAFETY_LIMIT;
        final int maxCount = listFill > 0 ? listFill : Integer.MAX_VALUE;
        long bytes = 7;
        int i = from;
        while (i < l.size()) {
            final byte[] e = l.get(i);
            if (e.length >= PLAIN_THRESHOLD) {
                break;
            }
            final long next = bytes + ListpackWriter.entrySize(e, 0, e.length);
            final int count = i - from + 1;
            if (i > from && (next > maxBytes || count > maxCount || count > 65535)) {
                break;
            }
            bytes = next;
            i++;
        }
        return i;
    }

    private void set(final SetValue s) {
        out.length(s.size());
        s.forEach(out::string);
    }

    private void hashListpack(final HashValue h) {
        lp.reset();
        h.forEach((fb, foff, flen, vb, voff, vlen) -> {
            lp.add(fb, foff, flen);
            lp.add(vb, voff, vlen);
        });
        final int size = lp.finish();
        out.string(lp.array(), 0, size);
    }

    private void hashTable(final HashValue h) {
        out.length(h.size());
        h.forEach((fb, foff, flen, vb, voff, vlen) -> {
            out.string(fb, foff, flen);
            out.string(vb, voff, vlen);
        });
    }

    private void zsetListpack(final ZSet z) {
        lp.reset();
        z.rangeInPlace(0, z.size(), false, (b, off, len, score) -> {
            lp.add(b, off, len);
            lp.add(Numbers.d2string(score));
        });
        final int size = lp.finish();
        out.string(lp.array(), 0, size);
    }

    /** ZSET_2 from the highest rank down, as Redis writes it (so a load inserts at the head). */
    private void zsetSkiplist(final ZSet z) {
        final int n = z.size();
        out.length(n);
        z.range(n - 1, n, true, (member, score) -> {
            out.string(member, 0, member.length);
            out.binaryDouble(score);
        });
    }
}
