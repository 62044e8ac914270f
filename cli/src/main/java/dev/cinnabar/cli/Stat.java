package dev.cinnabar.cli;

import dev.cinnabar.protocol.client.RespConnection;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/** --stat: one line of server figures from INFO per interval (default 1 s), the two header lines every 20 lines. */
final class Stat {
    static final String HEADER = "------- data ------ --------------------- load -------------------- - child -\n"
        + "keys       mem      clients blocked requests            connections          \n";
    private static final int HEADER_EVERY_LINES = 20;
    private static final String[] UNITS = {"K", "M", "G", "T", "P"};

    private Stat() {
    }

    static int run(final RespConnection c, final CliOptions o, final PrintStream out) throws IOException {
        long lastRequests = -1;
        final double interval = o.interval > 0 ? o.interval : 1.0;
        for (long line = 0; ; line++) {
            final Map<String, String> info;
            try {
                info = Modes.info(c, null);
            } catch (IOException e) {
                System.err.println(e.getMessage());
                return 1;
            }
            if (line % HEADER_EVERY_LINES == 0) {
                out.print(HEADER);
            }
            final long requests = number(info, "total_commands_processed");
            out.print(line(info, lastRequests < 0 ? 0 : requests - lastRequests));
            out.flush();
            lastRequests = requests;
            CommandRunner.sleep(interval);
        }
    }

    /** One line: total keys, used memory, clients, blocked clients, requests (+delta), connections, child. */
    static String line(final Map<String, String> info, final long requestsDelta) {
        long keys = 0;
        for (final Map.Entry<String, String> e : info.entrySet()) {
            if (e.getKey().matches("db\\d+")) {
                final String v = e.getValue();
                final int from = v.indexOf("keys=") + 5;
                final int to = v.indexOf(',', from);
                keys += CliOptions.atol(to < 0 ? v.substring(from) : v.substring(from, to));
            }
        }
        final String requests = number(info, "total_commands_processed") + " (+" + requestsDelta + ")";
        return String.format(Locale.ROOT, "%-11d%-9s%-8s%-8s%-20s%-12s%s%n", keys,
            human(number(info, "used_memory")), info.getOrDefault("connected_clients", "0"),
            info.getOrDefault("blocked_clients", "0"), requests, info.getOrDefault("total_connections_received", "0"),
            child(info));
    }

    /** The background work column: SAVE, AOF, SAVE+AOF or LOAD (nothing for a loading server that also forks). */
    private static String child(final Map<String, String> info) {
        final long flags = number(info, "rdb_bgsave_in_progress") | number(info, "aof_rewrite_in_progress") << 1
            | number(info, "loading") << 2;
        switch ((int) flags) {
            case 1: return "SAVE";
            case 2: return "AOF";
            case 3: return "SAVE+AOF";
            case 4: return "LOAD";
            default: return "";
        }
    }

    private static long number(final Map<String, String> info, final String field) {
        return CliOptions.atol(info.getOrDefault(field, "0"));
    }

    /** Bytes as redis-cli shows them: {@code 512B}, then K, M, G, T, P with two decimals. */
    static String human(final long n) {
        if (n < 1024) {
            return n + "B";
        }
        double v = n / 1024.0;
        int unit = 0;
        while (v >= 1024 && unit < UNITS.length - 1) {
            v /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.2f%s", v, UNITS[unit]);
    }
}
