package dev.cinnabar.server.dispatch;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;

import dev.cinnabar.protocol.command.CommandFlag;
import dev.cinnabar.protocol.command.CommandSpec;
import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.protocol.resp.RespWriter;
import dev.cinnabar.server.net.ClientSession;

/**
 * Redis's slowlog.c: the commands whose execution took at least slowlog-log-slower-than
 * microseconds, newest first, at most slowlog-max-len of them. An entry keeps at most 32
 * arguments (the last one then says how many more there were) of at most 128 bytes each, so a
 * huge MSET cannot make the log large; secrets (AUTH's and HELLO's passwords, sensitive CONFIG SET
 * values) are stored as "(redacted)", as Redis's redactClientCommandArgument does.
 */
public final class SlowLog {
    private static final int MAX_ARGC = 32;
    private static final int MAX_STRING = 128;
    private static final byte[] REDACTED = "(redacted)".getBytes(StandardCharsets.US_ASCII);

    /** One logged command, its reply fields in SLOWLOG GET's order. */
    private record Entry(long id, long timeSec, long durationUs, byte[][] argv, String peer, String name) {
    }

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long nextId;

    /**
     * Called after every command: logs it when it ran at least {@code thresholdUs} (negative turns
     * the log off), then trims the log to {@code maxLen}.
     */
    public void record(final ClientSession c, final CommandSpec spec, final Args args, final long durationUs,
                       final long thresholdUs, final long maxLen) {
        if (thresholdUs < 0 || durationUs < thresholdUs || spec.has(CommandFlag.SKIP_SLOWLOG)) {
            return;
        }
        entries.addFirst(new Entry(nextId++, System.currentTimeMillis() / 1000, durationUs, kept(spec, args),
            c.addr(), c.name()));
        trim(maxLen);
    }

    /** As Redis, a lowered slowlog-max-len takes effect at the next entry. */
    private void trim(final long maxLen) {
        while (entries.size() > maxLen) {
            entries.removeLast();
        }
    }

    public int length() {
        return entries.size();
    }

    public void reset() {
        entries.clear();
    }

    /** SLOWLOG GET: the {@code count} newest entries. */
    public void write(final RespWriter w, final long count) {
        final int n = (int) Math.min(count, entries.size());
        w.array(n);
        final Iterator<Entry> it = entries.iterator();
        for (int i = 0; i < n; i++) {
            final Entry e = it.next();
            w.array(6).integer(e.id()).integer(e.timeSec()).integer(e.durationUs()).array(e.argv().length);
            for (final byte[] a : e.argv()) {
                w.bulk(a);
            }
            w.bulk(e.peer()).bulk(e.name());
        }
    }

    private static byte[][] kept(final CommandSpec spec, final Args args) {
        final int argc = args.count();
        final int kept = Math.min(argc, MAX_ARGC);
        final byte[][] out = new byte[kept][];
        for (int j = 0; j < kept; j++) {
            if (kept != argc && j == kept - 1) {
                out[j] = ("... (" + (argc - kept + 1) + " more arguments)").getBytes(StandardCharsets.US_ASCII);
            } else if (redacted(spec, args, j)) {
                out[j] = REDACTED;
            } else if (args.length(j) > MAX_STRING) {
                final byte[] head = Arrays.copyOfRange(args.array(), args.offset(j), args.offset(j) + MAX_STRING);
                final byte[] tail = ("... (" + (args.length(j) - MAX_STRING) + " more bytes)")
                    .getBytes(StandardCharsets.US_ASCII);
                out[j] = Arrays.copyOf(head, head.length + tail.length);
                System.arraycopy(tail, 0, out[j], head.length, tail.length);
            } else {
                out[j] = args.copy(j);
            }
        }
        return out;
    }

    /** The arguments Redis 7.0 redacts: AUTH's, HELLO's AUTH pair, and the value of a sensitive CONFIG SET. */
    private static boolean redacted(final CommandSpec spec, final Args args, final int j) {
        switch (spec.name()) {
            case "auth":
                return j >= 1;
            case "hello":
                for (int i = 2; i + 2 < args.count(); i++) {
                    if (args.is(i, "AUTH")) {
                        return j == i + 1 || j == i + 2;
                    }
                }
                return false;
            case "config|set":
                return j >= 3 && j % 2 == 1 && isSensitive(args.string(j - 1));
            default:
                return false;
        }
    }

    private static boolean isSensitive(final String config) {
        return switch (config.toLowerCase(Locale.ROOT)) {
            case "requirepass", "masterauth", "tls-key-file-pass", "tls-client-key-file-pass" -> true;
            default -> false;
        };
    }
}
