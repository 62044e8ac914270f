package dev.cinnabar.storage.rdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.cinnabar.protocol.client.RespConnection;
import dev.cinnabar.protocol.client.RespValue;
import dev.cinnabar.storage.keyspace.Database;
import dev.cinnabar.storage.keyspace.Keyspace;
import dev.cinnabar.storage.type.Strings;
import dev.cinnabar.storage.type.TypedValue;
import dev.cinnabar.storage.type.hash.HashValue;
import dev.cinnabar.storage.type.list.QuickList;
import dev.cinnabar.storage.type.set.SetValue;
import dev.cinnabar.storage.type.zset.ZSet;

/**
 * Canonical text of values and whole keyspaces, ours or a real Redis's, so tests compare them
 * with one assertEquals: bytes map 1:1 to chars (ISO-8859-1), sets and hashes are sorted, sorted
 * sets keep their order with scores as Java doubles.
 */
final class Canon {
    private Canon() {
    }

    static String text(final byte[] b, final int off, final int len) {
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }

    static String text(final byte[] b) {
        return text(b, 0, b.length);
    }

    private static String score(final double d) {
        return Double.toString(d == 0 ? 0.0 : d);
    }

    /** A value of ours. */
    static String of(final Object v) {
        if (Strings.isString(v)) {
            return "string:" + text(Strings.bytes(v));
        }
        if (v instanceof QuickList l) {
            final List<String> r = new ArrayList<>();
            for (int i = 0; i < l.size(); i++) {
                r.add(text(l.get(i)));
            }
            return "list:" + r;
        }
        if (v instanceof SetValue s) {
            final TreeSet<String> r = new TreeSet<>();
            s.forEach((b, off, len) -> r.add(text(b, off, len)));
            return "set:" + r;
        }
        if (v instanceof HashValue h) {
            final TreeMap<String, String> r = new TreeMap<>();
            h.forEach((fb, foff, flen, vb, voff, vlen) -> r.put(text(fb, foff, flen), text(vb, voff, vlen)));
            return "hash:" + r;
        }
        final ZSet z = (ZSet) v;
        final List<String> r = new ArrayList<>();
        z.forEach((m, s) -> r.add(text(m) + "=" + score(s)));
        return "zset:" + r;
    }

    /**
     * OBJECT ENCODING as it reads after an RDB load: a string grown in place ("raw") loads as a
     * plain string, embstr when short, in Redis as here.
     */
    static String encoding(final Object v) {
        return v instanceof TypedValue t ? t.encoding() : Strings.encoding(Strings.bytes(v));
    }

    /** "db:key" → value and deadline, for every key of the keyspace. */
    static Map<String, String> of(final Keyspace ks) {
        final Map<String, String> out = new TreeMap<>();
        for (int i = 0; i < ks.databases(); i++) {
            final Database d = ks.db(i);
            final int id = i;
            d.dict().forEach(e -> out.put(id + ":" + text(e.key), of(e.value) + " expire=" + d.expireAt(e.key)));
        }
        return out;
    }

    /** "db:key" → OBJECT ENCODING, for every key of the keyspace. */
    static Map<String, String> encodings(final Keyspace ks) {
        final Map<String, String> out = new TreeMap<>();
        for (int i = 0; i < ks.databases(); i++) {
            final int id = i;
            ks.db(i).dict().forEach(e -> out.put(id + ":" + text(e.key), encoding(e.value)));
        }
        return out;
    }

    /** Describes one key of a real server (its database is selected). */
    interface KeyView {
        String describe(RespConnection c, byte[] key) throws IOException;
    }

    /** "db:key" → description, for every key of a real server. */
    static Map<String, String> each(final RespConnection c, final int databases, final KeyView view)
        throws IOException {
        final Map<String, String> out = new TreeMap<>();
        for (int i = 0; i < databases; i++) {
            c.call("SELECT", Integer.toString(i));
            for (final RespValue k : c.call("KEYS", "*").elements()) {
                out.put(i + ":" + text(k.bytes()), view.describe(c, k.bytes()));
            }
        }
        c.call("SELECT", "0");
        return out;
    }

    /** The same view of a real server as {@link #of(Keyspace)}, read with ordinary commands. */
    static Map<String, String> of(final RespConnection c, final int databases) throws IOException {
        return each(c, databases, (conn, key) -> value(conn, key) + " expire="
            + conn.call(args("PEXPIRETIME", key)).integer());
    }

    /** OBJECT ENCODING of every key of a real server. */
    static Map<String, String> encodings(final RespConnection c, final int databases) throws IOException {
        return each(c, databases, (conn, key) -> conn.call(args("OBJECT", "ENCODING", key)).string());
    }

    static List<byte[]> args(final Object... parts) {
        final List<byte[]> r = new ArrayList<>();
        for (final Object p : parts) {
            r.add(p instanceof byte[] b ? b : p.toString().getBytes(StandardCharsets.UTF_8));
        }
        return r;
    }

    static String value(final RespConnection c, final byte[] key) throws IOException {
        final String type = c.call(args("TYPE", key)).string();
        switch (type) {
            case "string":
                return "string:" + text(c.call(args("GET", key)).bytes());
            case "list": {
                final List<String> r = new ArrayList<>();
                for (final RespValue e : c.call(args("LRANGE", key, "0", "-1")).elements()) {
                    r.add(text(e.bytes()));
                }
                return "list:" + r;
            }
            case "set": {
                final TreeSet<String> r = new TreeSet<>();
                for (final RespValue e : c.call(args("SMEMBERS", key)).elements()) {
                    r.add(text(e.bytes()));
                }
                return "set:" + r;
            }
            case "hash": {
                final TreeMap<String, String> r = new TreeMap<>();
                final List<RespValue> e = c.call(args("HGETALL", key)).elements();
                for (int i = 0; i < e.size(); i += 2) {
                    r.put(text(e.get(i).bytes()), text(e.get(i + 1).bytes()));
                }
                return "hash:" + r;
            }
            case "zset": {
                final List<String> r = new ArrayList<>();
                final List<RespValue> e = c.call(args("ZRANGE", key, "0", "-1", "WITHSCORES")).elements();
                for (int i = 0; i < e.size(); i += 2) {
                    final String s = e.get(i + 1).string();
                    final double d = s.equals("inf") ? Double.POSITIVE_INFINITY
                        : s.equals("-inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(s);
                    r.add(text(e.get(i).bytes()) + "=" + score(d));
                }
                return "zset:" + r;
            }
            default:
                return type;
        }
    }
}
