package dev.cinnabar.cli;

import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.protocol.resp.InlineSplitter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Typed lines and quoted command-line arguments are split with the server's inline-command rules. */
final class ArgSplitter {
    private ArgSplitter() {
    }

    /** The arguments of a typed line, or null when its quotes are unbalanced ("Invalid argument(s)"). */
    static List<byte[]> split(final String line) {
        return split(line.getBytes(StandardCharsets.UTF_8));
    }

    static List<byte[]> split(final byte[] line) {
        final Args a = InlineSplitter.split(line);
        if (a == null) {
            return null;
        }
        final List<byte[]> out = new ArrayList<>(a.count());
        for (int i = 0; i < a.count(); i++) {
            out.add(a.copy(i));
        }
        return out;
    }

    /** One quoted argument ({@code --quoted-input}, {@code --quoted-pattern}): null unless it is exactly one word. */
    static byte[] unquote(final String s) {
        final List<byte[]> parts = split(s);
        return parts != null && parts.size() == 1 ? parts.get(0) : null;
    }
}
