package dev.cinnabar.storage.commands;

import static dev.cinnabar.protocol.command.AclCategory.HASH;
import static dev.cinnabar.protocol.command.CommandFlag.DENYOOM;
import static dev.cinnabar.protocol.command.CommandFlag.FAST;
import static dev.cinnabar.protocol.command.CommandFlag.READONLY;
import static dev.cinnabar.protocol.command.CommandFlag.WRITE;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.cinnabar.protocol.Errors;
import dev.cinnabar.protocol.command.CommandFamily;
import dev.cinnabar.protocol.command.CommandTable;
import dev.cinnabar.protocol.command.KeySpec;
import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.protocol.resp.RespWriter;
import dev.cinnabar.protocol.util.Bytes;
import dev.cinnabar.storage.keyspace.Database;
import dev.cinnabar.storage.keyspace.Notify;
import dev.cinnabar.storage.type.LongDoubles;
import dev.cinnabar.storage.type.hash.HashValue;

/** The hash family, with Redis 7.0's replies, errors, notifications and HINCRBYFLOAT rewrite. */
public final class HashCommands implements CommandFamily {
    private static final byte[] HSET = Bytes.ascii("HSET");
    private static final int RO = KeySpec.RO;
    private static final int RW = KeySpec.RW;

    @Override
    public void register(final CommandTable.Builder t) {
        final String nd = "nondeterministic_output";
        final String ndo = "nondeterministic_output_order";
        t.command("HSET").arity(-4).flags(WRITE, DENYOOM, FAST).acl(HASH).group("hash").since("2.0.0")
            .keys(KeySpec.index(1, RW | KeySpec.UPDATE)).summary("Set the string value of a hash field")
            .complexity("O(1) for each field/value pair added").handler(this::hset);
        t.command("HMSET").arity(-4).flags(WRITE, DENYOOM, FAST).acl(HASH).group("hash").since("2.0.0")
            .keys(KeySpec.index(1, RW | KeySpec.UPDATE)).summary("Set multiple hash fields to multiple values")
            .complexity("O(N) where N is the number of fields being set.").handler(this::hset);
        t.command("HSETNX").arity(4).flags(WRITE, DENYOOM, FAST).acl(HASH).group("hash").since("2.0.0")
            .keys(KeySpec.index(1, RW | KeySpec.INSERT))
            .summary("Set the value of a hash field, only if the field does not exist").complexity("O(1)")
            .handler(this::hsetnx);
        t.command("HGET").arity(3).flags(READONLY, FAST).acl(HASH).group("hash").since("2.0.0")
            .keys(KeySpec.index(1, RO | KeySpec.ACCESS)).summary("Get the value of a hash field")
            .complexity("O(1)").handler(this::hget);
        t.command("HMGET").arity(-3).flags(READONLY, FAST).acl(HASH).group("hash").since("2.0.0")
            .keys(KeySpec.index(1, RO | KeySpec.ACCESS)).summary("Get the values of all the given hash fields")
            .complexity("O(N) where N is the number of fields being requested.").handler(this::hmget);
        t.command("HDEL").arity(-3).flags(WRITE, FAST).acl(HASH).group("hash").since("2.0.0")
            .keys(KeySpec.index(1, RW | KeySpec.DELETE)).summary("Delete one or more hash fields")
            .complexity("O(N) where N is the number of fields to be removed.").handler(this::hdel);
        t.command("HLEN").arity(2).flags(READONLY, FAST).acl(HASH).group("hash").since("2.0.0")
            .keys(KeySpec.index(1, RO)).summary("Get the number of fields in a hash").complexity("O(1)")
            .handler(this::hlen);
        t.command("HSTRLEN").arity(3).flags(READONLY, FAST).acl(HASH).group("hash").since("3.2.0")
            .keys(KeySpec.index(1, RO)).summary("Get the length of the value of a hash field").complexity("O(1)")
            .handler(this::hstrlen);
        t.command("HEXISTS").arity(3).flags(READONLY, FAST).acl(HASH).group("hash").since("2.0.0")
            .keys(KeySpec.index(1, RO)).summary("Determine if a hash field exists").complexity("O(1)")
            .handler(this::hexists);
        t.command("HKEYS").arity(2).flags(READONLY).acl(HASH).group("hash").since("2.0.0").tips(ndo)
            .keys(KeySpec.index(1, RO | KeySpec.ACCESS)).summary("Get all the fields in a hash")
            .complexity("O(N) where N is the size of the hash.").handler((StorageCall c, Args a) -> all(c, a, true, false));
        t.command("HVALS").arity(2).flags(READONLY).acl(HASH).group("hash").since("2.0.0").tips(ndo)
            .keys(KeySpec.index(1, RO | KeySpec.ACCESS)).summary("Get all the values in a hash")
            .complexity("O(N) where N is the size of the hash.").handler((StorageCall c, Args a) -> all(c, a, false, true));
        t.command("HGETALL").arity(2).flags(READONLY).acl(HASH).group("hash").since("2.0.0").tips(ndo)
            .keys(KeySpec.index(1, RO | KeySpec.ACCESS)).summary("Get all the fields and values in a hash")
            .complexity("O(N) where N is the size of the hash.").handler((StorageCall c, Args a) -> all(c, a, true, true));
        t.command("HINCRBY").arity(4).flags(WRITE, DENYOOM, FAST).acl(HASH).group("hash").since("2.0.0")
            .keys(KeySpec.index(1, RW | KeySpec.ACCESS | KeySpec.UPDATE))
            .summary("Increment the integer value of a hash field by the given number").complexity("O(1)")
            .handler(this::hincrby);
        t.command("HINCRBYFLOAT").arity(4).flags(WRITE, DENYOOM, FAST).acl(HASH).group("hash").since("2.6.0")
            .keys(KeySpec.index(1, RW | KeySpec.ACCESS | KeySpec.UPDATE))
            .summary("Increment the float value of a hash field by the given amount").complexity("O(1)")
            .handler(this::hincrbyfloat);
        t.command("HRANDFIELD").arity(-2).flags(READONLY).acl(HASH).group("hash").since("6.2.0").tips(nd)
            .keys(KeySpec.index(1, RO | KeySpec.ACCESS)).summary("Get one or multiple random fields from a hash")
            .complexity("O(N) where N is the number of fields returned").handler(this::hrandfield);
        t.command("HSCAN").arity(-3).flags(READONLY).acl(HASH).group("hash").since("2.8.0").tips(nd)
            .keys(KeySpec.index(1, RO | KeySpec.ACCESS)).summary("Incrementally iterate hash fields and associated values")
            .complexity("O(1) for every call. O(N) for a complete iteration, including enough command calls for the "
                + "cursor to return back to 0. N is the number of elements inside the collection..")
            .handler(this::hscan);
    }

    private static void changed(final StorageCall c, final byte[] key, final String event, final long dirty) {
        Containers.modified(c, key);
        Containers.notify(c, Notify.HASH, event, key);
        c.keyspace().dirty += dirty;
    }

    private void hset(final StorageCall c, final Args a) {
        final boolean hmset = a.is(0, "HMSET");
        if (a.count() % 2 != 0) {
            c.reply().error(Errors.wrongArity(hmset ? "hmset" : "hset"));
            return;
        }
        final Object v = c.db().lookupWrite(a, 1);
        if (Containers.wrongType(c, v, HashValue.class)) {
            return;
        }
        final byte[] key = a.copy(1);
        HashValue h = (HashValue) v;
        if (h == null) {
            h = new HashValue();
            c.db().add(key, h);
        }
        h.convertForArgs(a, 2, a.count() - 1, c.settings());
        int created = 0;
        for (int i = 2; i < a.count(); i += 2) {
            if (h.set(a.copy(i), a.copy(i + 1), c.settings())) {
                created++;
            }
        }
        changed(c, key, "hset", (a.count() - 2) / 2);
        if (hmset) {
            c.reply().ok();
        } else {
            c.reply().integer(created);
        }
    }

    private void hsetnx(final StorageCall c, final Args a) {
        final Object v = c.db().lookupWrite(a, 1);
        if (Containers.wrongType(c, v, HashValue.class)) {
            return;
        }
        HashValue h = (HashValue) v;
        if (h != null && h.exists(a.array(), a.offset(2), a.length(2))) {
            c.reply().integer(0);
            return;
        }
        final byte[] key = a.copy(1);
        if (h == null) {
            h = new HashValue();
            c.db().add(key, h);
        }
        h.convertForArgs(a, 2, 3, c.settings());
        h.set(a.copy(2), a.copy(3), c.settings());
        changed(c, key, "hset", 1);
        c.reply().integer(1);
    }

    private void hget(final StorageCall c, final Args a) {
        final Object v = c.db().lookupRead(a, 1);
        if (Containers.wrongType(c, v, HashValue.class)) {
            return;
        }
        if (v == null || !((HashValue) v).replyValue(c.reply(), a.array(), a.offset(2), a.length(2))) {
            c.reply().nullBulk();
        }
    }

    private void hmget(final StorageCall c, final Args a) {
        final Object v = c.db().lookupRead(a, 1);
        if (Containers.wrongType(c, v, HashValue.class)) {
            return;
        }
        final HashValue h = (HashValue) v;
        c.reply().array(a.count() - 2);
        for (int i = 2; i < a.count(); i++) {
            if (h == null || !h.replyValue(c.reply(), a.array(), a.offset(i), a.length(i))) {
                c.reply().nullBulk();
            }
        }
    }

    private void hdel(final StorageCall c, final Args a) {
        final Object v = c.db().lookupWrite(a, 1);
        if (Containers.wrongType(c, v, HashValue.class)) {
            return;
        }
        final HashValue h = (HashValue) v;
        int deleted = 0;
        if (h != null) {
            for (int i = 2; i < a.count() && h.size() > 0; i++) {
                if (h.delete(a.array(), a.offset(i), a.length(i))) {
                    deleted++;
                }
            }
        }
        if (deleted > 0) {
            final byte[] key = a.copy(1);
            Containers.modified(c, key);
            Containers.notify(c, Notify.HASH, "hdel", key);
            Containers.deleteIfEmpty(c, key, h.size());
            c.keyspace().dirty += deleted;
        }
        c.reply().integer(deleted);
    }

    private void hlen(final StorageCall c, final Args a) {
        final Object v = c.db().lookupRead(a, 1);
        if (!Containers.wrongType(c, v, HashValue.class)) {
            c.reply().integer(v == null ? 0 : ((HashValue) v).size());
        }
    }

    private void hstrlen(final StorageCall c, final Args a) {
        final Object v = c.db().lookupRead(a, 1);
        if (!Containers.wrongType(c, v, HashValue.class)) {
            final int len = v == null ? -1 : ((HashValue) v).valueLength(a.array(), a.offset(2), a.length(2));
            c.reply().integer(Math.max(len, 0));
        }
    }

    private void hexists(final StorageCall c, final Args a) {
        final Object v = c.db().lookupRead(a, 1);
        if (!Containers.wrongType(c, v, HashValue.class)) {
            c.reply().integer(v != null && ((HashValue) v).exists(a.array(), a.offset(2), a.length(2)) ? 1 : 0);
        }
    }

    /** HKEYS, HVALS and HGETALL (a map in RESP3). */
    private void all(final StorageCall c, final Args a, final boolean fields, final boolean values) {
        final Object v = c.db().lookupRead(a, 1);
        if (Containers.wrongType(c, v, HashValue.class)) {
            return;
        }
        final HashValue h = (HashValue) v;
        final int n = h == null ? 0 : h.size();
        final RespWriter w = c.reply();
        if (fields && values) {
            w.map(n);
        } else {
            w.array(n);
        }
        if (h != null) {
            h.forEach((fb, fo, fl, vb, vo, vl) -> {
                if (fields) {
                    w.bulk(fb, fo, fl);
                }
                if (values) {
                    w.bulk(vb, vo, vl);
                }
            });
        }
    }

    private void hincrby(final StorageCall c, final Args a) {
        if (!a.isLong(3)) {
            c.reply().error(Errors.NOT_INTEGER);
            return;
        }
        final long incr = a.longValue(3);
        final Object v = c.db().lookupWrite(a, 1);
        if (Containers.wrongType(c, v, HashValue.class)) {
            return;
        }
        final HashValue h = v == null ? new HashValue() : (HashValue) v;
        final byte[] old = h.value(a.array(), a.offset(2), a.length(2));
        long value = 0;
        if (old != null) {
            if (!Bytes.isLong(old)) {
                c.reply().error(Errors.HASH_NOT_INTEGER);
                return;
            }
            value = Bytes.parseLong(old);
        }
        final long sum = value + incr;
        if (((value ^ sum) & (incr ^ sum)) < 0) {
            c.reply().error(Errors.OVERFLOW);
            return;
        }
        final byte[] key = store(c, a, h, v == null, Bytes.fromLong(sum));
        changed(c, key, "hincrby", 1);
        c.reply().integer(sum);
    }

    /** Writes the new value of field argv[2] (adding the hash when new); returns the key. */
    private static byte[] store(final StorageCall c, final Args a, final HashValue h, final boolean created,
                                final byte[] value) {
        final byte[] key = a.copy(1);
        if (created) {
            c.db().add(key, h);
        }
        h.set(a.copy(2), value, c.settings());
        return key;
    }

    private void hincrbyfloat(final StorageCall c, final Args a) {
        final BigDecimal incr = LongDoubles.parse(a.array(), a.offset(3), a.length(3));
        if (incr == null) {
            c.reply().error(Errors.NOT_FLOAT);
            return;
        }
        if (incr == LongDoubles.INFINITE) {
            c.reply().error(Errors.NAN_OR_INFINITY);
            return;
        }
        final Object v = c.db().lookupWrite(a, 1);
        if (Containers.wrongType(c, v, HashValue.class)) {
            return;
        }
        final HashValue h = v == null ? new HashValue() : (HashValue) v;
        final byte[] old = h.value(a.array(), a.offset(2), a.length(2));
        BigDecimal value = BigDecimal.ZERO;
        if (old != null) {
            value = LongDoubles.parse(old, 0, old.length);
            if (value == null) {
                c.reply().error(Errors.HASH_NOT_FLOAT);
                return;
            }
        }
        final BigDecimal sum = LongDoubles.add(value, incr);
        if (sum == LongDoubles.INFINITE) {
            c.reply().error(Errors.NAN_OR_INF);
            return;
        }
        final byte[] text = LongDoubles.format(sum);
        final byte[] key = store(c, a, h, v == null, text);
        changed(c, key, "hincrbyfloat", 1);
        c.reply().bulk(text);
        // the replica must not redo the long double arithmetic: propagate the result
        c.propagateAs(HSET, key, a.copy(2), text);
    }

    private void hrandfield(final StorageCall c, final Args a) {
        if (a.count() == 2) {
            final Object v = c.db().lookupRead(a, 1);
            if (Containers.wrongType(c, v, HashValue.class)) {
                return;
            }
            if (v == null) {
                c.reply().nullBulk();
                return;
            }
            ((HashValue) v).randomPair(c.keyspace().random(), (fb, fo, fl, vb, vo, vl) -> c.reply().bulk(fb, fo, fl));
            return;
        }
        if (!a.isLong(2)) {
            c.reply().error(Errors.NOT_INTEGER);
            return;
        }
        final long l = a.longValue(2);
        if (l == Long.MIN_VALUE) {
            c.reply().error(Errors.RANDMEMBER_RANGE);
            return;
        }
        final boolean withValues = a.count() == 4 && a.is(3, "WITHVALUES");
        if (a.count() > 4 || (a.count() == 4 && !withValues)) {
            c.reply().error(Errors.SYNTAX);
            return;
        }
        if (withValues && (l < -Long.MAX_VALUE / 2 || l > Long.MAX_VALUE / 2)) {
            c.reply().error(Errors.OUT_OF_RANGE);
            return;
        }
        randomWithCount(c, a, l, withValues);
    }

    private void randomWithCount(final StorageCall c, final Args a, final long l, final boolean withValues) {
        final Object v = c.db().lookupRead(a, 1);
        if (Containers.wrongType(c, v, HashValue.class)) {
            return;
        }
        final RespWriter w = c.reply();
        if (v == null || l == 0) {
            w.array(0);
            return;
        }
        final HashValue h = (HashValue) v;
        final boolean nested = withValues && w.resp3();
        final HashValue.PairVisitor emit = (fb, fo, fl, vb, vo, vl) -> {
            if (nested) {
                w.array(2);
            }
            w.bulk(fb, fo, fl);
            if (withValues) {
                w.bulk(vb, vo, vl);
            }
        };
        final long n = l < 0 ? -l : Math.min(l, h.size());
        w.array(withValues && !nested ? n * 2 : n);
        if (l < 0) {
            for (long i = 0; i < n; i++) {
                h.randomPair(c.keyspace().random(), emit);
            }
        } else if (n == h.size()) {
            h.forEach(emit);
        } else {
            h.randomDistinct(c.keyspace().random(), (int) n, emit);
        }
    }

    private void hscan(final StorageCall c, final Args a) {
        if (!ScanSupport.checkCursor(c, a, 2)) {
            return;
        }
        final long cursor = ScanSupport.cursor(a, 2);
        final Object v = c.db().lookupRead(a, 1);
        if (Containers.wrongType(c, v, HashValue.class)) {
            return;
        }
        if (v == null) {
            ScanSupport.replyEmpty(c.reply());
            return;
        }
        final ScanSupport.Options o = ScanSupport.options(c, a, 3, false);
        if (o == null) {
            return;
        }
        final HashValue h = (HashValue) v;
        final List<byte[]> found = new ArrayList<>();
        final HashValue.PairVisitor collect = (fb, fo, fl, vb, vo, vl) -> {
            found.add(Arrays.copyOfRange(fb, fo, fo + fl));
            found.add(Arrays.copyOfRange(vb, vo, vo + vl));
        };
        final long next = h.isListpack() ? h.scan(0, collect)
            : Containers.scanLoop(cursor, o.count(), found, cur -> h.scan(cur, collect));
        final List<byte[]> kept = new ArrayList<>(found.size());
        for (int i = 0; i < found.size(); i += 2) {
            if (o.matches(found.get(i))) {
                kept.add(found.get(i));
                kept.add(found.get(i + 1));
            }
        }
        ScanSupport.reply(c.reply(), next, kept);
    }
}
