package dev.cinnabar.cli;

import dev.cinnabar.protocol.client.RespValue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Turns a reply into the bytes redis-cli prints for it, in its three output styles.
 *
 * <p>TTY: {@code 1) "a"} with aggregates indented under their index, typed scalars ({@code (integer) 1},
 * {@code (nil)}, {@code (error) ...}), strings quoted with C-style escapes; maps as {@code 1# key => value} and sets
 * as {@code 1~ member}. RAW: payload bytes only, aggregate elements joined by the bulk delimiter, map entries as
 * {@code key value}. CSV: one line, elements separated by commas, strings quoted.
 */
public final class ReplyFormatter {
    /** The output style; TTY is redis-cli's "standard" style. */
    public enum Mode { TTY, RAW, CSV }

    private final Mode mode;
    private final byte[] bulkDelimiter;

    public ReplyFormatter(final Mode mode, final byte[] bulkDelimiter) {
        this.mode = mode;
        this.bulkDelimiter = bulkDelimiter;
    }

    public Mode mode() {
        return mode;
    }

    /** The reply formatted in this style; TTY output ends with a newline, RAW and CSV do not. */
    public byte[] format(final RespValue v) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        switch (mode) {
            case TTY:
                tty(v, "", out);
                break;
            case RAW:
                raw(v, out);
                break;
            default:
                csv(v, out);
                break;
        }
        return out.toByteArray();
    }

    private static void tty(final RespValue v, final String prefix, final ByteArrayOutputStream out) {
        switch (v.type()) {
            case ERROR:
                put(out, "(error) ");
                put(out, v.bytes());
                break;
            case SIMPLE:
            case VERBATIM:
                put(out, v.bytes());
                break;
            case INTEGER:
                put(out, "(integer) " + v.integer());
                break;
            case DOUBLE:
                put(out, "(double) ");
                put(out, v.bytes());
                break;
            case BIG_NUMBER:
                put(out, "(big number) ");
                put(out, v.bytes());
                break;
            case BULK:
                repr(v.bytes(), out);
                break;
            case NULL:
                put(out, "(nil)");
                break;
            case BOOLEAN:
                put(out, v.bool() ? "(true)" : "(false)");
                break;
            default:
                ttyAggregate(v, prefix, out);
                return;
        }
        out.write('\n');
    }

    private static void ttyAggregate(final RespValue v, final String prefix, final ByteArrayOutputStream out) {
        final boolean map = v.is(RespValue.Type.MAP);
        final int entries = map ? v.size() / 2 : v.size();
        if (entries == 0) {
            put(out, map ? "(empty hash)\n" : v.is(RespValue.Type.SET) ? "(empty set)\n" : "(empty array)\n");
            return;
        }
        final char marker = map ? '#' : v.is(RespValue.Type.SET) ? '~' : ')';
        final int width = Integer.toString(entries).length();
        final String childPrefix = prefix + " ".repeat(width + 2);
        for (int i = 0; i < entries; i++) {
            if (i > 0) {
                put(out, prefix);
            }
            final String index = Integer.toString(i + 1);
            put(out, " ".repeat(width - index.length()) + index + marker + ' ');
            if (!map) {
                tty(v.get(i), childPrefix, out);
                continue;
            }
            final ByteArrayOutputStream key = new ByteArrayOutputStream();
            tty(v.get(2 * i), childPrefix, key);
            out.write(key.toByteArray(), 0, key.size() - 1);
            put(out, " => ");
            final ByteArrayOutputStream value = new ByteArrayOutputStream();
            tty(v.get(2 * i + 1), childPrefix, value);
            final byte[] formatted = value.toByteArray();
            if (v.get(2 * i + 1).isAggregate() && multiLine(formatted)) {
                put(out, "\n" + childPrefix);
            }
            put(out, formatted);
        }
    }

    private static boolean multiLine(final byte[] formatted) {
        for (int i = 0; i < formatted.length - 1; i++) {
            if (formatted[i] == '\n') {
                return true;
            }
        }
        return false;
    }

    private void raw(final RespValue v, final ByteArrayOutputStream out) {
        switch (v.type()) {
            case ERROR:
                put(out, v.bytes());
                out.write('\n');
                break;
            case INTEGER:
                put(out, Long.toString(v.integer()));
                break;
            case NULL:
                break;
            case BOOLEAN:
                put(out, v.bool() ? "(true)" : "(false)");
                break;
            case ARRAY: case SET: case PUSH:
                for (int i = 0; i < v.size(); i++) {
                    if (i > 0) {
                        put(out, bulkDelimiter);
                    }
                    raw(v.get(i), out);
                }
                break;
            case MAP:
                for (int i = 0; i < v.size(); i += 2) {
                    if (i > 0) {
                        put(out, bulkDelimiter);
                    }
                    raw(v.get(i), out);
                    out.write(' ');
                    raw(v.get(i + 1), out);
                }
                break;
            default:
                put(out, v.bytes());
                break;
        }
    }

    private static void csv(final RespValue v, final ByteArrayOutputStream out) {
        switch (v.type()) {
            case ERROR:
                put(out, "ERROR,");
                repr(v.bytes(), out);
                break;
            case SIMPLE: case BULK: case VERBATIM:
                repr(v.bytes(), out);
                break;
            case INTEGER:
                put(out, Long.toString(v.integer()));
                break;
            case NULL:
                put(out, "NULL");
                break;
            case BOOLEAN:
                put(out, v.bool() ? "true" : "false");
                break;
            case DOUBLE: case BIG_NUMBER:
                put(out, v.bytes());
                break;
            default:
                for (int i = 0; i < v.size(); i++) {
                    if (i > 0) {
                        out.write(',');
                    }
                    csv(v.get(i), out);
                }
                break;
        }
    }

    /** A double-quoted C-style representation: printable ASCII as is, \n \r \t \a \b, other bytes as \xhh. */
    public static void repr(final byte[] b, final ByteArrayOutputStream out) {
        out.write('"');
        for (final byte c : b) {
            switch (c) {
                case '\\': put(out, "\\\\"); break;
                case '"': put(out, "\\\""); break;
                case '\n': put(out, "\\n"); break;
                case '\r': put(out, "\\r"); break;
                case '\t': put(out, "\\t"); break;
                case 7: put(out, "\\a"); break;
                case '\b': put(out, "\\b"); break;
                default:
                    if (c >= 0x20 && c < 0x7f) {
                        out.write(c);
                    } else {
                        put(out, String.format("\\x%02x", c & 0xff));
                    }
                    break;
            }
        }
        out.write('"');
    }

    public static String repr(final byte[] b) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + 2);
        repr(b, out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static void put(final ByteArrayOutputStream out, final String s) {
        put(out, s.getBytes(StandardCharsets.UTF_8));
    }

    private static void put(final ByteArrayOutputStream out, final byte[] b) {
        out.write(b, 0, b.length);
    }
}
