package dev.cinnabar.protocol.resp;

import dev.cinnabar.protocol.util.Bytes;
import dev.cinnabar.protocol.util.RawText;
import io.netty.buffer.ByteBuf;

/**
 * Server-side request decoder: RESP multibulk and inline commands, straight into {@link Args}.
 *
 * <p>Why it owns a plain byte[] query buffer (Redis's querybuf) instead of a Netty cumulation: the
 * arguments stay zero-copy slices of one heap array, which the keyspace can hash and compare without
 * building a String or a ByteBuf view per argument.
 *
 * <p>Invariants:
 * <ol>
 *   <li>{@code cmdStart <= readPos <= writePos}; bytes before {@code cmdStart} are consumed and may be
 *       discarded; arguments of the command in progress lie in {@code [cmdStart, readPos)}.</li>
 *   <li>The decoder resumes where it stopped (multibulk count and bulk length are kept), so a frame
 *       split at any byte costs no re-parse of completed arguments.</li>
 *   <li>Limits and error texts are Redis 7.0's (networking.c processMultibulkBuffer and
 *       processInlineBuffer): 64 KiB for an inline request or a count line, INT_MAX arguments,
 *       {@code proto-max-bulk-len} per argument (never above 2 GiB, Java's array limit), 10 arguments /
 *       16 KiB before authentication. The CRLF after bulk data is skipped, not checked, as Redis does.</li>
 *   <li>Header and inline lines end at the first NUL byte, as Redis's strchr scans do.</li>
 * </ol>
 */
public final class RespCommandDecoder {
    /** Redis's PROTO_INLINE_MAX_SIZE. */
    public static final int INLINE_MAX_SIZE = 64 * 1024;
    /**
     * A new connection's buffer: 1 KiB rather than 16, so an idle client holds 1 KiB of query buffer (2,000 idle
     * clients: INFO mem_clients_normal 2,049,280 bytes); a pipeline grows it at its first read.
     */
    static final int INITIAL_SIZE = 1024;
    /** An idle buffer larger than this goes back to {@link #INITIAL_SIZE} (clientsCronResizeQueryBuffer). */
    private static final int TRIM_ABOVE = 64 * 1024;
    /** The largest argument a Java array can hold with its CRLF and header; a bigger one is refused. */
    private static final long MAX_ARG_LEN = Integer.MAX_VALUE - 64;

    private enum State { NONE, INLINE, MULTIBULK }

    private byte[] buf = new byte[INITIAL_SIZE];
    private int cmdStart;
    private int readPos;
    private int writePos;

    private State state = State.NONE;
    private long multibulkLen;
    private long bulkLen = -1;
    private long protoMaxBulkLen = 512L * 1024 * 1024;
    private boolean authRequired;

    public void protoMaxBulkLen(final long limit) {
        this.protoMaxBulkLen = limit;
    }

    /** While true the pre-authentication limits apply (Redis's authRequired()). */
    public void authRequired(final boolean required) {
        this.authRequired = required;
    }

    /** Bytes buffered and not yet consumed: what Redis calls the query buffer length. */
    public int pending() {
        return writePos - cmdStart;
    }

    public int capacity() {
        return buf.length;
    }

    /** Appends the readable bytes of {@code in} (which the caller still owns and releases). */
    public void append(final ByteBuf in, final Args args) {
        final int n = in.readableBytes();
        ensureSpace(n, args);
        in.readBytes(buf, writePos, n);
        writePos += n;
    }

    public void append(final byte[] b, final int off, final int len, final Args args) {
        ensureSpace(len, args);
        System.arraycopy(b, off, buf, writePos, len);
        writePos += len;
    }

    private void ensureSpace(final int n, final Args args) {
        if (writePos + n <= buf.length) {
            return;
        }
        final int live = writePos - cmdStart;
        final int needed = live + n;
        byte[] target = buf;
        if (needed > buf.length || (cmdStart < buf.length / 4 && needed > buf.length * 3 / 4)) {
            long cap = Math.max((long) buf.length * 2, needed);
            if (state == State.MULTIBULK && bulkLen > 0) {
                cap = Math.max(cap, (readPos - cmdStart) + bulkLen + 2);
            }
            target = new byte[(int) Math.min(cap, Integer.MAX_VALUE - 16)];
        }
        System.arraycopy(buf, cmdStart, target, 0, live);
        args.rebase(target, cmdStart);
        buf = target;
        readPos -= cmdStart;
        writePos = live;
        cmdStart = 0;
    }

    /** Drops a large idle buffer, as Redis's clientsCronResizeQueryBuffer does. */
    public void trimIfIdle() {
        if (writePos == cmdStart && buf.length > TRIM_ABOVE) {
            buf = new byte[INITIAL_SIZE];
            cmdStart = readPos = writePos = 0;
        }
    }

    /**
     * Decodes the next complete command into {@code args}.
     *
     * @return true when {@code args} holds a command; false when more bytes are needed
     * @throws ProtocolException on a malformed request; the connection must be closed after the reply
     */
    public boolean next(final Args args) throws ProtocolException {
        for (;;) {
            if (state == State.NONE) {
                if (readPos >= writePos) {
                    if (readPos == writePos) {
                        cmdStart = readPos = writePos = 0;
                    }
                    return false;
                }
                cmdStart = readPos;
                args.reset(buf);
                state = buf[readPos] == '*' ? State.MULTIBULK : State.INLINE;
                multibulkLen = 0;
                bulkLen = -1;
            }
            final boolean complete = state == State.INLINE ? inline(args) : multibulk(args);
            if (!complete) {
                return false;
            }
            state = State.NONE;
            cmdStart = readPos;
            if (args.count() > 0) {
                return true;
            }
        }
    }

    /**
     * Position of {@code b} at or after {@code from}, or -1. Like the strchr Redis runs over its
     * NUL-terminated query buffer, the search ends at a NUL byte: a header or inline line holding one
     * is never complete, and the client waits until the 64 KiB limit closes it, as with Redis.
     */
    private int indexOf(final byte b, final int from) {
        final byte[] a = buf;
        for (int i = from, end = writePos; i < end; i++) {
            final byte x = a[i];
            if (x == b) {
                return i;
            }
            if (x == 0) {
                return -1;
            }
        }
        return -1;
    }

    private boolean multibulk(final Args args) throws ProtocolException {
        if (multibulkLen == 0) {
            final int cr = indexOf((byte) '\r', readPos);
            if (cr < 0) {
                if (writePos - readPos > INLINE_MAX_SIZE) {
                    throw new ProtocolException("Protocol error: too big mbulk count string");
                }
                return false;
            }
            if (cr + 1 >= writePos) {
                return false;
            }
            final int start = readPos + 1;
            if (!Bytes.isLong(buf, start, cr - start)) {
                throw new ProtocolException("Protocol error: invalid multibulk length");
            }
            final long ll = Bytes.parseLong(buf, start, cr - start);
            if (ll > Integer.MAX_VALUE) {
                throw new ProtocolException("Protocol error: invalid multibulk length");
            }
            readPos = cr + 2;
            if (ll <= 0) {
                return true;
            }
            if (ll > 10 && authRequired) {
                throw new ProtocolException("Protocol error: unauthenticated multibulk length");
            }
            multibulkLen = ll;
            args.ensureCapacity((int) Math.min(ll, 1024));
        }
        while (multibulkLen > 0) {
            if (bulkLen == -1) {
                final int cr = indexOf((byte) '\r', readPos);
                if (cr < 0) {
                    if (writePos - readPos > INLINE_MAX_SIZE) {
                        throw new ProtocolException("Protocol error: too big bulk count string");
                    }
                    return false;
                }
                if (cr + 1 >= writePos) {
                    return false;
                }
                if (buf[readPos] != '$') {
                    throw new ProtocolException("Protocol error: expected '$', got '"
                        + RawText.rawByteChar(buf[readPos]) + "'");
                }
                final int start = readPos + 1;
                if (!Bytes.isLong(buf, start, cr - start)) {
                    throw new ProtocolException("Protocol error: invalid bulk length");
                }
                final long ll = Bytes.parseLong(buf, start, cr - start);
                if (ll < 0 || ll > protoMaxBulkLen || ll > MAX_ARG_LEN) {
                    throw new ProtocolException("Protocol error: invalid bulk length");
                }
                if (ll > 16384 && authRequired) {
                    throw new ProtocolException("Protocol error: unauthenticated bulk length");
                }
                readPos = cr + 2;
                bulkLen = ll;
            }
            if (writePos - readPos < bulkLen + 2) {
                return false;
            }
            args.add(readPos, (int) bulkLen);
            readPos += (int) bulkLen + 2;
            bulkLen = -1;
            multibulkLen--;
        }
        return true;
    }

    private boolean inline(final Args args) throws ProtocolException {
        final int nl = indexOf((byte) '\n', readPos);
        if (nl < 0) {
            if (writePos - readPos > INLINE_MAX_SIZE) {
                throw new ProtocolException("Protocol error: too big inline request");
            }
            return false;
        }
        int end = nl;
        if (end > readPos && buf[end - 1] == '\r') {
            end--;
        }
        if (!InlineSplitter.split(buf, readPos, end, args)) {
            throw new ProtocolException("Protocol error: unbalanced quotes in request");
        }
        readPos = nl + 1;
        return true;
    }
}
