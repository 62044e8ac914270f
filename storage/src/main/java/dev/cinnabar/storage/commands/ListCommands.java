package dev.cinnabar.storage.commands;

import static dev.cinnabar.protocol.command.AclCategory.LIST;
import static dev.cinnabar.protocol.command.CommandFlag.BLOCKING;
import static dev.cinnabar.protocol.command.CommandFlag.DENYOOM;
import static dev.cinnabar.protocol.command.CommandFlag.FAST;
import static dev.cinnabar.protocol.command.CommandFlag.NOSCRIPT;
import static dev.cinnabar.protocol.command.CommandFlag.READONLY;
import static dev.cinnabar.protocol.command.CommandFlag.WRITE;

import dev.cinnabar.protocol.Errors;
import dev.cinnabar.protocol.command.CommandFamily;
import dev.cinnabar.protocol.command.CommandTable;
import dev.cinnabar.protocol.command.KeySpec;
import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.protocol.resp.RespWriter;
import dev.cinnabar.protocol.util.Bytes;
import dev.cinnabar.storage.keyspace.Notify;
import dev.cinnabar.storage.type.ValueType;
import dev.cinnabar.storage.type.list.QuickList;

/**
 * The list family (non-blocking commands) with Redis 7.0's replies, errors and notifications.
 * A list key that comes into existence is reported with keyReady by Database.add (Redis's dbAdd),
 * so clients blocked on it can be served; LMPOP is propagated as the LPOP/RPOP it amounts to.
 */
public final class ListCommands implements CommandFamily {
    private static final byte[] LPOP = Bytes.ascii("LPOP");
    private static final byte[] RPOP = Bytes.ascii("RPOP");
    private static final byte[] LMOVE = Bytes.ascii("LMOVE");
    private static final byte[] RPOPLPUSH = Bytes.ascii("RPOPLPUSH");
    private static final int RO = KeySpec.RO;
    private static final int RW = KeySpec.RW;

    @Override
    public void register(final CommandTable.Builder t) {
        final KeySpec insert = KeySpec.index(1, RW | KeySpec.INSERT);
        final KeySpec popKey = KeySpec.index(1, RW | KeySpec.ACCESS | KeySpec.DELETE);
        final KeySpec readKey = KeySpec.index(1, RO | KeySpec.ACCESS);
        final KeySpec[] moveKeys = {popKey, KeySpec.index(2, RW | KeySpec.INSERT)};
        final String pushCx = "O(1) for each element added, so O(N) to add N elements when the command is called "
            + "with multiple arguments.";
        t.command("LPUSH").arity(-3).flags(WRITE, DENYOOM, FAST).acl(LIST).group("list").keys(insert)
            .summary("Prepend one or multiple elements to a list").complexity(pushCx)
            .handler((StorageCall c, Args a) -> push(c, a, true, false));
        t.command("RPUSH").arity(-3).flags(WRITE, DENYOOM, FAST).acl(LIST).group("list").keys(insert)
            .summary("Append one or multiple elements to a list").complexity(pushCx)
            .handler((StorageCall c, Args a) -> push(c, a, false, false));
        t.command("LPUSHX").arity(-3).flags(WRITE, DENYOOM, FAST).acl(LIST).group("list").since("2.2.0")
            .keys(insert).summary("Prepend an element to a list, only if the list exists").complexity(pushCx)
            .handler((StorageCall c, Args a) -> push(c, a, true, true));
        t.command("RPUSHX").arity(-3).flags(WRITE, DENYOOM, FAST).acl(LIST).group("list").since("2.2.0")
            .keys(insert).summary("Append an element to a list, only if the list exists").complexity(pushCx)
            .handler((StorageCall c, Args a) -> push(c, a, false, true));
        t.command("LPOP").arity(-2).flags(WRITE, FAST).acl(LIST).group("list").keys(popKey)
            .summary("Remove and get the first elements in a list")
            .complexity("O(N) where N is the number of elements returned")
            .handler((StorageCall c, Args a) -> pop(c, a, true));
        t.command("RPOP").arity(-2).flags(WRITE, FAST).acl(LIST).group("list").keys(popKey)
            .summary("Remove and get the last elements in a list")
            .complexity("O(N) where N is the number of elements returned")
            .handler((StorageCall c, Args a) -> pop(c, a, false));
        t.command("LLEN").arity(2).flags(READONLY, FAST).acl(LIST).group("list").keys(KeySpec.index(1, RO))
            .summary("Get the length of a list").complexity("O(1)").handler(this::llen);
        t.command("LRANGE").arity(4).flags(READONLY).acl(LIST).group("list").keys(readKey)
            .summary("Get a range of elements from a list")
            .complexity("O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end "
                + "(HEAD or TAIL) for large lists; and N is the number of elements in the specified range.")
            .handler(this::lrange);
        t.command("LINDEX").arity(3).flags(READONLY).acl(LIST).group("list").keys(readKey)
            .summary("Get an element from a list by its index")
            .complexity("O(N) where N is the number of elements to traverse to get to the element at index. This "
                + "makes asking for the first or the last element of the list O(1).").handler(this::lindex);
        t.command("LSET").arity(4).flags(WRITE, DENYOOM).acl(LIST).group("list")
            .keys(KeySpec.index(1, RW | KeySpec.UPDATE)).summary("Set the value of an element in a list by its index")
            .complexity("O(N) where N is the length of the list. Setting either the first or the last element of "
                + "the list is O(1).").handler(this::lset);
        t.command("LINSERT").arity(5).flags(WRITE, DENYOOM).acl(LIST).group("list").since("2.2.0").keys(insert)
            .summary("Insert an element before or after another element in a list")
            .complexity("O(N) where N is the number of elements to traverse before seeing the value pivot. This "
                + "means that inserting somewhere on the left end on the list (head) can be considered O(1) and "
                + "inserting somewhere on the right end (tail) is O(N).").handler(this::linsert);
        t.command("LREM").arity(4).flags(WRITE).acl(LIST).group("list")
            .keys(KeySpec.index(1, RW | KeySpec.DELETE)).summary("Remove elements from a list")
            .complexity("O(N+M) where N is the length of the list and M is the number of elements removed.")
            .handler(this::lrem);
        t.command("LTRIM").arity(4).flags(WRITE).acl(LIST).group("list")
            .keys(KeySpec.index(1, RW | KeySpec.DELETE)).summary("Trim a list to the specified range")
            .complexity("O(N) where N is the number of elements to be removed by the operation.")
            .handler(this::ltrim);
        t.command("LPOS").arity(-3).flags(READONLY).acl(LIST).group("list").since("6.0.6").keys(readKey)
            .summary("Return the index of matching elements on a list")
            .complexity("O(N) where N is the number of elements in the list, for the average case. When searching "
                + "for elements near the head or the tail of the list, or when the MAXLEN option is provided, the "
                + "command may run in constant time.").handler(this::lpos);
        t.command("LMOVE").arity(5).flags(WRITE, DENYOOM).acl(LIST).group("list").since("6.2.0").keys(moveKeys)
            .summary("Pop an element from a list, push it to another list and return it").complexity("O(1)")
            .handler(this::lmove);
        t.command("RPOPLPUSH").arity(3).flags(WRITE, DENYOOM).acl(LIST).group("list").since("1.2.0").keys(moveKeys)
            .summary("Remove the last element in a list, prepend it to another list and return it")
            .complexity("O(1)").handler((StorageCall c, Args a) -> move(c, a, false, true));
        final KeySpec blockingPop = KeySpec.range(1, -2, 1, RW | KeySpec.ACCESS | KeySpec.DELETE);
        t.command("BLPOP").arity(-3).flags(WRITE, NOSCRIPT, BLOCKING).acl(LIST).group("list")
            .keys(blockingPop).summary("Remove and get the first element in a list, or block until one is available")
            .complexity("O(N) where N is the number of provided keys.")
            .handler((StorageCall c, Args a) -> blockingPop(c, a, true));
        t.command("BRPOP").arity(-3).flags(WRITE, NOSCRIPT, BLOCKING).acl(LIST).group("list")
            .keys(blockingPop).summary("Remove and get the last element in a list, or block until one is available")
            .complexity("O(N) where N is the number of provided keys.")
            .handler((StorageCall c, Args a) -> blockingPop(c, a, false));
        t.command("BLMOVE").arity(6).flags(WRITE, DENYOOM, NOSCRIPT, BLOCKING).acl(LIST).group("list")
            .since("6.2.0").keys(moveKeys)
            .summary("Pop an element from a list, push it to another list and return it; or block until one is "
                + "available").complexity("O(1)").handler(this::blmove);
        t.command("BRPOPLPUSH").arity(4).flags(WRITE, DENYOOM, NOSCRIPT, BLOCKING).acl(LIST)
            .group("list").since("2.2.0").keys(moveKeys)
            .summary("Pop an element from a list, push it to another list and return it; or block until one is "
                + "available").complexity("O(1)")
            .handler((StorageCall c, Args a) -> blockingMove(c, a, false, true, 3, RPOPLPUSH));
        t.command("BLMPOP").arity(-5).flags(WRITE, BLOCKING).acl(LIST).group("list").since("7.0.0")
            .keys(KeySpec.keyNum(2, 0, 1, 1, RW | KeySpec.ACCESS | KeySpec.DELETE))
            .summary("Pop elements from a list, or block until one is available")
            .complexity("O(N+M) where N is the number of provided keys and M is the number of elements returned.")
            .handler((StorageCall c, Args a) -> mpop(c, a, 2, 1));
        t.command("LMPOP").arity(-4).flags(WRITE).acl(LIST).group("list").since("7.0.0")
            .keys(KeySpec.keyNum(1, 0, 1, 1, RW | KeySpec.ACCESS | KeySpec.DELETE))
            .summary("Pop elements from a list")
            .complexity("O(N+M) where N is the number of provided keys and M is the number of elements returned.")
            .handler((StorageCall c, Args a) -> mpop(c, a, 1, -1));
    }

    private void push(final StorageCall c, final Args a, final boolean head, final boolean onlyExisting) {
        final Object v = c.db().lookupWrite(a, 1);
        if (Containers.wrongType(c, v, QuickList.class)) {
            return;
        }
        if (v == null && onlyExisting) {
            c.reply().integer(0);
            return;
        }
        final byte[] key = a.copy(1);
        QuickList l = (QuickList) v;
        if (l == null) {
            l = new QuickList();
            c.db().add(key, l);
        }
        for (int i = 2; i < a.count(); i++) {
            l.push(a.copy(i), head);
        }
        c.reply().integer(l.size());
        Containers.modified(c, key);
        Containers.notify(c, Notify.LIST, head ? "lpush" : "rpush", key);
        c.keyspace().dirty += a.count() - 2;
    }

    /** Redis's listElementsRemoved: notification, deletion of an emptied key, signal, dirty. */
    private static void removed(final StorageCall c, final byte[] key, final boolean head, final QuickList l,
                                final long n) {
        Containers.notify(c, Notify.LIST, head ? "lpop" : "rpop", key);
        Containers.deleteIfEmpty(c, key, l.size());
        Containers.modified(c, key);
        c.keyspace().dirty += n;
    }

    private void pop(final StorageCall c, final Args a, final boolean head) {
        if (a.count() > 3) {
            c.reply().error(Errors.wrongArity(head ? "lpop" : "rpop"));
            return;
        }
        final boolean hasCount = a.count() == 3;
        long count = 0;
        if (hasCount) {
            if (!a.isLong(2) || a.longValue(2) < 0) {
                c.reply().error(Errors.MUST_BE_POSITIVE);
                return;
            }
            count = a.longValue(2);
        }
        final Object v = c.db().lookupWrite(a, 1);
        if (v == null) {
            if (hasCount) {
                c.reply().nullArray();
            } else {
                c.reply().nullBulk();
            }
            return;
        }
        if (Containers.wrongType(c, v, QuickList.class)) {
            return;
        }
        final QuickList l = (QuickList) v;
        if (hasCount && count == 0) {
            c.reply().array(0);
            return;
        }
        final byte[] key = a.copy(1);
        if (!hasCount) {
            c.reply().bulk(l.pop(head));
            removed(c, key, head, l, 1);
            return;
        }
        final long n = popRange(c.reply(), l, head, count);
        removed(c, key, head, l, n);
    }

    /** Pops up to count elements from one end, replying them as an array; returns how many. */
    private static long popRange(final RespWriter w, final QuickList l, final boolean head, final long count) {
        final long n = Math.min(count, l.size());
        w.array(n);
        for (long i = 0; i < n; i++) {
            w.bulk(l.pop(head));
        }
        return n;
    }

    private void llen(final StorageCall c, final Args a) {
        final Object v = c.db().lookupRead(a, 1);
        if (!Containers.wrongType(c, v, QuickList.class)) {
            c.reply().integer(v == null ? 0 : ((QuickList) v).size());
        }
    }

    private void lrange(final StorageCall c, final Args a) {
        if (!a.isLong(2) || !a.isLong(3)) {
            c.reply().error(Errors.NOT_INTEGER);
            return;
        }
        final Object v = c.db().lookupRead(a, 1);
        if (Containers.wrongType(c, v, QuickList.class)) {
            return;
        }
        final QuickList l = (QuickList) v;
        final long range = v == null ? -1 : range(l.size(), a.longValue(2), a.longValue(3));
        if (range < 0) {
            c.reply().array(0);
            return;
        }
        final int start = (int) (range >>> 32);
        final int end = (int) range;
        c.reply().array(end - start + 1);
        for (int i = start; i <= end; i++) {
            c.reply().bulk(l.get(i));
        }
    }

    /**
     * Redis's start/end normalization for LRANGE and LTRIM: negative indexes count from the tail,
     * start is clamped at 0 and end at the last element. Returns start in the high and end in the
     * low 32 bits, or -1 when the range is empty.
     */
    private static long range(final int len, final long startArg, final long endArg) {
        long start = startArg < 0 ? len + startArg : startArg;
        final long end = endArg < 0 ? len + endArg : endArg;
        if (start < 0) {
            start = 0;
        }
        if (start > end || start >= len) {
            return -1;
        }
        return start << 32 | Math.min(end, len - 1);
    }

    /** A list index (negative from the tail) as a position, or -1 when out of range. */
    private static int position(final QuickList l, final long index) {
        final long i = index < 0 ? l.size() + index : index;
        return i < 0 || i >= l.size() ? -1 : (int) i;
    }

    private void lindex(final StorageCall c, final Args a) {
        final Object v = c.db().lookupRead(a, 1);
        if (Containers.wrongType(c, v, QuickList.class)) {
            return;
        }
        if (v == null) {
            c.reply().nullBulk();
            return;
        }
        if (!a.isLong(2)) {
            c.reply().error(Errors.NOT_INTEGER);
            return;
        }
        final QuickList l = (QuickList) v;
        final int i = position(l, a.longValue(2));
        if (i < 0) {
            c.reply().nullBulk();
        } else {
            c.reply().bulk(l.get(i));
        }
    }

    private void lset(final StorageCall c, final Args a) {
        final Object v = c.db().lookupWrite(a, 1);
        if (v == null) {
            c.reply().error(Errors.NO_SUCH_KEY);
            return;
        }
        if (Containers.wrongType(c, v, QuickList.class)) {
            return;
        }
        if (!a.isLong(2)) {
            c.reply().error(Errors.NOT_INTEGER);
            return;
        }
        final QuickList l = (QuickList) v;
        final int i = position(l, a.longValue(2));
        if (i < 0) {
            c.reply().error(Errors.INDEX_OUT_OF_RANGE);
            return;
        }
        l.set(i, a.copy(3));
        final byte[] key = a.copy(1);
        c.reply().ok();
        Containers.modified(c, key);
        Containers.notify(c, Notify.LIST, "lset", key);
        c.keyspace().dirty++;
    }

    private void linsert(final StorageCall c, final Args a) {
        final boolean after;
        if (a.is(2, "AFTER")) {
            after = true;
        } else if (a.is(2, "BEFORE")) {
            after = false;
        } else {
            c.reply().error(Errors.SYNTAX);
            return;
        }
        final Object v = c.db().lookupWrite(a, 1);
        if (Containers.wrongType(c, v, QuickList.class)) {
            return;
        }
        if (v == null) {
            c.reply().integer(0);
            return;
        }
        final QuickList l = (QuickList) v;
        for (int i = 0; i < l.size(); i++) {
            if (l.equalsAt(i, a.array(), a.offset(3), a.length(3))) {
                l.insert(after ? i + 1 : i, a.copy(4));
                final byte[] key = a.copy(1);
                Containers.modified(c, key);
                Containers.notify(c, Notify.LIST, "linsert", key);
                c.keyspace().dirty++;
                c.reply().integer(l.size());
                return;
            }
        }
        c.reply().integer(-1);
    }

    private void lrem(final StorageCall c, final Args a) {
        if (!a.isLong(2)) {
            c.reply().error(Errors.NOT_INTEGER);
            return;
        }
        final long count = a.longValue(2);
        final Object v = c.db().lookupWrite(a, 1);
        if (Containers.wrongType(c, v, QuickList.class)) {
            return;
        }
        if (v == null) {
            c.reply().integer(0);
            return;
        }
        final QuickList l = (QuickList) v;
        final byte[] b = a.array();
        final int off = a.offset(3);
        final int len = a.length(3);
        // positions before firstRemovable are kept: it is where the |count|-th match from the tail sits
        int firstRemovable = 0;
        if (count < 0) {
            // Redis negates LONG_MIN to itself, a count its loop never reaches: every match goes
            final long wanted = count == Long.MIN_VALUE ? Long.MAX_VALUE : -count;
            long seen = 0;
            firstRemovable = l.size();
            for (int i = l.size() - 1; i >= 0 && seen < wanted; i--) {
                if (l.equalsAt(i, b, off, len)) {
                    seen++;
                    firstRemovable = i;
                }
            }
        }
        final int from = firstRemovable;
        final long limit = count > 0 ? count : Long.MAX_VALUE;
        final long[] taken = {0};
        final int removed = l.removeIf(i -> {
            if (i < from || taken[0] >= limit || !l.equalsAt(i, b, off, len)) {
                return false;
            }
            taken[0]++;
            return true;
        });
        if (removed > 0) {
            final byte[] key = a.copy(1);
            Containers.notify(c, Notify.LIST, "lrem", key);
            Containers.deleteIfEmpty(c, key, l.size());
            Containers.modified(c, key);
            c.keyspace().dirty += removed;
        }
        c.reply().integer(removed);
    }

    private void ltrim(final StorageCall c, final Args a) {
        if (!a.isLong(2) || !a.isLong(3)) {
            c.reply().error(Errors.NOT_INTEGER);
            return;
        }
        final Object v = c.db().lookupWrite(a, 1);
        if (Containers.wrongType(c, v, QuickList.class)) {
            return;
        }
        if (v == null) {
            c.reply().ok();
            return;
        }
        final QuickList l = (QuickList) v;
        final int len = l.size();
        final long range = range(len, a.longValue(2), a.longValue(3));
        if (range < 0) {
            l.trim(0, -1);
        } else {
            l.trim((int) (range >>> 32), (int) range);
        }
        final byte[] key = a.copy(1);
        Containers.notify(c, Notify.LIST, "ltrim", key);
        Containers.deleteIfEmpty(c, key, l.size());
        Containers.modified(c, key);
        c.keyspace().dirty += len - l.size();
        c.reply().ok();
    }

    private void lpos(final StorageCall c, final Args a) {
        long rank = 1;
        long count = -1;
        long maxlen = 0;
        for (int j = 3; j < a.count(); j++) {
            final boolean more = j + 1 < a.count();
            if (more && a.is(j, "RANK")) {
                j++;
                if (!a.isLong(j)) {
                    c.reply().error(Errors.NOT_INTEGER);
                    return;
                }
                rank = a.longValue(j);
                if (rank == 0) {
                    c.reply().error(Errors.LPOS_RANK_ZERO);
                    return;
                }
            } else if (more && a.is(j, "COUNT")) {
                j++;
                count = a.isLong(j) ? a.longValue(j) : -1;
                if (count < 0) {
                    c.reply().error(Errors.LPOS_COUNT_NEGATIVE);
                    return;
                }
            } else if (more && a.is(j, "MAXLEN")) {
                j++;
                maxlen = a.isLong(j) ? a.longValue(j) : -1;
                if (maxlen < 0) {
                    c.reply().error(Errors.LPOS_MAXLEN_NEGATIVE);
                    return;
                }
            } else {
                c.reply().error(Errors.SYNTAX);
                return;
            }
        }
        final boolean fromTail = rank < 0;
        // -Long.MIN_VALUE stays negative, so that rank accepts the first match: what Redis does too
        final long r = fromTail ? -rank : rank;
        final Object v = c.db().lookupRead(a, 1);
        if (Containers.wrongType(c, v, QuickList.class)) {
            return;
        }
        if (v == null) {
            if (count != -1) {
                c.reply().array(0);
            } else {
                c.reply().nullBulk();
            }
            return;
        }
        final QuickList l = (QuickList) v;
        final RespWriter w = c.reply();
        final int mark = count != -1 ? w.beginDeferred() : -1;
        final int len = l.size();
        long matches = 0;
        long found = 0;
        for (int index = 0; index < len && (maxlen == 0 || index < maxlen); index++) {
            final int pos = fromTail ? len - index - 1 : index;
            if (!l.equalsAt(pos, a.array(), a.offset(2), a.length(2))) {
                continue;
            }
            matches++;
            if (matches >= r) {
                if (count == -1) {
                    w.integer(pos);
                    return;
                }
                found++;
                w.integer(pos);
                if (count != 0 && matches - r + 1 >= count) {
                    break;
                }
            }
        }
        if (count == -1) {
            w.nullBulk();
        } else {
            w.endArray(mark, found);
        }
    }

    /** LEFT / RIGHT at argument i: true for LEFT, null after a syntax error reply. */
    private static Boolean side(final StorageCall c, final Args a, final int i) {
        if (a.is(i, "LEFT")) {
            return Boolean.TRUE;
        }
        if (a.is(i, "RIGHT")) {
            return Boolean.FALSE;
        }
        c.reply().error(Errors.SYNTAX);
        return null;
    }

    private void lmove(final StorageCall c, final Args a) {
        final Boolean from = side(c, a, 3);
        if (from == null) {
            return;
        }
        final Boolean to = side(c, a, 4);
        if (to != null) {
            move(c, a, from, to);
        }
    }

    /** LMOVE / RPOPLPUSH: pop from argv[1] at one end, push to argv[2] at the other. */
    private void move(final StorageCall c, final Args a, final boolean fromHead, final boolean toHead) {
        final Object src = c.db().lookupWrite(a, 1);
        if (src == null) {
            c.reply().nullBulk();
            return;
        }
        if (Containers.wrongType(c, src, QuickList.class)) {
            return;
        }
        final Object dst = c.db().lookupWrite(a, 2);
        if (Containers.wrongType(c, dst, QuickList.class)) {
            return;
        }
        final QuickList from = (QuickList) src;
        final byte[] value = from.pop(fromHead);
        final byte[] dstKey = a.copy(2);
        QuickList to = (QuickList) dst;
        if (to == null) {
            to = new QuickList();
            c.db().add(dstKey, to);
        }
        Containers.modified(c, dstKey);
        to.push(value, toHead);
        Containers.notify(c, Notify.LIST, toHead ? "lpush" : "rpush", dstKey);
        c.reply().bulk(value);
        final byte[] srcKey = a.copy(1);
        Containers.notify(c, Notify.LIST, fromHead ? "lpop" : "rpop", srcKey);
        Containers.deleteIfEmpty(c, srcKey, from.size());
        Containers.modified(c, srcKey);
        c.keyspace().dirty++;
    }

    /**
     * LMPOP (numkeys at argv[1]) and BLMPOP (timeout at argv[1], numkeys at argv[2]): pops from the
     * first non-empty list, or blocks on all of them.
     */
    private void mpop(final StorageCall c, final Args a, final int numKeysIdx, final int timeoutIdx) {
        final long numKeys = a.isLong(numKeysIdx) ? a.longValue(numKeysIdx) : 0;
        if (numKeys < 1) {
            c.reply().error(Errors.NUMKEYS_GT_ZERO);
            return;
        }
        if (numKeys >= a.count() - numKeysIdx - 1) {
            c.reply().error(Errors.SYNTAX);
            return;
        }
        final int whereIdx = (int) numKeys + numKeysIdx + 1;
        final Boolean head = side(c, a, whereIdx);
        if (head == null) {
            return;
        }
        long count = -1;
        for (int j = whereIdx + 1; j < a.count(); j++) {
            if (count == -1 && j + 1 < a.count() && a.is(j, "COUNT")) {
                j++;
                count = a.isLong(j) ? a.longValue(j) : 0;
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
        final int k = Containers.firstExisting(c, a, numKeysIdx + 1, whereIdx, QuickList.class);
        if (k == -1) {
            BlockingTimeout.waitOrNull(c, timeoutIdx >= 0, ValueType.LIST, timeoutMs, a, numKeysIdx + 1, whereIdx);
        } else if (k >= 0) {
            final QuickList l = (QuickList) c.db().lookupWrite(a, k);
            final byte[] key = a.copy(k);
            c.reply().array(2);
            c.reply().bulk(key);
            final long n = popRange(c.reply(), l, head, count);
            removed(c, key, head, l, n);
            c.propagateAs(head ? LPOP : RPOP, key, Bytes.fromLong(n));
        }
    }

    /** BLPOP / BRPOP key [key ...] timeout: [key, element] from the first non-empty list. */
    private void blockingPop(final StorageCall c, final Args a, final boolean head) {
        final long timeoutMs = BlockingTimeout.parse(c, a, a.count() - 1);
        if (timeoutMs < 0) {
            return;
        }
        final int k = Containers.firstExisting(c, a, 1, a.count() - 1, QuickList.class);
        if (k == -1) {
            BlockingTimeout.waitOrNull(c, true, ValueType.LIST, timeoutMs, a, 1, a.count() - 1);
        } else if (k >= 0) {
            final QuickList l = (QuickList) c.db().lookupWrite(a, k);
            final byte[] key = a.copy(k);
            c.reply().array(2).bulk(key).bulk(l.pop(head));
            removed(c, key, head, l, 1);
            c.propagateAs(head ? LPOP : RPOP, key);
        }
    }

    private void blmove(final StorageCall c, final Args a) {
        final Boolean from = side(c, a, 3);
        if (from == null) {
            return;
        }
        final Boolean to = side(c, a, 4);
        if (to != null) {
            blockingMove(c, a, from, to, 5, LMOVE);
        }
    }

    /** BLMOVE / BRPOPLPUSH: LMOVE when the source has elements (propagated as such), else block on it. */
    private void blockingMove(final StorageCall c, final Args a, final boolean fromHead, final boolean toHead,
                              final int timeoutIdx, final byte[] nonBlocking) {
        final long timeoutMs = BlockingTimeout.parse(c, a, timeoutIdx);
        if (timeoutMs < 0) {
            return;
        }
        final Object src = c.db().lookupWrite(a, 1);
        if (Containers.wrongType(c, src, QuickList.class)) {
            return;
        }
        if (src == null) {
            // inside EXEC BLMOVE answers a null bulk, not the timeout's null array (Redis's blmoveGenericCommand)
            if (!c.block(ValueType.LIST, timeoutMs, new byte[][] {a.copy(1)})) {
                c.reply().nullBulk();
            }
            return;
        }
        move(c, a, fromHead, toHead);
        final byte[][] argv = new byte[timeoutIdx][];
        argv[0] = nonBlocking;
        for (int i = 1; i < timeoutIdx; i++) {
            argv[i] = a.copy(i);
        }
        c.propagateAs(argv);
    }
}
