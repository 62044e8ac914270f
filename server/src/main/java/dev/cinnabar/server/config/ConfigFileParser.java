package dev.cinnabar.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.cinnabar.protocol.util.RawText;

/**
 * redis.conf syntax: one directive per line, '#' comments, words split like sdssplitargs (quotes
 * and escapes), "include" of other files, and "--name value" command-line options turned into
 * lines appended after the file, exactly as redis-server's main() does.
 */
public final class ConfigFileParser {
    /** One directive: its words and where it came from, for error messages. */
    public record Line(List<String> words, int lineNumber, String text) {
    }

    private ConfigFileParser() {
    }

    public static List<Line> parse(final String content) throws ConfigException {
        final List<Line> out = new ArrayList<>();
        final String[] lines = content.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            final String raw = lines[i];
            final String t = raw.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            final List<String> words = split(t);
            if (words == null) {
                throw new ConfigException(fatal(new Line(List.of(), i + 1, t), "Unbalanced quotes in configuration line"));
            }
            if (words.isEmpty()) {
                continue;
            }
            words.set(0, words.get(0).toLowerCase(java.util.Locale.ROOT));
            if (words.get(0).equals("include") && words.size() == 2) {
                try {
                    out.addAll(parse(RawText.read(Path.of(words.get(1)))));
                } catch (IOException e) {
                    throw new ConfigException("Fatal error, can't open config file '" + words.get(1) + "': " + e.getMessage());
                }
                continue;
            }
            out.add(new Line(words, i + 1, t));
        }
        return out;
    }

    /** sdssplitargs over a Java string; null on unbalanced quotes. */
    public static List<String> split(final String line) {
        final byte[] b = RawText.encode(line);
        final List<String> words = new ArrayList<>();
        int p = 0;
        while (true) {
            while (p < b.length && Character.isWhitespace(b[p])) {
                p++;
            }
            if (p >= b.length) {
                return words;
            }
            final java.io.ByteArrayOutputStream cur = new java.io.ByteArrayOutputStream();
            boolean inq = false;
            boolean insq = false;
            boolean done = false;
            while (!done) {
                if (inq) {
                    if (p >= b.length) {
                        return null;
                    }
                    if (b[p] == '\\' && p + 3 < b.length && b[p + 1] == 'x' && isHex(b[p + 2]) && isHex(b[p + 3])) {
                        cur.write(Integer.parseInt(new String(b, p + 2, 2, StandardCharsets.US_ASCII), 16));
                        p += 3;
                    } else if (b[p] == '\\' && p + 1 < b.length) {
                        p++;
                        switch (b[p]) {
                            case 'n': cur.write('\n'); break;
                            case 'r': cur.write('\r'); break;
                            case 't': cur.write('\t'); break;
                            case 'b': cur.write('\b'); break;
                            case 'a': cur.write(7); break;
                            default: cur.write(b[p]); break;
                        }
                    } else if (b[p] == '"') {
                        if (p + 1 < b.length && !Character.isWhitespace(b[p + 1])) {
                            return null;
                        }
                        done = true;
                    } else {
                        cur.write(b[p]);
                    }
                } else if (insq) {
                    if (p >= b.length) {
                        return null;
                    }
                    if (b[p] == '\\' && p + 1 < b.length && b[p + 1] == '\'') {
                        p++;
                        cur.write('\'');
                    } else if (b[p] == '\'') {
                        if (p + 1 < b.length && !Character.isWhitespace(b[p + 1])) {
                            return null;
                        }
                        done = true;
                    } else {
                        cur.write(b[p]);
                    }
                } else {
                    if (p >= b.length) {
                        break;
                    }
                    switch (b[p]) {
                        case ' ': case '\n': case '\r': case '\t': case 0:
                            done = true;
                            break;
                        case '"':
                            inq = true;
                            break;
                        case '\'':
                            insq = true;
                            break;
                        default:
                            cur.write(b[p]);
                            break;
                    }
                }
                if (p < b.length) {
                    p++;
                }
            }
            words.add(RawText.decode(cur.toByteArray()));
        }
    }

    private static boolean isHex(final byte c) {
        return Character.digit(c, 16) >= 0;
    }

    /**
     * Turns "--port 7000 --save '' --replicaof h p" into config lines, as redis-server does: each
     * "--name" starts a line and the following words are its arguments (quoted with sdscatrepr).
     */
    public static String optionsToConfig(final List<String> options) {
        final StringBuilder sb = new StringBuilder();
        boolean first = true;
        for (final String o : options) {
            if (o.startsWith("--") && o.length() > 2) {
                if (!first) {
                    sb.append('\n');
                }
                sb.append(o.substring(2));
                first = false;
            } else {
                sb.append(' ').append(quote(o));
            }
        }
        return sb.append('\n').toString();
    }

    private static String quote(final String s) {
        final StringBuilder sb = new StringBuilder("\"");
        for (final char c : s.toCharArray()) {
            switch (c) {
                case '\\': sb.append("\\\\"); break;
                case '"': sb.append("\\\""); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default: sb.append(c); break;
            }
        }
        return sb.append('"').toString();
    }

    /** Redis's loadServerConfigFromString error block. */
    public static String fatal(final Line line, final String reason) {
        return "\n*** FATAL CONFIG FILE ERROR (Redis " + dev.cinnabar.server.Version.REDIS_VERSION + ") ***\n"
            + "Reading the configuration file, at line " + line.lineNumber() + "\n"
            + ">>> '" + line.text() + "'\n"
            + reason;
    }
}
