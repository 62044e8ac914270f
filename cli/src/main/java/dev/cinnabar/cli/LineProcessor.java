package dev.cinnabar.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One typed line, interpreted as redis-cli's REPL does (interactively or when commands are piped on stdin):
 * {@code quit}/{@code exit}, {@code help ...}, {@code connect host port}, {@code clear}, a leading repeat count
 * ({@code 5 incr n}), otherwise a command with quoted arguments.
 */
final class LineProcessor {
    private final Client client;
    private final CommandRunner runner;
    private final OutputStream out;
    private CommandDocs docs;
    private boolean hints = true;

    LineProcessor(final Client client, final CommandRunner runner, final OutputStream out) {
        this.client = client;
        this.runner = runner;
        this.out = out;
    }

    CommandDocs docs() {
        if (docs == null || docs.all().isEmpty()) {
            docs = CommandDocs.load(client);
        }
        return docs;
    }

    /** Whether the REPL shows argument hints ({@code :set hints} / {@code :set nohints}). */
    boolean hints() {
        return hints;
    }

    /** The preferences file (~/.cinnabarclirc): only its {@code :} lines count. */
    void preferences(final java.nio.file.Path rc) throws IOException {
        if (rc == null || !java.nio.file.Files.isReadable(rc)) {
            return;
        }
        for (final String line : java.nio.file.Files.readAllLines(rc, StandardCharsets.UTF_8)) {
            final List<byte[]> argv = ArgSplitter.split(line);
            if (argv != null && !argv.isEmpty() && argv.get(0).length > 0 && argv.get(0)[0] == ':') {
                internal(argv, ".cinnabarclirc: ");
            }
        }
    }

    /** redis-cli's {@code :} commands; only {@code :set hints} and {@code :set nohints} exist. */
    private void internal(final List<byte[]> argv, final String origin) throws IOException {
        final String command = new String(argv.get(0), StandardCharsets.UTF_8);
        if (!command.equalsIgnoreCase(":set") || argv.size() < 2) {
            write(origin + "unknown cinnabar-cli internal command '" + command + "'\n");
            return;
        }
        final String pref = new String(argv.get(1), StandardCharsets.UTF_8);
        if (pref.equalsIgnoreCase("hints")) {
            hints = true;
        } else if (pref.equalsIgnoreCase("nohints")) {
            hints = false;
        } else {
            write(origin + "unknown cinnabar-cli preference '" + pref + "'\n");
        }
    }

    /** False when the line asks to leave. */
    boolean process(final String line) throws IOException {
        final List<byte[]> argv = ArgSplitter.split(line);
        if (argv == null) {
            write("Invalid argument(s)\n");
            return true;
        }
        if (argv.isEmpty()) {
            return true;
        }
        final String first = new String(argv.get(0), StandardCharsets.UTF_8);
        if (first.startsWith(":")) {
            internal(argv, "");
            return true;
        }
        if (first.equalsIgnoreCase("quit") || first.equalsIgnoreCase("exit")) {
            return false;
        }
        if (first.equalsIgnoreCase("help") || first.equals("?")) {
            write(argv.size() == 1 ? CommandDocs.generalHelp() : docs().help(words(argv.subList(1, argv.size()))));
            return true;
        }
        if (first.equalsIgnoreCase("clear")) {
            write("\033[H\033[2J");
            return true;
        }
        if (first.equalsIgnoreCase("connect") && (argv.size() == 2 || argv.size() == 3)) {
            client.target(new String(argv.get(1), StandardCharsets.UTF_8),
                argv.size() == 3 ? CliOptions.atoi(new String(argv.get(2), StandardCharsets.UTF_8)) : 6379);
            client.connect(true);
            docs = null;
            return true;
        }
        long repeat = 1;
        List<byte[]> command = argv;
        if (argv.size() > 1 && isNumber(first)) {
            try {
                repeat = Long.parseLong(first);
            } catch (NumberFormatException e) {
                repeat = -1;
            }
            if (repeat <= 0) {
                write("Invalid redis-cli repeat command option value.\n");
                return true;
            }
            command = argv.subList(1, argv.size());
        }
        runner.run(command, repeat, client.options().interval, false);
        return true;
    }

    private static boolean isNumber(final String s) {
        return s.matches("[-+]?\\d+");
    }

    private static List<String> words(final List<byte[]> args) {
        final List<String> w = new ArrayList<>();
        for (final byte[] a : args) {
            w.add(new String(a, StandardCharsets.UTF_8));
        }
        return w;
    }

    private void write(final String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
