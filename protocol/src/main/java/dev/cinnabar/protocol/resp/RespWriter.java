package dev.cinnabar.protocol.resp;

import java.nio.charset.StandardCharsets;

import dev.cinnabar.protocol.util.Bytes;
import dev.cinnabar.protocol.util.Doubles;
import dev.cinnabar.protocol.util.RawText;
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
    /** Type byte, 20 digits and a sign, CRLF: the longest aggregate header. */
    private static final int MAX_HEADER = 24;

    private ByteBuf out;
    /** Scratch for moving a deferred body up in chunks, and for its header. */
    private final byte[] moveScratch = new byte[512];
    private final byte[] headerScratch = new byte[MAX_HEADER];
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

    /**
     * An error line; {@code message} carries its code, as in "ERR syntax error" or "WRONGTYPE ...".
     * The text goes out as UTF-8 (so a command name echoed back keeps its bytes), CR and LF become
     * spaces as in Redis's addReplyErrorFormat, and a {@link RawText#rawByteChar} stands for its one raw byte.
     */
    public RespWriter error(final String message) {
        out.writeByte('-');
        final int n = message.length();
        for (int i = 0; i < n; i++) {
            final char c = message.charAt(i);
            if (c < 0x80) {
                out.writeByte(c == '\r' || c == '\n' ? ' ' : c);
            } else if (RawText.isRawByteAt(message, i)) {
                out.writeByte(RawText.rawByte(c));
            } else {
                final int end = utf8Run(message, i);
                out.writeCharSequence(message.subSequence(i, end), StandardCharsets.UTF_8);
                i = end - 1;
            }
        }
        out.writeBytes(CRLF);
        return this;
    }

    /** End of the run of non-ASCII, non-raw-byte characters starting at {@code from}. */
    private static int utf8Run(final String s, final int from) {
        int i = from;
        while (i < s.length()) {
            final char c = s.charAt(i);
            if (c < 0x80 || RawText.isRawByteAt(s, i)) {
                break;
            }
            i++;
        }
        return i;
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
        return bulk(RawText.encode(s));
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
        final byte[] body = RawText.encode(text);
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

    /**
     * Inserts the header at {@code mark} by moving the body up, last chunk first so no unread byte is
     * overwritten; no allocation however large the body.
     */
    private void endDeferred(final int mark, final char type, final long n) {
        final int hlen = headerInto(headerScratch, type, n);
        final int end = out.writerIndex();
        out.ensureWritable(hlen);
        final int chunk = moveScratch.length;
        int pos = end;
        while (pos > mark) {
            final int len = Math.min(chunk, pos - mark);
            pos -= len;
            out.getBytes(pos, moveScratch, 0, len);
            out.setBytes(pos + hlen, moveScratch, 0, len);
        }
        out.setBytes(mark, headerScratch, 0, hlen);
        out.writerIndex(end + hlen);
    }

    /** Writes "{type}{n}\r\n" into {@code b}; returns its length (at most {@link #MAX_HEADER}). */
    private static int headerInto(final byte[] b, final char type, final long n) {
        b[0] = (byte) type;
        int len = 1;
        long x = n;
        if (x < 0) {
            b[len++] = '-';
            x = -x;
        }
        final int digits = Bytes.decimalLength(x);
        for (int i = len + digits - 1; i >= len; i--) {
            b[i] = (byte) ('0' + x % 10);
            x /= 10;
        }
        len += digits;
        b[len++] = '\r';
        b[len++] = '\n';
        return len;
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
