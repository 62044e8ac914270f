package dev.cinnabar.storage.commands;

import static dev.cinnabar.protocol.command.AclCategory.DANGEROUS;
import static dev.cinnabar.protocol.command.AclCategory.KEYSPACE;
import static dev.cinnabar.protocol.command.CommandFlag.DENYOOM;
import static dev.cinnabar.protocol.command.CommandFlag.FAST;
import static dev.cinnabar.protocol.command.CommandFlag.LOADING;
import static dev.cinnabar.protocol.command.CommandFlag.READONLY;
import static dev.cinnabar.protocol.command.CommandFlag.STALE;
import static dev.cinnabar.protocol.command.CommandFlag.WRITE;

import java.util.ArrayList;
import java.util.List;

import dev.cinnabar.protocol.Errors;
import dev.cinnabar.protocol.command.CommandTable;
import dev.cinnabar.protocol.command.CommandFamily;
import dev.cinnabar.protocol.command.KeySpec;
import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.protocol.resp.RespWriter;
import dev.cinnabar.protocol.util.Bytes;
import dev.cinnabar.protocol.util.Glob;
import dev.cinnabar.storage.keyspace.Database;
import dev.cinnabar.storage.keyspace.Entry;
import dev.cinnabar.storage.keyspace.Keyspace;
import dev.cinnabar.storage.keyspace.Lfu;
import dev.cinnabar.storage.keyspace.Notify;
import dev.cinnabar.storage.type.RawString;
import dev.cinnabar.storage.type.Strings;
import dev.cinnabar.storage.type.TypedValue;
import dev.cinnabar.storage.type.ValueType;

/**
 * The generic (key-space) family of Redis 7.0: DEL, EXISTS, TYPE, KEYS, SCAN, RENAME, the EXPIRE
 * family and TTLs, COPY, MOVE, SWAPDB, DBSIZE, FLUSHDB/FLUSHALL and OBJECT.
 *
 * <p>Expiry commands propagate as PEXPIREAT with an absolute time (keeping their NX/XX/GT/LT
 * words), or as DEL when the deadline is already past on a master, as Redis's
 * expireGenericCommand does; a replica keeps past deadlines and waits for the master's DEL.
 * Redis: db.c, expire.c, object.c objectCommand().
 */
public final class KeyCommands implements CommandFamily {
    private static final byte[] PEXPIREAT = Bytes.ascii("PEXPIREAT");
    private static final byte[] DEL = Bytes.ascii("DEL");
    /** Redis's OBJ_SHARED_INTEGERS: 0..9999 are shared objects, whose refcount reads INT_MAX. */
    private static final long SHARED_INTEGERS = 10_000;

    private static final int EXPIRE_NX = 1;
    private static final int EXPIRE_XX = 1 << 1;
    private static final int EXPIRE_GT = 1 << 2;
    private static final int EXPIRE_LT = 1 << 3;

    private static final String NX_INCOMPATIBLE = "ERR NX and XX, GT or LT options at the same time are not compatible";
    private static final String GT_LT_INCOMPATIBLE = "ERR GT and LT options at the same time are not compatible";
    private static final String INVALID_FIRST_DB = "ERR invalid first DB index";
    private static final String INVALID_SECOND_DB = "ERR invalid second DB index";
    private static final String LFU_NOT_SELECTED = "ERR An LFU maxmemory policy is not selected, access frequency not "
        + "tracked. Please note that when switching between policies at runtime LRU and LFU data will take some "
        + "time to adjust.";
    private static final String LFU_SELECTED = "ERR An LFU maxmemory policy is selected, idle time not tracked. "
        + "Please note that when switching between policies at runtime LRU and LFU data will take some time to "
        + "adjust.";
    private static final String[] OBJECT_HELP = {
        "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
        "HELP",
        "    Prints this help.",
    };

    @Override
    public void register(final CommandTable.Builder t) {
        final int rwUpdate = KeySpec.RW | KeySpec.UPDATE;
        final int roAccess = KeySpec.RO | KeySpec.ACCESS;
        t.command("DEL").arity(-2).flags(WRITE).acl(KEYSPACE)
            .keys(KeySpec.range(1, -1, 1, KeySpec.RM | KeySpec.DELETE))
            .tips("request_policy:multi_shard", "response_policy:agg_sum")
            .summary("Delete a key").complexity("O(N) where N is the number of keys that will be removed. When a key to "
                + "remove holds a value other than a string, the individual complexity for this key is O(M) where M is "
                + "the number of elements in the list, set, sorted set or hash. Removing a single key that holds a "
                + "string value is O(1).")
            .handler(this::del);
        t.command("UNLINK").arity(-2).flags(WRITE, FAST).acl(KEYSPACE).since("4.0.0")
            .keys(KeySpec.range(1, -1, 1, KeySpec.RM | KeySpec.DELETE))
            .tips("request_policy:multi_shard", "response_policy:agg_sum")
            .summary("Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.")
            .complexity("O(1) for each key removed regardless of its size. Then the command does O(N) work in a "
                + "different thread in order to reclaim memory, where N is the number of allocations the deleted "
                + "objects where composed of.")
            .handler(this::del);
        t.command("EXISTS").arity(-2).flags(READONLY, FAST).acl(KEYSPACE)
            .keys(KeySpec.range(1, -1, 1, KeySpec.RO)).tips("request_policy:multi_shard", "response_policy:agg_sum")
            .summary("Determine if a key exists").complexity("O(N) where N is the number of keys to check.")
            .handler(this::exists);
        t.command("TYPE").arity(2).flags(READONLY, FAST).acl(KEYSPACE)
            .keys(KeySpec.index(1, KeySpec.RO))
            .summary("Determine the type stored at key").complexity("O(1)")
            .handler(this::type);
        t.command("KEYS").arity(2).flags(READONLY).acl(KEYSPACE, DANGEROUS)
            .tips("request_policy:all_shards", "nondeterministic_output_order")
            .summary("Find all keys matching the given pattern")
            .complexity("O(N) with N being the number of keys in the database, under the assumption that the key "
                + "names in the database and the given pattern have limited length.")
            .handler(this::keys);
        t.command("SCAN").arity(-2).flags(READONLY).acl(KEYSPACE).since("2.8.0")
            .tips("nondeterministic_output", "request_policy:special")
            .summary("Incrementally iterate the keys space")
            .complexity("O(1) for every call. O(N) for a complete iteration, including enough command calls for the "
                + "cursor to return back to 0. N is the number of elements inside the collection.")
            .handler(this::scan);
        t.command("RANDOMKEY").arity(1).flags(READONLY).acl(KEYSPACE)
            .tips("request_policy:all_shards", "nondeterministic_output")
            .summary("Return a random key from the keyspace").complexity("O(1)")
            .handler(this::randomkey);
        t.command("RENAME").arity(3).flags(WRITE).acl(KEYSPACE)
            .keys(KeySpec.index(1, KeySpec.RW | KeySpec.ACCESS | KeySpec.DELETE),
                KeySpec.index(2, KeySpec.OW | KeySpec.UPDATE))
            .summary("Rename a key").complexity("O(1)")
            .handler((StorageCall c, Args a) -> rename(c, a, false));
        t.command("RENAMENX").arity(3).flags(WRITE, FAST).acl(KEYSPACE)
            .keys(KeySpec.index(1, KeySpec.RW | KeySpec.ACCESS | KeySpec.DELETE),
                KeySpec.index(2, KeySpec.OW | KeySpec.INSERT))
            .summary("Rename a key, only if the new key does not exist").complexity("O(1)")
            .handler((StorageCall c, Args a) -> rename(c, a, true));
        expireCommand(t, "EXPIRE", "1.0.0", "Set a key's time to live in seconds", true, false);
        expireCommand(t, "PEXPIRE", "2.6.0", "Set a key's time to live in milliseconds", false, false);
        expireCommand(t, "EXPIREAT", "1.2.0", "Set the expiration for a key as a UNIX timestamp", true, true);
        expireCommand(t, "PEXPIREAT", "2.6.0", "Set the expiration for a key as a UNIX timestamp specified in "
            + "milliseconds", false, true);
        ttlCommand(t, "TTL", "1.0.0", "Get the time to live for a key in seconds", false, false);
        ttlCommand(t, "PTTL", "2.6.0", "Get the time to live for a key in milliseconds", true, false);
        ttlCommand(t, "EXPIRETIME", "7.0.0", "Get the expiration Unix timestamp for a key", false, true);
        ttlCommand(t, "PEXPIRETIME", "7.0.0", "Get the expiration Unix timestamp for a key in milliseconds", true,
            true);
        t.command("PERSIST").arity(2).flags(WRITE, FAST).acl(KEYSPACE).since("2.2.0")
            .keys(KeySpec.index(1, rwUpdate))
            .summary("Remove the expiration from a key").complexity("O(1)")
            .handler(this::persist);
        t.command("TOUCH").arity(-2).flags(READONLY, FAST).acl(KEYSPACE).since("3.2.1")
            .keys(KeySpec.range(1, -1, 1, KeySpec.RO)).tips("request_policy:multi_shard", "response_policy:agg_sum")
            .summary("Alters the last access time of a key(s). Returns the number of existing keys specified.")
            .complexity("O(N) where N is the number of keys that will be touched.")
            .handler(this::touch);
        t.command("COPY").arity(-3).flags(WRITE, DENYOOM).acl(KEYSPACE).since("6.2.0")
            .keys(KeySpec.index(1, roAccess), KeySpec.index(2, KeySpec.OW | KeySpec.UPDATE))
            .summary("Copy a key").complexity("O(N) worst case for collections, where N is the number of nested "
                + "items. O(1) for string values.")
            .handler(this::copy);
        t.command("MOVE").arity(3).flags(WRITE, FAST).acl(KEYSPACE)
            .keys(KeySpec.index(1, KeySpec.RW | KeySpec.ACCESS | KeySpec.UPDATE))
            .summary("Move a key to another database").complexity("O(1)")
            .handler(this::move);
        t.command("SWAPDB").arity(3).flags(WRITE, FAST).acl(KEYSPACE, DANGEROUS).since("4.0.0")
            .summary("Swaps two Redis databases")
            .complexity("O(N) where N is the count of clients watching or blocking on keys from both databases.")
            .handler(this::swapdb);
        t.command("DBSIZE").arity(1).flags(READONLY, FAST).acl(KEYSPACE).group("server")
            .tips("request_policy:all_shards", "response_policy:agg_sum")
            .summary("Return the number of keys in the selected database").complexity("O(1)")
            .handler(this::dbsize);
        t.command("FLUSHDB").arity(-1).flags(WRITE).acl(KEYSPACE, DANGEROUS).group("server")
            .tips("request_policy:all_shards", "response_policy:all_succeeded")
            .summary("Remove all keys from the current database")
            .complexity("O(N) where N is the number of keys in the selected database")
            .handler((StorageCall c, Args a) -> flush(c, a, false));
        t.command("FLUSHALL").arity(-1).flags(WRITE).acl(KEYSPACE, DANGEROUS).group("server")
            .tips("request_policy:all_shards", "response_policy:all_succeeded")
            .summary("Remove all keys from all databases")
            .complexity("O(N) where N is the total number of keys in all databases")
            .handler((StorageCall c, Args a) -> flush(c, a, true));
        registerObject(t);
    }

    private void registerObject(final CommandTable.Builder t) {
        final CommandTable.CommandBuilder o = t.command("OBJECT").arity(-2).since("2.2.3")
            .summary("A container for object introspection commands").complexity("Depends on subcommand.");
        objectSub(o, "ENCODING", "Inspect the internal encoding of a Redis object", this::objectEncoding);
        objectSub(o, "FREQ", "Get the logarithmic access frequency counter of a Redis object", this::objectFreq)
            .since("4.0.0");
        objectSub(o, "IDLETIME", "Get the time since a Redis object was last accessed", this::objectIdletime);
        objectSub(o, "REFCOUNT", "Get the number of references to the value of the key", this::objectRefcount);
        o.subcommand("HELP").arity(2).flags(LOADING, STALE).acl(KEYSPACE).since("6.2.0")
            .summary("Show helpful text about the different subcommands").complexity("O(1)")
            .handler(this::objectHelp);
    }

    private static CommandTable.CommandBuilder objectSub(final CommandTable.CommandBuilder o, final String name,
                                                        final String summary,
                                                        final dev.cinnabar.protocol.command.CommandHandler<StorageCall> h) {
        return o.subcommand(name).arity(3).flags(READONLY).acl(KEYSPACE)
            .keys(KeySpec.index(2, KeySpec.RO)).tips("nondeterministic_output")
            .summary(summary).complexity("O(1)").handler(h);
    }

    private static void expireCommand(final CommandTable.Builder t, final String name, final String since,
                                      final String summary, final boolean seconds, final boolean absolute) {
        t.command(name).arity(-3).flags(WRITE, FAST).acl(KEYSPACE).since(since)
            .keys(KeySpec.index(1, KeySpec.RW | KeySpec.UPDATE))
            .summary(summary).complexity("O(1)")
            .handler((StorageCall c, Args a) -> expire(c, a, absolute ? 0 : c.nowMs(), seconds, name));
    }

    private static void ttlCommand(final CommandTable.Builder t, final String name, final String since,
                                   final String summary, final boolean ms, final boolean absolute) {
        final CommandTable.CommandBuilder b = t.command(name).arity(2).flags(READONLY, FAST).acl(KEYSPACE).since(since)
            .keys(KeySpec.index(1, KeySpec.RO | KeySpec.ACCESS))
            .summary(summary).complexity("O(1)")
            .handler((StorageCall c, Args a) -> ttl(c, a, ms, absolute));
        if (!absolute) {
            b.tips("nondeterministic_output");
        }
    }

    /**
     * Redis's checkAlreadyExpired: a deadline at or before now deletes the key at once, except on a
     * replica, which keeps it (logically expired) until the master's DEL arrives.
     */
    static boolean alreadyExpired(final StorageCall c, final long whenMs) {
        return whenMs <= c.nowMs() && !c.keyspace().replicaMode();
    }

    private void del(final StorageCall c, final Args a) {
        final Database db = c.db();
        long deleted = 0;
        for (int i = 1; i < a.count(); i++) {
            // expire first, so an expired key counts as absent on a master (and propagates its own DEL)
            db.lookup(a.array(), a.offset(i), a.length(i));
            if (db.delete(a.array(), a.offset(i), a.length(i))) {
                final byte[] key = a.copy(i);
                db.signalModified(key);
                db.notify(Notify.GENERIC, "del", key);
                c.keyspace().dirty++;
                deleted++;
            }
        }
        c.reply().integer(deleted);
    }

    private void exists(final StorageCall c, final Args a) {
        final Database db = c.db();
        long n = 0;
        for (int i = 1; i < a.count(); i++) {
            if (db.lookupReadNoTouch(a, i) != null) {
                n++;
            }
        }
        c.reply().integer(n);
    }

    private void type(final StorageCall c, final Args a) {
        final Object v = c.db().lookupReadNoTouch(a, 1);
        c.reply().simple(v == null ? "none" : ValueType.of(v).wireName());
    }

    private void keys(final StorageCall c, final Args a) {
        final Database db = c.db();
        final byte[] pattern = a.copy(1);
        final boolean all = pattern.length == 1 && pattern[0] == '*';
        final RespWriter w = c.reply();
        final int mark = w.beginDeferred();
        final long[] n = {0};
        db.dict().forEach(e -> {
            if ((all || Glob.match(pattern, e.key, false)) && !db.isExpired(e.key)) {
                w.bulk(e.key);
                n[0]++;
            }
        });
        w.endArray(mark, n[0]);
    }

    private void scan(final StorageCall c, final Args a) {
        if (!ScanSupport.checkCursor(c, a, 1)) {
            return;
        }
        long cursor = ScanSupport.cursor(a, 1);
        final ScanSupport.Options o = ScanSupport.options(c, a, 2, true);
        if (o == null) {
            return;
        }
        final Database db = c.db();
        final List<byte[]> found = new ArrayList<>();
        long iterations = o.count() > Long.MAX_VALUE / 10 ? Long.MAX_VALUE : o.count() * 10;
        do {
            cursor = db.scan(cursor, e -> found.add(e.key));
        } while (cursor != 0 && iterations-- > 0 && found.size() < o.count());
        final List<byte[]> keys = new ArrayList<>(found.size());
        for (final byte[] key : found) {
            if (!o.matches(key) || db.lookup(key) == null) {
                continue;
            }
            if (o.type() != null) {
                final Object v = db.lookupReadNoTouch(key, 0, key.length);
                if (!o.typeMatches(v == null ? "none" : ValueType.of(v).wireName())) {
                    continue;
                }
            }
            keys.add(key);
        }
        ScanSupport.reply(c.reply(), cursor, keys);
    }

    private void randomkey(final StorageCall c, final Args a) {
        final byte[] key = c.db().randomKey();
        if (key == null) {
            c.reply().nullBulk();
        } else {
            c.reply().bulk(key);
        }
    }

    private static void rename(final StorageCall c, final Args a, final boolean nx) {
        final Database db = c.db();
        final Entry src = db.lookupWriteEntry(a, 1);
        if (src == null) {
            c.reply().error(Errors.NO_SUCH_KEY);
            return;
        }
        if (a.equals(1, 2)) {
            replyRenamed(c, nx, false);
            return;
        }
        final long expire = db.expireAt(src.key);
        if (db.lookupWriteEntry(a, 2) != null) {
            if (nx) {
                c.reply().integer(0);
                return;
            }
            db.delete(a.array(), a.offset(2), a.length(2));
        }
        final byte[] to = a.copy(2);
        final Entry moved = db.add(to, src.value);
        moved.lru = src.lru;
        if (expire != -1) {
            db.setExpire(to, expire);
        }
        db.delete(src.key);
        db.signalModified(src.key);
        db.signalModified(to);
        db.notify(Notify.GENERIC, "rename_from", src.key);
        db.notify(Notify.GENERIC, "rename_to", to);
        c.keyspace().dirty++;
        replyRenamed(c, nx, true);
    }

    private static void replyRenamed(final StorageCall c, final boolean nx, final boolean renamed) {
        if (!nx) {
            c.reply().ok();
        } else {
            c.reply().integer(renamed ? 1 : 0);
        }
    }

    /**
     * Redis's expireGenericCommand. {@code basetimeMs} is 0 for the absolute forms. The options are
     * checked before the time, as Redis does, so a bad option wins over a bad number.
     */
    private static void expire(final StorageCall c, final Args a, final long basetimeMs, final boolean seconds,
                               final String name) {
        int flags = 0;
        for (int j = 3; j < a.count(); j++) {
            if (a.is(j, "NX")) {
                flags |= EXPIRE_NX;
            } else if (a.is(j, "XX")) {
                flags |= EXPIRE_XX;
            } else if (a.is(j, "GT")) {
                flags |= EXPIRE_GT;
            } else if (a.is(j, "LT")) {
                flags |= EXPIRE_LT;
            } else {
                c.reply().error("ERR Unsupported option " + a.string(j));
                return;
            }
        }
        if ((flags & EXPIRE_NX) != 0 && (flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT)) != 0) {
            c.reply().error(NX_INCOMPATIBLE);
            return;
        }
        if ((flags & EXPIRE_GT) != 0 && (flags & EXPIRE_LT) != 0) {
            c.reply().error(GT_LT_INCOMPATIBLE);
            return;
        }
        if (!a.isLong(2)) {
            c.reply().error(Errors.NOT_INTEGER);
            return;
        }
        long when = a.longValue(2);
        if (seconds) {
            if (when > Long.MAX_VALUE / 1000 || when < Long.MIN_VALUE / 1000) {
                c.reply().error(Errors.invalidExpire(name.toLowerCase(java.util.Locale.ROOT)));
                return;
            }
            when *= 1000;
        }
        if (when > Long.MAX_VALUE - basetimeMs) {
            c.reply().error(Errors.invalidExpire(name.toLowerCase(java.util.Locale.ROOT)));
            return;
        }
        when += basetimeMs;
        final Database db = c.db();
        final Entry e = db.lookupWriteEntry(a, 1);
        if (e == null || !expireAllowed(flags, when, db.expireAt(e.key))) {
            c.reply().integer(0);
            return;
        }
        final byte[] key = e.key;
        if (alreadyExpired(c, when)) {
            db.delete(key);
            c.keyspace().dirty++;
            c.propagateAs(DEL, key);
            db.signalModified(key);
            db.notify(Notify.GENERIC, "del", key);
            c.reply().integer(1);
            return;
        }
        db.setExpire(key, when);
        c.reply().integer(1);
        final byte[][] argv = a.toArrays();
        argv[0] = PEXPIREAT;
        argv[2] = Bytes.fromLong(when);
        c.propagateAs(argv);
        db.signalModified(key);
        db.notify(Notify.GENERIC, "expire", key);
        c.keyspace().dirty++;
    }

    /** NX / XX / GT / LT against the current deadline (-1: none, which GT treats as infinite). */
    private static boolean expireAllowed(final int flags, final long when, final long current) {
        if ((flags & EXPIRE_NX) != 0 && current != -1) {
            return false;
        }
        if ((flags & EXPIRE_XX) != 0 && current == -1) {
            return false;
        }
        if ((flags & EXPIRE_GT) != 0 && (when <= current || current == -1)) {
            return false;
        }
        return (flags & EXPIRE_LT) == 0 || when < current || current == -1;
    }

    /** TTL, PTTL, EXPIRETIME, PEXPIRETIME: -2 for a missing key, -1 without a deadline. */
    private static void ttl(final StorageCall c, final Args a, final boolean ms, final boolean absolute) {
        final Database db = c.db();
        if (db.lookupReadNoTouch(a, 1) == null) {
            c.reply().integer(-2);
            return;
        }
        final long expire = db.expireAt(a.array(), a.offset(1), a.length(1));
        if (expire == -1) {
            c.reply().integer(-1);
            return;
        }
        final long t = Math.max(absolute ? expire : expire - c.nowMs(), 0);
        // t >= 0 here; Redis's (t + 500) / 1000 comes out as unsigned arithmetic for t near LLONG_MAX
        c.reply().integer(ms ? t : Long.divideUnsigned(t + 500, 1000));
    }

    private void persist(final StorageCall c, final Args a) {
        final Database db = c.db();
        final Entry e = db.lookupWriteEntry(a, 1);
        if (e != null && db.removeExpire(e.key)) {
            db.signalModified(e.key);
            db.notify(Notify.GENERIC, "persist", e.key);
            c.keyspace().dirty++;
            c.reply().integer(1);
        } else {
            c.reply().integer(0);
        }
    }

    private void touch(final StorageCall c, final Args a) {
        final Database db = c.db();
        long n = 0;
        for (int i = 1; i < a.count(); i++) {
            if (db.lookupRead(a, i) != null) {
                n++;
            }
        }
        c.reply().integer(n);
    }

    /** A DB index argument (Redis's getIntFromObjectOrReply); -1 after replying the error. */
    /** Argument {@code i} as a database index, or -1 after replying the error Redis gives (SELECT, MOVE, COPY DB). */
    public static int dbIndex(final StorageCall c, final Args a, final int i) {
        if (!a.isLong(i)) {
            c.reply().error(Errors.NOT_INTEGER);
            return -1;
        }
        if (a.longValue(i) != (int) a.longValue(i)) {
            c.reply().error(Errors.INT_RANGE);
            return -1;
        }
        final long id = a.longValue(i);
        if (id < 0 || id >= c.keyspace().databases()) {
            c.reply().error(Errors.DB_INDEX);
            return -1;
        }
        return (int) id;
    }

    private void copy(final StorageCall c, final Args a) {
        final Database src = c.db();
        Database dst = src;
        boolean replace = false;
        for (int j = 3; j < a.count(); j++) {
            if (a.is(j, "REPLACE")) {
                replace = true;
            } else if (a.is(j, "DB") && j + 1 < a.count()) {
                final int id = dbIndex(c, a, ++j);
                if (id < 0) {
                    return;
                }
                dst = c.keyspace().db(id);
            } else {
                c.reply().error(Errors.SYNTAX);
                return;
            }
        }
        if (src == dst && a.equals(1, 2)) {
            c.reply().error(Errors.SAME_OBJECT);
            return;
        }
        final Object v = src.lookupRead(a, 1);
        if (v == null) {
            c.reply().integer(0);
            return;
        }
        final long expire = src.expireAt(a.array(), a.offset(1), a.length(1));
        final boolean exists = dst.lookupWrite(a, 2) != null;
        if (exists && !replace) {
            c.reply().integer(0);
            return;
        }
        final byte[] to = a.copy(2);
        final Object copy = duplicate(v);
        if (exists) {
            dst.delete(a.array(), a.offset(2), a.length(2));
        }
        dst.add(to, copy);
        if (expire != -1) {
            dst.setExpire(to, expire);
        }
        dst.signalModified(to);
        dst.notify(Notify.GENERIC, "copy_to", to);
        c.keyspace().dirty++;
        c.reply().integer(1);
    }

    /** A value COPY may store under a second key: immutable strings are shared, the rest copied. */
    private static Object duplicate(final Object v) {
        if (v instanceof byte[]) {
            return v;
        }
        if (v instanceof RawString r) {
            return r.copy();
        }
        return ((TypedValue) v).copy();
    }

    private void move(final StorageCall c, final Args a) {
        final int id = dbIndex(c, a, 2);
        if (id < 0) {
            return;
        }
        final Database src = c.db();
        final Database dst = c.keyspace().db(id);
        if (src == dst) {
            c.reply().error(Errors.SAME_OBJECT);
            return;
        }
        final Entry e = src.lookupWriteEntry(a, 1);
        if (e == null || dst.lookupWrite(a, 1) != null) {
            c.reply().integer(0);
            return;
        }
        final long expire = src.expireAt(e.key);
        final Entry moved = dst.add(e.key, e.value);
        moved.lru = e.lru;
        if (expire != -1) {
            dst.setExpire(e.key, expire);
        }
        src.delete(e.key);
        src.signalModified(e.key);
        dst.signalModified(e.key);
        src.notify(Notify.GENERIC, "move_from", e.key);
        dst.notify(Notify.GENERIC, "move_to", e.key);
        c.keyspace().dirty++;
        c.reply().integer(1);
    }

    private void swapdb(final StorageCall c, final Args a) {
        if (!a.isLong(1) || a.longValue(1) != (int) a.longValue(1)) {
            c.reply().error(INVALID_FIRST_DB);
            return;
        }
        if (!a.isLong(2) || a.longValue(2) != (int) a.longValue(2)) {
            c.reply().error(INVALID_SECOND_DB);
            return;
        }
        final long id1 = a.longValue(1);
        final long id2 = a.longValue(2);
        final Keyspace ks = c.keyspace();
        if (id1 < 0 || id1 >= ks.databases() || id2 < 0 || id2 >= ks.databases()) {
            c.reply().error(Errors.DB_INDEX);
            return;
        }
        if (id1 != id2) {
            ks.swap((int) id1, (int) id2);
        }
        ks.dirty++;
        c.reply().ok();
    }

    private void dbsize(final StorageCall c, final Args a) {
        c.reply().integer(c.db().size());
    }

    /**
     * FLUSHDB / FLUSHALL [SYNC|ASYNC]. Both always propagate, even when nothing was removed (Redis
     * forces it), so an empty flush goes out through alsoPropagate without moving dirty.
     */
    private static void flush(final StorageCall c, final Args a, final boolean all) {
        if (a.count() > 2 || (a.count() == 2 && !a.is(1, "SYNC") && !a.is(1, "ASYNC"))) {
            c.reply().error(Errors.SYNTAX);
            return;
        }
        final Keyspace ks = c.keyspace();
        final long removed;
        if (all) {
            ks.events().flushed(-1);
            removed = ks.flushAll();
            // Redis's flushAllDataAndResetRDB counts the flush itself as one more change
            ks.dirty += removed + 1;
        } else {
            ks.events().flushed(c.db().id());
            removed = c.db().clear();
            ks.dirty += removed;
            if (removed == 0) {
                c.alsoPropagate(a.toArrays());
            }
        }
        c.reply().ok();
    }

    /** OBJECT's lookup: no LRU touch, statistics counted; replies null and returns null when missing. */
    private static Entry objectLookup(final StorageCall c, final Args a) {
        final Entry e = c.db().lookupEntryNoTouch(a.array(), a.offset(2), a.length(2));
        if (e == null) {
            c.reply().nullBulk();
        }
        return e;
    }

    private void objectEncoding(final StorageCall c, final Args a) {
        final Entry e = objectLookup(c, a);
        if (e != null) {
            c.reply().bulk(e.value instanceof TypedValue t ? t.encoding() : Strings.encoding(e.value));
        }
    }

    private void objectRefcount(final StorageCall c, final Args a) {
        final Entry e = objectLookup(c, a);
        if (e != null) {
            c.reply().integer(isSharedInteger(c.settings(), e.value) ? Integer.MAX_VALUE : 1);
        }
    }

    /**
     * Whether Redis would hold this value as one of its shared integer objects (0..9999, int
     * encoded), which it does unless maxmemory is set with an LRU or LFU policy.
     */
    private static boolean isSharedInteger(final StorageSettings s, final Object v) {
        if (!(v instanceof byte[] b) || b.length > 4 || !Bytes.isLong(b)) {
            return false;
        }
        final long n = Bytes.parseLong(b);
        final boolean policyForbids = s.maxmemory != 0
            && (s.maxmemoryPolicy.endsWith("lru") || s.maxmemoryPolicy.endsWith("lfu"));
        return n >= 0 && n < SHARED_INTEGERS && !policyForbids;
    }

    private void objectIdletime(final StorageCall c, final Args a) {
        final Entry e = objectLookup(c, a);
        if (e == null) {
            return;
        }
        if (Lfu.isLfuPolicy(c.settings().maxmemoryPolicy)) {
            c.reply().error(LFU_SELECTED);
            return;
        }
        c.reply().integer(c.keyspace().idleSeconds(e));
    }

    private void objectFreq(final StorageCall c, final Args a) {
        final Entry e = objectLookup(c, a);
        if (e == null) {
            return;
        }
        if (!Lfu.isLfuPolicy(c.settings().maxmemoryPolicy)) {
            c.reply().error(LFU_NOT_SELECTED);
            return;
        }
        c.reply().integer(Lfu.decrAndReturn(e.lru, c.keyspace().nowMs(), c.settings().lfuDecayTime));
    }

    private void objectHelp(final StorageCall c, final Args a) {
        final RespWriter w = c.reply();
        w.array(OBJECT_HELP.length);
        for (final String line : OBJECT_HELP) {
            w.simple(line);
        }
    }
}
