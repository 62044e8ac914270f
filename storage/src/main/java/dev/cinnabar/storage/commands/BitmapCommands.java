package dev.cinnabar.storage.commands;

import static dev.cinnabar.protocol.command.AclCategory.BITMAP;
import static dev.cinnabar.protocol.command.CommandFlag.DENYOOM;
import static dev.cinnabar.protocol.command.CommandFlag.FAST;
import static dev.cinnabar.protocol.command.CommandFlag.READONLY;
import static dev.cinnabar.protocol.command.CommandFlag.WRITE;

import dev.cinnabar.protocol.Errors;
import dev.cinnabar.protocol.command.CommandFamily;
import dev.cinnabar.protocol.command.CommandTable;
import dev.cinnabar.protocol.command.KeySpec;
import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.protocol.util.Bytes;
import dev.cinnabar.storage.keyspace.Database;
import dev.cinnabar.storage.keyspace.Entry;
import dev.cinnabar.storage.keyspace.Notify;
import dev.cinnabar.storage.type.RawString;
import dev.cinnabar.storage.type.Strings;

/**
 * Bit operations on string values: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD(_RO).
 *
 * <p>Bits are numbered from the most significant bit of byte 0, as Redis numbers them. Writers
 * turn the value into a {@link RawString} grown with zero bytes to cover the highest bit they
 * touch (Redis's lookupStringForBitCommand), so repeated SETBITs do not copy the string.
 * Redis: bitops.c setbitCommand(), bitcountCommand(), bitposCommand(), bitfieldGeneric().
 */
public final class BitmapCommands implements CommandFamily {
    private static final int OP_GET = 0;
    private static final int OP_SET = 1;
    private static final int OP_INCRBY = 2;
    private static final int WRAP = 0;
    private static final int SAT = 1;
    private static final int FAIL = 2;
    private static final byte[] ZERO = {0};

    @Override
    public void register(final CommandTable.Builder t) {
        final KeySpec ro = KeySpec.index(1, KeySpec.RO | KeySpec.ACCESS);
        t.command("SETBIT").arity(4).flags(WRITE, DENYOOM).acl(BITMAP).group("bitmap")
            .keys(KeySpec.index(1, KeySpec.RW | KeySpec.ACCESS | KeySpec.UPDATE)).since("2.2.0")
            .summary("Sets or clears the bit at offset in the string value stored at key").complexity("O(1)")
            .handler(this::setbit);
        t.command("GETBIT").arity(3).flags(READONLY, FAST).acl(BITMAP).group("bitmap").keys(ro).since("2.2.0")
            .summary("Returns the bit value at offset in the string value stored at key").complexity("O(1)")
            .handler(this::getbit);
        t.command("BITCOUNT").arity(-2).flags(READONLY).acl(BITMAP).group("bitmap").keys(ro).since("2.6.0")
            .summary("Count set bits in a string").complexity("O(N)").handler(this::bitcount);
        t.command("BITPOS").arity(-3).flags(READONLY).acl(BITMAP).group("bitmap").keys(ro).since("2.8.7")
            .summary("Find first bit set or clear in a string").complexity("O(N)").handler(this::bitpos);
        t.command("BITOP").arity(-4).flags(WRITE, DENYOOM).acl(BITMAP).group("bitmap")
            .keys(KeySpec.index(2, KeySpec.OW | KeySpec.UPDATE),
                KeySpec.range(3, -1, 1, KeySpec.RO | KeySpec.ACCESS))
            .since("2.6.0").summary("Perform bitwise operations between strings").complexity("O(N)")
            .handler(this::bitop);
        t.command("BITFIELD").arity(-2).flags(WRITE, DENYOOM).acl(BITMAP).group("bitmap")
            .keys(KeySpec.index(1, KeySpec.RW | KeySpec.ACCESS | KeySpec.UPDATE | KeySpec.VARIABLE_FLAGS)
                .withNotes("This command allows both access and modification of the key"))
            .since("3.2.0").summary("Perform arbitrary bitfield integer operations on strings")
            .complexity("O(1) for each subcommand specified")
            .handler((StorageCall c, Args a) -> bitfield(c, a, false));
        t.command("BITFIELD_RO").arity(-2).flags(READONLY, FAST).acl(BITMAP).group("bitmap").keys(ro)
            .since("6.0.0")
            .summary("Perform arbitrary bitfield integer operations on strings. Read-only variant of BITFIELD")
            .complexity("O(1) for each subcommand specified")
            .handler((StorageCall c, Args a) -> bitfield(c, a, true));
    }

    /**
     * A bit offset argument (getBitOffsetFromArgument): a strict integer, or "#n" meaning n times
     * {@code bits} when {@code hash} is allowed; refused when negative or past proto-max-bulk-len.
     * Returns -1 after replying the error.
     */
    private static long bitOffset(final StorageCall c, final Args a, final int i, final boolean hash,
                                  final int bits) {
        int off = a.offset(i);
        int len = a.length(i);
        final boolean usehash = hash && len > 0 && a.array()[off] == '#';
        if (usehash) {
            off++;
            len--;
        }
        if (!Bytes.isLong(a.array(), off, len)) {
            c.reply().error(Errors.BIT_OFFSET);
            return -1;
        }
        long v = Bytes.parseLong(a.array(), off, len);
        if (usehash) {
            v *= bits;
        }
        if (v < 0 || (v >>> 3) >= c.settings().protoMaxBulkLen) {
            c.reply().error(Errors.BIT_OFFSET);
            return -1;
        }
        return v;
    }

    /**
     * The string at argument 1 prepared for writing bit {@code maxBit}: created or zero-padded as
     * needed, as a {@link RawString}. Returns null after replying WRONGTYPE.
     */
    private static RawString writable(final StorageCall c, final Args a, final long maxBit) {
        final Database db = c.db();
        final int need = (int) ((maxBit >>> 3) + 1);
        final Object v = db.lookupWrite(a, 1);
        RawString r;
        if (v == null) {
            r = new RawString(new byte[need], need);
            db.add(a.copy(1), r);
        } else if (v instanceof RawString rs) {
            r = rs;
            // an in-place write makes even an embedded string raw, as dbUnshareStringValue does
            r.ensure(need);
        } else if (v instanceof byte[] b) {
            r = new RawString(b, Math.max(need, b.length));
            final Entry e = db.lookup(a.array(), a.offset(1), a.length(1));
            db.overwrite(e, r);
        } else {
            c.reply().error(Errors.WRONGTYPE);
            return null;
        }
        if (r.length() < need) {
            r.setRange(need - 1, ZERO, 0, 1);
        }
        return r;
    }

    private static void changed(final StorageCall c, final Args a, final String event, final long changes) {
        final Database db = c.db();
        final byte[] key = a.copy(1);
        db.keyspace().events().keyModified(db, key);
        c.keyspace().events().notify(Notify.STRING, event, key, db.id());
        c.keyspace().dirty += changes;
    }

    private void setbit(final StorageCall c, final Args a) {
        final long offset = bitOffset(c, a, 2, false, 0);
        if (offset < 0) {
            return;
        }
        if (!a.isLong(3) || (a.longValue(3) & ~1L) != 0) {
            c.reply().error(Errors.BIT_VALUE);
            return;
        }
        final RawString r = writable(c, a, offset);
        if (r == null) {
            return;
        }
        final byte[] buf = r.array();
        final int idx = (int) (offset >>> 3);
        final int bit = 7 - (int) (offset & 7);
        final int old = (buf[idx] >> bit) & 1;
        if (a.longValue(3) == 1) {
            buf[idx] |= (byte) (1 << bit);
        } else {
            buf[idx] &= (byte) ~(1 << bit);
        }
        changed(c, a, "setbit", 1);
        c.reply().integer(old);
    }

    private void getbit(final StorageCall c, final Args a) {
        final long offset = bitOffset(c, a, 2, false, 0);
        if (offset < 0) {
            return;
        }
        final Object v = c.db().lookupRead(a, 1);
        if (v != null && !Strings.isString(v)) {
            c.reply().error(Errors.WRONGTYPE);
            return;
        }
        final long idx = offset >>> 3;
        if (v == null || idx >= Strings.length(v)) {
            c.reply().integer(0);
            return;
        }
        c.reply().integer((Strings.array(v)[(int) idx] >> (7 - (int) (offset & 7))) & 1);
    }

    /**
     * The range options shared by BITCOUNT and BITPOS, already normalised: byte offsets
     * {@code start..end} plus masks of the bits outside a BIT range in the first and last byte.
     */
    private record Range(long start, long end, int firstMask, int lastMask) {
        static Range of(final long startIn, final long endIn, final boolean isBit, final long byteLen) {
            long start = startIn;
            long end = endIn;
            final long total = isBit ? byteLen << 3 : byteLen;
            if (start < 0) {
                start = total + start;
            }
            if (end < 0) {
                end = total + end;
            }
            if (start < 0) {
                start = 0;
            }
            if (end < 0) {
                end = 0;
            }
            if (end >= total) {
                end = total - 1;
            }
            int first = 0;
            int last = 0;
            if (isBit && start <= end) {
                first = ~((1 << (8 - (int) (start & 7))) - 1) & 0xFF;
                last = (1 << (7 - (int) (end & 7))) - 1;
                start >>= 3;
                end >>= 3;
            }
            return new Range(start, end, first, last);
        }
    }

    /** Parses BYTE|BIT at argument i (true for BIT); replies a syntax error and returns null otherwise. */
    private static Boolean unit(final StorageCall c, final Args a, final int i) {
        if (a.is(i, "BIT")) {
            return Boolean.TRUE;
        }
        if (a.is(i, "BYTE")) {
            return Boolean.FALSE;
        }
        c.reply().error(Errors.SYNTAX);
        return null;
    }

    private void bitcount(final StorageCall c, final Args a) {
        final Object v = c.db().lookupRead(a, 1);
        if (v == null) {
            c.reply().integer(0);
            return;
        }
        if (!Strings.isString(v)) {
            c.reply().error(Errors.WRONGTYPE);
            return;
        }
        final byte[] p = Strings.array(v);
        final int len = Strings.length(v);
        Range r;
        if (a.count() == 4 || a.count() == 5) {
            if (!a.isLong(2) || !a.isLong(3)) {
                c.reply().error(Errors.NOT_INTEGER);
                return;
            }
            final long start = a.longValue(2);
            final long end = a.longValue(3);
            // Redis answers an empty negative range before it looks at the unit
            if (start < 0 && end < 0 && start > end) {
                c.reply().integer(0);
                return;
            }
            boolean isBit = false;
            if (a.count() == 5) {
                final Boolean u = unit(c, a, 4);
                if (u == null) {
                    return;
                }
                isBit = u;
            }
            r = Range.of(start, end, isBit, len);
        } else if (a.count() == 2) {
            r = new Range(0, len - 1L, 0, 0);
        } else {
            c.reply().error(Errors.SYNTAX);
            return;
        }
        if (r.start > r.end) {
            c.reply().integer(0);
            return;
        }
        long count = 0;
        for (long i = r.start; i <= r.end; i++) {
            count += Integer.bitCount(p[(int) i] & 0xFF);
        }
        if (r.firstMask != 0) {
            count -= Integer.bitCount(p[(int) r.start] & r.firstMask);
        }
        if (r.lastMask != 0) {
            count -= Integer.bitCount(p[(int) r.end] & r.lastMask);
        }
        c.reply().integer(count);
    }

    /** Redis's redisBitpos: first bit equal to {@code bit}; -1 (for 1) or one past the bytes (for 0). */
    private static long firstBit(final byte[] p, final long from, final long count, final int bit) {
        for (long i = 0; i < count; i++) {
            final int b = p[(int) (from + i)] & 0xFF;
            final int x = bit == 1 ? b : ~b & 0xFF;
            if (x != 0) {
                return (i << 3) + Integer.numberOfLeadingZeros(x) - 24;
            }
        }
        return bit == 1 ? -1 : count << 3;
    }

    private void bitpos(final StorageCall c, final Args a) {
        if (!a.isLong(2)) {
            c.reply().error(Errors.NOT_INTEGER);
            return;
        }
        final long bitArg = a.longValue(2);
        if (bitArg != 0 && bitArg != 1) {
            c.reply().error(Errors.BIT_ARG);
            return;
        }
        final int bit = (int) bitArg;
        final Object v = c.db().lookupRead(a, 1);
        if (v == null) {
            c.reply().integer(bit == 1 ? -1 : 0);
            return;
        }
        if (!Strings.isString(v)) {
            c.reply().error(Errors.WRONGTYPE);
            return;
        }
        final byte[] p = Strings.array(v);
        final int len = Strings.length(v);
        boolean endGiven = false;
        Range r;
        if (a.count() >= 4 && a.count() <= 6) {
            if (!a.isLong(3)) {
                c.reply().error(Errors.NOT_INTEGER);
                return;
            }
            boolean isBit = false;
            if (a.count() == 6) {
                final Boolean u = unit(c, a, 5);
                if (u == null) {
                    return;
                }
                isBit = u;
            }
            long end = len - 1L;
            if (a.count() >= 5) {
                if (!a.isLong(4)) {
                    c.reply().error(Errors.NOT_INTEGER);
                    return;
                }
                end = a.longValue(4);
                endGiven = true;
            }
            r = Range.of(a.longValue(3), end, isBit, len);
        } else if (a.count() == 3) {
            r = new Range(0, len - 1L, 0, 0);
        } else {
            c.reply().error(Errors.SYNTAX);
            return;
        }
        if (r.start > r.end) {
            c.reply().integer(-1);
            return;
        }
        c.reply().integer(scan(p, r, bit, endGiven));
    }

    private static long scan(final byte[] p, final Range r, final int bit, final boolean endGiven) {
        long start = r.start;
        long bytes = r.end - r.start + 1;
        long pos;
        found:
        {
            if (r.firstMask != 0) {
                int tmp = bit == 1 ? p[(int) start] & ~r.firstMask : p[(int) start] | r.firstMask;
                if (r.lastMask != 0 && bytes == 1) {
                    tmp = bit == 1 ? tmp & ~r.lastMask : tmp | r.lastMask;
                }
                pos = firstBit(new byte[] {(byte) tmp}, 0, 1, bit);
                if (bytes == 1 || (pos != -1 && pos != 8)) {
                    break found;
                }
                start++;
                bytes--;
            }
            final long cur = bytes - (r.lastMask != 0 ? 1 : 0);
            if (cur > 0) {
                pos = firstBit(p, start, cur, bit);
                if (bytes == cur || (pos != -1 && pos != cur << 3)) {
                    break found;
                }
                start += cur;
                bytes -= cur;
            }
            final int tmp = bit == 1 ? p[(int) r.end] & ~r.lastMask : p[(int) r.end] | r.lastMask;
            pos = firstBit(new byte[] {(byte) tmp}, 0, 1, bit);
        }
        // with an explicit end, the zero padding right of the range does not count as clear bits
        if (endGiven && bit == 0 && pos == bytes << 3) {
            return -1;
        }
        return pos != -1 ? pos + (start << 3) : -1;
    }

    private void bitop(final StorageCall c, final Args a) {
        final int op;
        if (a.is(1, "AND")) {
            op = 0;
        } else if (a.is(1, "OR")) {
            op = 1;
        } else if (a.is(1, "XOR")) {
            op = 2;
        } else if (a.is(1, "NOT")) {
            op = 3;
        } else {
            c.reply().error(Errors.SYNTAX);
            return;
        }
        final int n = a.count() - 3;
        if (op == 3 && n != 1) {
            c.reply().error(Errors.BITOP_NOT);
            return;
        }
        final byte[][] src = new byte[n][];
        final int[] lens = new int[n];
        int maxLen = 0;
        for (int i = 0; i < n; i++) {
            final Object v = c.db().lookupRead(a, 3 + i);
            if (v == null) {
                src[i] = Bytes.EMPTY;
                continue;
            }
            if (!Strings.isString(v)) {
                c.reply().error(Errors.WRONGTYPE);
                return;
            }
            src[i] = Strings.array(v);
            lens[i] = Strings.length(v);
            maxLen = Math.max(maxLen, lens[i]);
        }
        final byte[] res = new byte[maxLen];
        for (int j = 0; j < maxLen; j++) {
            int out = j < lens[0] ? src[0][j] & 0xFF : 0;
            if (op == 3) {
                out = ~out & 0xFF;
            }
            for (int i = 1; i < n; i++) {
                final int b = j < lens[i] ? src[i][j] & 0xFF : 0;
                out = op == 0 ? out & b : op == 1 ? out | b : out ^ b;
            }
            res[j] = (byte) out;
        }
        final Database db = c.db();
        final byte[] dst = a.copy(2);
        if (maxLen > 0) {
            // Redis stores the result as a raw string, whatever its bytes look like
            db.set(dst, new RawString(res, maxLen), false);
            c.keyspace().events().notify(Notify.STRING, "set", dst, db.id());
            c.keyspace().dirty++;
        } else if (db.delete(dst)) {
            db.keyspace().events().keyModified(db, dst);
            c.keyspace().events().notify(Notify.GENERIC, "del", dst, db.id());
            c.keyspace().dirty++;
        }
        c.reply().integer(maxLen);
    }

    /** One parsed BITFIELD operation. */
    private record Op(int code, long offset, long value, int overflow, int bits, boolean signed) {
    }

    private void bitfield(final StorageCall c, final Args a, final boolean readOnlyCommand) {
        final Op[] ops = new Op[a.count()];
        int n = 0;
        int overflow = WRAP;
        boolean readonly = true;
        long highest = 0;
        for (int j = 2; j < a.count(); j++) {
            final int rem = a.count() - j - 1;
            final int code;
            if (a.is(j, "GET") && rem >= 2) {
                code = OP_GET;
            } else if (a.is(j, "SET") && rem >= 3) {
                code = OP_SET;
            } else if (a.is(j, "INCRBY") && rem >= 3) {
                code = OP_INCRBY;
            } else if (a.is(j, "OVERFLOW") && rem >= 1) {
                j++;
                if (a.is(j, "WRAP")) {
                    overflow = WRAP;
                } else if (a.is(j, "SAT")) {
                    overflow = SAT;
                } else if (a.is(j, "FAIL")) {
                    overflow = FAIL;
                } else {
                    c.reply().error(Errors.BITFIELD_OVERFLOW);
                    return;
                }
                continue;
            } else {
                c.reply().error(Errors.SYNTAX);
                return;
            }
            final int type = fieldType(a, j + 1);
            if (type == 0) {
                c.reply().error(Errors.BITFIELD_TYPE);
                return;
            }
            final int bits = Math.abs(type);
            final long offset = bitOffset(c, a, j + 2, true, bits);
            if (offset < 0) {
                return;
            }
            long value = 0;
            if (code != OP_GET) {
                readonly = false;
                highest = Math.max(highest, offset + bits - 1);
                if (!a.isLong(j + 3)) {
                    c.reply().error(Errors.NOT_INTEGER);
                    return;
                }
                value = a.longValue(j + 3);
            }
            ops[n++] = new Op(code, offset, value, overflow, bits, type < 0);
            j += code == OP_GET ? 2 : 3;
        }
        byte[] buf = null;
        int len = 0;
        if (readonly) {
            final Object v = c.db().lookupRead(a, 1);
            if (v != null && !Strings.isString(v)) {
                c.reply().error(Errors.WRONGTYPE);
                return;
            }
            if (v != null) {
                buf = Strings.array(v);
                len = Strings.length(v);
            }
        } else {
            if (readOnlyCommand) {
                c.reply().error(Errors.BITFIELD_RO);
                return;
            }
            final RawString r = writable(c, a, highest);
            if (r == null) {
                return;
            }
            buf = r.array();
            len = r.length();
        }
        c.reply().array(n);
        long changes = 0;
        for (int k = 0; k < n; k++) {
            final Op op = ops[k];
            if (op.code == OP_GET) {
                c.reply().integer(readField(buf, len, op.offset, op.bits, op.signed));
                continue;
            }
            changes++;
            final long old = readField(buf, len, op.offset, op.bits, op.signed);
            final long[] limit = new long[1];
            final long target;
            final int over;
            if (op.code == OP_INCRBY) {
                over = op.signed ? signedOverflow(old, op.value, op.bits, op.overflow, limit)
                    : unsignedOverflow(old, op.value, op.bits, op.overflow, limit);
                target = over != 0 ? limit[0] : old + op.value;
            } else {
                over = op.signed ? signedOverflow(op.value, 0, op.bits, op.overflow, limit)
                    : unsignedOverflow(op.value, 0, op.bits, op.overflow, limit);
                target = over != 0 ? limit[0] : op.value;
            }
            if (over != 0 && op.overflow == FAIL) {
                c.reply().nullBulk();
                continue;
            }
            c.reply().integer(op.code == OP_INCRBY ? (op.signed ? target : mask(target, op.bits)) : old);
            writeField(buf, op.offset, op.bits, target);
        }
        if (changes > 0) {
            changed(c, a, "setbit", changes);
        }
    }

    /** "i16" -> -16, "u8" -> 8; 0 when invalid (u64 and widths outside 1..64 are refused). */
    private static int fieldType(final Args a, final int i) {
        final int len = a.length(i);
        final int off = a.offset(i);
        if (len < 2) {
            return 0;
        }
        final byte t = a.array()[off];
        final boolean signed = t == 'i' || t == 'I';
        if (!signed && t != 'u' && t != 'U') {
            return 0;
        }
        if (!Bytes.isLong(a.array(), off + 1, len - 1)) {
            return 0;
        }
        final long bits = Bytes.parseLong(a.array(), off + 1, len - 1);
        if (bits < 1 || (signed && bits > 64) || (!signed && bits > 63)) {
            return 0;
        }
        return signed ? (int) -bits : (int) bits;
    }

    private static long mask(final long v, final int bits) {
        return bits == 64 ? v : v & ((1L << bits) - 1);
    }

    /** Reads a field MSB first; bytes past {@code len} read as zero (Redis's GET zero padding). */
    private static long readField(final byte[] p, final int len, final long offset, final int bits,
                                  final boolean signed) {
        long v = 0;
        for (int j = 0; j < bits; j++) {
            final long o = offset + j;
            final long idx = o >>> 3;
            final int bit = idx < len ? (p[(int) idx] >> (7 - (int) (o & 7))) & 1 : 0;
            v = (v << 1) | bit;
        }
        if (signed && bits < 64 && (v & (1L << (bits - 1))) != 0) {
            v |= -1L << bits;
        }
        return v;
    }

    private static void writeField(final byte[] p, final long offset, final int bits, final long value) {
        for (int j = 0; j < bits; j++) {
            final int bitval = (int) ((value >>> (bits - 1 - j)) & 1);
            final long o = offset + j;
            final int idx = (int) (o >>> 3);
            final int shift = 7 - (int) (o & 7);
            p[idx] = (byte) ((p[idx] & ~(1 << shift)) | (bitval << shift));
        }
    }

    /** Redis's checkUnsignedBitfieldOverflow: 1 above, -1 below, 0 fine; limit gets the WRAP/SAT value. */
    private static int unsignedOverflow(final long value, final long incr, final int bits, final int owtype,
                                        final long[] limit) {
        final long max = (1L << bits) - 1;
        final long maxincr = max - value;
        final long minincr = -value;
        if (Long.compareUnsigned(value, max) > 0 || (incr > 0 && incr > maxincr)) {
            limit[0] = owtype == WRAP ? (value + incr) & max : max;
            return 1;
        }
        if (incr < 0 && incr < minincr) {
            limit[0] = owtype == WRAP ? (value + incr) & max : 0;
            return -1;
        }
        return 0;
    }

    /** Redis's checkSignedBitfieldOverflow. */
    private static int signedOverflow(final long value, final long incr, final int bits, final int owtype,
                                      final long[] limit) {
        final long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        final long min = -max - 1;
        final long maxincr = max - value;
        final long minincr = min - value;
        if (value > max || (bits != 64 && incr > maxincr) || (value >= 0 && incr > 0 && incr > maxincr)) {
            limit[0] = owtype == WRAP ? wrapSigned(value, incr, bits) : max;
            return 1;
        }
        if (value < min || (bits != 64 && incr < minincr) || (value < 0 && incr < 0 && incr < minincr)) {
            limit[0] = owtype == WRAP ? wrapSigned(value, incr, bits) : min;
            return -1;
        }
        return 0;
    }

    private static long wrapSigned(final long value, final long incr, final int bits) {
        long c = value + incr;
        if (bits < 64) {
            final long m = -1L << bits;
            c = (c & (1L << (bits - 1))) != 0 ? c | m : c & ~m;
        }
        return c;
    }
}
