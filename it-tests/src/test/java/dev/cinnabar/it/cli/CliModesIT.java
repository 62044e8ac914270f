package dev.cinnabar.it.cli;

import static dev.cinnabar.it.cli.CliTools.assertAllSame;
import static dev.cinnabar.it.cli.CliTools.assertSame;
import static dev.cinnabar.it.cli.CliTools.runs;
import static dev.cinnabar.it.cli.CliTools.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.cinnabar.it.support.Exec;
import dev.cinnabar.it.support.FreePort;
import dev.cinnabar.it.support.NodeLogOnFailure;
import dev.cinnabar.it.support.NodeProcess;
import dev.cinnabar.it.support.RealRedis;
import dev.cinnabar.it.support.RespClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The options and run-to-completion modes of issue 8, each run by the real redis-cli and by cinnabar-cli against the
 * same real redis-server 7.0.15: stdout, stderr and the exit code must be identical. The keyspace is filled once;
 * tests that write use their own keys or databases.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@ExtendWith(NodeLogOnFailure.class)
class CliModesIT {
    private static final byte[] NONE = new byte[0];
    private static RealRedis server;
    private static int port;
    private static Path files;

    @BeforeAll
    static void start() throws IOException {
        server = RealRedis.start("--repl-diskless-sync-delay", "0");
        port = server.port();
        files = NodeProcess.newDirectory("cli-modes");
        final StringBuilder fill = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            fill.append("set k").append(i).append(' ').append("x".repeat(i + 1)).append('\n');
        }
        for (int i = 0; i < 30; i++) {
            fill.append("rpush l").append(i).append(" a".repeat(i + 1)).append('\n');
        }
        fill.append("hset h1 f1 v1 f2 v2\nsadd set1 a b c\nzadd z1 1 a 2 b\nxadd st1 1-1 f v\nxadd st1 2-1 f v\n")
            .append("set user:1 x\nset user:2 yy\nset user:12345 z\nset \"bin\\x01key\" v\n")
            .append("select 6\nset only one\n");
        CliTools.fill(port, fill.toString());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void scanAndKeyStatistics() {
        final List<Exec.Result> ours = assertAllSame(port, NONE, runs(
            new String[] {"--scan"},
            new String[] {"--scan", "--pattern", "user:*"},
            new String[] {"--scan", "--quoted-pattern", "\"bin\\x01*\""},
            new String[] {"--bigkeys"},
            new String[] {"--bigkeys", "--pattern", "l1*"},
            new String[] {"--bigkeys", "-i", "0.01"},
            new String[] {"--memkeys"},
            new String[] {"--memkeys-samples", "3"},
            // redis-cli lists the types in an order that depends on how many keys it sampled: none, one, several
            new String[] {"-n", "5", "--bigkeys"},
            new String[] {"-n", "6", "--bigkeys"},
            new String[] {"--hotkeys"}));
        assertThat(ours.get(0).stdout().split("\n")).hasSize(98);
        assertThat(ours.get(3).stdout()).contains("Biggest string found '\"k59\"' has 60 bytes");
    }

    @Test
    void hotKeysUnderAnLfuPolicy() {
        try (RespClient c = server.client()) {
            // without decay the counters cannot change between the two runs when a minute boundary passes
            c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu", "lfu-decay-time", "0");
            for (int i = 0; i < 20; i++) {
                c.call("GET", "k7");
                c.call("GET", "k" + (i % 4));
            }
            // keys written before the switch carry LRU clocks that now read as equal counters: ties are exercised
            final List<Exec.Result> ours = assertAllSame(port, NONE, runs(new String[] {"--hotkeys"},
                new String[] {"--hotkeys", "--pattern", "k1*"}));
            assertThat(ours.get(0).stdout()).contains("hot key found with counter: ");
        } finally {
            try (RespClient c = server.client()) {
                c.call("CONFIG", "SET", "maxmemory-policy", "noeviction", "lfu-decay-time", "1");
            }
        }
    }

    /** redis-cli 7.0 has no --count (7.2 added it): the keys listed with a COUNT hint are the same keys. */
    @Test
    void scanCountListsTheSameKeys() {
        final Exec.Result all = CliTools.run(CliTools.redisCli(), port, NONE, "--scan");
        final Exec.Result counted = CliTools.run(CliTools.cinnabarCli(), port, NONE, "--scan", "--count", "3");
        assertThat(counted.exitCode()).isZero();
        final String[] expected = all.stdout().split("\n");
        final String[] actual = counted.stdout().split("\n");
        Arrays.sort(expected);
        Arrays.sort(actual);
        assertThat(actual).containsExactly(expected);
    }

    @Test
    void evalFileWithKeysAndArguments() throws IOException {
        final Path script = files.resolve("script.lua");
        Files.writeString(script, "return {KEYS[1], KEYS[2], ARGV[1], ARGV[2], #KEYS, #ARGV}");
        final Path failing = files.resolve("failing.lua");
        Files.writeString(failing, "return redis.call('incr', KEYS[1])");
        assertThat(assertSame(port, NONE, "--eval", script.toString(), "k1", "k2", ",", "a1", "a2").stdout())
            .isEqualTo("k1\nk2\na1\na2\n2\n2\n");
        assertAllSame(port, NONE, runs(
            new String[] {"--no-raw", "--eval", script.toString(), "k1", ",", "a1", ",", "a2"},
            new String[] {"--eval", script.toString()},
            new String[] {"--eval", script.toString(), ",", "onlyarg"},
            new String[] {"--eval", failing.toString(), "h1"},
            new String[] {"-e", "--eval", failing.toString(), "h1"},
            new String[] {"--eval", files.resolve("missing.lua").toString()}));
    }

    @Test
    void commandsWhoseRepliesArePrintedRaw() {
        assertAllSame(port, NONE, runs(
            new String[] {"--no-raw", "info", "keyspace"},
            new String[] {"--csv", "INFO", "keyspace"},
            new String[] {"--no-raw", "client", "list", "id", "999999"},
            new String[] {"--no-raw", "cluster", "info"},
            new String[] {"--no-raw", "lolwut"}));
        assertAllSame(port, bytes("multi\nclient list id 999999\nexec\ninfo keyspace\nping\n"), runs(
            new String[] {"-n", "9"}, new String[] {"-n", "9", "--no-raw"}, new String[] {"-n", "9", "--csv"}));
    }

    @Test
    void stdinArgumentRepeatDelimitersAndQuotedInput() {
        assertSame(port, bytes("bin\u0000ary\r\nvalue\n"), "-x", "-n", "7", "set", "xk");
        assertSame(port, bytes("v"), "-x", "-e", "echo");
        assertAllSame(port, NONE, runs(
            new String[] {"-n", "7", "--no-raw", "get", "xk"},
            new String[] {"-r", "3", "-i", "0.05", "lrange", "l1", "0", "-1"},
            new String[] {"-r", "0", "ping"},
            new String[] {"-d", ";", "lrange", "l3", "0", "-1"},
            new String[] {"-D", "|", "-r", "2", "lrange", "l2", "0", "-1"},
            new String[] {"--quoted-input", "echo", "\"tab\\there\\x00\\xff\""},
            new String[] {"--quoted-input", "--no-raw", "echo", "'it\\'s'"},
            new String[] {"-e", "--no-raw", "incr", "h1"},
            new String[] {"-e", "ping"},
            new String[] {"-3", "--no-raw", "hgetall", "h1"},
            new String[] {"-3", "--csv", "hgetall", "h1"},
            new String[] {"-3", "-2", "ping"}));
        assertSame(port, bytes("select 3\nset a b\nget a\nselect 0\nget a\n"), "-n", "3", "--no-raw");
    }

    @Test
    void uriAndConnectionErrors() {
        assertSame(port, NONE, "-u", "redis://127.0.0.1:" + port + "/4", "--no-raw", "set", "uk", "uv");
        assertAllSame(port, NONE, runs(
            new String[] {"-u", "redis://127.0.0.1:" + port + "/4", "get", "uk"},
            new String[] {"-u", "REDIS://127.0.0.1:" + port, "ping"},
            new String[] {"-u", "redis://:pw@127.0.0.1:" + port, "ping"},
            new String[] {"-u", "redis://user:pw@127.0.0.1:" + port + "/2", "ping"},
            new String[] {"-u", "redis://u%41:p%zz@127.0.0.1:" + port, "ping"},
            new String[] {"-u", "redis://[::1]:" + port, "ping"},
            new String[] {"-u", "http://127.0.0.1", "ping"},
            new String[] {"-u", "redis://127.0.0.1:" + FreePort.next(), "ping"},
            new String[] {"-s", files.resolve("no.sock").toString(), "ping"},
            new String[] {"--bogus"}));
        assertSame(port, bytes("ping\nping\n"), "-p", Integer.toString(FreePort.next()));
    }

    @Test
    void passwordsOnTheCommandLineAndFromStdin() {
        try (RespClient c = server.client()) {
            c.call("CONFIG", "SET", "requirepass", "sekret");
        }
        try {
            assertAllSame(port, NONE, runs(
                new String[] {"-a", "sekret", "ping"},
                new String[] {"--no-auth-warning", "-a", "sekret", "ping"},
                new String[] {"--pass", "wrong", "ping"},
                new String[] {"--user", "default", "-a", "sekret", "--no-auth-warning", "ping"},
                new String[] {"-u", "redis://default:sekret@127.0.0.1:" + port, "ping"},
                new String[] {"ping"}));
            assertAllSame(port, bytes("sekret\n"), runs(
                new String[] {"--askpass", "ping"}, new String[] {"--askpass", "-a", "wrong", "ping"}));
            assertSame(port, bytes("nope\n"), "--askpass", "ping");
        } finally {
            CliTools.run(CliTools.redisCli(), port, NONE, "-a", "sekret", "--no-auth-warning", "config", "set",
                "requirepass", "");
        }
    }

    /** help via stdin (not a terminal) prints the same pages; only the tool's own name differs. */
    @Test
    void helpPagesAndPreferences() {
        final byte[] lines = bytes("help GET\nhelp @hyperloglog\nhelp client list\nhelp nosuch\nhelp\n"
            + ":set hints\n:set nohints x\n:set foo\n:set\n:foo bar\nping\n");
        final Exec.Result expected = CliTools.run(CliTools.redisCli(), port, lines);
        final Exec.Result actual = CliTools.run(CliTools.cinnabarCli(), port, lines);
        assertThat(actual.stdout()).isEqualTo(expected.stdout().replace("redis-cli", "cinnabar-cli")
            .replace(".redisclirc", ".cinnabarclirc"));
        assertThat(actual.stdout()).contains("summary:\u001b[0m Get the value of a key", "PFMERGE",
            "unknown cinnabar-cli preference 'foo'", "unknown cinnabar-cli internal command ':foo'");
        assertThat(actual.exitCode()).isEqualTo(expected.exitCode());
    }

    /** --rdb fetches the snapshot through SYNC: same size, same header, same messages as redis-cli's. */
    @Test
    void rdbTransfer() throws IOException {
        final Path theirs = files.resolve("redis-cli.rdb");
        final Path ours = files.resolve("cinnabar-cli.rdb");
        final Exec.Result expected = CliTools.run(CliTools.redisCli(), port, NONE, "--rdb", theirs.toString());
        final Exec.Result actual = CliTools.run(CliTools.cinnabarCli(), port, NONE, "--rdb", ours.toString());
        assertThat(expected.exitCode()).as(expected.toString()).isZero();
        assertThat(actual.exitCode()).as(actual.toString()).isZero();
        assertThat(actual.stderr()).isEqualTo(expected.stderr().replace(theirs.toString(), ours.toString()))
            .contains("Transfer finished with success");
        final byte[] theirBytes = Files.readAllBytes(theirs);
        final byte[] ourBytes = Files.readAllBytes(ours);
        assertThat(ourBytes.length).isEqualTo(theirBytes.length).isGreaterThan(1000);
        assertThat(new String(ourBytes, 0, 9, StandardCharsets.US_ASCII)).isEqualTo("REDIS0010");
        assertThat(new String(theirBytes, 0, 9, StandardCharsets.US_ASCII)).isEqualTo("REDIS0010");

        final Exec.Result toStdout = CliTools.run(CliTools.cinnabarCli(), port, NONE, "--rdb", "-");
        assertThat(toStdout.stdout()).startsWith("REDIS0010").hasSize(theirBytes.length);
        final Path functions = files.resolve("functions.rdb");
        final Exec.Result fr = CliTools.run(CliTools.redisCli(), port, NONE, "--functions-rdb", functions.toString());
        final Exec.Result fc = CliTools.run(CliTools.cinnabarCli(), port, NONE, "--functions-rdb",
            functions.toString());
        CliTools.assertSame(fr, fc, "--functions-rdb");
        assertSame(port, NONE, "--rdb", files.resolve("no/such/dir.rdb").toString());
    }

    @Test
    void pipeInsertsWhatItReads() {
        final StringBuilder resp = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            final String key = "pipe:" + i;
            resp.append("*3\r\n$3\r\nSET\r\n$").append(key.length()).append("\r\n").append(key).append("\r\n$1\r\nv\r\n");
        }
        assertThat(assertSame(port, bytes(resp.toString()), "-n", "8", "--pipe").stdout())
            .isEqualTo("All data transferred. Waiting for the last reply...\nLast reply received from server.\n"
                + "errors: 0, replies: 2000\n");
        assertSame(port, NONE, "-n", "8", "dbsize");
    }
}
