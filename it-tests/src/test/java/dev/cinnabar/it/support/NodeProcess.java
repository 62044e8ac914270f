package dev.cinnabar.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A Redis-protocol server running as a real OS process on a loopback port, in its own directory
 * under target/it-nodes with its output in a log file there. Started ready (it answered PING),
 * stopped by its PID: SIGTERM, then SIGKILL after a deadline. Every node started in this JVM is
 * remembered so {@link NodeLogOnFailure} can print the logs of a failed test's nodes.
 */
public class NodeProcess implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final List<NodeProcess> STARTED = new CopyOnWriteArrayList<>();

    private final String name;
    private final int port;
    private final Path dir;
    private final Path log;
    private final Process process;
    /** When a launched node counts as started. */
    protected enum Ready {
        /** It answers PING (or NOAUTH: a password-protected node is up all the same). */
        PONG,
        /** It answers PING or -LOADING: listening, perhaps still loading its dump file. */
        PONG_OR_LOADING,
        /** Its port accepts a connection (a TLS-only node cannot be PINGed in clear text). */
        CONNECT
    }

    private final Ready ready;

    /** Any launcher (an entrypoint script, a demo) that ends up listening on {@code port}. */
    public static NodeProcess launch(final String name, final int port, final List<String> command) {
        return new NodeProcess(name, port, command);
    }

    /** A launcher whose only port speaks TLS: ready once {@code port} accepts connections. */
    public static NodeProcess launchTls(final String name, final int port, final List<String> command) {
        return new NodeProcess(name, port, command, Ready.CONNECT);
    }

    /** Launches {@code command} (it must listen on {@code port}) and waits until it answers PING. */
    protected NodeProcess(final String name, final int port, final List<String> command) {
        this(name, port, command, Ready.PONG);
    }

    protected NodeProcess(final String name, final int port, final List<String> command, final Ready ready) {
        this.ready = ready;
        this.name = name;
        this.port = port;
        this.dir = newDirectory(name + "-" + port);
        this.log = dir.resolve("node.log");
        try {
            Files.writeString(dir.resolve("command-line"), String.join(" ", quoted(command)) + "\n");
            this.process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(devNull())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
        STARTED.add(this);
        awaitReady();
    }

    private void awaitReady() {
        final boolean ready = Await.poll(() -> !process.isAlive() || answersPing(), READY_TIMEOUT);
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with status " + process.exitValue()
                + " before accepting connections; its log:\n" + log());
        }
        if (!ready) {
            close();
            throw new IllegalStateException(name + " did not answer PING on port " + port + " within "
                + READY_TIMEOUT.toSeconds() + " s; its log:\n" + log());
        }
    }

    private boolean answersPing() {
        if (ready == Ready.CONNECT) {
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 2000);
                return true;
            } catch (IOException e) {
                return false;
            }
        }
        try (RespClient c = RespClient.connect(port, Duration.ofSeconds(2))) {
            // a password-protected node answers NOAUTH: it is up all the same
            final String reply = new String(c.call("PING"), StandardCharsets.ISO_8859_1);
            return reply.equals("+PONG\r\n") || reply.startsWith("-NOAUTH")
                || ready == Ready.PONG_OR_LOADING && reply.startsWith("-LOADING");
        } catch (RuntimeException e) {
            return false;
        }
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public Path dir() {
        return dir;
    }

    public Path logFile() {
        return log;
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** A new raw RESP connection; the caller closes it. */
    public RespClient client() {
        return RespClient.connect(port);
    }

    /** The whole log so far. */
    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    public String logTail(final int lines) {
        final List<String> all = Arrays.asList(log().split("\n", -1));
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** SIGKILL, no grace: for crash scenarios. */
    public void kill() {
        process.destroyForcibly();
        waitExit(STOP_TIMEOUT);
    }

    /** SIGTERM, then SIGKILL if the process is still there after the deadline. Idempotent. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!waitExit(STOP_TIMEOUT)) {
            process.destroyForcibly();
            waitExit(STOP_TIMEOUT);
        }
    }

    private boolean waitExit(final Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    @Override
    public String toString() {
        return name + "@127.0.0.1:" + port + " (pid " + process.pid() + ", " + dir + ")";
    }

    /** Nodes started so far in this JVM, in order; a test remembers {@code started().size()} as a mark. */
    static List<NodeProcess> started() {
        return STARTED;
    }

    /** A fresh directory for one node (or one test's files) under the it-tests build directory. */
    public static Path newDirectory(final String prefix) {
        final Path root = Path.of(System.getProperty("cinnabar.it.nodes", "target/it-nodes"));
        try {
            Files.createDirectories(root);
            return Files.createTempDirectory(root, prefix + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static java.io.File devNull() {
        return new java.io.File("/dev/null");
    }

    private static List<String> quoted(final List<String> command) {
        final List<String> q = new ArrayList<>(command.size());
        for (final String s : command) {
            q.add(s.isEmpty() || s.contains(" ") ? "'" + s + "'" : s);
        }
        return q;
    }
}
