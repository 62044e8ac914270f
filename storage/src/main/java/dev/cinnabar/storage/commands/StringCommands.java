package dev.cinnabar.storage.commands;

import static dev.cinnabar.protocol.command.AclCategory.STRING;
import static dev.cinnabar.protocol.command.CommandFlag.DENYOOM;
import static dev.cinnabar.protocol.command.CommandFlag.FAST;
import static dev.cinnabar.protocol.command.CommandFlag.READONLY;
import static dev.cinnabar.protocol.command.CommandFlag.WRITE;

import java.math.BigDecimal;

import dev.cinnabar.protocol.Errors;
import dev.cinnabar.protocol.command.CommandFamily;
import dev.cinnabar.protocol.command.CommandTable;
import dev.cinnabar.protocol.command.KeySpec;
import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.protocol.resp.RespWriter;
import dev.cinnabar.protocol.util.Bytes;
import dev.cinnabar.storage.keyspace.Database;
import dev.cinnabar.storage.keyspace.Entry;
import dev.cinnabar.storage.keyspace.Notify;
import dev.cinnabar.storage.type.LongDoubles;
import dev.cinnabar.storage.type.RawString;
import dev.cinnabar.storage.type.Strings;

/**
 * The string family of Redis 7.0: GET, SET and its options, the counters, ranges and LCS.
 *
 * <p>Propagation follows Redis 7.0's rewrites so replicas converge: a relative or second-based
 * expire becomes {@code SET key value PXAT ms} (SET, SETEX, PSETEX), GETEX becomes PEXPIREAT /
 * PERSIST / DEL, GETDEL becomes DEL, GETSET becomes SET, INCRBYFLOAT becomes SET ... KEEPTTL, and
 * SET ... GET propagates without GET. Redis: t_string.c.
 */
public final class StringCommands implements CommandFamily {
    static final byte[] SET = Bytes.ascii("SET");
    static final byte[] DEL = Bytes.ascii("DEL");
    static final byte[] PXAT = Bytes.ascii("PXAT");
    static final byte[] KEEPTTL = Bytes.ascii("KEEPTTL");
    static final byte[] PEXPIREAT = Bytes.ascii("PEXPIREAT");
    static final byte[] PERSIST = Bytes.ascii("PERSIST");

    // option bits of SET and GETEX (Redis's OBJ_SET_* / OBJ_EX ...)
    private static final int F_NX = 1;
    private static final int F_XX = 1 << 1;
    private static final int F_GET = 1 << 2;
    private static final int F_KEEPTTL = 1 << 3;
    private static final int F_PERSIST = 1 << 4;
    private static final int F_EX = 1 << 5;
    private static final int F_PX = 1 << 6;
    private static final int F_EXAT = 1 << 7;
    private static final int F_PXAT = 1 << 8;
    private static final int F_EXPIRE = F_EX | F_PX | F_EXAT | F_PXAT;
    private static final int NO_EXPIRE = -1;

    private static final String LCS_NOT_STRINGS = "ERR The specified keys must contain string values";
    private static final String LCS_LEN_AND_IDX = "ERR If you want both the length and indexes, please just use IDX.";
    private static final String LCS_TOO_LONG = "ERR String too long for LCS";
    private static final String LCS_OVER_LIMIT =
        "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len";
    private static final String LCS_NO_MEMORY = "ERR Insufficient memory, failed allocating transient memory for LCS";
    private static final String OFFSET_OUT_OF_RANGE = "ERR offset is out of range";
    private static final String DECREMENT_OVERFLOW = "ERR decrement would overflow";
    private static final byte[] MATCHES = Bytes.ascii("matches");
    private static final byte[] LEN = Bytes.ascii("len");

    @Override
    public void register(final CommandTable.Builder t) {
        final int rwAccessUpdate = KeySpec.RW | KeySpec.ACCESS | KeySpec.UPDATE;
        t.command("GET").arity(2).flags(READONLY, FAST).acl(STRING).group("string")
            .keys(KeySpec.index(1, KeySpec.RO | KeySpec.ACCESS))
            .summary("Get the value of a key").complexity("O(1)")
            .handler(this::get);
        t.command("SET").arity(-3).flags(WRITE, DENYOOM).acl(STRING).group("string")
            .keys(KeySpec.index(1, rwAccessUpdate | KeySpec.VARIABLE_FLAGS)
                .withNotes("RW and ACCESS due to the optional `GET` argument"))
            .summary("Set the string value of a key").complexity("O(1)")
            .handler(this::set);
        t.command("SETNX").arity(3).flags(WRITE, DENYOOM, FAST).acl(STRING).group("string")
            .keys(KeySpec.index(1, KeySpec.OW | KeySpec.INSERT))
            .summary("Set the value of a key, only if the key does not exist").complexity("O(1)")
            .handler(this::setnx);
        t.command("SETEX").arity(4).flags(WRITE, DENYOOM).acl(STRING).group("string").since("2.0.0")
            .keys(KeySpec.index(1, KeySpec.OW | KeySpec.UPDATE))
            .summary("Set the value and expiration of a key").complexity("O(1)")
            .handler(this::setex);
        t.command("PSETEX").arity(4).flags(WRITE, DENYOOM).acl(STRING).group("string").since("2.6.0")
            .keys(KeySpec.index(1, KeySpec.OW | KeySpec.UPDATE))
            .summary("Set the value and expiration in milliseconds of a key").complexity("O(1)")
            .handler(this::psetex);
        t.command("MGET").arity(-2).flags(READONLY, FAST).acl(STRING).group("string")
            .keys(KeySpec.range(1, -1, 1, KeySpec.RO | KeySpec.ACCESS)).tips("request_policy:multi_shard")
            .summary("Get the values of all the given keys").complexity("O(N) where N is the number of keys to retrieve.")
            .handler(this::mget);
        t.command("MSET").arity(-3).flags(WRITE, DENYOOM).acl(STRING).group("string").since("1.0.1")
            .keys(KeySpec.range(1, -1, 2, KeySpec.OW | KeySpec.UPDATE))
            .tips("request_policy:multi_shard", "response_policy:all_succeeded")
            .summary("Set multiple keys to multiple values").complexity("O(N) where N is the number of keys to set.")
            .handler(this::mset);
        t.command("MSETNX").arity(-3).flags(WRITE, DENYOOM).acl(STRING).group("string").since("1.0.1")
            .keys(KeySpec.range(1, -1, 2, KeySpec.OW | KeySpec.INSERT))
            .tips("request_policy:multi_shard", "response_policy:agg_min")
            .summary("Set multiple keys to multiple values, only if none of the keys exist")
            .complexity("O(N) where N is the number of keys to set.")
            .handler(this::msetnx);
        t.command("GETSET").arity(3).flags(WRITE, DENYOOM, FAST).acl(STRING).group("string")
            .keys(KeySpec.index(1, rwAccessUpdate))
            .summary("Set the string value of a key and return its old value").complexity("O(1)")
            .handler(this::getset);
        t.command("GETDEL").arity(2).flags(WRITE, FAST).acl(STRING).group("string").since("6.2.0")
            .keys(KeySpec.index(1, KeySpec.RW | KeySpec.ACCESS | KeySpec.DELETE))
            .summary("Get the value of a key and delete the key").complexity("O(1)")
            .handler(this::getdel);
        t.command("GETEX").arity(-2).flags(WRITE, FAST).acl(STRING).group("string").since("6.2.0")
            .keys(KeySpec.index(1, rwAccessUpdate).withNotes("RW and UPDATE because it changes the TTL"))
            .summary("Get the value of a key and optionally set its expiration").complexity("O(1)")
            .handler(this::getex);
        t.command("APPEND").arity(3).flags(WRITE, DENYOOM, FAST).acl(STRING).group("string").since("2.0.0")
            .keys(KeySpec.index(1, KeySpec.RW | KeySpec.INSERT))
            .summary("Append a value to a key").complexity("O(1). The amortized time complexity is O(1) assuming the "
                + "appended value is small and the already present value is of any size, since the dynamic string "
                + "library used by Redis will double the free space available on every reallocation.")
            .handler(this::append);
        t.command("STRLEN").arity(2).flags(READONLY, FAST).acl(STRING).group("string").since("2.2.0")
            .keys(KeySpec.index(1, KeySpec.RO))
            .summary("Get the length of the value stored in a key").complexity("O(1)")
            .handler(this::strlen);
        counter(t, "INCR", 2, "Increment the integer value of a key by one", (c, a) -> incrBy(c, a, 1));
        counter(t, "DECR", 2, "Decrement the integer value of a key by one", (c, a) -> incrBy(c, a, -1));
        counter(t, "INCRBY", 3, "Increment the integer value of a key by the given amount", this::incrby);
        counter(t, "DECRBY", 3, "Decrement the integer value of a key by the given number", this::decrby);
        t.command("INCRBYFLOAT").arity(3).flags(WRITE, DENYOOM, FAST).acl(STRING).group("string").since("2.6.0")
            .keys(KeySpec.index(1, rwAccessUpdate))
            .summary("Increment the float value of a key by the given amount").complexity("O(1)")
            .handler(this::incrbyfloat);
        t.command("GETRANGE").arity(4).flags(READONLY).acl(STRING).group("string").since("2.4.0")
            .keys(KeySpec.index(1, KeySpec.RO | KeySpec.ACCESS))
            .summary("Get a substring of the string stored at a key")
            .complexity("O(N) where N is the length of the returned string. The complexity is ultimately determined "
                + "by the returned length, but because creating a substring from an existing string is very cheap, "
                + "it can be considered O(1) for small strings.")
            .handler(this::getrange);
        t.command("SUBSTR").arity(4).flags(READONLY).acl(STRING).group("string")
            .keys(KeySpec.index(1, KeySpec.RO | KeySpec.ACCESS))
            .summary("Get a substring of the string stored at a key")
            .complexity("O(N) where N is the length of the returned string. The complexity is ultimately determined "
                + "by the returned length, but because creating a substring from an existing string is very cheap, "
                + "it can be considered O(1) for small strings.")
            .handler(this::getrange);
        t.command("SETRANGE").arity(4).flags(WRITE, DENYOOM).acl(STRING).group("string").since("2.2.0")
            .keys(KeySpec.index(1, KeySpec.RW | KeySpec.UPDATE))
            .summary("Overwrite part of a string at key starting at the specified offset")
            .complexity("O(1), not counting the time taken to copy the new string in place. Usually, this string is "
                + "very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the "
                + "length of the value argument.")
            .handler(this::setrange);
        t.command("LCS").arity(-3).flags(READONLY).acl(STRING).group("string").since("7.0.0")
            .keys(KeySpec.range(1, 1, 1, KeySpec.RO | KeySpec.ACCESS))
            .summary("Find longest common substring").complexity("O(N*M) where N and M are the lengths of s1 and s2, "
                + "respectively")
            .handler(this::lcs);
    }

    private static void counter(final CommandTable.Builder t, final String name, final int arity,
                                final String summary,
                                final dev.cinnabar.protocol.command.CommandHandler<StorageCall> h) {
        t.command(name).arity(arity).flags(WRITE, DENYOOM, FAST).acl(STRING).group("string")
            .keys(KeySpec.index(1, KeySpec.RW | KeySpec.ACCESS | KeySpec.UPDATE))
            .summary(summary).complexity("O(1)")
            .handler(h);
    }

    /** Replies a string value as a bulk reply. */
    static void replyString(final RespWriter w, final Object v) {
        w.bulk(Strings.array(v), 0, Strings.length(v));
    }

    /** What {@link #getGeneric} returns after replying WRONGTYPE. */
    private static final Object WRONG_TYPE = new Object();

    /**
     * Redis's getGenericCommand: replies the value or null and returns it (null when missing), or
     * returns {@link #WRONG_TYPE} after replying WRONGTYPE.
     */
    private static Object getGeneric(final StorageCall c, final Args a) {
        final Object v = c.db().lookupRead(a, 1);
        if (v == null) {
            c.reply().nullBulk();
            return null;
        }
        if (!Strings.isString(v)) {
            c.reply().error(Errors.WRONGTYPE);
            return WRONG_TYPE;
        }
        replyString(c.reply(), v);
        return v;
    }

    private void get(final StorageCall c, final Args a) {
        getGeneric(c, a);
    }

    private void set(final StorageCall c, final Args a) {
        final int[] expireArg = {0};
        final int flags = parseOptions(a, 3, true, expireArg);
        if (flags < 0) {
            c.reply().error(Errors.SYNTAX);
            return;
        }
        long when = NO_EXPIRE;
        if ((flags & F_EXPIRE) != 0) {
            when = absoluteExpire(c, a, expireArg[0], flags, "set");
            if (when == NO_EXPIRE) {
                return;
            }
        }
        setGeneric(c, a, 1, 2, flags, when, false);
    }

    private void setnx(final StorageCall c, final Args a) {
        setGeneric(c, a, 1, 2, F_NX, NO_EXPIRE, true);
    }

    private void setex(final StorageCall c, final Args a) {
        final long when = absoluteExpire(c, a, 2, F_EX, "setex");
        if (when != NO_EXPIRE) {
            setGeneric(c, a, 1, 3, F_EX, when, false);
        }
    }

    private void psetex(final StorageCall c, final Args a) {
        final long when = absoluteExpire(c, a, 2, F_PX, "psetex");
        if (when != NO_EXPIRE) {
            setGeneric(c, a, 1, 3, F_PX, when, false);
        }
    }

    /**
     * Redis's setGenericCommand. SETNX ({@code integerReply}) replies :1/:0, SET replies OK / null,
     * or the old value with GET. {@code when} is the absolute deadline in ms or {@link #NO_EXPIRE}.
     */
    private static void setGeneric(final StorageCall c, final Args a, final int keyIdx, final int valIdx,
                                   final int flags, final long when, final boolean integerReply) {
        if ((flags & F_GET) != 0 && getGeneric(c, a) == WRONG_TYPE) {
            return;
        }
        final Database db = c.db();
        final Entry found = db.lookupWriteEntry(a, keyIdx);
        if (((flags & F_NX) != 0 && found != null) || ((flags & F_XX) != 0 && found == null)) {
            if (integerReply) {
                c.reply().integer(0);
            } else if ((flags & F_GET) == 0) {
                c.reply().nullBulk();
            }
            return;
        }
        final byte[] value = a.copy(valIdx);
        final byte[] key;
        if (found != null) {
            key = found.key;
            db.overwrite(found, value, (flags & F_KEEPTTL) != 0);
        } else {
            key = a.copy(keyIdx);
            db.setNew(key, value);
        }
        c.keyspace().dirty++;
        db.notify(Notify.STRING, "set", key);
        if (when != NO_EXPIRE) {
            db.setExpire(key, when);
            if ((flags & F_PXAT) == 0) {
                c.propagateAs(SET, key, value, PXAT, Bytes.fromLong(when));
            }
            db.notify(Notify.GENERIC, "expire", key);
        } else if ((flags & F_GET) != 0) {
            c.propagateAs(withoutGet(a));
        }
        if (integerReply) {
            c.reply().integer(1);
        } else if ((flags & F_GET) == 0) {
            c.reply().ok();
        }
    }

    /** The SET vector without its GET options (Redis propagates SET ... GET as a plain SET). */
    private static byte[][] withoutGet(final Args a) {
        int n = 0;
        for (int i = 0; i < a.count(); i++) {
            if (i < 3 || !a.is(i, "GET")) {
                n++;
            }
        }
        final byte[][] argv = new byte[n][];
        int k = 0;
        for (int i = 0; i < a.count(); i++) {
            if (i < 3 || !a.is(i, "GET")) {
                argv[k++] = a.copy(i);
            }
        }
        return argv;
    }

    /**
     * Redis's parseExtendedStringArgumentsOrReply for SET ({@code setCommand}) and GETEX: the
     * flags, or -1 for a syntax error (unknown word, conflicting options, missing expire value).
     * {@code expireArg[0]} receives the index of the (last) expire value.
     */
    private static int parseOptions(final Args a, final int from, final boolean setCommand, final int[] expireArg) {
        int flags = 0;
        for (int j = from; j < a.count(); j++) {
            final boolean hasNext = j + 1 < a.count();
            if (setCommand && a.is(j, "NX") && (flags & F_XX) == 0) {
                flags |= F_NX;
            } else if (setCommand && a.is(j, "XX") && (flags & F_NX) == 0) {
                flags |= F_XX;
            } else if (setCommand && a.is(j, "GET")) {
                flags |= F_GET;
            } else if (setCommand && a.is(j, "KEEPTTL") && (flags & (F_PERSIST | F_EXPIRE)) == 0) {
                flags |= F_KEEPTTL;
            } else if (!setCommand && a.is(j, "PERSIST") && (flags & (F_EXPIRE | F_KEEPTTL)) == 0) {
                flags |= F_PERSIST;
            } else if (hasNext && expireOption(a, j) != 0
                && (flags & (F_KEEPTTL | F_PERSIST | (F_EXPIRE & ~expireOption(a, j)))) == 0) {
                flags |= expireOption(a, j);
                expireArg[0] = ++j;
            } else {
                return -1;
            }
        }
        return flags;
    }

    private static int expireOption(final Args a, final int j) {
        if (a.is(j, "EX")) {
            return F_EX;
        }
        if (a.is(j, "PX")) {
            return F_PX;
        }
        if (a.is(j, "EXAT")) {
            return F_EXAT;
        }
        return a.is(j, "PXAT") ? F_PXAT : 0;
    }

    /**
     * Redis's getExpireMillisecondsOrReply: the absolute deadline in ms, or {@link #NO_EXPIRE} after
     * replying the error (not an integer; not positive, or overflowing once in ms and absolute).
     */
    private static long absoluteExpire(final StorageCall c, final Args a, final int i, final int flags,
                                       final String command) {
        if (!a.isLong(i)) {
            c.reply().error(Errors.NOT_INTEGER);
            return NO_EXPIRE;
        }
        long when = a.longValue(i);
        final boolean seconds = (flags & (F_EX | F_EXAT)) != 0;
        if (when <= 0 || (seconds && when > Long.MAX_VALUE / 1000)) {
            c.reply().error(Errors.invalidExpire(command));
            return NO_EXPIRE;
        }
        if (seconds) {
            when *= 1000;
        }
        if ((flags & (F_EX | F_PX)) != 0) {
            // wraps negative on overflow, which the check below refuses, as Redis's does
            when += c.nowMs();
        }
        if (when <= 0) {
            c.reply().error(Errors.invalidExpire(command));
            return NO_EXPIRE;
        }
        return when;
    }

    private void mget(final StorageCall c, final Args a) {
        final RespWriter w = c.reply();
        w.array(a.count() - 1);
        final Database db = c.db();
        for (int i = 1; i < a.count(); i++) {
            final Object v = db.lookupRead(a, i);
            if (v == null || !Strings.isString(v)) {
                w.nullBulk();
            } else {
                replyString(w, v);
            }
        }
    }

    private void mset(final StorageCall c, final Args a) {
        if (a.count() % 2 == 0) {
            c.reply().error(Errors.wrongArity("mset"));
            return;
        }
        msetAll(c, a);
        c.reply().ok();
    }

    private void msetnx(final StorageCall c, final Args a) {
        if (a.count() % 2 == 0) {
            c.reply().error(Errors.wrongArity("msetnx"));
            return;
        }
        final Database db = c.db();
        for (int i = 1; i < a.count(); i += 2) {
            if (db.lookupWrite(a, i) != null) {
                c.reply().integer(0);
                return;
            }
        }
        msetAll(c, a);
        c.reply().integer(1);
    }

    private static void msetAll(final StorageCall c, final Args a) {
        final Database db = c.db();
        for (int i = 1; i < a.count(); i += 2) {
            final byte[] key = a.copy(i);
            db.set(key, a.copy(i + 1), false);
            db.notify(Notify.STRING, "set", key);
        }
        c.keyspace().dirty += (a.count() - 1) / 2;
    }

    private void getset(final StorageCall c, final Args a) {
        if (getGeneric(c, a) == WRONG_TYPE) {
            return;
        }
        final Database db = c.db();
        final byte[] key = a.copy(1);
        final byte[] value = a.copy(2);
        db.set(key, value, false);
        db.notify(Notify.STRING, "set", key);
        c.keyspace().dirty++;
        c.propagateAs(SET, key, value);
    }

    private void getdel(final StorageCall c, final Args a) {
        if (getGeneric(c, a) == WRONG_TYPE) {
            return;
        }
        final Database db = c.db();
        if (db.delete(a.array(), a.offset(1), a.length(1))) {
            final byte[] key = a.copy(1);
            c.propagateAs(DEL, key);
            db.signalModified(key);
            db.notify(Notify.GENERIC, "del", key);
            c.keyspace().dirty++;
        }
    }

    private void getex(final StorageCall c, final Args a) {
        final int[] expireArg = {0};
        final int flags = parseOptions(a, 2, false, expireArg);
        if (flags < 0) {
            c.reply().error(Errors.SYNTAX);
            return;
        }
        // Redis looks the key up before it validates the expire: a missing key answers nil whatever it is
        final Object v = c.db().lookupRead(a, 1);
        if (v == null) {
            c.reply().nullBulk();
            return;
        }
        if (!Strings.isString(v)) {
            c.reply().error(Errors.WRONGTYPE);
            return;
        }
        long when = NO_EXPIRE;
        if ((flags & F_EXPIRE) != 0) {
            when = absoluteExpire(c, a, expireArg[0], flags, "getex");
            if (when == NO_EXPIRE) {
                return;
            }
        }
        replyString(c.reply(), v);
        final Database db = c.db();
        final byte[] key = a.copy(1);
        if ((flags & (F_EXAT | F_PXAT)) != 0 && KeyCommands.alreadyExpired(c, when)) {
            db.delete(key);
            c.propagateAs(DEL, key);
            db.signalModified(key);
            db.notify(Notify.GENERIC, "del", key);
            c.keyspace().dirty++;
        } else if (when != NO_EXPIRE) {
            db.setExpire(key, when);
            c.propagateAs(PEXPIREAT, key, Bytes.fromLong(when));
            db.signalModified(key);
            db.notify(Notify.GENERIC, "expire", key);
            c.keyspace().dirty++;
        } else if ((flags & F_PERSIST) != 0 && db.removeExpire(key)) {
            db.signalModified(key);
            c.propagateAs(PERSIST, key);
            db.notify(Notify.GENERIC, "persist", key);
            c.keyspace().dirty++;
        }
    }

    /** Whether a string of {@code size} bytes may grow by {@code add}; replies the error when not. */
    private static boolean checkStringLength(final StorageCall c, final long size, final long add) {
        final long total = size + add;
        if (total > c.settings().protoMaxBulkLen || total > Integer.MAX_VALUE - 8) {
            c.reply().error(Errors.STRING_TOO_LONG);
            return false;
        }
        return true;
    }

    private void append(final StorageCall c, final Args a) {
        final Database db = c.db();
        final Entry e = db.lookupWriteEntry(a, 1);
        final long total;
        final byte[] key;
        if (e == null) {
            key = a.copy(1);
            db.add(key, a.copy(2));
            total = a.length(2);
        } else {
            if (!Strings.isString(e.value)) {
                c.reply().error(Errors.WRONGTYPE);
                return;
            }
            final int len = Strings.length(e.value);
            if (!checkStringLength(c, len, a.length(2))) {
                return;
            }
            key = e.key;
            final RawString raw = unshare(db, e, len + a.length(2));
            raw.append(a.array(), a.offset(2), a.length(2));
            total = raw.length();
        }
        db.signalModified(key);
        db.notify(Notify.STRING, "append", key);
        c.keyspace().dirty++;
        c.reply().integer(total);
    }

    /** Redis's dbUnshareStringValue: the entry's value as a string modifiable in place. */
    private static RawString unshare(final Database db, final Entry e, final int capacity) {
        if (e.value instanceof RawString r) {
            return r;
        }
        final RawString r = new RawString((byte[]) e.value, capacity);
        db.overwrite(e, r);
        return r;
    }

    private void strlen(final StorageCall c, final Args a) {
        final Object v = c.db().lookupRead(a, 1);
        if (v == null) {
            c.reply().integer(0);
        } else if (!Strings.isString(v)) {
            c.reply().error(Errors.WRONGTYPE);
        } else {
            c.reply().integer(Strings.length(v));
        }
    }

    private void incrby(final StorageCall c, final Args a) {
        if (!a.isLong(2)) {
            c.reply().error(Errors.NOT_INTEGER);
            return;
        }
        incrBy(c, a, a.longValue(2));
    }

    private void decrby(final StorageCall c, final Args a) {
        if (!a.isLong(2)) {
            c.reply().error(Errors.NOT_INTEGER);
            return;
        }
        final long decr = a.longValue(2);
        if (decr == Long.MIN_VALUE) {
            c.reply().error(DECREMENT_OVERFLOW);
            return;
        }
        incrBy(c, a, -decr);
    }

    /** Redis's incrDecrCommand: the counter keeps its TTL; a missing key counts from 0. */
    private static void incrBy(final StorageCall c, final Args a, final long incr) {
        final Database db = c.db();
        final Entry e = db.lookupWriteEntry(a, 1);
        long value = 0;
        if (e != null) {
            if (!Strings.isString(e.value)) {
                c.reply().error(Errors.WRONGTYPE);
                return;
            }
            final byte[] b = Strings.array(e.value);
            final int len = Strings.length(e.value);
            if (!Bytes.isLong(b, 0, len)) {
                c.reply().error(Errors.NOT_INTEGER);
                return;
            }
            value = Bytes.parseLong(b, 0, len);
        }
        if ((incr < 0 && value < 0 && incr < Long.MIN_VALUE - value)
            || (incr > 0 && value > 0 && incr > Long.MAX_VALUE - value)) {
            c.reply().error(Errors.OVERFLOW);
            return;
        }
        value += incr;
        final byte[] text = Bytes.fromLong(value);
        final byte[] key = store(db, e, a, text);
        db.signalModified(key);
        db.notify(Notify.STRING, "incrby", key);
        c.keyspace().dirty++;
        c.reply().integer(value);
    }

    /** Overwrites an existing entry keeping its TTL (dbOverwrite) or adds the key; returns the key. */
    private static byte[] store(final Database db, final Entry e, final Args a, final Object value) {
        if (e != null) {
            db.overwrite(e, value);
            return e.key;
        }
        final byte[] key = a.copy(1);
        db.add(key, value);
        return key;
    }

    private void incrbyfloat(final StorageCall c, final Args a) {
        final Database db = c.db();
        final Entry e = db.lookupWriteEntry(a, 1);
        BigDecimal current = BigDecimal.ZERO;
        if (e != null) {
            if (!Strings.isString(e.value)) {
                c.reply().error(Errors.WRONGTYPE);
                return;
            }
            current = LongDoubles.parse(Strings.array(e.value), 0, Strings.length(e.value));
        }
        final BigDecimal incr = current == null ? null : LongDoubles.parse(a.array(), a.offset(2), a.length(2));
        if (current == null || incr == null) {
            c.reply().error(Errors.NOT_FLOAT);
            return;
        }
        final BigDecimal sum = LongDoubles.add(current, incr);
        if (sum == LongDoubles.INFINITE) {
            c.reply().error(Errors.NAN_OR_INF);
            return;
        }
        final byte[] text = LongDoubles.format(sum);
        // Redis stores the result without trying the integer encoding: "3" is an embstr, not an int
        final byte[] key = store(db, e, a, "int".equals(Strings.encoding(text)) ? RawString.embedded(text) : text);
        db.signalModified(key);
        db.notify(Notify.STRING, "incrbyfloat", key);
        c.keyspace().dirty++;
        c.reply().bulk(text);
        c.propagateAs(SET, key, text, KEEPTTL);
    }

    /** GETRANGE and SUBSTR: inclusive range, negative indexes from the end, clamped. */
    private void getrange(final StorageCall c, final Args a) {
        if (!a.isLong(2) || !a.isLong(3)) {
            c.reply().error(Errors.NOT_INTEGER);
            return;
        }
        long start = a.longValue(2);
        long end = a.longValue(3);
        final Object v = c.db().lookupRead(a, 1);
        if (v == null) {
            c.reply().bulk(Bytes.EMPTY);
            return;
        }
        if (!Strings.isString(v)) {
            c.reply().error(Errors.WRONGTYPE);
            return;
        }
        final int len = Strings.length(v);
        if (start < 0 && end < 0 && start > end) {
            c.reply().bulk(Bytes.EMPTY);
            return;
        }
        if (start < 0) {
            start = Math.max(len + start, 0);
        }
        if (end < 0) {
            end = Math.max(len + end, 0);
        }
        if (end >= len) {
            end = len - 1;
        }
        if (start > end || len == 0) {
            c.reply().bulk(Bytes.EMPTY);
        } else {
            c.reply().bulk(Strings.array(v), (int) start, (int) (end - start + 1));
        }
    }

    private void setrange(final StorageCall c, final Args a) {
        if (!a.isLong(2)) {
            c.reply().error(Errors.NOT_INTEGER);
            return;
        }
        final long offset = a.longValue(2);
        if (offset < 0) {
            c.reply().error(OFFSET_OUT_OF_RANGE);
            return;
        }
        final int n = a.length(3);
        final Database db = c.db();
        final Entry e = db.lookupWriteEntry(a, 1);
        final RawString raw;
        final byte[] key;
        if (e == null) {
            if (n == 0) {
                c.reply().integer(0);
                return;
            }
            if (!checkStringLength(c, offset, n)) {
                return;
            }
            raw = new RawString(Bytes.EMPTY, (int) offset + n);
            key = a.copy(1);
            db.add(key, raw);
        } else {
            if (!Strings.isString(e.value)) {
                c.reply().error(Errors.WRONGTYPE);
                return;
            }
            if (n == 0) {
                c.reply().integer(Strings.length(e.value));
                return;
            }
            if (!checkStringLength(c, offset, n)) {
                return;
            }
            key = e.key;
            raw = unshare(db, e, (int) Math.max(offset + n, Strings.length(e.value)));
        }
        raw.setRange(offset, a.array(), a.offset(3), n);
        db.signalModified(key);
        db.notify(Notify.STRING, "setrange", key);
        c.keyspace().dirty++;
        c.reply().integer(raw.length());
    }

    private void lcs(final StorageCall c, final Args a) {
        final Database db = c.db();
        final Object va = db.lookupRead(a, 1);
        final Object vb = db.lookupRead(a, 2);
        if ((va != null && !Strings.isString(va)) || (vb != null && !Strings.isString(vb))) {
            c.reply().error(LCS_NOT_STRINGS);
            return;
        }
        boolean idx = false;
        boolean len = false;
        boolean withMatchLen = false;
        long minMatchLen = 0;
        for (int j = 3; j < a.count(); j++) {
            if (a.is(j, "IDX")) {
                idx = true;
            } else if (a.is(j, "LEN")) {
                len = true;
            } else if (a.is(j, "WITHMATCHLEN")) {
                withMatchLen = true;
            } else if (a.is(j, "MINMATCHLEN") && j + 1 < a.count()) {
                if (!a.isLong(j + 1)) {
                    c.reply().error(Errors.NOT_INTEGER);
                    return;
                }
                minMatchLen = Math.max(a.longValue(j + 1), 0);
                j++;
            } else {
                c.reply().error(Errors.SYNTAX);
                return;
            }
        }
        if (idx && len) {
            c.reply().error(LCS_LEN_AND_IDX);
            return;
        }
        final byte[] x = va == null ? Bytes.EMPTY : Strings.array(va);
        final int xl = va == null ? 0 : Strings.length(va);
        final byte[] y = vb == null ? Bytes.EMPTY : Strings.array(vb);
        final int yl = vb == null ? 0 : Strings.length(vb);
        final long cells = (long) (xl + 1) * (yl + 1);
        if (cells * 4 > c.settings().protoMaxBulkLen) {
            c.reply().error(LCS_OVER_LIMIT);
            return;
        }
        if (cells > Integer.MAX_VALUE - 8) {
            c.reply().error(LCS_TOO_LONG);
            return;
        }
        final int[] table;
        try {
            table = lcsTable(x, xl, y, yl);
        } catch (OutOfMemoryError oom) {
            c.reply().error(LCS_NO_MEMORY);
            return;
        }
        new LcsWalk(c.reply(), x, xl, y, yl, table, minMatchLen, withMatchLen).run(idx, len);
    }

    /** LCS lengths of every prefix pair, row-major: cell (i, j) at i * (yl + 1) + j. */
    private static int[] lcsTable(final byte[] x, final int xl, final byte[] y, final int yl) {
        final int w = yl + 1;
        final int[] t = new int[(xl + 1) * w];
        for (int i = 1; i <= xl; i++) {
            for (int j = 1; j <= yl; j++) {
                t[i * w + j] = x[i - 1] == y[j - 1] ? t[(i - 1) * w + j - 1] + 1
                    : Math.max(t[(i - 1) * w + j], t[i * w + j - 1]);
            }
        }
        return t;
    }

    /**
     * Walks the LCS table back from the end, collecting the common subsequence and, for IDX, the
     * matching ranges from the last to the first, in Redis's order and with its tie rule (on a
     * mismatch go up only when strictly better, else left).
     */
    private static final class LcsWalk {
        private final RespWriter w;
        private final byte[] x;
        private final int xl;
        private final byte[] y;
        private final int yl;
        private final int[] t;
        private final long minMatchLen;
        private final boolean withMatchLen;

        LcsWalk(final RespWriter w, final byte[] x, final int xl, final byte[] y, final int yl, final int[] t,
                final long minMatchLen, final boolean withMatchLen) {
            this.w = w;
            this.x = x;
            this.xl = xl;
            this.y = y;
            this.yl = yl;
            this.t = t;
            this.minMatchLen = minMatchLen;
            this.withMatchLen = withMatchLen;
        }

        void run(final boolean idx, final boolean lenOnly) {
            final int stride = yl + 1;
            final int total = t[xl * stride + yl];
            if (lenOnly) {
                w.integer(total);
                return;
            }
            final byte[] result = new byte[total];
            int mark = 0;
            if (idx) {
                w.map(2);
                w.bulk(MATCHES);
                mark = w.beginDeferred();
            }
            int ranges = 0;
            int k = total;
            int i = xl;
            int j = yl;
            // a range is [aStart, aEnd] x [bStart, bEnd]; aStart == -1 while none is open
            int aStart = -1;
            int aEnd = 0;
            int bStart = 0;
            int bEnd = 0;
            while (i > 0 && j > 0) {
                boolean emit = false;
                if (x[i - 1] == y[j - 1]) {
                    result[--k] = x[i - 1];
                    if (aStart == -1) {
                        aStart = i - 1;
                        aEnd = i - 1;
                        bStart = j - 1;
                        bEnd = j - 1;
                    } else {
                        // consecutive matches walk diagonally, so the open range grows backwards
                        aStart--;
                        bStart--;
                    }
                    if (aStart == 0 || bStart == 0) {
                        emit = true;
                    }
                    i--;
                    j--;
                } else {
                    if (t[(i - 1) * stride + j] > t[i * stride + j - 1]) {
                        i--;
                    } else {
                        j--;
                    }
                    emit = aStart != -1;
                }
                if (emit) {
                    final int matchLen = aEnd - aStart + 1;
                    if (idx && (minMatchLen == 0 || matchLen >= minMatchLen)) {
                        w.array(withMatchLen ? 3 : 2);
                        w.array(2).integer(aStart).integer(aEnd);
                        w.array(2).integer(bStart).integer(bEnd);
                        if (withMatchLen) {
                            w.integer(matchLen);
                        }
                        ranges++;
                    }
                    aStart = -1;
                }
            }
            if (idx) {
                w.endArray(mark, ranges);
                w.bulk(LEN);
                w.integer(total);
            } else {
                w.bulk(result);
            }
        }
    }
}
