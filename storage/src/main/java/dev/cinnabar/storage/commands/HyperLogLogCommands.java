package dev.cinnabar.storage.commands;

import static dev.cinnabar.protocol.command.AclCategory.HYPERLOGLOG;
import static dev.cinnabar.protocol.command.CommandFlag.DENYOOM;
import static dev.cinnabar.protocol.command.CommandFlag.FAST;
import static dev.cinnabar.protocol.command.CommandFlag.MAY_REPLICATE;
import static dev.cinnabar.protocol.command.CommandFlag.READONLY;
import static dev.cinnabar.protocol.command.CommandFlag.WRITE;

import dev.cinnabar.protocol.Errors;
import dev.cinnabar.protocol.command.CommandFamily;
import dev.cinnabar.protocol.command.CommandTable;
import dev.cinnabar.protocol.command.KeySpec;
import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.storage.keyspace.Database;
import dev.cinnabar.storage.keyspace.Entry;
import dev.cinnabar.storage.keyspace.Notify;
import dev.cinnabar.storage.type.RawString;
import dev.cinnabar.storage.type.Strings;
import dev.cinnabar.storage.type.hll.Hll;

/**
 * PFADD, PFCOUNT, PFMERGE over HLL string values ({@link Hll} keeps Redis's byte layout).
 *
 * <p>A command works on a copy of the value and stores it back as Redis leaves its string after
 * editing it in place: raw (dbUnshareStringValue), with the edits made before a corrupted
 * register run was met. PFCOUNT of one key refreshes the cached cardinality in the header; that
 * is a modification Redis propagates (it bumps dirty), so we do too.
 * Redis: hyperloglog.c pfaddCommand(), pfcountCommand(), pfmergeCommand().
 */
public final class HyperLogLogCommands implements CommandFamily {
    /** The sentinel {@link #load} returns after replying an error. */
    private static final Hll ERROR = Hll.create();

    @Override
    public void register(final CommandTable.Builder t) {
        t.command("PFADD").arity(-2).flags(WRITE, DENYOOM, FAST).acl(HYPERLOGLOG).group("hyperloglog")
            .keys(KeySpec.index(1, KeySpec.RW | KeySpec.INSERT)).since("2.8.9")
            .summary("Adds the specified elements to the specified HyperLogLog.")
            .complexity("O(1) to add every element.").handler(this::pfadd);
        t.command("PFCOUNT").arity(-2).flags(READONLY, MAY_REPLICATE).acl(HYPERLOGLOG).group("hyperloglog")
            .keys(KeySpec.range(1, -1, 1, KeySpec.RW | KeySpec.ACCESS).withNotes(
                "RW because it may change the internal representation of the key, and propagate to replicas"))
            .since("2.8.9")
            .summary("Return the approximated cardinality of the set(s) observed by the HyperLogLog at key(s).")
            .complexity("O(1) with a very small average constant time when called with a single key. O(N) with N "
                + "being the number of keys, and much bigger constant times, when called with multiple keys.")
            .handler(this::pfcount);
        t.command("PFMERGE").arity(-2).flags(WRITE, DENYOOM).acl(HYPERLOGLOG).group("hyperloglog")
            .keys(KeySpec.index(1, KeySpec.RW | KeySpec.ACCESS | KeySpec.INSERT),
                KeySpec.range(2, -1, 1, KeySpec.RO | KeySpec.ACCESS))
            .since("2.8.9").summary("Merge N different HyperLogLogs into a single one.")
            .complexity("O(N) to merge N HyperLogLogs, but with high constant times.").handler(this::pfmerge);
    }

    /**
     * The HLL at argument i: null when the key is missing, {@link #ERROR} after replying WRONGTYPE
     * (not a string) or the HLL WRONGTYPE text (a string that is not an HLL).
     */
    private static Hll load(final StorageCall c, final Object v) {
        if (v == null) {
            return null;
        }
        if (!Strings.isString(v)) {
            c.reply().error(Errors.WRONGTYPE);
            return ERROR;
        }
        // Redis keeps integer-looking strings int-encoded, which are never HLLs
        final Hll h = Strings.encoding(v).equals("int") ? null : Hll.of(Strings.array(v), Strings.length(v));
        if (h == null) {
            c.reply().error(Errors.HLL_WRONGTYPE);
            return ERROR;
        }
        h.maxBytes(c.settings().hllSparseMaxBytes);
        return h;
    }

    /**
     * Redis's dbUnshareStringValue then an in-place edit: the registers go back as a raw string
     * (TTL kept, no signal; the caller signals a real change). A new key is added instead.
     */
    private static byte[] storeRaw(final StorageCall c, final Args a, final Entry e, final Hll h) {
        final byte[] bytes = h.toBytes();
        final RawString raw = new RawString(bytes, bytes.length);
        if (e != null) {
            c.db().overwrite(e, raw);
            return e.key;
        }
        final byte[] key = a.copy(1);
        c.db().add(key, raw);
        return key;
    }

    /** Redis's dbUnshareStringValue alone: an unchanged value becomes raw unless it is already. */
    private static void unshare(final StorageCall c, final Entry e) {
        if (!(e.value instanceof RawString r) || r.isEmbedded()) {
            final byte[] b = Strings.bytes(e.value);
            c.db().overwrite(e, new RawString(b, b.length));
        }
    }

    private void pfadd(final StorageCall c, final Args a) {
        final Entry e = c.db().lookupWriteEntry(a, 1);
        Hll h = load(c, e == null ? null : e.value);
        if (h == ERROR) {
            return;
        }
        long updated = 0;
        if (h == null) {
            h = Hll.create();
            h.maxBytes(c.settings().hllSparseMaxBytes);
            updated++;
        }
        boolean corrupted = false;
        for (int j = 2; j < a.count() && !corrupted; j++) {
            final int r = h.add(a.array(), a.offset(j), a.length(j));
            corrupted = r < 0;
            updated += Math.max(r, 0);
        }
        if (updated > 0 && !corrupted) {
            h.invalidateCache();
        }
        // the edits made before a corrupted register was met stay, as Redis edits the string in place
        final byte[] key = storeRaw(c, a, e, h);
        if (corrupted) {
            c.reply().error(Errors.HLL_CORRUPTED);
            return;
        }
        if (updated > 0) {
            c.db().signalModified(key);
            c.keyspace().events().notify(Notify.STRING, "pfadd", key, c.db().id());
            c.keyspace().dirty += updated;
        }
        c.reply().integer(updated > 0 ? 1 : 0);
    }

    private void pfcount(final StorageCall c, final Args a) {
        if (a.count() > 2) {
            final byte[] max = new byte[Hll.REGISTERS];
            for (int j = 1; j < a.count(); j++) {
                final Hll h = load(c, c.db().lookupRead(a, j));
                if (h == ERROR) {
                    return;
                }
                if (h != null && !h.mergeInto(max)) {
                    c.reply().error(Errors.HLL_CORRUPTED);
                    return;
                }
            }
            c.reply().integer(Hll.count(max));
            return;
        }
        final Entry e = c.db().lookupReadEntry(a.array(), a.offset(1), a.length(1));
        final Hll h = load(c, e == null ? null : e.value);
        if (h == ERROR) {
            return;
        }
        if (h == null) {
            c.reply().integer(0);
            return;
        }
        if (h.validCache()) {
            unshare(c, e);
            c.reply().integer(h.cachedCard());
            return;
        }
        final long card = h.count();
        if (card < 0) {
            unshare(c, e);
            c.reply().error(Errors.HLL_CORRUPTED);
            return;
        }
        h.cachedCard(card);
        c.db().signalModified(storeRaw(c, a, e, h));
        c.keyspace().dirty++;
        c.reply().integer(card);
    }

    private void pfmerge(final StorageCall c, final Args a) {
        final byte[] max = new byte[Hll.REGISTERS];
        boolean dense = false;
        for (int j = 1; j < a.count(); j++) {
            final Hll h = load(c, c.db().lookupRead(a, j));
            if (h == ERROR) {
                return;
            }
            if (h == null) {
                continue;
            }
            if (h.encoding() == Hll.DENSE) {
                dense = true;
            }
            if (!h.mergeInto(max)) {
                c.reply().error(Errors.HLL_CORRUPTED);
                return;
            }
        }
        final Database db = c.db();
        final Entry e = db.lookupWriteEntry(a, 1);
        Hll dst = load(c, e == null ? null : e.value);
        if (dst == null) {
            dst = Hll.create();
            dst.maxBytes(c.settings().hllSparseMaxBytes);
        }
        if (dense && !dst.toDense()) {
            storeRaw(c, a, e, dst);
            c.reply().error(Errors.HLL_CORRUPTED);
            return;
        }
        for (int j = 0; j < Hll.REGISTERS; j++) {
            if (max[j] != 0) {
                dst.set(j, max[j]);
            }
        }
        dst.invalidateCache();
        final byte[] key = storeRaw(c, a, e, dst);
        db.signalModified(key);
        c.keyspace().events().notify(Notify.STRING, "pfadd", key, db.id());
        c.keyspace().dirty++;
        c.reply().ok();
    }
}
