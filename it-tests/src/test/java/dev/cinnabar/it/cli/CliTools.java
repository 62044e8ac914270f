package dev.cinnabar.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.cinnabar.it.support.Await;
import dev.cinnabar.it.support.Exec;
import dev.cinnabar.it.support.NodeProcess;
import dev.cinnabar.it.support.RealRedis;
import org.junit.jupiter.api.Assumptions;

/**
 * The two command line tools under comparison, the real redis-cli and cinnabar-cli, run against the same server:
 * to completion ({@link #run}, {@link #assertSame}) or as long-running streams ({@link Stream}).
 */
final class CliTools {
    static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);
    static final Duration STEP = Duration.ofSeconds(30);

    private CliTools() {
    }

    static List<String> redisCli() {
        return List.of(RealRedis.tool("redis-cli"));
    }

    /** cinnabar-cli from the built jar; C1 only, which halves the start-up of these short runs. */
    static List<String> cinnabarCli() {
        final String jar = System.getProperty("cinnabar.cli.jar", "../cli/target/cinnabar-cli.jar");
        Assumptions.assumeTrue(Files.isRegularFile(Path.of(jar)), "cli jar not built: " + jar);
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC", "-Xshare:auto", "-jar", jar);
    }

    static List<String> command(final List<String> tool, final int port, final String... args) {
        final List<String> cmd = new ArrayList<>(tool);
        cmd.add("-p");
        cmd.add(Integer.toString(port));
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

    static Exec.Result run(final List<String> tool, final int port, final byte[] stdin, final String... args) {
        return Exec.run(RUN_TIMEOUT, stdin, command(tool, port, args).toArray(new String[0]));
    }

    /** Runs both tools with the same arguments and input; stdout, stderr and exit code must be identical. */
    static Exec.Result assertSame(final int port, final byte[] stdin, final String... args) {
        final Exec.Result expected = run(redisCli(), port, stdin, args);
        final Exec.Result actual = run(cinnabarCli(), port, stdin, args);
        assertSame(expected, actual, String.join(" ", args));
        return actual;
    }

    /**
     * {@link #assertSame} for runs that change nothing on the server, so their order does not matter: cinnabar-cli
     * runs three at a time, which hides most of the JVM start-up.
     */
    static List<Exec.Result> assertAllSame(final int port, final byte[] stdin, final List<String[]> runs) {
        final java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            final List<java.util.concurrent.Future<Exec.Result>> ours = new ArrayList<>();
            final List<Exec.Result> results = new ArrayList<>();
            for (final String[] args : runs) {
                ours.add(pool.submit(() -> run(cinnabarCli(), port, stdin, args)));
            }
            for (int i = 0; i < runs.size(); i++) {
                final Exec.Result expected = run(redisCli(), port, stdin, runs.get(i));
                final Exec.Result actual;
                try {
                    actual = ours.get(i).get(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    throw new AssertionError("cinnabar-cli " + String.join(" ", runs.get(i)), e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
                assertSame(expected, actual, String.join(" ", runs.get(i)));
                results.add(actual);
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    static List<String[]> runs(final String[]... runs) {
        return Arrays.asList(runs);
    }

    static void assertSame(final Exec.Result expected, final Exec.Result actual, final String what) {
        assertThat(actual.stdout()).as("stdout of %s", what).isEqualTo(expected.stdout());
        assertThat(actual.stderr()).as("stderr of %s", what).isEqualTo(expected.stderr());
        assertThat(actual.exitCode()).as("exit code of %s", what).isEqualTo(expected.exitCode());
    }

    /** Runs redis-cli with {@code commands} on stdin, one per line, to set a keyspace up. */
    static void fill(final int port, final String commands) {
        final Exec.Result r = run(redisCli(), port, bytes(commands));
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    /** SIGTERM, then SIGKILL past a deadline. */
    static void stop(final Process process) {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static byte[] bytes(final String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A tool that runs until stopped (SUBSCRIBE, MONITOR, --replica, --stat...), its output collected in files. */
    static final class Stream implements AutoCloseable {
        private final Process process;
        private final Path out;
        private final Path err;
        private final String name;

        Stream(final List<String> command, final Map<String, String> env) {
            final Path dir = NodeProcess.newDirectory("cli-stream");
            this.out = dir.resolve("stdout");
            this.err = dir.resolve("stderr");
            this.name = String.join(" ", command);
            try {
                Files.writeString(dir.resolve("command-line"), name + "\n");
                final ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                pb.environment().putAll(env);
                process = pb.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Stream(final List<String> command) {
            this(command, Map.of());
        }

        String stdout() {
            return read(out);
        }

        String stderr() {
            return read(err);
        }

        private static String read(final Path p) {
            try {
                return Files.exists(p) ? Files.readString(p, StandardCharsets.ISO_8859_1) : "";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void awaitStdout(final String text) {
            await("prints '" + text + "'", () -> stdout().contains(text));
        }

        void awaitStderr(final String text) {
            await("reports '" + text + "'", () -> stderr().contains(text));
        }

        /** Polls until the condition holds; past the deadline fails with the output as it is then. */
        void await(final String what, final java.util.function.BooleanSupplier condition) {
            if (!Await.poll(condition, STEP)) {
                throw new AssertionError(name + " " + what + " within " + STEP.toSeconds() + " s; stdout:\n" + stdout()
                    + "\nstderr:\n" + stderr());
            }
        }

        @Override
        public void close() {
            stop(process);
        }
    }
}
