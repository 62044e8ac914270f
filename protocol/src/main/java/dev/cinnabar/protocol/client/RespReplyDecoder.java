package dev.cinnabar.protocol.client;

import java.util.ArrayList;
import java.util.Arrays;

/**
 * Incremental decoder of the replies a Redis server sends (RESP2 and RESP3).
 *
 * <p>Bytes are appended with {@link #feed} (or read straight into {@link #writable}); {@link #next} returns a whole
 * reply or null when more bytes are needed. Aggregates under construction live on an explicit stack, so a reply that
 * arrives in many pieces is parsed once, element by element, never re-scanned from its start. A header line or bulk
 * payload that is still incomplete is left unconsumed until it is whole.
 *
 * <p>RESP3 attributes ({@code |}) are not replies: they are attached to the value that follows them. The raw accessors
 * ({@link #readLine}, {@link #take}) let replication code read the PSYNC reply line and an RDB payload, which have no
 * RESP framing, from the same buffer.
 */
public final class RespReplyDecoder {
    private static final int MAX_DEPTH = 1024;
    private static final int MAX_BULK = Integer.MAX_VALUE - 64;

    private byte[] buf;
    private int start;
    private int end;
    private Frame[] stack = new Frame[8];
    private int depth;
    private RespValue pendingAttributes;

    private static final class Frame {
        RespValue.Type type;
        boolean attribute;
        int remaining;
        ArrayList<RespValue> items;
        RespValue attributes;
    }

    public RespReplyDecoder() {
        this(16 * 1024);
    }

    public RespReplyDecoder(final int initialCapacity) {
        buf = new byte[Math.max(64, initialCapacity)];
    }

    public void feed(final byte[] src, final int off, final int len) {
        writable(len);
        System.arraycopy(src, off, buf, end, len);
        end += len;
    }

    /** The buffer to read into at {@link #writeOffset()}, with room for at least {@code min} bytes; then {@link #commit}. */
    public byte[] writable(final int min) {
        if (buf.length - end < min) {
            if (start > 0) {
                System.arraycopy(buf, start, buf, 0, end - start);
                end -= start;
                start = 0;
            }
            if (buf.length - end < min) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, end + min));
            }
        }
        return buf;
    }

    public int writeOffset() {
        return end;
    }

    public void commit(final int n) {
        end += n;
    }

    /** Bytes received and not yet consumed (including those of a partially decoded reply). */
    public int buffered() {
        return end - start;
    }

    /** True when no reply is half decoded (the raw accessors may be used). */
    public boolean idle() {
        return depth == 0 && pendingAttributes == null;
    }

    /** The next line without its CRLF, raw; null when no whole line is buffered. Only between replies. */
    public byte[] readLine() {
        checkIdle();
        final int eol = findCrlf(start);
        if (eol < 0) {
            return null;
        }
        final byte[] line = Arrays.copyOfRange(buf, start, eol);
        start = eol + 2;
        return line;
    }

    /** Moves up to {@code len} buffered raw bytes to {@code dst}; returns how many. Only between replies. */
    public int take(final byte[] dst, final int off, final int len) {
        checkIdle();
        final int n = Math.min(len, end - start);
        System.arraycopy(buf, start, dst, off, n);
        start += n;
        return n;
    }

    private void checkIdle() {
        if (!idle()) {
            throw new IllegalStateException("a reply is being decoded");
        }
    }

    /** The next whole reply, or null when more bytes are needed. */
    public RespValue next() throws RespProtocolException {
        while (start < end) {
            final int eol = findCrlf(start + 1);
            if (eol < 0) {
                return null;
            }
            final byte kind = buf[start];
            final int lineStart = start + 1;
            RespValue value;
            switch (kind) {
                case '+':
                    value = RespValue.text(RespValue.Type.SIMPLE, Arrays.copyOfRange(buf, lineStart, eol));
                    break;
                case '-':
                    value = RespValue.text(RespValue.Type.ERROR, Arrays.copyOfRange(buf, lineStart, eol));
                    break;
                case ':':
                    value = RespValue.integer(parseLong(lineStart, eol));
                    break;
                case ',':
                    value = RespValue.text(RespValue.Type.DOUBLE, Arrays.copyOfRange(buf, lineStart, eol));
                    break;
                case '(':
                    value = RespValue.text(RespValue.Type.BIG_NUMBER, Arrays.copyOfRange(buf, lineStart, eol));
                    break;
                case '#':
                    value = parseBool(lineStart, eol);
                    break;
                case '_':
                    value = RespValue.NIL;
                    break;
                case '$':
                case '=':
                case '!': {
                    final long len = parseLong(lineStart, eol);
                    if (len == -1) {
                        value = RespValue.NIL;
                        break;
                    }
                    if (len < 0 || len > MAX_BULK) {
                        throw new RespProtocolException("Bad bulk length " + len);
                    }
                    final int payload = eol + 2;
                    if (end - payload < len + 2) {
                        return null;
                    }
                    final int payloadEnd = payload + (int) len;
                    if (buf[payloadEnd] != '\r' || buf[payloadEnd + 1] != '\n') {
                        throw new RespProtocolException("Bulk payload not terminated by CRLF");
                    }
                    final RespValue.Type t = kind == '$' ? RespValue.Type.BULK
                        : kind == '=' ? RespValue.Type.VERBATIM : RespValue.Type.ERROR;
                    value = RespValue.text(t, Arrays.copyOfRange(buf, payload, payloadEnd));
                    start = payloadEnd + 2;
                    value = complete(value);
                    if (value != null) {
                        return value;
                    }
                    continue;
                }
                case '*':
                case '%':
                case '~':
                case '>':
                case '|': {
                    final long count = parseLong(lineStart, eol);
                    start = eol + 2;
                    if (count == -1 && kind == '*') {
                        value = complete(RespValue.NIL);
                    } else if (count < 0 || count > MAX_BULK / 2) {
                        throw new RespProtocolException("Bad aggregate length " + count);
                    } else if (count == 0) {
                        value = kind == '|' ? completeAttributes(RespValue.aggregate(RespValue.Type.MAP,
                            new ArrayList<>())) : complete(RespValue.aggregate(aggregateType(kind), new ArrayList<>()));
                    } else {
                        push(kind, (int) count);
                        value = null;
                    }
                    if (value != null) {
                        return value;
                    }
                    continue;
                }
                default:
                    throw new RespProtocolException("Protocol error, got " + quoteByte(kind) + " as reply type byte");
            }
            start = eol + 2;
            value = complete(value);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static RespValue.Type aggregateType(final byte kind) {
        switch (kind) {
            case '%':
            case '|':
                return RespValue.Type.MAP;
            case '~':
                return RespValue.Type.SET;
            case '>':
                return RespValue.Type.PUSH;
            default:
                return RespValue.Type.ARRAY;
        }
    }

    private void push(final byte kind, final int count) throws RespProtocolException {
        if (depth == MAX_DEPTH) {
            throw new RespProtocolException("Reply nested deeper than " + MAX_DEPTH);
        }
        if (depth == stack.length) {
            stack = Arrays.copyOf(stack, depth * 2);
        }
        Frame f = stack[depth];
        if (f == null) {
            f = new Frame();
            stack[depth] = f;
        }
        final boolean map = kind == '%' || kind == '|';
        f.type = aggregateType(kind);
        f.attribute = kind == '|';
        f.remaining = map ? count * 2 : count;
        f.items = new ArrayList<>(Math.min(f.remaining, 1024));
        f.attributes = f.attribute ? null : pendingAttributes;
        if (!f.attribute) {
            pendingAttributes = null;
        }
        depth++;
    }

    /** Adds a finished value to the aggregate under construction; returns it when it is a whole top-level reply. */
    private RespValue complete(final RespValue finished) {
        RespValue v = finished;
        if (pendingAttributes != null && !v.isAggregate()) {
            v = v.withAttributes(pendingAttributes);
            pendingAttributes = null;
        }
        while (depth > 0) {
            final Frame top = stack[depth - 1];
            top.items.add(v);
            if (--top.remaining > 0) {
                return null;
            }
            depth--;
            final RespValue built = RespValue.aggregate(top.type, top.items);
            top.items = null;
            if (top.attribute) {
                return completeAttributes(built);
            }
            v = top.attributes == null ? built : built.withAttributes(top.attributes);
        }
        return v;
    }

    private RespValue completeAttributes(final RespValue map) {
        pendingAttributes = map;
        return null;
    }

    private int findCrlf(final int from) {
        for (int i = from; i < end - 1; i++) {
            if (buf[i] == '\r' && buf[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private long parseLong(final int from, final int to) throws RespProtocolException {
        int p = from;
        boolean negative = false;
        if (p < to && (buf[p] == '-' || buf[p] == '+')) {
            negative = buf[p] == '-';
            p++;
        }
        if (p == to || to - p > 19) {
            throw new RespProtocolException("Bad integer value");
        }
        long v = 0;
        for (; p < to; p++) {
            final int d = buf[p] - '0';
            if (d < 0 || d > 9) {
                throw new RespProtocolException("Bad integer value");
            }
            v = v * 10 + d;
            if (v < 0 && !(negative && v == Long.MIN_VALUE && p == to - 1)) {
                throw new RespProtocolException("Bad integer value");
            }
        }
        return negative ? -v : v;
    }

    private RespValue parseBool(final int from, final int to) throws RespProtocolException {
        if (to - from == 1 && buf[from] == 't') {
            return RespValue.TRUE;
        }
        if (to - from == 1 && buf[from] == 'f') {
            return RespValue.FALSE;
        }
        throw new RespProtocolException("Bad bool value");
    }

    private static String quoteByte(final byte b) {
        if (b >= 0x20 && b < 0x7f) {
            return "\"" + (char) b + "\"";
        }
        return String.format("\"\\x%02x\"", b & 0xff);
    }
}
