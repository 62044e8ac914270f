package dev.cinnabar.storage.commands;

import static dev.cinnabar.protocol.command.AclCategory.SET;
import static dev.cinnabar.protocol.command.CommandFlag.DENYOOM;
import static dev.cinnabar.protocol.command.CommandFlag.FAST;
import static dev.cinnabar.protocol.command.CommandFlag.READONLY;
import static dev.cinnabar.protocol.command.CommandFlag.WRITE;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import dev.cinnabar.protocol.Errors;
import dev.cinnabar.protocol.command.CommandFamily;
import dev.cinnabar.protocol.command.CommandTable;
import dev.cinnabar.protocol.command.KeySpec;
import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.protocol.resp.RespWriter;
import dev.cinnabar.protocol.util.Bytes;
import dev.cinnabar.storage.keyspace.Notify;
import dev.cinnabar.storage.type.set.SetValue;

/**
 * The set family with Redis 7.0's replies, errors and notifications. SPOP is propagated as the
 * concrete SREMs (or a DEL when it empties the set), so replicas remove the same members.
 */
public final class SetCommands implements CommandFamily {
    private static final byte[] SREM = Bytes.ascii("SREM");
    private static final byte[] DEL = Bytes.ascii("DEL");
    private static final int RO = KeySpec.RO;
    private static final int RW = KeySpec.RW;

    private enum Op { UNION, DIFF }

    @Override
    public void register(final CommandTable.Builder t) {
        final String nd = "nondeterministic_output";
        final String ndo = "nondeterministic_output_order";
        final KeySpec one = KeySpec.index(1, RO);
        final KeySpec oneAccess = KeySpec.index(1, RO | KeySpec.ACCESS);
        final KeySpec allKeys = KeySpec.range(1, -1, 1, RO | KeySpec.ACCESS);
        final KeySpec sources = KeySpec.range(2, -1, 1, RO | KeySpec.ACCESS);
        t.command("SADD").arity(-3).flags(WRITE, DENYOOM, FAST).acl(SET).group("set")
            .keys(KeySpec.index(1, RW | KeySpec.INSERT)).summary("Add one or more members to a set")
            .complexity("O(1) for each element added, so O(N) to add N elements when the command is called with "
                + "multiple arguments.").handler(this::sadd);
        t.command("SREM").arity(-3).flags(WRITE, FAST).acl(SET).group("set")
            .keys(KeySpec.index(1, RW | KeySpec.DELETE)).summary("Remove one or more members from a set")
            .complexity("O(N) where N is the number of members to be removed.").handler(this::srem);
        t.command("SCARD").arity(2).flags(READONLY, FAST).acl(SET).group("set").keys(one)
            .summary("Get the number of members in a set").complexity("O(1)").handler(this::scard);
        t.command("SISMEMBER").arity(3).flags(READONLY, FAST).acl(SET).group("set").keys(one)
            .summary("Determine if a given value is a member of a set").complexity("O(1)").handler(this::sismember);
        t.command("SMISMEMBER").arity(-3).flags(READONLY, FAST).acl(SET).group("set").since("6.2.0").keys(oneAccess)
            .summary("Returns the membership associated with the given elements for a set")
            .complexity("O(N) where N is the number of elements being checked for membership")
            .handler(this::smismember);
        t.command("SMEMBERS").arity(2).flags(READONLY).acl(SET).group("set").tips(ndo).keys(oneAccess)
            .summary("Get all the members in a set").complexity("O(N) where N is the set cardinality.")
            .handler(this::smembers);
        t.command("SPOP").arity(-2).flags(WRITE, FAST).acl(SET).group("set").tips(nd)
            .keys(KeySpec.index(1, RW | KeySpec.ACCESS | KeySpec.DELETE))
            .summary("Remove and return one or multiple random members from a set")
            .complexity("Without the count argument O(1), otherwise O(N) where N is the value of the passed count.")
            .handler(this::spop);
        t.command("SRANDMEMBER").arity(-2).flags(READONLY).acl(SET).group("set").tips(nd).keys(oneAccess)
            .summary("Get one or multiple random members from a set")
            .complexity("Without the count argument O(1), otherwise O(N) where N is the absolute value of the "
                + "passed count.").handler(this::srandmember);
        t.command("SMOVE").arity(4).flags(WRITE, FAST).acl(SET).group("set")
            .keys(KeySpec.index(1, RW | KeySpec.ACCESS | KeySpec.DELETE), KeySpec.index(2, RW | KeySpec.INSERT))
            .summary("Move a member from one set to another").complexity("O(1)").handler(this::smove);
        t.command("SINTER").arity(-2).flags(READONLY).acl(SET).group("set").tips(ndo).keys(allKeys)
            .summary("Intersect multiple sets")
            .complexity("O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.")
            .handler((StorageCall c, Args a) -> inter(c, a, 1, a.count(), null, false, 0));
        t.command("SINTERCARD").arity(-3).flags(READONLY).acl(SET).group("set").since("7.0.0")
            .keys(KeySpec.keyNum(1, 0, 1, 1, RO | KeySpec.ACCESS))
            .summary("Intersect multiple sets and return the cardinality of the result")
            .complexity("O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.")
            .handler(this::sintercard);
        t.command("SINTERSTORE").arity(-3).flags(WRITE, DENYOOM).acl(SET).group("set")
            .keys(KeySpec.index(1, RW | KeySpec.UPDATE), sources)
            .summary("Intersect multiple sets and store the resulting set in a key")
            .complexity("O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.")
            .handler((StorageCall c, Args a) -> inter(c, a, 2, a.count(), a.copy(1), false, 0));
        t.command("SUNION").arity(-2).flags(READONLY).acl(SET).group("set").tips(ndo).keys(allKeys)
            .summary("Add multiple sets").complexity("O(N) where N is the total number of elements in all given sets.")
            .handler((StorageCall c, Args a) -> unionDiff(c, a, 1, null, Op.UNION));
        t.command("SUNIONSTORE").arity(-3).flags(WRITE, DENYOOM).acl(SET).group("set")
            .keys(KeySpec.index(1, KeySpec.OW | KeySpec.UPDATE), sources)
            .summary("Add multiple sets and store the resulting set in a key")
            .complexity("O(N) where N is the total number of elements in all given sets.")
            .handler((StorageCall c, Args a) -> unionDiff(c, a, 2, a.copy(1), Op.UNION));
        t.command("SDIFF").arity(-2).flags(READONLY).acl(SET).group("set").tips(ndo).keys(allKeys)
            .summary("Subtract multiple sets")
            .complexity("O(N) where N is the total number of elements in all given sets.")
            .handler((StorageCall c, Args a) -> unionDiff(c, a, 1, null, Op.DIFF));
        t.command("SDIFFSTORE").arity(-3).flags(WRITE, DENYOOM).acl(SET).group("set")
            .keys(KeySpec.index(1, KeySpec.OW | KeySpec.UPDATE), sources)
            .summary("Subtract multiple sets and store the resulting set in a key")
            .complexity("O(N) where N is the total number of elements in all given sets.")
            .handler((StorageCall c, Args a) -> unionDiff(c, a, 2, a.copy(1), Op.DIFF));
        t.command("SSCAN").arity(-3).flags(READONLY).acl(SET).group("set").since("2.8.0").tips(nd).keys(oneAccess)
            .summary("Incrementally iterate Set elements")
            .complexity("O(1) for every call. O(N) for a complete iteration, including enough command calls for the "
                + "cursor to return back to 0. N is the number of elements inside the collection..")
            .handler(this::sscan);
    }

    private void sadd(final StorageCall c, final Args a) {
        final Object v = c.db().lookupWrite(a, 1);
        if (Containers.wrongType(c, v, SetValue.class)) {
            return;
        }
        final byte[] key = a.copy(1);
        SetValue s = (SetValue) v;
        if (s == null) {
            s = SetValue.createFor(a.array(), a.offset(2), a.length(2));
            c.db().add(key, s);
        }
        int added = 0;
        for (int i = 2; i < a.count(); i++) {
            if (s.add(a.array(), a.offset(i), a.length(i), c.settings())) {
                added++;
            }
        }
        if (added > 0) {
            Containers.modified(c, key);
            Containers.notify(c, Notify.SET, "sadd", key);
            c.keyspace().dirty += added;
        }
        c.reply().integer(added);
    }

    private void srem(final StorageCall c, final Args a) {
        final Object v = c.db().lookupWrite(a, 1);
        if (Containers.wrongType(c, v, SetValue.class)) {
            return;
        }
        final SetValue s = (SetValue) v;
        int removed = 0;
        for (int i = 2; s != null && i < a.count() && s.size() > 0; i++) {
            if (s.remove(a.array(), a.offset(i), a.length(i))) {
                removed++;
            }
        }
        if (removed > 0) {
            final byte[] key = a.copy(1);
            Containers.modified(c, key);
            Containers.notify(c, Notify.SET, "srem", key);
            Containers.deleteIfEmpty(c, key, s.size());
            c.keyspace().dirty += removed;
        }
        c.reply().integer(removed);
    }

    private void scard(final StorageCall c, final Args a) {
        final Object v = c.db().lookupRead(a, 1);
        if (!Containers.wrongType(c, v, SetValue.class)) {
            c.reply().integer(v == null ? 0 : ((SetValue) v).size());
        }
    }

    private void sismember(final StorageCall c, final Args a) {
        final Object v = c.db().lookupRead(a, 1);
        if (!Containers.wrongType(c, v, SetValue.class)) {
            c.reply().integer(v != null && ((SetValue) v).contains(a.array(), a.offset(2), a.length(2)) ? 1 : 0);
        }
    }

    private void smismember(final StorageCall c, final Args a) {
        final Object v = c.db().lookupRead(a, 1);
        if (Containers.wrongType(c, v, SetValue.class)) {
            return;
        }
        final SetValue s = (SetValue) v;
        c.reply().array(a.count() - 2);
        for (int i = 2; i < a.count(); i++) {
            c.reply().integer(s != null && s.contains(a.array(), a.offset(i), a.length(i)) ? 1 : 0);
        }
    }

    private void smembers(final StorageCall c, final Args a) {
        final Object v = c.db().lookupRead(a, 1);
        if (Containers.wrongType(c, v, SetValue.class)) {
            return;
        }
        replyMembers(c.reply(), (SetValue) v);
    }

    /** A whole set as a set reply (an array in RESP2); null is the empty set. */
    private static void replyMembers(final RespWriter w, final SetValue s) {
        w.set(s == null ? 0 : s.size());
        if (s != null) {
            s.forEach(w::bulk);
        }
    }

    private void spop(final StorageCall c, final Args a) {
        if (a.count() > 3) {
            c.reply().error(Errors.SYNTAX);
            return;
        }
        if (a.count() == 3) {
            spopCount(c, a);
            return;
        }
        final Object v = c.db().lookupWrite(a, 1);
        if (Containers.wrongType(c, v, SetValue.class)) {
            return;
        }
        if (v == null) {
            c.reply().nullBulk();
            return;
        }
        final SetValue s = (SetValue) v;
        final byte[] key = a.copy(1);
        final byte[] member = s.pop(c.keyspace().random());
        Containers.notify(c, Notify.SET, "spop", key);
        c.propagateAs(SREM, key, member);
        c.reply().bulk(member);
        Containers.deleteIfEmpty(c, key, s.size());
        Containers.modified(c, key);
        c.keyspace().dirty++;
    }

    private void spopCount(final StorageCall c, final Args a) {
        if (!a.isLong(2) || a.longValue(2) < 0) {
            c.reply().error(Errors.MUST_BE_POSITIVE);
            return;
        }
        final long count = a.longValue(2);
        final Object v = c.db().lookupWrite(a, 1);
        if (Containers.wrongType(c, v, SetValue.class)) {
            return;
        }
        final SetValue s = (SetValue) v;
        if (s == null || count == 0) {
            c.reply().set(0);
            return;
        }
        final byte[] key = a.copy(1);
        Containers.notify(c, Notify.SET, "spop", key);
        if (count >= s.size()) {
            c.keyspace().dirty += s.size();
            replyMembers(c.reply(), s);
            Containers.deleteIfEmpty(c, key, 0);
            c.propagateAs(DEL, key);
            Containers.modified(c, key);
            return;
        }
        // each removal reaches replicas as its own SREM (Redis wraps them in MULTI/EXEC)
        c.preventPropagation();
        c.reply().set(count);
        for (long i = 0; i < count; i++) {
            final byte[] member = s.pop(c.keyspace().random());
            c.reply().bulk(member);
            c.alsoPropagate(SREM, key, member);
        }
        c.keyspace().dirty += count;
        Containers.modified(c, key);
    }

    private void srandmember(final StorageCall c, final Args a) {
        if (a.count() > 3) {
            c.reply().error(Errors.SYNTAX);
            return;
        }
        if (a.count() == 2) {
            final Object v = c.db().lookupRead(a, 1);
            if (Containers.wrongType(c, v, SetValue.class)) {
                return;
            }
            if (v == null) {
                c.reply().nullBulk();
            } else {
                c.reply().bulk(((SetValue) v).random(c.keyspace().random()));
            }
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
        final Object v = c.db().lookupRead(a, 1);
        if (Containers.wrongType(c, v, SetValue.class)) {
            return;
        }
        final RespWriter w = c.reply();
        if (v == null || l == 0) {
            w.array(0);
            return;
        }
        final SetValue s = (SetValue) v;
        if (l < 0) {
            w.array(-l);
            for (long i = 0; i < -l; i++) {
                w.bulk(s.random(c.keyspace().random()));
            }
        } else if (l >= s.size()) {
            w.array(s.size());
            s.forEach(w::bulk);
        } else {
            w.array(l);
            s.randomDistinct(c.keyspace().random(), (int) l, w::bulk);
        }
    }

    private void smove(final StorageCall c, final Args a) {
        final Object src = c.db().lookupWrite(a, 1);
        final Object dst = c.db().lookupWrite(a, 2);
        if (src == null) {
            c.reply().integer(0);
            return;
        }
        if (Containers.wrongType(c, src, SetValue.class) || Containers.wrongType(c, dst, SetValue.class)) {
            return;
        }
        final SetValue from = (SetValue) src;
        if (src == dst) {
            c.reply().integer(from.contains(a.array(), a.offset(3), a.length(3)) ? 1 : 0);
            return;
        }
        if (!from.remove(a.array(), a.offset(3), a.length(3))) {
            c.reply().integer(0);
            return;
        }
        final byte[] srcKey = a.copy(1);
        final byte[] dstKey = a.copy(2);
        Containers.notify(c, Notify.SET, "srem", srcKey);
        Containers.deleteIfEmpty(c, srcKey, from.size());
        SetValue to = (SetValue) dst;
        if (to == null) {
            to = SetValue.createFor(a.array(), a.offset(3), a.length(3));
            c.db().add(dstKey, to);
        }
        Containers.modified(c, srcKey);
        c.keyspace().dirty++;
        if (to.add(a.array(), a.offset(3), a.length(3), c.settings())) {
            c.keyspace().dirty++;
            Containers.modified(c, dstKey);
            Containers.notify(c, Notify.SET, "sadd", dstKey);
        }
        c.reply().integer(1);
    }

    /**
     * Loads the sets at arguments [from, to): a missing key is a null entry. Returns null after
     * replying WRONGTYPE (every key is checked, as Redis does, before any early result).
     */
    private static SetValue[] load(final StorageCall c, final Args a, final int from, final int to,
                                   final boolean write) {
        final SetValue[] sets = new SetValue[to - from];
        for (int i = from; i < to; i++) {
            final Object v = write ? c.db().lookupWrite(a, i) : c.db().lookupRead(a, i);
            if (Containers.wrongType(c, v, SetValue.class)) {
                return null;
            }
            sets[i - from] = (SetValue) v;
        }
        return sets;
    }

    private void sintercard(final StorageCall c, final Args a) {
        final long numKeys = a.isLong(1) ? a.longValue(1) : 0;
        if (numKeys < 1) {
            c.reply().error(Errors.NUMKEYS_GT_ZERO);
            return;
        }
        if (numKeys > a.count() - 2) {
            c.reply().error(Errors.NUMKEYS_GT_ARGS);
            return;
        }
        final int end = 2 + (int) numKeys;
        long limit = 0;
        for (int i = end; i < a.count(); i += 2) {
            if (i + 1 < a.count() && a.is(i, "LIMIT")) {
                limit = a.isLong(i + 1) ? a.longValue(i + 1) : -1;
                if (limit < 0) {
                    c.reply().error(Errors.LIMIT_NEGATIVE);
                    return;
                }
            } else {
                c.reply().error(Errors.SYNTAX);
                return;
            }
        }
        inter(c, a, 2, end, null, true, limit);
    }

    /** SINTER, SINTERCARD and SINTERSTORE over the keys at arguments [from, to). */
    private void inter(final StorageCall c, final Args a, final int from, final int to, final byte[] dstKey,
                       final boolean cardinalityOnly, final long limit) {
        final SetValue[] sets = load(c, a, from, to, dstKey != null);
        if (sets == null) {
            return;
        }
        for (final SetValue s : sets) {
            if (s == null) {
                if (dstKey != null) {
                    store(c, dstKey, null, "sinterstore");
                } else if (cardinalityOnly) {
                    c.reply().integer(0);
                } else {
                    c.reply().set(0);
                }
                return;
            }
        }
        Arrays.sort(sets, Comparator.comparingInt(SetValue::size));
        final List<byte[]> members = new ArrayList<>();
        final long[] card = {0};
        sets[0].forEach((b, off, len) -> {
            if (limit > 0 && card[0] >= limit) {
                return;
            }
            for (int j = 1; j < sets.length; j++) {
                if (sets[j] != sets[0] && !sets[j].contains(b, off, len)) {
                    return;
                }
            }
            card[0]++;
            if (!cardinalityOnly) {
                members.add(Arrays.copyOfRange(b, off, off + len));
            }
        });
        if (cardinalityOnly) {
            c.reply().integer(card[0]);
        } else if (dstKey != null) {
            final SetValue result = SetValue.intset();
            for (final byte[] m : members) {
                result.add(m, c.settings());
            }
            store(c, dstKey, result, "sinterstore");
        } else {
            c.reply().set(members.size());
            for (final byte[] m : members) {
                c.reply().bulk(m);
            }
        }
    }

    /** SUNION, SDIFF and their STORE forms over the keys from argument {@code from}. */
    private void unionDiff(final StorageCall c, final Args a, final int from, final byte[] dstKey, final Op op) {
        final SetValue[] sets = load(c, a, from, a.count(), dstKey != null);
        if (sets == null) {
            return;
        }
        final SetValue result = SetValue.intset();
        if (op == Op.UNION) {
            for (final SetValue s : sets) {
                if (s != null) {
                    s.forEach((b, off, len) -> result.add(b, off, len, c.settings()));
                }
            }
        } else if (sets[0] != null) {
            sets[0].forEach((b, off, len) -> {
                for (int j = 1; j < sets.length; j++) {
                    if (sets[j] != null && (sets[j] == sets[0] || sets[j].contains(b, off, len))) {
                        return;
                    }
                }
                result.add(b, off, len, c.settings());
            });
        }
        if (dstKey == null) {
            replyMembers(c.reply(), result);
        } else {
            store(c, dstKey, result, op == Op.UNION ? "sunionstore" : "sdiffstore");
        }
    }

    /** The STORE ending: set the result (dropping any TTL) or delete the destination when empty. */
    private static void store(final StorageCall c, final byte[] dstKey, final SetValue result, final String event) {
        if (result != null && result.size() > 0) {
            c.db().set(dstKey, result, false);
            c.reply().integer(result.size());
            Containers.notify(c, Notify.SET, event, dstKey);
            c.keyspace().dirty++;
            return;
        }
        c.reply().integer(0);
        if (c.db().delete(dstKey)) {
            c.keyspace().dirty++;
            Containers.modified(c, dstKey);
            Containers.notify(c, Notify.GENERIC, "del", dstKey);
        }
    }

    private void sscan(final StorageCall c, final Args a) {
        if (!ScanSupport.checkCursor(c, a, 2)) {
            return;
        }
        final long cursor = ScanSupport.cursor(a, 2);
        final Object v = c.db().lookupRead(a, 1);
        if (Containers.wrongType(c, v, SetValue.class)) {
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
        final SetValue s = (SetValue) v;
        final List<byte[]> found = new ArrayList<>();
        final SetValue.MemberVisitor collect = (b, off, len) -> found.add(Arrays.copyOfRange(b, off, off + len));
        final long next = s.isIntset() ? s.scan(0, collect)
            : Containers.scanLoop(cursor, o.count(), found, cur -> s.scan(cur, collect));
        found.removeIf(m -> !o.matches(m));
        ScanSupport.reply(c.reply(), next, found);
    }
}
