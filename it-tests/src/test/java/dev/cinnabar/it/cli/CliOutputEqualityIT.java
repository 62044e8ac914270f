package dev.cinnabar.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.cinnabar.it.support.Exec;
import dev.cinnabar.it.support.NodeLogOnFailure;
import dev.cinnabar.it.support.RealRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * cinnabar-cli against the real redis-cli, both talking to the same real redis-server: for a script of ~500
 * commands covering every reply type, stdout, stderr and the exit code must be byte-identical in every output style
 * (raw, formatted, CSV, custom delimiters; RESP2 and RESP3), and under a pseudo-terminal.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@ExtendWith(NodeLogOnFailure.class)
class CliOutputEqualityIT {
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(120);
    private static final Path SCRIPT = Path.of(System.getProperty("cinnabar.root", ".."),
        "it-tests/src/test/java/dev/cinnabar/it/cli/replies.redis");
    private static RealRedis server;
    private static String redisCli;

    @BeforeAll
    static void start() {
        redisCli = RealRedis.tool("redis-cli");
        server = RealRedis.start("--enable-debug-command", "yes");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static String[] cinnabarCli() {
        return CliTools.cinnabarCli().toArray(new String[0]);
    }

    private static Exec.Result run(final String[] tool, final byte[] stdin, final String... args) {
        final List<String> cmd = new ArrayList<>(Arrays.asList(tool));
        cmd.add("-p");
        cmd.add(Integer.toString(server.port()));
        cmd.addAll(Arrays.asList(args));
        Exec.run(RUN_TIMEOUT, redisCli, "-p", Integer.toString(server.port()), "flushall");
        return Exec.run(RUN_TIMEOUT, stdin, cmd.toArray(new String[0]));
    }

    private static void assertSame(final byte[] stdin, final String... args) {
        final Exec.Result expected = run(new String[] {redisCli}, stdin, args);
        final Exec.Result actual = run(cinnabarCli(), stdin, args);
        assertThat(actual.stdout()).as("stdout of %s", String.join(" ", args)).isEqualTo(expected.stdout());
        assertThat(actual.stderr()).as("stderr of %s", String.join(" ", args)).isEqualTo(expected.stderr());
        assertThat(actual.exitCode()).as("exit code of %s", String.join(" ", args)).isEqualTo(expected.exitCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "--no-raw", "-3", "-3 --no-raw", "--csv", "-3 --csv", "-d , -D |", "-3 -d ; -D \\n\\n"})
    void scriptOutputEqualsRedisCli(final String flags) throws Exception {
        final byte[] script = Files.readAllBytes(SCRIPT);
        assertThat(new String(script, StandardCharsets.UTF_8).split("\n")).hasSizeGreaterThan(400);
        assertSame(script, flags.isEmpty() ? new String[0] : flags.split(" "));
    }

    @Test
    void underPseudoTerminalOutputEqualsRedisCli() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "script(1) not installed");
        for (final String flags : new String[] {"", "-3"}) {
            final String redirect = " -p " + server.port() + " " + flags + " < " + SCRIPT.toAbsolutePath();
            Exec.run(RUN_TIMEOUT, redisCli, "-p", Integer.toString(server.port()), "flushall");
            final Exec.Result expected = Exec.run(RUN_TIMEOUT, "script", "-qc", redisCli + redirect, "/dev/null");
            Exec.run(RUN_TIMEOUT, redisCli, "-p", Integer.toString(server.port()), "flushall");
            final Exec.Result actual = Exec.run(RUN_TIMEOUT, "script", "-qc",
                String.join(" ", cinnabarCli()) + redirect, "/dev/null");
            assertThat(expected.stdout()).contains("(integer)", "1) ", "(nil)");
            assertThat(actual.stdout()).as("tty output %s", flags).isEqualTo(expected.stdout());
        }
    }

    /** One-shot runs whose output depends on a fresh keyspace; the other options are in {@link CliModesIT}. */
    @Test
    void oneShotCommandsAndOptions() {
        final byte[] none = new byte[0];
        assertSame(none, "ping");
        assertSame(none, "-r", "3", "incr", "n");
        assertSame(none, "-r", "2", "-i", "0.01", "--csv", "echo", "a\"b");
        assertSame(none, "-n", "99", "ping");
        assertSame(none, "-e", "foo");
        assertSame(none, "foo");
        assertSame(none, "--quoted-input", "echo", "\"a");
        assertSame(none, "-p");
        assertSame("payload".getBytes(StandardCharsets.UTF_8), "-X", "TAG", "echo", "TAG");
    }

    @Test
    void connectionRefusedMessageAndExitCode() {
        final int closed = dev.cinnabar.it.support.FreePort.next();
        final Exec.Result expected = Exec.run(RUN_TIMEOUT, redisCli, "-p", Integer.toString(closed), "ping");
        final List<String> cmd = new ArrayList<>(Arrays.asList(cinnabarCli()));
        cmd.addAll(List.of("-p", Integer.toString(closed), "ping"));
        final Exec.Result actual = Exec.run(RUN_TIMEOUT, cmd.toArray(new String[0]));
        assertThat(actual.stderr()).isEqualTo(expected.stderr())
            .isEqualTo("Could not connect to Redis at 127.0.0.1:" + closed + ": Connection refused\n");
        assertThat(actual.exitCode()).isEqualTo(expected.exitCode()).isEqualTo(1);
    }

    @Test
    void pipeModeSummaryAndErrors() {
        final byte[] input = "SET a 1\r\nFOO\r\n*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n".getBytes(
            StandardCharsets.US_ASCII);
        assertSame(input, "--pipe");
    }
}
