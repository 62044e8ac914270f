package dev.cinnabar.server.dispatch;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.server.Repr;
import dev.cinnabar.server.Server;
import dev.cinnabar.server.net.ClientSession;

/**
 * Redis's replicationFeedMonitors: every executed command (not admin, not skip_monitor) goes to
 * the MONITOR clients as one status line, "+<sec>.<usec> [<db> <addr>] "arg" ...", arguments
 * quoted like sdscatrepr and redacted where the command hid them (AUTH passwords).
 */
final class Monitors {
    private Monitors() {
    }

    static void feed(final Server server, final ClientSession c, final Args args) {
        final Instant now = Instant.now();
        final StringBuilder sb = new StringBuilder(64);
        sb.append('+').append(now.getEpochSecond()).append('.')
            .append(String.format("%06d", now.getNano() / 1000))
            .append(" [").append(c.dbIndex()).append(' ').append(c.addr()).append(']');
        for (int i = 0; i < args.count(); i++) {
            sb.append(' ');
            if (c.redacted(i)) {
                sb.append("\"(redacted)\"");
            } else {
                Repr.append(sb, args.array(), args.offset(i), args.length(i));
            }
        }
        sb.append("\r\n");
        final byte[] line = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        for (final ClientSession m : server.monitors()) {
            if (!m.closing()) {
                m.reply().raw(line);
                m.scheduleFlush();
            }
        }
    }
}
