package dev.cinnabar.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.cinnabar.it.support.Await;
import dev.cinnabar.it.support.NodeLogOnFailure;
import dev.cinnabar.it.support.NodeProcess;
import dev.cinnabar.it.support.RealRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The interactive prompt, driven through a pseudo-terminal (script(1)): keystrokes are typed one line at a time,
 * each after the previous prompt appeared, and the screen text (ANSI sequences removed) is checked.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(NodeLogOnFailure.class)
class CliReplIT {
    private static final Duration STEP = Duration.ofSeconds(30);
    /** The typed text, then (in a color) the arguments still to type. */
    private static final java.util.regex.Pattern HINT_AFTER_SET_K =
        java.util.regex.Pattern.compile(" k\u001b\\[[0-9;]*m value \\[NX\\|XX\\] \\[GET\\]");
    private static RealRedis server;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "script(1) not installed");
        server = RealRedis.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A cinnabar-cli REPL on a pty, with its screen collected by a reader thread. */
    private static final class Session implements AutoCloseable {
        private final Process process;
        private final OutputStream keys;
        private final ByteArrayOutputStream screen = new ByteArrayOutputStream();

        Session(final String args, final Path history) throws IOException {
            this(args, java.util.Map.of("CINNABARCLI_HISTFILE", history.toString()));
        }

        Session(final String args, final java.util.Map<String, String> env) throws IOException {
            final String cmd = String.join(" ", CliTools.cinnabarCli()) + " " + args;
            final ProcessBuilder pb = new ProcessBuilder("script", "-qc", cmd, "/dev/null");
            pb.environment().remove("CINNABARCLI_HISTFILE");
            pb.environment().putAll(env);
            pb.environment().put("TERM", "xterm");
            pb.redirectErrorStream(true);
            process = pb.start();
            keys = process.getOutputStream();
            final InputStream in = process.getInputStream();
            final Thread reader = new Thread(() -> {
                final byte[] buf = new byte[4096];
                try {
                    for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                        synchronized (screen) {
                            screen.write(buf, 0, n);
                        }
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            }, "repl-screen");
            reader.setDaemon(true);
            reader.start();
        }

        String raw() {
            synchronized (screen) {
                return screen.toString(StandardCharsets.UTF_8);
            }
        }

        String text() {
            synchronized (screen) {
                return screen.toString(StandardCharsets.UTF_8)
                    .replaceAll("\u001b\\[[0-9;?$]*[a-zA-Z]", "").replaceAll("\u001b[=>]", "").replace("\r", "");
            }
        }

        void waitFor(final String text, final int occurrences) {
            if (!Await.poll(() -> count(text(), text) >= occurrences, STEP)) {
                throw new AssertionError("screen does not show " + occurrences + "x '" + text + "' within "
                    + STEP.toSeconds() + " s:\n" + text());
            }
        }

        void type(final String line) throws IOException {
            press(line + "\r");
        }

        void press(final String keys) throws IOException {
            this.keys.write(keys.getBytes(StandardCharsets.UTF_8));
            this.keys.flush();
        }

        @Override
        public void close() {
            CliTools.stop(process);
        }
    }

    private static int count(final String haystack, final String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void promptTracksDatabaseAndTransactionAndKeepsHistory() throws Exception {
        final Path history = NodeProcess.newDirectory("repl").resolve("history");
        final String prompt = "127.0.0.1:" + server.port();
        try (Session s = new Session("-p " + server.port(), history)) {
            s.waitFor(prompt + "> ", 1);
            s.type("select 2");
            s.waitFor(prompt + "[2]> ", 1);
            s.type("multi");
            s.waitFor(prompt + "[2](TX)> ", 1);
            s.type("set \"a b\" \"x\\x41\"");
            s.waitFor("QUEUED", 1);
            s.type("exec");
            s.waitFor("1) OK", 1);
            s.waitFor(prompt + "[2]> ", 2);
            s.type("get 'a b'");
            s.waitFor("\"xA\"", 1);
            s.type("3 incr n");
            s.waitFor("(integer) 3", 1);
            s.type("get \"unbalanced");
            s.waitFor("Invalid argument(s)", 1);
            s.type("connect 127.0.0.1 " + server.port());
            s.waitFor(prompt + "> ", 2);
            s.type("quit");
            Await.until("cli exits after quit", () -> !s.process.isAlive(), STEP);
        }
        assertThat(Files.readString(history)).contains("select 2", "multi", "exec", "3 incr n");
    }

    @Test
    void notConnectedPromptWhenTheServerIsDown() throws Exception {
        final int closed = dev.cinnabar.it.support.FreePort.next();
        final Path history = NodeProcess.newDirectory("repl").resolve("history");
        try (Session s = new Session("-p " + closed, history)) {
            s.waitFor("Could not connect to Redis at 127.0.0.1:" + closed + ": Connection refused", 1);
            s.waitFor("not connected> ", 1);
            s.type("ping");
            s.waitFor("Could not connect to Redis at 127.0.0.1:" + closed + ": Connection refused", 2);
            s.type("connect 127.0.0.1 " + server.port());
            s.waitFor("127.0.0.1:" + server.port() + "> ", 1);
            s.type("ping");
            s.waitFor("PONG", 1);
            s.type("exit");
            Await.until("cli exits", () -> !s.process.isAlive(), STEP);
        }
    }

    /**
     * Without CINNABARCLI_HISTFILE the history is ~/.cinnabarcli_history, and the next session can recall it. Lines
     * with a password (AUTH, ACL SETUSER, ...) are not kept, as in redis-cli.
     */
    @Test
    void historyLivesInTheHomeDirectory() throws Exception {
        final Path home = NodeProcess.newDirectory("repl-home");
        final java.util.Map<String, String> env = java.util.Map.of("HOME", home.toString());
        final String prompt = "127.0.0.1:" + server.port() + "> ";
        try (Session s = new Session("-p " + server.port(), env)) {
            s.waitFor(prompt, 1);
            s.type("echo first-session");
            s.waitFor("\"first-session\"", 1);
            s.type("auth not-in-history");
            s.waitFor("(error)", 1);
            s.type("quit");
            Await.until("cli exits after quit", () -> !s.process.isAlive(), STEP);
        }
        assertThat(Files.readString(home.resolve(".cinnabarcli_history"))).contains("echo first-session", "quit")
            .doesNotContain("not-in-history");
        try (Session s = new Session("-p " + server.port(), env)) {
            s.waitFor(prompt, 1);
            // the prompt enables application cursor keys (DECCKM), in which a terminal sends ESC O A for "up"
            s.press("\u001bOA\u001bOA\r");
            s.waitFor("\"first-session\"", 1);
            s.type("exit");
            Await.until("cli exits", () -> !s.process.isAlive(), STEP);
        }
    }

    /** The server goes away mid-session: the next command reports it and the prompt says so. */
    @Test
    void notConnectedPromptAfterTheServerDies() throws Exception {
        final RealRedis dying = RealRedis.start();
        final String prompt = "127.0.0.1:" + dying.port() + "> ";
        try (Session s = new Session("-p " + dying.port(), NodeProcess.newDirectory("repl").resolve("history"))) {
            s.waitFor(prompt, 1);
            s.type("ping");
            s.waitFor("PONG", 1);
            dying.kill();
            s.type("ping");
            s.waitFor("Error: Server closed the connection", 1);
            s.waitFor("not connected> ", 1);
            s.type("get k");
            s.waitFor("Could not connect to Redis at 127.0.0.1:" + dying.port() + ": Connection refused", 1);
            s.waitFor("not connected> ", 2);
            s.type("connect 127.0.0.1 " + server.port());
            s.waitFor("127.0.0.1:" + server.port() + "> ", 1);
            s.type("quit");
            Await.until("cli exits", () -> !s.process.isAlive(), STEP);
        } finally {
            dying.close();
        }
    }

    /** help pages come from the server's COMMAND DOCS; the hint shows the arguments still to type. */
    @Test
    void helpHintsAndClear() throws Exception {
        final String prompt = "127.0.0.1:" + server.port() + "> ";
        try (Session s = new Session("-p " + server.port(), NodeProcess.newDirectory("repl").resolve("history"))) {
            s.waitFor(prompt, 1);
            s.type("help GET");
            s.waitFor("group: string", 1);
            assertThat(s.text()).contains("  GET key\n  summary: Get the value of a key\n  since: 1.0.0\n");
            s.type("help @string");
            s.waitFor("SUBSTR key start end", 1);
            assertThat(s.text()).contains("  APPEND key value\n  summary: Append a value to a key\n  since: 2.0.0\n");
            s.press("set k");
            Await.until("the hint after 'set k' is shown", () -> HINT_AFTER_SET_K.matcher(s.raw()).find(), STEP);
            s.press("\u0015");
            s.type("clear");
            Await.until("the screen is cleared", () -> s.raw().contains("\u001b[H\u001b[2J"), STEP);
            s.type("quit");
            Await.until("cli exits", () -> !s.process.isAlive(), STEP);
        }
    }
}
