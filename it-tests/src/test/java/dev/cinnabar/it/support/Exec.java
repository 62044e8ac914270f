package dev.cinnabar.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command-line tool (redis-cli, redis-benchmark, a launcher) to completion with a deadline. */
public final class Exec {
    private Exec() {
    }

    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return String.join(" ", command) + " -> exit " + exitCode + "\n--- stdout ---\n" + stdout
                + "\n--- stderr ---\n" + stderr;
        }
    }

    public static Result run(final Duration timeout, final String... command) {
        return run(timeout, null, command);
    }

    /** Runs the command with {@code stdin} (null: none) as its input; kills it and fails past the deadline. */
    public static Result run(final Duration timeout, final byte[] stdin, final String... command) {
        final Path dir = NodeProcess.newDirectory("exec");
        final Path in = dir.resolve("stdin");
        final Path out = dir.resolve("stdout");
        final Path err = dir.resolve("stderr");
        try {
            Files.write(in, stdin == null ? new byte[0] : stdin);
            final Process p = new ProcessBuilder(command).directory(dir.toFile())
                .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout.toSeconds()
                    + " s; output so far:\n" + Files.readString(out, StandardCharsets.ISO_8859_1)
                    + Files.readString(err, StandardCharsets.ISO_8859_1));
            }
            return new Result(Arrays.asList(command), p.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1),
                Files.readString(err, StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + String.join(" ", command), e);
        }
    }
}
