package dev.cinnabar.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import dev.cinnabar.it.cli.CliTools.Stream;
import dev.cinnabar.it.support.Exec;
import dev.cinnabar.it.support.NodeLogOnFailure;
import dev.cinnabar.it.support.RealRedis;
import dev.cinnabar.it.support.RespClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The modes that print until interrupted, run as processes next to the real redis-cli against one real
 * redis-server: SUBSCRIBE / PSUBSCRIBE / SSUBSCRIBE / MONITOR, --replica and a typed SYNC, --stat and the latency
 * modes. Each is stopped (SIGTERM) once the awaited output appeared. redis-cli does not flush stdout in --replica,
 * --stat and the latency modes when it is not a terminal, so it runs under {@code stdbuf -oL} there.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(NodeLogOnFailure.class)
class CliStreamingIT {
    private static final Pattern LATENCY_RAW = Pattern.compile("\\d+ \\d+ \\d+\\.\\d\\d \\d+");
    private static final Pattern LATENCY_CSV = Pattern.compile("\\d+,\\d+,\\d+\\.\\d\\d,\\d+");
    private static final Pattern RANGE = Pattern.compile(" -- \\d+\\.\\d\\d seconds range");
    private static final Pattern SPECTRUM_ROW = Pattern.compile(
        "\u001b\\[38;5;0m(\u001b\\[48;5;\\d+m[.\\-*#1-9A-Q?]){31}\u001b\\[0m");
    private static RealRedis server;
    private static int port;

    @BeforeAll
    static void start() {
        server = RealRedis.start("--repl-diskless-sync-delay", "0");
        port = server.port();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static List<String> redisCli(final String... args) {
        return CliTools.command(CliTools.redisCli(), port, args);
    }

    private static List<String> lineBufferedRedisCli(final String... args) {
        return lineBufferedRedisCli(port, args);
    }

    private static List<String> lineBufferedRedisCli(final int redisPort, final String... args) {
        final List<String> cmd = new ArrayList<>(List.of("stdbuf", "-oL"));
        cmd.addAll(CliTools.command(CliTools.redisCli(), redisPort, args));
        return cmd;
    }

    private static List<String> cinnabarCli(final String... args) {
        return CliTools.command(CliTools.cinnabarCli(), port, args);
    }

    /** One pub/sub or MONITOR invocation, run by both tools. */
    private record Pair(String[] args, String ready, String last, Stream theirs, Stream ours) {
        static Pair of(final String ready, final String last, final String... args) {
            return new Pair(args, ready, last, new Stream(redisCli(args)), new Stream(cinnabarCli(args)));
        }
    }

    @Test
    void subscriptionsAndMonitorPrintLikeRedisCli() {
        final List<Pair> monitors = new ArrayList<>();
        final List<Pair> subscribers = new ArrayList<>();
        try {
            monitors.add(Pair.of("OK\n", "\"spublish\" \"ch1\" \"sharded\"", "monitor"));
            monitors.add(Pair.of("OK\n", "\"spublish\" \"ch1\" \"sharded\"", "--no-raw", "monitor"));
            for (final Pair p : monitors) {
                p.theirs().awaitStdout(p.ready());
                p.ours().awaitStdout(p.ready());
            }
            subscribers.add(Pair.of("subscribe\nch2\n2\n", "message\nch2\nx\n", "subscribe", "ch1", "ch2"));
            subscribers.add(Pair.of("3) (integer) 2\n", "3) \"x\"\n", "--no-raw", "subscribe", "ch1", "ch2"));
            subscribers.add(Pair.of("\"subscribe\",\"ch2\",2\n", "\"message\",\"ch2\",\"x\"\n", "--csv", "subscribe",
                "ch1", "ch2"));
            subscribers.add(Pair.of("3) (integer) 1\n", "4) \"x\"\n", "-3", "--no-raw", "psubscribe", "c*"));
            subscribers.add(Pair.of("psubscribe\nc*\n1\n", "pmessage\nc*\nch2\nx\n", "psubscribe", "c*"));
            subscribers.add(Pair.of("3) (integer) 1\n", "3) \"sharded\"\n", "--no-raw", "ssubscribe", "ch1"));
            for (final Pair p : subscribers) {
                p.theirs().awaitStdout(p.ready());
                p.ours().awaitStdout(p.ready());
            }
            try (RespClient c = server.client()) {
                c.call("publish", "ch1", "hello world");
                c.call("publish", "ch2", "x");
                c.call("spublish", "ch1", "sharded");
            }
            for (final List<Pair> group : List.of(subscribers, monitors)) {
                for (final Pair p : group) {
                    p.theirs().awaitStdout(p.last());
                    p.ours().awaitStdout(p.last());
                }
            }
        } finally {
            for (final List<Pair> group : List.of(subscribers, monitors)) {
                for (final Pair p : group) {
                    p.theirs().close();
                    p.ours().close();
                }
            }
        }
        for (final List<Pair> group : List.of(subscribers, monitors)) {
            for (final Pair p : group) {
                assertThat(p.ours().stdout()).as("stdout of %s", String.join(" ", p.args()))
                    .isEqualTo(p.theirs().stdout());
                assertThat(p.ours().stderr()).as("stderr of %s", String.join(" ", p.args()))
                    .isEqualTo(p.theirs().stderr());
            }
        }
        assertThat(subscribers.get(1).ours().stdout()).startsWith("Reading messages... (press Ctrl-C to quit)\n");
    }

    /**
     * --replica: an empty snapshot, then each propagated write as a CSV line. Both replicas attach before the writes;
     * the master's PINGs depend on timing and are left out of the comparison. The master sends its snapshots through
     * its disk: after a diskless one Redis starts the stream on an ACK that it may miss (see the next test), and the
     * real redis-cli, which acknowledges once, then never prints a command.
     */
    @Test
    void replicaPrintsTheReplicationStream() {
        try (RealRedis master = RealRedis.start("--repl-diskless-sync", "no");
             Stream theirs = new Stream(lineBufferedRedisCli(master.port(), "--replica"));
             Stream ours = new Stream(CliTools.command(CliTools.cinnabarCli(), master.port(), "--replica"));
             Stream theirSync = new Stream(lineBufferedRedisCli(master.port(), "sync"));
             Stream ourSync = new Stream(CliTools.command(CliTools.cinnabarCli(), master.port(), "sync"))) {
            for (final Stream s : List.of(theirs, ours, theirSync, ourSync)) {
                s.awaitStderr("Logging commands from master.");
            }
            writeSomeCommands(master);
            for (final Stream s : List.of(theirs, ours, theirSync, ourSync)) {
                s.awaitStdout("\"rpush\",\"rl\",\"1\",\"2\"\n");
            }
            assertThat(withoutPings(ours.stdout())).isEqualTo(withoutPings(theirs.stdout()))
                .contains("\"set\",\"rk\",\"a b\"\n\"SELECT\",\"2\"\n\"incr\",\"cnt\"\n");
            assertThat(ours.stderr().replaceAll("\\d+ bytes", "N bytes"))
                .isEqualTo(theirs.stderr().replaceAll("\\d+ bytes", "N bytes"))
                .startsWith("sending REPLCONF capa eof\nsending REPLCONF rdb-filter-only \n");
            assertThat(ourSync.stdout()).startsWith("Entering replica output mode...  (press Ctrl-C to quit)\n");
            assertThat(withoutPings(ourSync.stdout())).isEqualTo(withoutPings(theirSync.stdout()));
            assertThat(ourSync.stderr().replaceAll("\\d+ bytes", "N bytes"))
                .isEqualTo(theirSync.stderr().replaceAll("\\d+ bytes", "N bytes"));
        }
    }

    /**
     * --replica after a diskless snapshot (EOF mark), with redis-cli's messages. Redis starts the stream on the
     * first ACK it gets after reaping its snapshot child, which can come after the replica's ACK; the CLI repeats
     * its ACK until the stream starts, so the writes always arrive.
     */
    @Test
    void replicaFollowsADisklessSnapshot() {
        try (Stream ours = new Stream(cinnabarCli("--replica"))) {
            ours.awaitStderr("Logging commands from master.");
            writeSomeCommands(server);
            ours.awaitStdout("\"rpush\",\"rl\",\"1\",\"2\"\n");
            assertThat(withoutPings(ours.stdout()))
                .contains("\"set\",\"rk\",\"a b\"\n\"SELECT\",\"2\"\n\"incr\",\"cnt\"\n");
            assertThat(ours.stderr()).matches("""
                sending REPLCONF capa eof
                sending REPLCONF rdb-filter-only\\s
                SYNC with master, discarding bytes of bulk transfer until EOF marker...
                SYNC done after \\d+ bytes. Logging commands from master.
                sending REPLCONF ACK 0
                """);
        }
    }

    private static void writeSomeCommands(final RealRedis master) {
        try (RespClient c = master.client()) {
            c.call("set", "rk", "a b");
            c.call("select", "2");
            c.call("incr", "cnt");
            c.call("select", "0");
            c.call("rpush", "rl", "1", "2");
        }
    }

    /**
     * The commands without the master's PINGs and without a SELECT before the first command: whether the stream of a
     * replica starts with one depends on which snapshot (BGSAVE) the replica joined.
     */
    private static String withoutPings(final String csv) {
        final StringBuilder b = new StringBuilder();
        for (final String line : csv.split("\n", -1)) {
            final boolean leadingSelect = b.length() == 0 && line.startsWith("\"SELECT\",");
            if (!line.equalsIgnoreCase("\"ping\"") && !line.isEmpty() && !leadingSelect) {
                b.append(line).append('\n');
            }
        }
        return b.toString();
    }

    /** --stat: the same header, and data lines whose columns sit where redis-cli puts them. */
    @Test
    void statLinesHaveRedisCliColumns() {
        try (Stream theirs = new Stream(lineBufferedRedisCli("--stat", "-i", "0.1"));
             Stream ours = new Stream(cinnabarCli("--stat", "-i", "0.1"))) {
            for (final Stream s : List.of(theirs, ours)) {
                s.await("prints three lines", () -> s.stdout().split("\\(\\+", -1).length > 3);
            }
            final List<String> their = Arrays.asList(theirs.stdout().split("\n"));
            final List<String> our = Arrays.asList(ours.stdout().split("\n"));
            assertThat(our.subList(0, 2)).containsExactlyElementsOf(their.subList(0, 2));
            assertThat(our.get(0)).isEqualTo(
                "------- data ------ --------------------- load -------------------- - child -");
            for (final List<String> lines : List.of(their, our)) {
                for (final String line : lines.subList(2, lines.size() - 1)) {
                    if (lines.subList(0, 2).contains(line)) {
                        continue;
                    }
                    assertThat(line).as("a --stat line").matches(
                        "\\d+ +\\d+\\.\\d\\d[KMGTP] +\\d+ +\\d+ +\\d+ \\(\\+\\d+\\) +\\d+ +");
                    assertThat(columns(line)).as("column starts of '%s'", line)
                        .containsExactly(0, 11, 20, 28, 36, 56);
                }
            }
        }
    }

    /** Where each of the six fields of a --stat line starts (the request count and its delta are one field). */
    private static List<Integer> columns(final String line) {
        final List<Integer> starts = new ArrayList<>();
        for (int i = 0; i < line.length(); i++) {
            final boolean fieldStart = line.charAt(i) != ' ' && (i == 0 || line.charAt(i - 1) == ' ')
                && line.charAt(i) != '(';
            if (fieldStart) {
                starts.add(i);
            }
        }
        return starts;
    }

    @Test
    void latencyOutputs() {
        for (final List<String> tool : List.of(CliTools.redisCli(), CliTools.cinnabarCli())) {
            final Exec.Result raw = CliTools.run(tool, port, null, "--latency", "-i", "0.3");
            assertThat(raw.exitCode()).as(raw.toString()).isZero();
            assertThat(raw.stdout()).as(raw.toString()).matches(LATENCY_RAW.pattern() + "\n");
            final Exec.Result csv = CliTools.run(tool, port, null, "--latency", "--csv", "-i", "0.3");
            assertThat(csv.stdout()).as(csv.toString()).matches(LATENCY_CSV.pattern() + "\n");
        }
        try (Stream theirs = new Stream(lineBufferedRedisCli("--latency-history", "-i", "0.2"));
             Stream ours = new Stream(cinnabarCli("--latency-history", "-i", "0.2"));
             Stream theirDist = new Stream(lineBufferedRedisCli("--latency-dist", "-i", "0.2"));
             Stream ourDist = new Stream(cinnabarCli("--latency-dist", "-i", "0.2"))) {
            for (final Stream s : List.of(theirs, ours)) {
                s.await("two range lines", () -> RANGE.matcher(s.stdout()).results().count() >= 2);
            }
            for (final Stream s : List.of(theirDist, ourDist)) {
                s.await("two spectrum rows", () -> SPECTRUM_ROW.matcher(s.stdout()).results().count() >= 2);
            }
            for (final Stream s : List.of(theirs, ours)) {
                final String[] lines = s.stdout().split("\n");
                for (int i = 0; i < lines.length - 1; i++) {
                    assertThat(lines[i]).matches(LATENCY_RAW + "|" + RANGE);
                }
            }
            final String[] theirRows = theirDist.stdout().split("\n");
            final String[] ourRows = ourDist.stdout().split("\n");
            assertThat(Arrays.asList(ourRows).subList(0, 8)).containsExactlyElementsOf(
                Arrays.asList(theirRows).subList(0, 8));
            assertThat(ourRows[1]).isEqualTo(". - * #          .01 .125 .25 .5 milliseconds");
            for (int i = 8; i < ourRows.length - 1; i++) {
                assertThat(ourRows[i]).matches(SPECTRUM_ROW);
            }
        }
    }

    /** On a terminal --latency redraws one status line. */
    @Test
    void latencyOnATerminalRedrawsItsStatusLine() {
        final String cmd = String.join(" ", cinnabarCli("--latency"));
        try (Stream s = new Stream(List.of("script", "-qc", cmd, "/dev/null"))) {
            s.awaitStdout("(3 samples)");
            assertThat(s.stdout()).containsPattern(
                "\u001b\\[0G\u001b\\[2Kmin: \\d+, max: \\d+, avg: \\d+\\.\\d\\d \\(1 samples\\)"
                    + "\u001b\\[0G\u001b\\[2Kmin: \\d+, max: \\d+, avg: \\d+\\.\\d\\d \\(2 samples\\)");
        }
    }
}
