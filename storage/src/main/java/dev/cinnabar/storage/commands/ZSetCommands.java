package dev.cinnabar.storage.commands;

import static dev.cinnabar.protocol.command.AclCategory.SORTEDSET;
import static dev.cinnabar.protocol.command.CommandFlag.BLOCKING;
import static dev.cinnabar.protocol.command.CommandFlag.DENYOOM;
import static dev.cinnabar.protocol.command.CommandFlag.FAST;
import static dev.cinnabar.protocol.command.CommandFlag.NOSCRIPT;
import static dev.cinnabar.protocol.command.CommandFlag.READONLY;
import static dev.cinnabar.protocol.command.CommandFlag.WRITE;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import dev.cinnabar.protocol.Errors;
import dev.cinnabar.protocol.command.CommandFamily;
import dev.cinnabar.protocol.command.CommandTable;
import dev.cinnabar.protocol.command.KeySpec;
import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.protocol.resp.RespWriter;
import dev.cinnabar.protocol.util.Bytes;
import dev.cinnabar.protocol.util.Doubles;
import dev.cinnabar.storage.keyspace.Database;
import dev.cinnabar.storage.keyspace.Notify;
import dev.cinnabar.storage.type.ValueType;
import dev.cinnabar.storage.type.set.SetValue;
import dev.cinnabar.storage.type.zset.LexRange;
import dev.cinnabar.storage.type.zset.ScoreRange;
import dev.cinnabar.storage.type.zset.ZSet;

/**
 * The sorted-set family (Redis 7.0's t_zset.c commands, the blocking BZPOP* ones included).
 *
 * <p>Range commands share one path, as Redis's zrangeGenericCommand does: the arguments give a
 * range kind (rank, score, lex) and a direction; every kind is turned into an ascending rank
 * interval {@code [from, to)} of the set, then walked forwards or backwards with LIMIT applied.
 * Replies with scores are flat member/score pairs in RESP2 and [member, score] pairs in RESP3.
 * Redis: t_zset.c zaddGenericCommand(), zrangeGenericCommand(), zunionInterDiffGenericCommand(),
 * genericZpopCommand(), zrandmemberWithCountCommand().
 */
public final class ZSetCommands implements CommandFamily {
    private static final int RANK = 0;
    private static final int SCORE = 1;
    private static final int LEX = 2;
    private static final int AUTO = -1;
    private static final int UNION = 0;
    private static final int INTER = 1;
    private static final int DIFF = 2;
    private static final int AGG_SUM = 0;
    private static final int AGG_MIN = 1;
    private static final int AGG_MAX = 2;
    private static final int KS_RO = KeySpec.RO | KeySpec.ACCESS;
    private static final byte[] ZPOPMIN = Bytes.ascii("ZPOPMIN");
    private static final byte[] ZPOPMAX = Bytes.ascii("ZPOPMAX");

    private final SplittableRandom random = new SplittableRandom();
    private final double[] newScore = new double[1];

    @Override
    public void register(final CommandTable.Builder t) {
        final KeySpec ro = KeySpec.index(1, KS_RO);
        final KeySpec del = KeySpec.index(1, KeySpec.RW | KeySpec.DELETE);
        final KeySpec pop = KeySpec.index(1, KeySpec.RW | KeySpec.ACCESS | KeySpec.DELETE);
        final KeySpec dst = KeySpec.index(1, KeySpec.OW | KeySpec.UPDATE);
        final KeySpec srcs = KeySpec.keyNum(2, 0, 1, 1, KS_RO);
        final KeySpec srcs1 = KeySpec.keyNum(1, 0, 1, 1, KS_RO);
        t.command("ZADD").arity(-4).flags(WRITE, DENYOOM, FAST).acl(SORTEDSET).group("sorted-set")
            .keys(KeySpec.index(1, KeySpec.RW | KeySpec.UPDATE)).since("1.2.0")
            .summary("Add one or more members to a sorted set, or update its score if it already exists")
            .complexity("O(log(N)) for each item added, where N is the number of elements in the sorted set.")
            .handler(this::zadd);
        t.command("ZINCRBY").arity(4).flags(WRITE, DENYOOM, FAST).acl(SORTEDSET).group("sorted-set")
            .keys(KeySpec.index(1, KeySpec.RW | KeySpec.ACCESS | KeySpec.UPDATE)).since("1.2.0")
            .summary("Increment the score of a member in a sorted set")
            .complexity("O(log(N)) where N is the number of elements in the sorted set.")
            .handler(this::zincrby);
        t.command("ZREM").arity(-3).flags(WRITE, FAST).acl(SORTEDSET).group("sorted-set").keys(del)
            .since("1.2.0").summary("Remove one or more members from a sorted set")
            .complexity("O(M*log(N)) with N being the number of elements in the sorted set and M the number of "
                + "elements to be removed.")
            .handler(this::zrem);
        t.command("ZCARD").arity(2).flags(READONLY, FAST).acl(SORTEDSET).group("sorted-set")
            .keys(KeySpec.index(1, KeySpec.RO)).since("1.2.0")
            .summary("Get the number of members in a sorted set").complexity("O(1)")
            .handler(this::zcard);
        t.command("ZCOUNT").arity(4).flags(READONLY, FAST).acl(SORTEDSET).group("sorted-set").keys(ro)
            .since("2.0.0").summary("Count the members in a sorted set with scores within the given values")
            .complexity("O(log(N)) with N being the number of elements in the sorted set.")
            .handler((StorageCall c, Args a) -> count(c, a, SCORE));
        t.command("ZLEXCOUNT").arity(4).flags(READONLY, FAST).acl(SORTEDSET).group("sorted-set").keys(ro)
            .since("2.8.9")
            .summary("Count the number of members in a sorted set between a given lexicographical range")
            .complexity("O(log(N)) with N being the number of elements in the sorted set.")
            .handler((StorageCall c, Args a) -> count(c, a, LEX));
        t.command("ZSCORE").arity(3).flags(READONLY, FAST).acl(SORTEDSET).group("sorted-set").keys(ro)
            .since("1.2.0").summary("Get the score associated with the given member in a sorted set")
            .complexity("O(1)").handler(this::zscore);
        t.command("ZMSCORE").arity(-3).flags(READONLY, FAST).acl(SORTEDSET).group("sorted-set").keys(ro)
            .since("6.2.0").summary("Get the score associated with the given members in a sorted set")
            .complexity("O(N) where N is the number of members being requested.").handler(this::zmscore);
        t.command("ZRANK").arity(3).flags(READONLY, FAST).acl(SORTEDSET).group("sorted-set").keys(ro)
            .since("2.0.0").summary("Determine the index of a member in a sorted set").complexity("O(log(N))")
            .handler((StorageCall c, Args a) -> rank(c, a, false));
        t.command("ZREVRANK").arity(3).flags(READONLY, FAST).acl(SORTEDSET).group("sorted-set").keys(ro)
            .since("2.0.0")
            .summary("Determine the index of a member in a sorted set, with scores ordered from high to low")
            .complexity("O(log(N))").handler((StorageCall c, Args a) -> rank(c, a, true));
        final String rangeCx = "O(log(N)+M) with N being the number of elements in the sorted set and M the number "
            + "of elements returned.";
        t.command("ZRANGE").arity(-4).flags(READONLY).acl(SORTEDSET).group("sorted-set").keys(ro).since("1.2.0")
            .summary("Return a range of members in a sorted set").complexity(rangeCx)
            .handler((StorageCall c, Args a) -> zrange(c, a, 1, false, AUTO, AUTO));
        t.command("ZRANGESTORE").arity(-5).flags(WRITE, DENYOOM).acl(SORTEDSET).group("sorted-set")
            .keys(dst, KeySpec.index(2, KS_RO)).since("6.2.0")
            .summary("Store a range of members from sorted set into another key").complexity(rangeCx)
            .handler((StorageCall c, Args a) -> zrange(c, a, 2, true, AUTO, AUTO));
        t.command("ZREVRANGE").arity(-4).flags(READONLY).acl(SORTEDSET).group("sorted-set").keys(ro)
            .since("1.2.0")
            .summary("Return a range of members in a sorted set, by index, with scores ordered from high to low")
            .complexity(rangeCx).handler((StorageCall c, Args a) -> zrange(c, a, 1, false, RANK, 1));
        t.command("ZRANGEBYSCORE").arity(-4).flags(READONLY).acl(SORTEDSET).group("sorted-set").keys(ro)
            .since("1.0.5").summary("Return a range of members in a sorted set, by score").complexity(rangeCx)
            .handler((StorageCall c, Args a) -> zrange(c, a, 1, false, SCORE, 0));
        t.command("ZREVRANGEBYSCORE").arity(-4).flags(READONLY).acl(SORTEDSET).group("sorted-set").keys(ro)
            .since("2.2.0")
            .summary("Return a range of members in a sorted set, by score, with scores ordered from high to low")
            .complexity(rangeCx).handler((StorageCall c, Args a) -> zrange(c, a, 1, false, SCORE, 1));
        t.command("ZRANGEBYLEX").arity(-4).flags(READONLY).acl(SORTEDSET).group("sorted-set").keys(ro)
            .since("2.8.9").summary("Return a range of members in a sorted set, by lexicographical range")
            .complexity(rangeCx).handler((StorageCall c, Args a) -> zrange(c, a, 1, false, LEX, 0));
        t.command("ZREVRANGEBYLEX").arity(-4).flags(READONLY).acl(SORTEDSET).group("sorted-set").keys(ro)
            .since("2.8.9").summary("Return a range of members in a sorted set, by lexicographical range, "
                + "ordered from higher to lower strings.")
            .complexity(rangeCx).handler((StorageCall c, Args a) -> zrange(c, a, 1, false, LEX, 1));
        final String remCx = "O(log(N)+M) with N being the number of elements in the sorted set and M the number "
            + "of elements removed by the operation.";
        t.command("ZREMRANGEBYRANK").arity(4).flags(WRITE).acl(SORTEDSET).group("sorted-set").keys(del)
            .since("2.0.0").summary("Remove all members in a sorted set within the given indexes").complexity(remCx)
            .handler((StorageCall c, Args a) -> removeRange(c, a, RANK));
        t.command("ZREMRANGEBYSCORE").arity(4).flags(WRITE).acl(SORTEDSET).group("sorted-set").keys(del)
            .since("1.2.0").summary("Remove all members in a sorted set within the given scores").complexity(remCx)
            .handler((StorageCall c, Args a) -> removeRange(c, a, SCORE));
        t.command("ZREMRANGEBYLEX").arity(4).flags(WRITE).acl(SORTEDSET).group("sorted-set").keys(del)
            .since("2.8.9").summary("Remove all members in a sorted set between the given lexicographical range")
            .complexity(remCx).handler((StorageCall c, Args a) -> removeRange(c, a, LEX));
        setOp(t, "ZUNION", UNION, false, "6.2.0", "Add multiple sorted sets", srcs1, dst);
        setOp(t, "ZINTER", INTER, false, "6.2.0", "Intersect multiple sorted sets", srcs1, dst);
        setOp(t, "ZDIFF", DIFF, false, "6.2.0", "Subtract multiple sorted sets", srcs1, dst);
        setOp(t, "ZUNIONSTORE", UNION, true, "2.0.0",
            "Add multiple sorted sets and store the resulting sorted set in a new key", srcs, dst);
        setOp(t, "ZINTERSTORE", INTER, true, "2.0.0",
            "Intersect multiple sorted sets and store the resulting sorted set in a new key", srcs, dst);
        setOp(t, "ZDIFFSTORE", DIFF, true, "6.2.0",
            "Subtract multiple sorted sets and store the resulting sorted set in a new key", srcs, dst);
        t.command("ZINTERCARD").arity(-3).flags(READONLY).acl(SORTEDSET).group("sorted-set").keys(srcs1)
            .since("7.0.0").summary("Intersect multiple sorted sets and return the cardinality of the result")
            .complexity("O(N*K) worst case with N being the smallest input sorted set, K being the number of "
                + "input sorted sets.")
            .handler(this::zintercard);
        t.command("ZPOPMIN").arity(-2).flags(WRITE, FAST).acl(SORTEDSET).group("sorted-set").keys(pop)
            .since("5.0.0").summary("Remove and return members with the lowest scores in a sorted set")
            .complexity("O(log(N)*M) with N being the number of elements in the sorted set, and M being the "
                + "number of elements popped.")
            .handler((StorageCall c, Args a) -> zpop(c, a, false));
        t.command("ZPOPMAX").arity(-2).flags(WRITE, FAST).acl(SORTEDSET).group("sorted-set").keys(pop)
            .since("5.0.0").summary("Remove and return members with the highest scores in a sorted set")
            .complexity("O(log(N)*M) with N being the number of elements in the sorted set, and M being the "
                + "number of elements popped.")
            .handler((StorageCall c, Args a) -> zpop(c, a, true));
        t.command("ZMPOP").arity(-4).flags(WRITE).acl(SORTEDSET).group("sorted-set")
            .keys(KeySpec.keyNum(1, 0, 1, 1, KeySpec.RW | KeySpec.ACCESS | KeySpec.DELETE)).since("7.0.0")
            .summary("Remove and return members with scores in a sorted set")
            .complexity("O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of "
                + "elements in the sorted set, and M being the number of elements popped.")
            .handler((StorageCall c, Args a) -> mpop(c, a, 1, -1));
        final KeySpec blockingPop = KeySpec.range(1, -2, 1, KeySpec.RW | KeySpec.ACCESS | KeySpec.DELETE);
        t.command("BZPOPMIN").arity(-3).flags(WRITE, NOSCRIPT, BLOCKING, FAST).acl(SORTEDSET).group("sorted-set")
            .keys(blockingPop).since("5.0.0")
            .summary("Remove and return the member with the lowest score from one or more sorted sets, or block "
                + "until one is available")
            .complexity("O(log(N)) with N being the number of elements in the sorted set.")
            .handler((StorageCall c, Args a) -> bzpop(c, a, false));
        t.command("BZPOPMAX").arity(-3).flags(WRITE, NOSCRIPT, BLOCKING, FAST).acl(SORTEDSET).group("sorted-set")
            .keys(blockingPop).since("5.0.0")
            .summary("Remove and return the member with the highest score from one or more sorted sets, or block "
                + "until one is available")
            .complexity("O(log(N)) with N being the number of elements in the sorted set.")
            .handler((StorageCall c, Args a) -> bzpop(c, a, true));
        t.command("BZMPOP").arity(-5).flags(WRITE, BLOCKING).acl(SORTEDSET).group("sorted-set")
            .keys(KeySpec.keyNum(2, 0, 1, 1, KeySpec.RW | KeySpec.ACCESS | KeySpec.DELETE)).since("7.0.0")
            .summary("Remove and return members with scores in a sorted set or block until one is available")
            .complexity("O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of "
                + "elements in the sorted set, and M being the number of elements popped.")
            .handler((StorageCall c, Args a) -> mpop(c, a, 2, 1));
        t.command("ZRANDMEMBER").arity(-2).flags(READONLY).acl(SORTEDSET).group("sorted-set").keys(ro)
            .since("6.2.0").tips("nondeterministic_output")
            .summary("Get one or multiple random elements from a sorted set")
            .complexity("O(N) where N is the number of elements returned").handler(this::zrandmember);
        t.command("ZSCAN").arity(-3).flags(READONLY).acl(SORTEDSET).group("sorted-set").keys(ro)
            .since("2.8.0").tips("nondeterministic_output")
            .summary("Incrementally iterate sorted sets elements and associated scores")
            .complexity("O(1) for every call. O(N) for a complete iteration, including enough command calls for "
                + "the cursor to return back to 0. N is the number of elements inside the collection..")
            .handler(this::zscan);
    }

    private void setOp(final CommandTable.Builder t, final String name, final int op, final boolean store,
                       final String since, final String summary, final KeySpec srcs, final KeySpec dst) {
        final CommandTable.CommandBuilder b = t.command(name).acl(SORTEDSET).group("sorted-set").since(since)
            .summary(summary).complexity(op == DIFF
                ? "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the "
                    + "size of the first set, and K is the size of the result set."
                : "O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the "
                    + "number of elements in the resulting sorted set.");
        if (store) {
            b.arity(-4).flags(WRITE, DENYOOM).keys(dst, srcs)
                .handler((StorageCall c, Args a) -> setOperation(c, a, 2, op, true));
        } else {
            b.arity(-3).flags(READONLY).keys(srcs)
                .handler((StorageCall c, Args a) -> setOperation(c, a, 1, op, false));
        }
    }

    /** The zset at argument i for reading: null when missing; Boolean.FALSE after replying WRONGTYPE. */
    static Object read(final StorageCall c, final Args a, final int i) {
        final Object v = c.db().lookupRead(a, i);
        if (v != null && !(v instanceof ZSet)) {
            c.reply().error(Errors.WRONGTYPE);
            return Boolean.FALSE;
        }
        return v;
    }

    private static void notify(final StorageCall c, final String event, final byte[] key) {
        c.keyspace().events().notify(Notify.ZSET, event, key, c.db().id());
    }

    /** After a removal: signals the change and deletes the key (with a "del" event) when emptied. */
    private static void afterRemoval(final StorageCall c, final byte[] key, final ZSet zs, final String event,
                                     final long removed) {
        final Database db = c.db();
        notify(c, event, key);
        if (zs.size() == 0) {
            db.delete(key);
            c.keyspace().events().notify(Notify.GENERIC, "del", key, db.id());
        }
        db.keyspace().events().keyModified(db, key);
        c.keyspace().dirty += removed;
    }

    /** Stores a finished result at dst (replacing any value and TTL) or deletes dst when it is empty. */
    static void storeResult(final StorageCall c, final byte[] dst, final ZSet result, final String event) {
        final Database db = c.db();
        final StorageSettings s = c.settings();
        if (result.size() > 0) {
            result.shrinkIfFits(s.zsetMaxListpackEntries, s.zsetMaxListpackValue);
            db.set(dst, result, false);
            notify(c, event, dst);
            c.keyspace().dirty++;
        } else if (db.delete(dst)) {
            db.keyspace().events().keyModified(db, dst);
            c.keyspace().events().notify(Notify.GENERIC, "del", dst, db.id());
            c.keyspace().dirty++;
        }
    }

    /**
     * The result of ZUNION/ZINTER/ZDIFF (and their STORE forms): always a skiplist, as Redis builds
     * it, so a -0 score survives in the reply; storeResult converts a stored result that fits.
     */
    private static ZSet resultSet() {
        return ZSet.create(0, 0, 0);
    }

    /** A new set sized by the settings, for results built member by member. */
    static ZSet newSet(final StorageCall c, final int firstLen) {
        return ZSet.create(firstLen, c.settings().zsetMaxListpackEntries, c.settings().zsetMaxListpackValue);
    }

    static int addTo(final StorageCall c, final ZSet zs, final double score, final byte[] member, final int flags,
                     final double[] out) {
        return zs.add(score, member, flags, out, c.settings().zsetMaxListpackEntries,
            c.settings().zsetMaxListpackValue);
    }

    /** ZADD; GEOADD calls it with its rewritten vector. */
    void zadd(final StorageCall c, final Args a) {
        int flags = 0;
        boolean ch = false;
        int i = 2;
        for (; i < a.count(); i++) {
            if (a.is(i, "NX")) {
                flags |= ZSet.NX;
            } else if (a.is(i, "XX")) {
                flags |= ZSet.XX;
            } else if (a.is(i, "GT")) {
                flags |= ZSet.GT;
            } else if (a.is(i, "LT")) {
                flags |= ZSet.LT;
            } else if (a.is(i, "CH")) {
                ch = true;
            } else if (a.is(i, "INCR")) {
                flags |= ZSet.INCR;
            } else {
                break;
            }
        }
        zaddGeneric(c, a, i, flags, ch);
    }

    private void zincrby(final StorageCall c, final Args a) {
        zaddGeneric(c, a, 2, ZSet.INCR, false);
    }

    private void zaddGeneric(final StorageCall c, final Args a, final int from, final int flags, final boolean ch) {
        final int elements = a.count() - from;
        final boolean incr = (flags & ZSet.INCR) != 0;
        if (elements % 2 != 0 || elements == 0) {
            c.reply().error(Errors.SYNTAX);
            return;
        }
        if ((flags & ZSet.NX) != 0 && (flags & ZSet.XX) != 0) {
            c.reply().error(Errors.ZADD_XX_NX);
            return;
        }
        final int gtLtNx = (flags & ZSet.GT) != 0 ? 1 : 0;
        if (gtLtNx + ((flags & ZSet.LT) != 0 ? 1 : 0) + ((flags & ZSet.NX) != 0 ? 1 : 0) > 1) {
            c.reply().error(Errors.ZADD_GT_LT_NX);
            return;
        }
        if (incr && elements > 2) {
            c.reply().error(Errors.ZADD_INCR_PAIR);
            return;
        }
        final int pairs = elements / 2;
        final double[] scores = new double[pairs];
        for (int k = 0; k < pairs; k++) {
            final int idx = from + 2 * k;
            scores[k] = ScoreRange.parseScore(a.array(), a.offset(idx), a.length(idx));
            if (Double.isNaN(scores[k])) {
                c.reply().error(Errors.NOT_FLOAT);
                return;
            }
        }
        final Database db = c.db();
        final Object v = db.lookupWrite(a, 1);
        if (v != null && !(v instanceof ZSet)) {
            c.reply().error(Errors.WRONGTYPE);
            return;
        }
        long added = 0;
        long updated = 0;
        long processed = 0;
        double score = 0;
        byte[] key = null;
        if (v != null || (flags & ZSet.XX) == 0) {
            key = a.copy(1);
            ZSet zs = (ZSet) v;
            if (zs == null) {
                zs = newSet(c, a.length(from + 1));
                db.add(key, zs);
            }
            for (int k = 0; k < pairs; k++) {
                final int r = addTo(c, zs, scores[k], a.copy(from + 2 * k + 1), flags, newScore);
                if (r == ZSet.NAN) {
                    c.reply().error(Errors.ZSCORE_NAN);
                    return;
                }
                if (r == ZSet.ADDED) {
                    added++;
                } else if (r == ZSet.UPDATED) {
                    updated++;
                }
                if (r != ZSet.NOP) {
                    processed++;
                    score = newScore[0];
                }
            }
        }
        if (added + updated > 0) {
            db.keyspace().events().keyModified(db, key);
            notify(c, incr ? "zincr" : "zadd", key);
            c.keyspace().dirty += added + updated;
        }
        if (incr) {
            if (processed > 0) {
                c.reply().doubleValue(score);
            } else {
                c.reply().nullBulk();
            }
        } else {
            c.reply().integer(ch ? added + updated : added);
        }
    }

    private void zrem(final StorageCall c, final Args a) {
        final Object v = c.db().lookupWrite(a, 1);
        if (v == null) {
            c.reply().integer(0);
            return;
        }
        if (!(v instanceof ZSet zs)) {
            c.reply().error(Errors.WRONGTYPE);
            return;
        }
        long deleted = 0;
        for (int i = 2; i < a.count() && zs.size() > 0; i++) {
            if (zs.remove(a.array(), a.offset(i), a.length(i))) {
                deleted++;
            }
        }
        if (deleted > 0) {
            afterRemoval(c, a.copy(1), zs, "zrem", deleted);
        }
        c.reply().integer(deleted);
    }

    private void zcard(final StorageCall c, final Args a) {
        final Object v = read(c, a, 1);
        if (v != Boolean.FALSE) {
            c.reply().integer(v == null ? 0 : ((ZSet) v).size());
        }
    }

    /** A parsed range of one kind: either score or lex (rank ranges are plain longs). */
    private record Range(ScoreRange score, LexRange lex) {
        long from(final ZSet zs) {
            return score != null ? zs.rankFrom(score) : zs.rankFrom(lex);
        }

        long to(final ZSet zs) {
            return score != null ? zs.rankTo(score) : zs.rankTo(lex);
        }
    }

    /** Parses a score or lex range from two arguments; replies the error and returns null when invalid. */
    private static Range parseRange(final StorageCall c, final Args a, final int kind, final int minIdx,
                                    final int maxIdx) {
        if (kind == SCORE) {
            final ScoreRange r = ScoreRange.parse(a.array(), a.offset(minIdx), a.length(minIdx),
                a.offset(maxIdx), a.length(maxIdx));
            if (r == null) {
                c.reply().error(Errors.MINMAX_NOT_FLOAT);
                return null;
            }
            return new Range(r, null);
        }
        final LexRange r = LexRange.parse(a.array(), a.offset(minIdx), a.length(minIdx),
            a.offset(maxIdx), a.length(maxIdx));
        if (r == null) {
            c.reply().error(Errors.MINMAX_NOT_LEX);
            return null;
        }
        return new Range(null, r);
    }

    private void count(final StorageCall c, final Args a, final int kind) {
        final Range r = parseRange(c, a, kind, 2, 3);
        if (r == null) {
            return;
        }
        final Object v = read(c, a, 1);
        if (v == Boolean.FALSE) {
            return;
        }
        if (v == null) {
            c.reply().integer(0);
            return;
        }
        final ZSet zs = (ZSet) v;
        c.reply().integer(Math.max(0, r.to(zs) - r.from(zs)));
    }

    private void zscore(final StorageCall c, final Args a) {
        final Object v = read(c, a, 1);
        if (v == Boolean.FALSE) {
            return;
        }
        final double s = v == null ? Double.NaN : ((ZSet) v).score(a.array(), a.offset(2), a.length(2));
        if (Double.isNaN(s)) {
            c.reply().nullBulk();
        } else {
            c.reply().doubleValue(s);
        }
    }

    private void zmscore(final StorageCall c, final Args a) {
        final Object v = read(c, a, 1);
        if (v == Boolean.FALSE) {
            return;
        }
        c.reply().array(a.count() - 2);
        for (int i = 2; i < a.count(); i++) {
            final double s = v == null ? Double.NaN : ((ZSet) v).score(a.array(), a.offset(i), a.length(i));
            if (Double.isNaN(s)) {
                c.reply().nullBulk();
            } else {
                c.reply().doubleValue(s);
            }
        }
    }

    private void rank(final StorageCall c, final Args a, final boolean rev) {
        final Object v = read(c, a, 1);
        if (v == Boolean.FALSE) {
            return;
        }
        final ZSet zs = (ZSet) v;
        final long r = zs == null ? -1 : zs.rank(a.array(), a.offset(2), a.length(2));
        if (r < 0) {
            c.reply().nullBulk();
        } else {
            c.reply().integer(rev ? zs.size() - 1 - r : r);
        }
    }

    /** Writes {@code count} elements from ascending rank {@code from}, with or without scores. */
    static void emit(final RespWriter w, final ZSet zs, final long from, final long count, final boolean rev,
                     final boolean withScores) {
        final boolean nested = withScores && w.resp3();
        w.array(withScores && !nested ? count * 2 : count);
        if (count == 0) {
            return;
        }
        zs.rangeInPlace(from, count, rev, (b, off, len, s) -> {
            if (nested) {
                w.array(2);
            }
            w.bulk(b, off, len);
            if (withScores) {
                w.doubleValue(s);
            }
        });
    }

    /**
     * ZRANGE and its variants: {@code keyIdx} is the source key (2 for ZRANGESTORE), kind and
     * direction are fixed by the command or AUTO (then given by BYSCORE/BYLEX/REV).
     */
    private void zrange(final StorageCall c, final Args a, final int keyIdx, final boolean store, final int kindIn,
                        final int dirIn) {
        int kind = kindIn;
        int dir = dirIn;
        boolean withScores = false;
        long offset = 0;
        long limit = -1;
        for (int j = keyIdx + 3; j < a.count(); j++) {
            final int left = a.count() - j - 1;
            if (!store && a.is(j, "WITHSCORES")) {
                withScores = true;
            } else if (left >= 2 && a.is(j, "LIMIT")) {
                if (!a.isLong(j + 1) || !a.isLong(j + 2)) {
                    c.reply().error(Errors.NOT_INTEGER);
                    return;
                }
                offset = a.longValue(j + 1);
                limit = a.longValue(j + 2);
                j += 2;
            } else if (dir == AUTO && a.is(j, "REV")) {
                dir = 1;
            } else if (kind == AUTO && a.is(j, "BYLEX")) {
                kind = LEX;
            } else if (kind == AUTO && a.is(j, "BYSCORE")) {
                kind = SCORE;
            } else {
                c.reply().error(Errors.SYNTAX);
                return;
            }
        }
        if (kind == AUTO) {
            kind = RANK;
        }
        final boolean rev = dir == 1;
        // Redis only looks at the count: "LIMIT 5 -1" passes with a rank range
        if (limit != -1 && kind == RANK) {
            c.reply().error(Errors.LIMIT_NEEDS_BY);
            return;
        }
        if (withScores && kind == LEX) {
            c.reply().error(Errors.WITHSCORES_BYLEX);
            return;
        }
        int minIdx = keyIdx + 1;
        int maxIdx = keyIdx + 2;
        if (rev && kind != RANK) {
            minIdx = keyIdx + 2;
            maxIdx = keyIdx + 1;
        }
        Range range = null;
        long start = 0;
        long end = 0;
        if (kind == RANK) {
            if (!a.isLong(minIdx) || !a.isLong(maxIdx)) {
                c.reply().error(Errors.NOT_INTEGER);
                return;
            }
            start = a.longValue(minIdx);
            end = a.longValue(maxIdx);
        } else {
            range = parseRange(c, a, kind, minIdx, maxIdx);
            if (range == null) {
                return;
            }
        }
        final Object v = read(c, a, keyIdx);
        if (v == Boolean.FALSE) {
            return;
        }
        final ZSet zs = (ZSet) v;
        // the selection as an ascending rank (first visited) and a count
        long first = 0;
        long count = 0;
        if (zs != null) {
            final long size = zs.size();
            if (kind == RANK) {
                if (start < 0) {
                    start += size;
                }
                if (end < 0) {
                    end += size;
                }
                if (start < 0) {
                    start = 0;
                }
                if (start <= end && start < size) {
                    end = Math.min(end, size - 1);
                    count = end - start + 1;
                    first = rev ? size - 1 - start : start;
                }
            } else if (offset >= 0) {
                final long from = range.from(zs);
                final long to = range.to(zs);
                // an empty range can have to < from: clamp before subtracting a (possibly huge) offset
                final long avail = offset < to - from ? to - from - offset : 0;
                if (avail > 0) {
                    count = limit < 0 ? avail : Math.min(limit, avail);
                    first = rev ? to - 1 - offset : from + offset;
                }
            }
        }
        if (!store) {
            emit(c.reply(), zs, first, count, rev, withScores);
            return;
        }
        final ZSet result = newSet(c, count > 0 ? zs.memberAt(first).length : 0);
        if (count > 0) {
            zs.range(first, count, rev, (m, s) -> addTo(c, result, s, m, 0, null));
        }
        storeResult(c, a.copy(1), result, "zrangestore");
        c.reply().integer(result.size());
    }

    private void removeRange(final StorageCall c, final Args a, final int kind) {
        Range range = null;
        long start = 0;
        long end = 0;
        if (kind == RANK) {
            if (!a.isLong(2) || !a.isLong(3)) {
                c.reply().error(Errors.NOT_INTEGER);
                return;
            }
            start = a.longValue(2);
            end = a.longValue(3);
        } else {
            range = parseRange(c, a, kind, 2, 3);
            if (range == null) {
                return;
            }
        }
        final Object v = c.db().lookupWrite(a, 1);
        if (v == null) {
            c.reply().integer(0);
            return;
        }
        if (!(v instanceof ZSet zs)) {
            c.reply().error(Errors.WRONGTYPE);
            return;
        }
        final long size = zs.size();
        long from;
        long count;
        if (kind == RANK) {
            if (start < 0) {
                start += size;
            }
            if (end < 0) {
                end += size;
            }
            if (start < 0) {
                start = 0;
            }
            if (start > end || start >= size) {
                c.reply().integer(0);
                return;
            }
            end = Math.min(end, size - 1);
            from = start;
            count = end - start + 1;
        } else {
            from = range.from(zs);
            count = Math.max(0, range.to(zs) - from);
        }
        if (count > 0) {
            zs.removeRange(from, count);
            afterRemoval(c, a.copy(1), zs,
                kind == RANK ? "zremrangebyrank" : kind == SCORE ? "zremrangebyscore" : "zremrangebylex", count);
        }
        c.reply().integer(count);
    }

    /** A member key for the accumulators of the set operations. */
    private record Member(byte[] b) {
        @Override
        public boolean equals(final Object o) {
            return o instanceof Member m && Arrays.equals(b, m.b);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(b);
        }
    }

    /**
     * One input of a set operation with its weight: a zset, a plain set (every member scores 1, as
     * in Redis), or absent (reads as empty).
     */
    private record Source(ZSet zs, SetValue set, double weight) {
        int size() {
            return zs != null ? zs.size() : set != null ? set.size() : 0;
        }

        double score(final byte[] m) {
            if (zs != null) {
                return zs.score(m);
            }
            return set != null && set.contains(m, 0, m.length) ? 1.0 : Double.NaN;
        }

        void forEach(final ZSet.Visitor v) {
            if (zs != null) {
                zs.forEach(v);
            } else if (set != null) {
                set.forEach((b, off, len) -> v.accept(Arrays.copyOfRange(b, off, off + len), 1.0));
            }
        }
    }

    /**
     * Parses numkeys, the source keys and WEIGHTS/AGGREGATE/WITHSCORES (or LIMIT for ZINTERCARD).
     * Returns null after replying an error. {@code opts[0]} receives the aggregate, {@code opts[1]}
     * WITHSCORES (1/0), {@code opts[2]} the ZINTERCARD limit.
     */
    private static Source[] parseSources(final StorageCall c, final Args a, final int numIdx, final int op,
                                         final boolean store, final boolean cardOnly, final long[] opts,
                                         final String name) {
        if (!a.isLong(numIdx)) {
            c.reply().error(Errors.NOT_INTEGER);
            return null;
        }
        final long numkeys = a.longValue(numIdx);
        if (numkeys < 1) {
            c.reply().error(Errors.atLeastOneKey(name));
            return null;
        }
        if (numkeys > a.count() - numIdx - 1) {
            c.reply().error(Errors.SYNTAX);
            return null;
        }
        final int n = (int) numkeys;
        final Object[] inputs = new Object[n];
        for (int i = 0; i < n; i++) {
            final Object v = store ? c.db().lookupWrite(a, numIdx + 1 + i) : c.db().lookupRead(a, numIdx + 1 + i);
            if (v != null && !(v instanceof ZSet) && !(v instanceof SetValue)) {
                c.reply().error(Errors.WRONGTYPE);
                return null;
            }
            inputs[i] = v;
        }
        final double[] weights = new double[n];
        Arrays.fill(weights, 1);
        int j = numIdx + 1 + n;
        while (j < a.count()) {
            final int remaining = a.count() - j;
            if (op != DIFF && !cardOnly && remaining >= n + 1 && a.is(j, "WEIGHTS")) {
                j++;
                for (int i = 0; i < n; i++, j++) {
                    weights[i] = ScoreRange.parseScore(a.array(), a.offset(j), a.length(j));
                    if (Double.isNaN(weights[i])) {
                        c.reply().error(Errors.WEIGHT_NOT_FLOAT);
                        return null;
                    }
                }
            } else if (op != DIFF && !cardOnly && remaining >= 2 && a.is(j, "AGGREGATE")) {
                if (a.is(j + 1, "SUM")) {
                    opts[0] = AGG_SUM;
                } else if (a.is(j + 1, "MIN")) {
                    opts[0] = AGG_MIN;
                } else if (a.is(j + 1, "MAX")) {
                    opts[0] = AGG_MAX;
                } else {
                    c.reply().error(Errors.SYNTAX);
                    return null;
                }
                j += 2;
            } else if (cardOnly && remaining >= 2 && a.is(j, "LIMIT")) {
                if (!a.isLong(j + 1) || a.longValue(j + 1) < 0) {
                    c.reply().error(Errors.LIMIT_NEGATIVE);
                    return null;
                }
                opts[2] = a.longValue(j + 1);
                j += 2;
            } else if (!store && !cardOnly && a.is(j, "WITHSCORES")) {
                opts[1] = 1;
                j++;
            } else {
                c.reply().error(Errors.SYNTAX);
                return null;
            }
        }
        final Source[] src = new Source[n];
        for (int i = 0; i < n; i++) {
            src[i] = new Source(inputs[i] instanceof ZSet z ? z : null,
                inputs[i] instanceof SetValue sv ? sv : null, weights[i]);
        }
        return src;
    }

    private static double aggregate(final double target, final double val, final long agg) {
        if (agg == AGG_SUM) {
            final double s = target + val;
            return Double.isNaN(s) ? 0 : s;
        }
        if (agg == AGG_MIN) {
            return val < target ? val : target;
        }
        return val > target ? val : target;
    }

    private static double weighted(final double weight, final double score) {
        final double s = weight * score;
        return Double.isNaN(s) ? 0 : s;
    }

    private void setOperation(final StorageCall c, final Args a, final int numIdx, final int op,
                              final boolean store) {
        final String name = a.string(0).toLowerCase(java.util.Locale.ROOT);
        final long[] opts = new long[3];
        final Source[] src = parseSources(c, a, numIdx, op, store, false, opts, name);
        if (src == null) {
            return;
        }
        final ZSet result = compute(c, src, op, opts[0]);
        if (store) {
            storeResult(c, a.copy(1), result, name);
            c.reply().integer(result.size());
        } else {
            emit(c.reply(), result, 0, result.size(), false, opts[1] == 1);
        }
    }

    private static ZSet compute(final StorageCall c, final Source[] src, final int op, final long agg) {
        if (op == DIFF) {
            return diff(c, src);
        }
        final Source[] sorted = src.clone();
        // Redis walks the inputs smallest first; the order shapes floating point sums, so keep it
        Arrays.sort(sorted, (x, y) -> Integer.compare(x.size(), y.size()));
        if (op == INTER) {
            return inter(c, sorted, agg);
        }
        final Map<Member, double[]> acc = new HashMap<>();
        final List<Member> order = new ArrayList<>();
        for (final Source s : sorted) {
            s.forEach((m, score) -> {
                final double w = weighted(s.weight, score);
                final Member key = new Member(m);
                final double[] cur = acc.get(key);
                if (cur == null) {
                    acc.put(key, new double[] {w});
                    order.add(key);
                } else {
                    cur[0] = aggregate(cur[0], w, agg);
                }
            });
        }
        final ZSet result = resultSet();
        for (final Member m : order) {
            addTo(c, result, acc.get(m)[0], m.b, 0, null);
        }
        return result;
    }

    private static ZSet inter(final StorageCall c, final Source[] sorted, final long agg) {
        final ZSet result = resultSet();
        if (sorted[0].size() == 0) {
            return result;
        }
        sorted[0].forEach((m, score) -> {
            double acc = weighted(sorted[0].weight, score);
            for (int j = 1; j < sorted.length; j++) {
                final double other = sorted[j].score(m);
                if (Double.isNaN(other)) {
                    return;
                }
                // unlike the first set's score, Redis does not turn a NaN product (inf * 0) into 0
                // here: SUM then yields 0 and MIN/MAX ignore it
                acc = aggregate(acc, sorted[j].weight * other, agg);
            }
            addTo(c, result, acc, m, 0, null);
        });
        return result;
    }

    private static ZSet diff(final StorageCall c, final Source[] src) {
        final ZSet result = resultSet();
        if (src[0].size() == 0) {
            return result;
        }
        src[0].forEach((m, score) -> {
            for (int j = 1; j < src.length; j++) {
                if (!Double.isNaN(src[j].score(m))) {
                    return;
                }
            }
            addTo(c, result, score, m, 0, null);
        });
        return result;
    }

    private void zintercard(final StorageCall c, final Args a) {
        final long[] opts = new long[3];
        final Source[] src = parseSources(c, a, 1, INTER, false, true, opts, "zintercard");
        if (src == null) {
            return;
        }
        final Source[] sorted = src.clone();
        Arrays.sort(sorted, (x, y) -> Integer.compare(x.size(), y.size()));
        final long limit = opts[2];
        final long[] card = {0};
        sorted[0].forEach((m, score) -> {
            if (limit != 0 && card[0] >= limit) {
                return;
            }
            for (int j = 1; j < sorted.length; j++) {
                if (Double.isNaN(sorted[j].score(m))) {
                    return;
                }
            }
            card[0]++;
        });
        c.reply().integer(card[0]);
    }

    private void zpop(final StorageCall c, final Args a, final boolean max) {
        long count = 1;
        if (a.count() > 3) {
            c.reply().error(Errors.SYNTAX);
            return;
        }
        if (a.count() == 3) {
            if (!a.isLong(2) || a.longValue(2) < 0) {
                c.reply().error(Errors.MUST_BE_POSITIVE);
                return;
            }
            count = a.longValue(2);
        }
        final Object v = c.db().lookupWrite(a, 1);
        if (v == null || count == 0 && v instanceof ZSet) {
            c.reply().array(0);
            return;
        }
        if (!(v instanceof ZSet zs)) {
            c.reply().error(Errors.WRONGTYPE);
            return;
        }
        pop(c, a.copy(1), zs, max, count, a.count() == 3 && c.reply().resp3());
    }

    /** Pops up to count elements and replies them as flat member/score pairs or as [member, score] pairs. */
    private static void pop(final StorageCall c, final byte[] key, final ZSet zs, final boolean max,
                            final long count, final boolean pairs) {
        final long n = Math.min(count, zs.size());
        final long from = max ? zs.size() - 1 : 0;
        final RespWriter w = c.reply();
        w.array(pairs ? n : n * 2);
        zs.rangeInPlace(from, n, max, (b, off, len, s) -> {
            if (pairs) {
                w.array(2);
            }
            w.bulk(b, off, len);
            w.doubleValue(s);
        });
        zs.removeRange(max ? zs.size() - n : 0, n);
        afterRemoval(c, key, zs, max ? "zpopmax" : "zpopmin", n);
    }

    /**
     * ZMPOP (numkeys at argv[1]) and BZMPOP (timeout at argv[1], numkeys at argv[2]): pops from the
     * first non-empty sorted set, or blocks on all of them.
     */
    private void mpop(final StorageCall c, final Args a, final int numKeysIdx, final int timeoutIdx) {
        final long numkeys = a.isLong(numKeysIdx) ? a.longValue(numKeysIdx) : 0;
        if (numkeys < 1) {
            c.reply().error(Errors.NUMKEYS_GT_ZERO);
            return;
        }
        if (numkeys > a.count() - numKeysIdx - 2) {
            c.reply().error(Errors.SYNTAX);
            return;
        }
        final int whereIdx = numKeysIdx + 1 + (int) numkeys;
        final boolean max;
        if (a.is(whereIdx, "MIN")) {
            max = false;
        } else if (a.is(whereIdx, "MAX")) {
            max = true;
        } else {
            c.reply().error(Errors.SYNTAX);
            return;
        }
        long count = -1;
        for (int j = whereIdx + 1; j < a.count(); j += 2) {
            if (count == -1 && j + 1 < a.count() && a.is(j, "COUNT")) {
                count = a.isLong(j + 1) ? a.longValue(j + 1) : 0;
                if (count < 1) {
                    c.reply().error(Errors.COUNT_GT_ZERO);
                    return;
                }
            } else {
                c.reply().error(Errors.SYNTAX);
                return;
            }
        }
        if (count == -1) {
            count = 1;
        }
        final long timeoutMs = timeoutIdx < 0 ? 0 : BlockingTimeout.parse(c, a, timeoutIdx);
        if (timeoutMs < 0) {
            return;
        }
        final int k = Containers.firstExisting(c, a, numKeysIdx + 1, whereIdx, ZSet.class);
        if (k == -1) {
            BlockingTimeout.waitOrNull(c, timeoutIdx >= 0, ValueType.ZSET, timeoutMs, a, numKeysIdx + 1, whereIdx);
        } else if (k >= 0) {
            final ZSet zs = (ZSet) c.db().lookupWrite(a, k);
            final byte[] key = a.copy(k);
            c.reply().array(2);
            c.reply().bulk(key);
            pop(c, key, zs, max, count, true);
            c.propagateAs(max ? ZPOPMAX : ZPOPMIN, key, Bytes.fromLong(count));
        }
    }

    /** BZPOPMIN / BZPOPMAX key [key ...] timeout: [key, member, score] from the first non-empty set. */
    private void bzpop(final StorageCall c, final Args a, final boolean max) {
        final long timeoutMs = BlockingTimeout.parse(c, a, a.count() - 1);
        if (timeoutMs < 0) {
            return;
        }
        final int k = Containers.firstExisting(c, a, 1, a.count() - 1, ZSet.class);
        if (k == -1) {
            BlockingTimeout.waitOrNull(c, true, ValueType.ZSET, timeoutMs, a, 1, a.count() - 1);
        } else if (k >= 0) {
            final ZSet zs = (ZSet) c.db().lookupWrite(a, k);
            final byte[] key = a.copy(k);
            final RespWriter w = c.reply();
            w.array(3).bulk(key);
            final long from = max ? zs.size() - 1 : 0;
            zs.range(from, 1, max, (m, sc) -> {
                w.bulk(m);
                w.doubleValue(sc);
            });
            zs.removeRange(max ? zs.size() - 1 : 0, 1);
            afterRemoval(c, key, zs, max ? "zpopmax" : "zpopmin", 1);
            c.propagateAs(max ? ZPOPMAX : ZPOPMIN, key);
        }
    }

    private void zrandmember(final StorageCall c, final Args a) {
        if (a.count() == 2) {
            final Object v = read(c, a, 1);
            if (v == Boolean.FALSE) {
                return;
            }
            if (v == null) {
                c.reply().nullBulk();
                return;
            }
            final ZSet zs = (ZSet) v;
            c.reply().bulk(zs.memberAt(random.nextInt(zs.size())));
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
        final boolean withScores;
        if (a.count() > 4 || (a.count() == 4 && !a.is(3, "WITHSCORES"))) {
            c.reply().error(Errors.SYNTAX);
            return;
        } else {
            withScores = a.count() == 4;
            if (withScores && (l < -Long.MAX_VALUE / 2 || l > Long.MAX_VALUE / 2)) {
                c.reply().error(Errors.OUT_OF_RANGE);
                return;
            }
        }
        final Object v = read(c, a, 1);
        if (v == Boolean.FALSE) {
            return;
        }
        if (v == null || l == 0) {
            c.reply().array(0);
            return;
        }
        final ZSet zs = (ZSet) v;
        final int size = zs.size();
        final RespWriter w = c.reply();
        final boolean nested = withScores && w.resp3();
        if (l < 0) {
            final long n = -l;
            w.array(withScores && !nested ? n * 2 : n);
            for (long k = 0; k < n; k++) {
                final long r = random.nextInt(size);
                if (nested) {
                    w.array(2);
                }
                w.bulk(zs.memberAt(r));
                if (withScores) {
                    w.doubleValue(zs.scoreAt(r));
                }
            }
            return;
        }
        if (l >= size) {
            // the whole set, walked from the tail as Redis does
            emit(w, zs, size - 1, size, true, withScores);
            return;
        }
        final int n = (int) l;
        final Set<Integer> picked = new HashSet<>();
        w.array(withScores && !nested ? n * 2L : n);
        while (picked.size() < n) {
            final int r = random.nextInt(size);
            if (picked.add(r)) {
                if (nested) {
                    w.array(2);
                }
                w.bulk(zs.memberAt(r));
                if (withScores) {
                    w.doubleValue(zs.scoreAt(r));
                }
            }
        }
    }

    /** How a listpack stores a score: integral values in long range as integers, others as %.17g. */
    static byte[] listpackScore(final double s) {
        if (s == Math.rint(s) && s >= -0x1p63 && s < 0x1p63) {
            return Bytes.fromLong((long) s);
        }
        return Bytes.ascii(Doubles.formatG17(s));
    }

    private void zscan(final StorageCall c, final Args a) {
        if (!ScanSupport.checkCursor(c, a, 2)) {
            return;
        }
        final long cursor = ScanSupport.cursor(a, 2);
        final Object v = read(c, a, 1);
        if (v == Boolean.FALSE) {
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
        final ZSet zs = (ZSet) v;
        final List<byte[]> out = new ArrayList<>();
        final boolean packed = zs.isListpack();
        final long[] seen = new long[1];
        final ZSet.Visitor collect = (m, s) -> {
            seen[0]++;
            if (o.matches(m)) {
                out.add(m);
                out.add(packed ? listpackScore(s) : Bytes.ascii(Doubles.formatG17(s)));
            }
        };
        long next = cursor;
        long iterations = o.count() * 10;
        do {
            next = zs.scan(next, collect);
        } while (next != 0 && iterations-- > 0 && seen[0] < o.count());
        ScanSupport.reply(c.reply(), next, out);
    }
}
