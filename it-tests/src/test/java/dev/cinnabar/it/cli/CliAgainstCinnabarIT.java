package dev.cinnabar.it.cli;

import static dev.cinnabar.it.cli.CliTools.assertAllSame;
import static dev.cinnabar.it.cli.CliTools.assertSame;
import static dev.cinnabar.it.cli.CliTools.bytes;
import static dev.cinnabar.it.cli.CliTools.runs;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.cinnabar.it.cli.CliTools.Stream;
import dev.cinnabar.it.support.Exec;
import dev.cinnabar.it.support.NodeLogOnFailure;
import dev.cinnabar.it.support.NodeProcess;
import dev.cinnabar.it.support.RespClient;
import dev.cinnabar.it.support.ServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * cinnabar-cli and the real redis-cli side by side against the Cinnabar server: the modes that do more than one
 * command per run (SCAN loops, pipelined TYPE/size batches, EVAL, mass insertion, subscriptions) must print the
 * same thing whatever the server is. A mode the server does not support yet (MEMORY USAGE for --memkeys) is skipped
 * with the reason.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(NodeLogOnFailure.class)
class CliAgainstCinnabarIT {
    private static final byte[] NONE = new byte[0];
    private static NodeProcess server;
    private static int port;

    @BeforeAll
    static void start() {
        server = ServerProcess.startUnderTest();
        port = server.port();
        final StringBuilder fill = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            fill.append("set k").append(i).append(' ').append("x".repeat(i + 1)).append('\n');
            fill.append("rpush l").append(i).append(" a".repeat(i % 7 + 1)).append('\n');
        }
        fill.append("hset h f1 v1 f2 v2\nsadd s a b c\nzadd z 1 a\nset user:1 x\nset user:2 yy\n");
        CliTools.fill(port, fill.toString());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void keyspaceModesAndEval() throws IOException {
        final Path script = NodeProcess.newDirectory("cli-eval").resolve("script.lua");
        Files.writeString(script, "return {KEYS[1], ARGV[1], redis.call('get', KEYS[1])}");
        final List<Exec.Result> ours = assertAllSame(port, NONE, runs(
            new String[] {"--scan"},
            new String[] {"--scan", "--pattern", "user:*"},
            new String[] {"--bigkeys"},
            new String[] {"--bigkeys", "--pattern", "l1*"},
            new String[] {"--eval", script.toString(), "k3", ",", "arg"},
            new String[] {"--no-raw", "--eval", script.toString(), "k3", ",", "arg"},
            new String[] {"-r", "2", "--csv", "lrange", "l3", "0", "-1"}));
        assertThat(ours.get(0).stdout().split("\n")).hasSize(85);
        assertThat(ours.get(2).stdout()).contains("Biggest string found '\"k39\"' has 40 bytes");
    }

    @Test
    void memkeysWhereMemoryUsageIsImplemented() {
        try (RespClient c = server.client()) {
            final String reply = new String(c.call("MEMORY", "USAGE", "k1"), StandardCharsets.ISO_8859_1);
            Assumptions.assumeFalse(reply.startsWith("-"),
                "the server under test does not answer MEMORY USAGE (" + reply.trim() + "): --memkeys skipped");
        }
        assertAllSame(port, NONE, runs(new String[] {"--memkeys"}, new String[] {"--memkeys-samples", "2"}));
    }

    @Test
    void stdinArgumentAndMassInsertion() {
        assertSame(port, bytes("from stdin\n"), "-x", "-n", "2", "set", "xk");
        assertSame(port, NONE, "-n", "2", "--no-raw", "get", "xk");
        final StringBuilder resp = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            resp.append("*3\r\n$3\r\nSET\r\n$6\r\np:").append(String.format("%04d", i)).append("\r\n$1\r\nv\r\n");
        }
        assertThat(assertSame(port, bytes(resp.toString()), "-n", "3", "--pipe").stdout())
            .endsWith("errors: 0, replies: 1000\n");
    }

    @Test
    void subscriptionsPrintLikeRedisCli() {
        try (Stream theirs = new Stream(CliTools.command(CliTools.redisCli(), port, "--no-raw", "subscribe", "news"));
             Stream ours = new Stream(CliTools.command(CliTools.cinnabarCli(), port, "--no-raw", "subscribe",
                 "news"))) {
            theirs.awaitStdout("3) (integer) 1\n");
            ours.awaitStdout("3) (integer) 1\n");
            try (RespClient c = server.client()) {
                c.call("publish", "news", "hello");
            }
            theirs.awaitStdout("3) \"hello\"\n");
            ours.awaitStdout("3) \"hello\"\n");
            assertThat(ours.stdout()).isEqualTo(theirs.stdout())
                .startsWith("Reading messages... (press Ctrl-C to quit)\n");
        }
    }
}
