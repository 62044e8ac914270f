package dev.cinnabar.sentinel;

import java.util.List;

/**
 * Starts notification and client-reconfig scripts away from the sentinel's loop. {@link ProcessScriptLauncher} runs
 * real processes; tests use a fake.
 */
public interface ScriptLauncher {
    /** Starts {@code argv} (argv[0] is the script path) and returns at once; {@code onExit} may run on any thread. */
    Handle launch(List<String> argv, ExitListener onExit);

    /** A started script. */
    interface Handle {
        /** The process id, 0 while not known yet. */
        long pid();

        /** SIGKILL (the sentinel's script-max-runtime). */
        void kill();
    }

    /** How a script ended: its exit code, or the signal that killed it (0 when none). */
    @FunctionalInterface
    interface ExitListener {
        void exited(int exitCode, int signal);
    }
}
