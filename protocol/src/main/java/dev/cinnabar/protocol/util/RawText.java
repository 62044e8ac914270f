package dev.cinnabar.protocol.util;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Strings that carry any bytes. Valid UTF-8 decodes as usual; each byte that is not part of valid
 * UTF-8 becomes the lone low surrogate U+DC80..U+DCFF (UTF-8 decoding never yields one), and
 * {@link #encode} turns such a char back into its byte, so {@code encode(decode(b))} equals
 * {@code b} for every {@code b}.
 *
 * <p>Why: Redis's names and texts (ACL users, passwords and patterns, client names, config values)
 * are binary-safe. Decoding them with replacement characters merged distinct ones ({@code \xff} and
 * {@code \xfe} both became U+FFFD, two ACL users became one) and changed what was echoed back.
 */
public final class RawText {
    private static final char RAW_BYTE_BASE = 0xDC00;

    private RawText() {
    }

    /**
     * The char that stands for byte {@code b} on its own: ASCII as itself, 0x80 and above as
     * U+DC80..U+DCFF. Redis echoes raw request bytes in some errors ("expected '$', got '\xe9'").
     */
    public static char rawByteChar(final byte b) {
        return b >= 0 ? (char) b : (char) (RAW_BYTE_BASE + (b & 0xff));
    }

    /**
     * Whether the char at {@code i} stands for one raw byte (see {@link #rawByteChar}): in the range and alone, not
     * the second half of a surrogate pair (U+FF0FF, say, is the pair U+DBBC U+DCFF).
     */
    public static boolean isRawByteAt(final CharSequence s, final int i) {
        final char c = s.charAt(i);
        return c >= RAW_BYTE_BASE + 0x80 && c <= RAW_BYTE_BASE + 0xff
            && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
    }

    /** The byte a {@link #isRawByteAt raw-byte char} stands for. */
    public static int rawByte(final char c) {
        return c - RAW_BYTE_BASE;
    }

    /** A text file (redis.conf, an ACL file) read as Redis reads it: its bytes, whatever they are. */
    public static String read(final Path file) throws IOException {
        return decode(Files.readAllBytes(file));
    }

    public static String decode(final byte[] b) {
        return decode(b, 0, b.length);
    }

    public static String decode(final byte[] b, final int off, final int len) {
        int i = off;
        final int end = off + len;
        while (i < end && b[i] >= 0) {
            i++;
        }
        if (i == end) {
            return new String(b, off, len, StandardCharsets.ISO_8859_1);
        }
        final CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        final ByteBuffer in = ByteBuffer.wrap(b, off, len);
        final CharBuffer out = CharBuffer.allocate(len);
        while (true) {
            final CoderResult r = d.decode(in, out, true);
            if (r.isUnderflow()) {
                break;
            }
            // malformed or unmappable: each of its bytes stands for itself (the output never overflows:
            // a byte yields at most one char)
            for (int k = 0; k < r.length(); k++) {
                out.put(rawByteChar(in.get()));
            }
        }
        d.flush(out);
        out.flip();
        return out.toString();
    }

    public static byte[] encode(final String s) {
        final int n = s.length();
        int raw = -1;
        for (int i = 0; i < n; i++) {
            if (isRawByteAt(s, i)) {
                raw = i;
                break;
            }
        }
        if (raw < 0) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        final ByteArrayOutputStream out = new ByteArrayOutputStream(n + 8);
        int runStart = 0;
        for (int i = raw; i < n; i++) {
            final char c = s.charAt(i);
            if (isRawByteAt(s, i)) {
                out.writeBytes(s.substring(runStart, i).getBytes(StandardCharsets.UTF_8));
                out.write(rawByte(c));
                runStart = i + 1;
            }
        }
        out.writeBytes(s.substring(runStart).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
