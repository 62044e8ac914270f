package dev.cinnabar.protocol.resp;

import java.nio.charset.StandardCharsets;

import dev.cinnabar.protocol.util.Bytes;
import dev.cinnabar.protocol.util.Doubles;
import io.netty.buffer.ByteBuf;

/**
 * Writes replies straight into a client's outbound buffer, in RESP2 or RESP3.
 *
 * <p>Handlers never build reply objects: every method appends bytes. Where RESP2 and RESP3 differ
 * (nulls, maps, sets, doubles, booleans, push frames) the writer picks the form from the protocol
 * version the client chose with HELLO, exactly as Redis's addReply* family does.
 */
public final class RespWriter {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] OK = Bytes.ascii("+OK\r\n");
    private static final byte[] NULL_BULK = Bytes.ascii("$-1\r\n");
    private static final byte[] NULL_ARRAY = Bytes.ascii("*-1\r\n");
    private static final byte[] NULL3 = Bytes.ascii("_\r\n");
    private static final byte[] EMPTY_ARRAY = Bytes.ascii("*0\r\n");
    private static final byte[] ZERO = Bytes.ascii(":0\r\n");
    private static final byte[] ONE = Bytes.ascii(":1\r\n");
    private static final byte[] TRUE3 = Bytes.ascii("#t\r\n");
    private static final byte[] FALSE3 = Bytes.ascii("#f\r\n");
    private static final byte[] EMPTY_BULK = Bytes.ascii("$0\r\n\r\n");

    private ByteBuf out;
    private int protocol = 2;
    private long bytesWritten;

    public RespWriter() {
    }

    public RespWriter(final ByteBuf out) {
        this.out = out;
    }

    public void target(final ByteBuf buf) {
        this.out = buf;
    }

    public ByteBuf target() {
        return out;
    }

    public int protocol() {
        return protocol;
    }

    public void protocol(final int version) {
        this.protocol = version;
    }

    public boolean resp3() {
        return protocol >= 3;
    }

    public RespWriter raw(final byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    public RespWriter ok() {
        out.writeBytes(OK);
        return this;
    }

    public RespWriter simple(final String s) {
        out.writeByte('+');
        out.writeCharSequence(s, StandardCharsets.UTF_8);
        out.writeBytes(CRLF);
        return this;
    }

    /** An error line; {@code message} carries its code, as in "ERR syntax error" or "WRONGTYPE ...". */
    public RespWriter error(final String message) {
        out.writeByte('-');
        // Redis replaces newlines in error text so the reply stays one line
        for (int i = 0; i < message.length(); i++) {
            final char c = message.charAt(i);
            out.writeByte(c == '\r' || c == '\n' ? ' ' : c);
        }
        out.writeBytes(CRLF);
        return this;
    }

    public RespWriter integer(final long v) {
        if (v == 0) {
            out.writeBytes(ZERO);
        } else if (v == 1) {
            out.writeBytes(ONE);
        } else {
            out.writeByte(':');
            writeDecimal(v);
            out.writeBytes(CRLF);
        }
        return this;
    }

    public RespWriter bulk(final byte[] b) {
        return bulk(b, 0, b.length);
    }

    public RespWriter bulk(final byte[] b, final int off, final int len) {
        if (len == 0) {
            out.writeBytes(EMPTY_BULK);
            return this;
        }
        out.writeByte('$');
        writeDecimal(len);
        out.writeBytes(CRLF);
        out.writeBytes(b, off, len);
        out.writeBytes(CRLF);
        return this;
    }

    public RespWriter bulk(final String s) {
        return bulk(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A bulk string holding the decimal text of v (what Redis's addReplyBulkLongLong sends). */
    public RespWriter bulkLong(final long v) {
        out.writeByte('$');
        writeDecimal(Bytes.decimalLength(v));
        out.writeBytes(CRLF);
        writeDecimal(v);
        out.writeBytes(CRLF);
        return this;
    }

    /** Null bulk string: $-1 in RESP2, _ in RESP3. */
    public RespWriter nullBulk() {
        out.writeBytes(protocol >= 3 ? NULL3 : NULL_BULK);
        return this;
    }

    /** Null array: *-1 in RESP2, _ in RESP3. */
    public RespWriter nullArray() {
        out.writeBytes(protocol >= 3 ? NULL3 : NULL_ARRAY);
        return this;
    }

    public RespWriter array(final long n) {
        if (n == 0) {
            out.writeBytes(EMPTY_ARRAY);
            return this;
        }
        return header('*', n);
    }

    public RespWriter map(final long pairs) {
        return protocol >= 3 ? header('%', pairs) : array(pairs * 2);
    }

    public RespWriter set(final long n) {
        return protocol >= 3 ? header('~', n) : array(n);
    }

    public RespWriter push(final long n) {
        return protocol >= 3 ? header('>', n) : array(n);
    }

    /** A double as Redis 7.0's addReplyDouble sends it: %.17g text, a bulk string in RESP2. */
    public RespWriter doubleValue(final double d) {
        final String text = Doubles.formatG17(d);
        if (protocol >= 3) {
            out.writeByte(',');
            out.writeCharSequence(text, StandardCharsets.US_ASCII);
            out.writeBytes(CRLF);
            return this;
        }
        return bulk(Bytes.ascii(text));
    }

    /** A double already formatted by the caller (e.g. a stored score's human form). */
    public RespWriter doubleText(final byte[] text) {
        if (protocol >= 3) {
            out.writeByte(',');
            out.writeBytes(text);
            out.writeBytes(CRLF);
            return this;
        }
        return bulk(text);
    }

    public RespWriter bool(final boolean b) {
        if (protocol >= 3) {
            out.writeBytes(b ? TRUE3 : FALSE3);
        } else {
            out.writeBytes(b ? ONE : ZERO);
        }
        return this;
    }

    public RespWriter bigNumber(final String digits) {
        if (protocol >= 3) {
            out.writeByte('(');
            out.writeCharSequence(digits, StandardCharsets.US_ASCII);
            out.writeBytes(CRLF);
            return this;
        }
        return bulk(Bytes.ascii(digits));
    }

    /** Verbatim string (RESP3 '=' with a 3-letter format such as "txt"), a bulk string in RESP2. */
    public RespWriter verbatim(final String format, final String text) {
        final byte[] body = text.getBytes(StandardCharsets.UTF_8);
        if (protocol >= 3) {
            out.writeByte('=');
            writeDecimal(body.length + 4);
            out.writeBytes(CRLF);
            out.writeCharSequence(format, StandardCharsets.US_ASCII);
            out.writeByte(':');
            out.writeBytes(body);
            out.writeBytes(CRLF);
            return this;
        }
        return bulk(body);
    }

    /** Marks the start of an array whose length is known only at the end; see {@link #endArray}. */
    public int beginDeferred() {
        return out.writerIndex();
    }

    /** Inserts the header of an aggregate begun with {@link #beginDeferred()}. */
    public void endArray(final int mark, final long n) {
        endDeferred(mark, '*', n);
    }

    public void endMap(final int mark, final long pairs) {
        if (protocol >= 3) {
            endDeferred(mark, '%', pairs);
        } else {
            endDeferred(mark, '*', pairs * 2);
        }
    }

    public void endSet(final int mark, final long n) {
        endDeferred(mark, protocol >= 3 ? '~' : '*', n);
    }

    private void endDeferred(final int mark, final char type, final long n) {
        final int end = out.writerIndex();
        final int len = end - mark;
        final byte[] tail = new byte[len];
        out.getBytes(mark, tail);
        out.writerIndex(mark);
        header(type, n);
        out.writeBytes(tail);
    }

    private RespWriter header(final char type, final long n) {
        out.writeByte(type);
        writeDecimal(n);
        out.writeBytes(CRLF);
        return this;
    }

    private void writeDecimal(final long v) {
        if (v >= 0 && v < 10) {
            out.writeByte('0' + (int) v);
            return;
        }
        if (v == Long.MIN_VALUE) {
            out.writeCharSequence("-9223372036854775808", StandardCharsets.US_ASCII);
            return;
        }
        long x = v;
        if (x < 0) {
            out.writeByte('-');
            x = -x;
        }
        final int digits = Bytes.decimalLength(x);
        final int start = out.writerIndex();
        out.ensureWritable(digits);
        for (int i = digits - 1; i >= 0; i--) {
            out.setByte(start + i, (int) ('0' + x % 10));
            x /= 10;
        }
        out.writerIndex(start + digits);
    }
}
