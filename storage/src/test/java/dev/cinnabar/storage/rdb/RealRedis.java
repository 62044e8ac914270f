package dev.cinnabar.storage.rdb;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.cinnabar.protocol.client.RespConnection;
import dev.cinnabar.protocol.client.RespValue;

/**
 * A real redis-server on a free loopback port for differential tests, stopped by its PID on
 * close. Tests skip (assume) when {@link #available} is false.
 */
final class RealRedis implements AutoCloseable {
    static final Path SERVER = Path.of("/usr/bin/redis-server");
    private static final long START_TIMEOUT_MS = 15_000;

    final int port;
    final Path dir;
    private final Process process;
    private final Path log;
    private RespConnection conn;

    private RealRedis(final int port, final Path dir, final Process process, final Path log) {
        this.port = port;
        this.dir = dir;
        this.process = process;
        this.log = log;
    }

    static boolean available() {
        return Files.isExecutable(SERVER);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Starts a server with its files in {@code dir} (loading {@code dbfilename} there if present). */
    static RealRedis start(final Path dir, final String dbfilename, final String... extra)
        throws IOException, InterruptedException {
        final int port = freePort();
        final Path log = dir.resolve("redis-" + port + ".log");
        final List<String> cmd = new ArrayList<>(List.of(SERVER.toString(), "--port", Integer.toString(port),
            "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", dir.toString(),
            "--dbfilename", dbfilename, "--logfile", log.toString(), "--enable-debug-command", "yes"));
        cmd.addAll(List.of(extra));
        final Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(dir.resolve("redis-" + port + ".out").toFile()).start();
        final RealRedis r = new RealRedis(port, dir, p, log);
        final long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline && p.isAlive()) {
            try {
                final RespConnection c = RespConnection.tcp("127.0.0.1", port, 1000);
                final RespValue pong = c.call("PING");
                if (!pong.isError()) {
                    r.conn = c;
                    return r;
                }
                c.close();
            } catch (IOException notYet) {
                // the server is not listening yet
            }
            Thread.sleep(50);
        }
        final String text = r.log();
        r.close();
        throw new IOException("redis-server did not start on port " + port + ": " + text);
    }

    RespConnection conn() {
        return conn;
    }

    RespValue call(final String... argv) throws IOException {
        return conn.call(argv);
    }

    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "(no log)";
    }

    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() throws IOException {
        if (conn != null) {
            conn.close();
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
