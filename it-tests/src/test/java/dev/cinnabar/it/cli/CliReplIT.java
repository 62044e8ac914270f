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
            final String cmd = String.join(" ", CliOutputEqualityIT.cinnabarCli()) + " " + args;
            final ProcessBuilder pb = new ProcessBuilder("script", "-qc", cmd, "/dev/null");
            pb.environment().put("CINNABARCLI_HISTFILE", history.toString());
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

        String text() {
            synchronized (screen) {
                return screen.toString(StandardCharsets.UTF_8)
                    .replaceAll("\u001b\\[[0-9;?$]*[a-zA-Z]", "").replaceAll("\u001b[=>]", "").replace("\r", "");
            }
        }

        void waitFor(final String text, final int occurrences) {
            Await.until("screen shows " + occurrences + "x '" + text + "':\n" + text(),
                () -> count(text(), text) >= occurrences, STEP);
        }

        void type(final String line) throws IOException {
            keys.write((line + "\r").getBytes(StandardCharsets.UTF_8));
            keys.flush();
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
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
}
