package dev.cinnabar.cli;

import dev.cinnabar.protocol.client.RespConnection;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;

/** --stat: one line of server figures from INFO per interval (default 1 s), a header every 20 lines. */
final class Stat {
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
            if (line % 20 == 0) {
                out.println("------- data ------ --------------------- load -------------------- - child -");
                out.println("keys       mem      clients blocked requests            connections          ");
            }
            long keys = 0;
            for (final Map.Entry<String, String> e : info.entrySet()) {
                if (e.getKey().matches("db\\d+")) {
                    final String v = e.getValue();
                    keys += Long.parseLong(v.substring(v.indexOf("keys=") + 5, v.indexOf(',')));
                }
            }
            final long requests = Long.parseLong(info.getOrDefault("total_commands_processed", "0"));
            final String req = requests + " (+" + (lastRequests < 0 ? 0 : requests - lastRequests) + ")";
            lastRequests = requests;
            final StringBuilder child = new StringBuilder();
            if ("1".equals(info.get("rdb_bgsave_in_progress"))) {
                child.append("SAVE");
            }
            if ("1".equals(info.get("aof_rewrite_in_progress"))) {
                child.append(child.length() > 0 ? "+" : "").append("AOF");
            }
            out.printf("%-11d%-9s%-8s%-8s%-20s%-21s%s%n", keys,
                human(Long.parseLong(info.getOrDefault("used_memory", "0"))),
                info.getOrDefault("connected_clients", "0"), info.getOrDefault("blocked_clients", "0"), req,
                info.getOrDefault("total_connections_received", "0"), child);
            out.flush();
            CommandRunner.sleep(interval);
        }
    }

    /** Bytes as redis-cli's --stat shows them: B, K, M, G with two decimals. */
    static String human(final long n) {
        if (n < 1024) {
            return n + "B";
        }
        if (n < 1024L * 1024) {
            return String.format("%.2fK", n / 1024.0);
        }
        if (n < 1024L * 1024 * 1024) {
            return String.format("%.2fM", n / (1024.0 * 1024));
        }
        return String.format("%.2fG", n / (1024.0 * 1024 * 1024));
    }
}
