package dev.cinnabar.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether a standard stream is a terminal (isatty), which decides redis-cli's default output style. */
final class Tty {
    private Tty() {
    }

    static boolean isatty(final int fd) {
        try {
            final String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException e) {
            return System.console() != null;
        }
    }
}
