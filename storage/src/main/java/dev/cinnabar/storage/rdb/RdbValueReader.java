package dev.cinnabar.storage.rdb;

import java.io.IOException;

import dev.cinnabar.protocol.util.Bytes;
import dev.cinnabar.storage.commands.StorageSettings;
import dev.cinnabar.storage.type.hash.HashValue;
import dev.cinnabar.storage.type.list.QuickList;
import dev.cinnabar.storage.type.set.SetValue;
import dev.cinnabar.storage.type.stream.StreamValue;
import dev.cinnabar.storage.type.zset.ZSet;

/**
 * Reads one value of a given RDB type into the structure Cinnabar keeps it in, choosing the
 * encoding as Redis 7.0's rdbLoadObject does: plain collections become compact when they fit
 * the *-max-listpack-* / set-max-intset-entries settings, an intset or listpack blob converts
 * when it has more entries than the settings allow (a listpack's long values do not convert it,
 * a ziplist's or zipmap's do), and duplicates are refused rather than merged.
 *
 * <p>Every element costs at least one byte of input, so a lying count ends at the end of the
 * input, and no array is sized from a count. Returns null for an empty collection, which Redis
 * skips on load and refuses in RESTORE.
 */
final class RdbValueReader {
    private static final String MODULE_CHARSET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private final RdbInput in;
    private final StorageSettings settings;
    /** The settings for hashes from listpack blobs: only the entry count may convert them. */
    private final StorageSettings blobHash;

    RdbValueReader(final RdbInput in, final StorageSettings settings) {
        this.in = in;
        this.settings = settings;
        this.blobHash = new StorageSettings();
        blobHash.hashMaxListpackEntries = settings.hashMaxListpackEntries;
        blobHash.hashMaxListpackValue = Integer.MAX_VALUE;
    }

    /** The value of {@code type} at the current position, or null when it is an empty collection. */
    Object read(final int type) throws IOException {
        switch (type) {
            case RdbType.STRING:
                return in.string();
            case RdbType.LIST:
                return plainList();
            case RdbType.LIST_ZIPLIST: {
                final QuickList l = new QuickList();
                packedList(l, ziplist());
                return nonEmpty(l);
            }
            case RdbType.LIST_QUICKLIST:
            case RdbType.LIST_QUICKLIST_2:
                return quicklist(type == RdbType.LIST_QUICKLIST_2);
            case RdbType.SET:
                return plainSet();
            case RdbType.SET_INTSET:
                return intset();
            case RdbType.ZSET:
            case RdbType.ZSET_2:
                return plainZset(type == RdbType.ZSET_2);
            case RdbType.ZSET_ZIPLIST:
                return packedZset(ziplist());
            case RdbType.ZSET_LISTPACK:
                return packedZset(listpack());
            case RdbType.HASH:
                return plainHash();
            case RdbType.HASH_ZIPMAP:
                return zipmapHash();
            case RdbType.HASH_ZIPLIST:
                return packedHash(ziplist(), settings);
            case RdbType.HASH_LISTPACK:
                return packedHash(listpack(), blobHash);
            case RdbType.STREAM_LISTPACKS:
            case RdbType.STREAM_LISTPACKS_2:
                return stream(type);
            case RdbType.STREAM_LISTPACKS_3:
                throw in.error("value type 21 (stream-listpacks-3, RDB 11 / Redis 7.2) is not supported by RDB 10");
            case RdbType.MODULE_PRE_GA:
                throw in.error("pre-GA module values are not supported");
            case RdbType.MODULE_2:
                throw in.error("module values are not supported (" + moduleName(in.length()) + ")");
            case RdbType.SET_LISTPACK:
                throw in.error("value type 20 (set-listpack, RDB 11 / Redis 7.2) is not supported by RDB 10");
            default:
                throw in.error("unknown value type " + type);
        }
    }

    /**
     * A stream, walked as Redis's rdbLoadObject reads it (each listpack checked entry by entry) and
     * kept as its bytes: node keys are 16-byte ids; then length, last id, (v2) first id, max deleted
     * id, entries added; consumer groups with their pending entries (16-byte id, 8-byte delivery
     * time, count) and consumers (name, seen time, their pending ids).
     */
    private Object stream(final int type) throws IOException {
        final boolean v2 = type == RdbType.STREAM_LISTPACKS_2;
        in.startCapture();
        final long nodes = in.length();
        for (long i = 0; i < nodes; i++) {
            final long at = in.offset();
            if (in.string().length != 16) {
                throw new RdbException(at, "stream node key is not a 16-byte entry id");
            }
            final ListpackReader entries = listpack();
            if (!entries.next()) {
                throw entries.corrupt("empty listpack inside a stream");
            }
            while (entries.next()) {
                // each entry's encoding checked, nothing kept
            }
        }
        final long length = in.length();
        skipLengths(v2 ? 7 : 2);
        final long groups = in.length();
        for (long g = 0; g < groups; g++) {
            in.string();
            skipLengths(v2 ? 3 : 2);
            final long pending = in.length();
            for (long p = 0; p < pending; p++) {
                in.bytes(16 + 8);
                in.rawLength();
            }
            final long consumers = in.length();
            for (long c = 0; c < consumers; c++) {
                in.string();
                in.bytes(8);
                final long owned = in.length();
                for (long p = 0; p < owned; p++) {
                    in.bytes(16);
                }
            }
        }
        final byte[] body = in.endCapture();
        if (nodes == 0 && length != 0) {
            throw in.error("stream with no listpacks claims " + length + " entries");
        }
        return new StreamValue(type, body);
    }

    private void skipLengths(final int n) throws IOException {
        for (int i = 0; i < n; i++) {
            in.rawLength();
        }
    }

    /** "module type 'name' version N", from Redis's 64-bit module type id (moduleTypeNameByID). */
    static String moduleName(final long id) {
        final char[] name = new char[9];
        long v = id >>> 10;
        for (int j = 8; j >= 0; j--) {
            name[j] = MODULE_CHARSET.charAt((int) (v & 63));
            v >>>= 6;
        }
        return "module type '" + new String(name) + "' version " + (id & 1023);
    }

    /** A ziplist blob; its errors name the offset where the blob starts. */
    private ZiplistReader ziplist() throws IOException {
        final long at = in.offset();
        return new ZiplistReader(in.string(), at);
    }

    private ListpackReader listpack() throws IOException {
        final long at = in.offset();
        return new ListpackReader(in.string(), at);
    }

    private static Object nonEmpty(final QuickList l) {
        return l.size() == 0 ? null : l;
    }

    private Object plainList() throws IOException {
        final long n = in.length();
        final QuickList l = new QuickList();
        for (long i = 0; i < n; i++) {
            l.pushTail(in.string());
        }
        return nonEmpty(l);
    }

    private static void packedList(final QuickList l, final PackedReader r) throws RdbException {
        while (r.next()) {
            l.pushTail(r.value());
        }
    }

    private Object quicklist(final boolean v2) throws IOException {
        final long nodes = in.length();
        final QuickList l = new QuickList();
        for (long i = 0; i < nodes; i++) {
            int container = RdbType.NODE_PACKED;
            if (v2) {
                final long c = in.length();
                if (c != RdbType.NODE_PLAIN && c != RdbType.NODE_PACKED) {
                    throw in.error("unknown quicklist node container " + c);
                }
                container = (int) c;
            }
            if (container == RdbType.NODE_PLAIN) {
                l.pushTail(in.string());
            } else {
                packedList(l, v2 ? listpack() : ziplist());
            }
        }
        return nonEmpty(l);
    }

    private Object plainSet() throws IOException {
        final long n = in.length();
        SetValue s = null;
        for (long i = 0; i < n; i++) {
            final long at = in.offset();
            final byte[] m = in.string();
            if (s == null) {
                // Redis starts a set longer than set-max-intset-entries as a hashtable right away
                s = n > settings.setMaxIntsetEntries ? SetValue.createFor(new byte[] {'x'}, 0, 1)
                    : SetValue.createFor(m, 0, m.length);
            }
            if (!s.add(m, 0, m.length, settings)) {
                throw new RdbException(at, "duplicate set member '" + Numbers.printable(m) + "'");
            }
        }
        return s;
    }

    private Object intset() throws IOException {
        final long at = in.offset();
        final long[] ints = Intsets.read(in.string(), at);
        if (ints.length == 0) {
            return null;
        }
        if (ints.length <= settings.setMaxIntsetEntries) {
            return SetValue.ofInts(ints);
        }
        final SetValue s = SetValue.createFor(new byte[] {'x'}, 0, 1);
        for (final long v : ints) {
            final byte[] m = Bytes.fromLong(v);
            s.add(m, 0, m.length, settings);
        }
        return s;
    }

    private Object plainZset(final boolean binaryScores) throws IOException {
        final long n = in.length();
        final int maxEntries = settings.zsetMaxListpackEntries;
        final int maxValue = settings.zsetMaxListpackValue;
        // a set that will not fit the listpack is built as a tree from the first member on
        final ZSet.Loader z = new ZSet.Loader(n > maxEntries ? 0 : maxEntries, maxValue);
        for (long i = 0; i < n; i++) {
            final long at = in.offset();
            final byte[] m = in.string();
            final double score = binaryScores ? in.binaryDouble() : in.stringDouble();
            if (Double.isNaN(score)) {
                throw new RdbException(at, "sorted set member '" + Numbers.printable(m) + "' has a NaN score");
            }
            if (!z.add(score, m)) {
                throw new RdbException(at, "duplicate sorted set member '" + Numbers.printable(m) + "'");
            }
        }
        return z.finish();
    }

    private Object packedZset(final PackedReader r) throws RdbException {
        final ZSet.Loader z = new ZSet.Loader(settings.zsetMaxListpackEntries, Integer.MAX_VALUE);
        while (r.next()) {
            final byte[] m = r.value();
            r.nextOfPair();
            final double score = r.score();
            if (!z.add(score, m)) {
                throw r.corrupt("duplicate sorted set member '" + Numbers.printable(m) + "'");
            }
        }
        return z.finish();
    }

    private Object plainHash() throws IOException {
        final long n = in.length();
        final HashValue h = new HashValue();
        for (long i = 0; i < n; i++) {
            final long at = in.offset();
            final byte[] f = in.string();
            final byte[] v = in.string();
            if (!h.set(f, v, settings)) {
                throw new RdbException(at, "duplicate hash field '" + Numbers.printable(f) + "'");
            }
        }
        return h.size() == 0 ? null : h;
    }

    private Object zipmapHash() throws IOException {
        final long at = in.offset();
        final byte[] b = in.string();
        final HashValue h = new HashValue();
        new ZipmapReader(b, at).read((f, v) -> {
            if (!h.set(f, v, settings)) {
                throw new RdbException(at, "corrupt zipmap: duplicate hash field '" + Numbers.printable(f) + "'");
            }
        });
        return h.size() == 0 ? null : h;
    }

    private static Object packedHash(final PackedReader r, final StorageSettings s) throws RdbException {
        final HashValue h = new HashValue();
        while (r.next()) {
            final byte[] f = r.value();
            r.nextOfPair();
            if (!h.set(f, r.value(), s)) {
                throw r.corrupt("duplicate hash field '" + Numbers.printable(f) + "'");
            }
        }
        return h.size() == 0 ? null : h;
    }
}
