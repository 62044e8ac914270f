package dev.cinnabar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The small rules around the reply formatter, each taken from redis-cli 7.0.15's observed output: which commands
 * print raw, which typed lines stay out of the history, the --stat columns and the latency lines.
 */
class OutputDetailsTest {
    private static List<byte[]> argv(final String line) {
        return ArgSplitter.split(line);
    }

    @Test
    void textRepliesForPeopleArePrintedRaw() {
        for (final String line : new String[] {"info", "INFO keyspace", "lolwut", "client list", "CLIENT LIST id 1",
            "client info", "memory doctor", "memory malloc-stats", "cluster info", "cluster nodes",
            "latency doctor", "latency graph command", "debug htstats 0", "debug htstats-key k",
            "debug client-eviction", "proxy info"}) {
            assertThat(CommandRunner.printsRaw(argv(line))).as(line).isTrue();
        }
        for (final String line : new String[] {"get k", "client id", "cluster nodes x", "latency graph",
            "latency doctor x", "memory usage k", "debug object k", "echo info"}) {
            assertThat(CommandRunner.printsRaw(argv(line))).as(line).isFalse();
        }
    }

    @Test
    void linesWithPasswordsStayOutOfTheHistory() {
        for (final String line : new String[] {"auth x", "AUTH", "acl setuser u on >pw", "acl SETUSER",
            "config set requirepass x", "CONFIG SET masterauth x", "config set masteruser u", "hello 3 AUTH u p",
            "migrate h 1 k 0 1 auth2 u p", "migrate h 1 k 0 1 AUTH p"}) {
            assertThat(Repl.hasSecret(argv(line))).as(line).isTrue();
        }
        for (final String line : new String[] {"set a b", "acl deluser u", "config set maxmemory 0",
            "config set maxmemory 0 requirepass x", "config set tls-key-file-pass x", "hello 3",
            "migrate h 1 k 0 1", "get \"unbalanced", ""}) {
            assertThat(Repl.hasSecret(argv(line))).as(line).isFalse();
        }
    }

    @Test
    void statLineColumns() {
        final Map<String, String> info = Map.of("db0", "keys=89,expires=0,avg_ttl=0", "db3", "keys=4,expires=1",
            "used_memory", "1803550", "connected_clients", "1", "blocked_clients", "0",
            "total_commands_processed", "69038", "total_connections_received", "292");
        assertThat(Stat.line(info, 0))
            .isEqualTo("93         1.72M    1       0       69038 (+0)          292         \n");
        final Map<String, String> saving = new java.util.HashMap<>(info);
        saving.put("rdb_bgsave_in_progress", "1");
        saving.put("aof_rewrite_in_progress", "1");
        assertThat(Stat.line(saving, 5)).endsWith("69038 (+5)          292         SAVE+AOF\n");
        assertThat(Stat.HEADER).isEqualTo(
            "------- data ------ --------------------- load -------------------- - child -\n"
                + "keys       mem      clients blocked requests            connections          \n");
    }

    @Test
    void humanBytes() {
        assertThat(Stat.human(512)).isEqualTo("512B");
        assertThat(Stat.human(1536)).isEqualTo("1.50K");
        assertThat(Stat.human(1803550)).isEqualTo("1.72M");
        assertThat(Stat.human(3L << 30)).isEqualTo("3.00G");
        assertThat(Stat.human(5L << 40)).isEqualTo("5.00T");
    }

    @Test
    void latencyLines() {
        final Latency.Window w = new Latency.Window();
        w.add(0);
        w.add(1);
        w.add(0);
        w.add(0);
        w.add(0);
        assertThat(w.status()).isEqualTo("min: 0, max: 1, avg: 0.20 (5 samples)");
        assertThat(w.line(false)).isEqualTo("0 1 0.20 5");
        assertThat(w.line(true)).isEqualTo("0,1,0.20,5");
    }

    @Test
    void latencySpectrum() {
        assertThat(Latency.bucket(10)).isZero();
        assertThat(Latency.bucket(11)).isEqualTo(1);
        assertThat(Latency.bucket(999)).isEqualTo(4);
        assertThat(Latency.bucket(60_000_001)).isEqualTo(30);
        final long[] counts = new long[31];
        counts[2] = 3;
        counts[4] = 1;
        final String row = Latency.distRow(counts, 4);
        final List<String> cells = new ArrayList<>();
        for (final String cell : row.substring("\u001b[38;5;0m".length(), row.length() - "\u001b[0m\n".length())
            .split("\u001b\\[48;5;")) {
            if (!cell.isEmpty()) {
                cells.add(cell);
            }
        }
        assertThat(cells).hasSize(31);
        assertThat(cells.get(0)).isEqualTo("0m.");
        assertThat(cells.get(2)).as("3 of 4 samples: palette index ceil(0.75 * 18) = 14").isEqualTo("226m*");
        assertThat(cells.get(4)).as("1 of 4: index ceil(0.25 * 18) = 5").isEqualTo("239m1");
        assertThat(cells.get(30)).isEqualTo("0m?");
        assertThat(Latency.distLegend().split("\n")).hasSize(8);
        assertThat(Latency.distLegend()).startsWith("---------------------------------------------\n"
            + ". - * #          .01 .125 .25 .5 milliseconds\n");
    }
}
