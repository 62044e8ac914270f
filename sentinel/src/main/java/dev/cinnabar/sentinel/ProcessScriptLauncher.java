package dev.cinnabar.sentinel;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs scripts as child processes, each started and waited for on a daemon thread so the loop never blocks on
 * fork/exec or on the script. Output goes to the sentinel's own stdout/stderr, as a forked child's does in Redis.
 * A script that cannot be executed ends with exit code 2 (Redis's child does _exit(2) after a failed execve), and
 * one killed by a signal reports it (a JVM sees a signalled child as exit status 128 + signal).
 */
public final class ProcessScriptLauncher implements ScriptLauncher {
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        final Thread t = new Thread(r, "cinnabar-sentinel-script");
        t.setDaemon(true);
        return t;
    });

    private static final class ProcessHandle implements Handle {
        private volatile Process process;
        private volatile boolean killed;

        @Override
        public long pid() {
            final Process p = process;
            return p == null ? 0 : p.pid();
        }

        @Override
        public void kill() {
            killed = true;
            final Process p = process;
            if (p != null) {
                p.destroyForcibly();
            }
        }
    }

    @Override
    public Handle launch(final List<String> argv, final ExitListener onExit) {
        final ProcessHandle h = new ProcessHandle();
        threads.execute(() -> {
            final Process p;
            try {
                p = new ProcessBuilder(argv).inheritIO().start();
            } catch (IOException e) {
                onExit.exited(2, 0);
                return;
            }
            h.process = p;
            if (h.killed) {
                p.destroyForcibly();
            }
            boolean interrupted = false;
            int code;
            while (true) {
                try {
                    code = p.waitFor();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                    p.destroyForcibly();
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (h.killed) {
                onExit.exited(0, 9);
            } else if (code > 128) {
                onExit.exited(0, code - 128);
            } else {
                onExit.exited(code, 0);
            }
        });
        return h;
    }

    /** Stops the worker threads (running scripts keep running, as orphans do in Redis). */
    public void shutdown() {
        threads.shutdownNow();
    }
}
