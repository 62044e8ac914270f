package dev.cinnabar.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jline.reader.Candidate;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * The interactive prompt: line editing and history (~/.cinnabarcli_history) through JLine, tab completion of
 * command names and help topics, and a grey hint with the arguments still to type, both from COMMAND DOCS.
 */
final class Repl {
    private final Client client;
    private final LineProcessor lines;
    /** Set while a line is being accepted, so that its last redraw shows it without the hint, as redis-cli does. */
    private boolean accepting;

    Repl(final Client client, final LineProcessor lines) {
        this.client = client;
        this.lines = lines;
    }

    static Path historyFile() {
        return dotFile("CINNABARCLI_HISTFILE", ".cinnabarcli_history");
    }

    static Path rcFile() {
        return dotFile("CINNABARCLI_RCFILE", ".cinnabarclirc");
    }

    /** The environment variable's path when set ("/dev/null": none), else the name in $HOME, as redis-cli does. */
    private static Path dotFile(final String envOverride, final String name) {
        final String env = System.getenv(envOverride);
        if (env != null && !env.isEmpty()) {
            return env.equals("/dev/null") ? null : Path.of(env);
        }
        final String home = System.getenv("HOME");
        return home == null || home.isEmpty() ? null : Path.of(home, name);
    }

    int run() throws IOException {
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            if (terminal.getWidth() <= 0) {
                terminal.setSize(new org.jline.terminal.Size(80, 24));
            }
            client.connect(false);
            lines.preferences(rcFile());
            final DefaultParser parser = new DefaultParser();
            parser.setEscapeChars(new char[0]);
            final LineReaderBuilder b = LineReaderBuilder.builder().terminal(terminal).parser(parser)
                .completer((reader, line, candidates) -> complete(line.words(), line.wordIndex(), candidates))
                .highlighter(new org.jline.reader.Highlighter() {
                    @Override
                    public AttributedString highlight(final LineReader reader, final String buffer) {
                        return hint(buffer);
                    }
                })
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.HISTORY_TIMESTAMPED, false)
                .option(LineReader.Option.CASE_INSENSITIVE, true);
            final Path history = historyFile();
            if (history != null) {
                b.variable(LineReader.HISTORY_FILE, history);
            }
            b.history(new org.jline.reader.impl.history.DefaultHistory() {
                @Override
                public void add(final java.time.Instant time, final String line) {
                    if (!hasSecret(ArgSplitter.split(line))) {
                        super.add(time, line);
                    }
                }
            });
            final LineReader reader = b.build();
            final org.jline.reader.Widget accept = reader.getWidgets().get(LineReader.ACCEPT_LINE);
            reader.getWidgets().put(LineReader.ACCEPT_LINE, () -> {
                accepting = true;
                return accept.apply();
            });
            while (true) {
                final String line;
                try {
                    accepting = false;
                    line = reader.readLine(client.prompt());
                } catch (UserInterruptException | EndOfFileException e) {
                    return 0;
                }
                if (!lines.process(line)) {
                    return 0;
                }
            }
        }
    }

    private void complete(final List<String> words, final int index, final List<Candidate> candidates) {
        final CommandDocs docs = lines.docs();
        if (index == 0) {
            for (final String name : docs.all().keySet()) {
                if (name.indexOf(' ') < 0) {
                    candidates.add(new Candidate(name, name, null, null, null, null, true));
                }
            }
            candidates.add(new Candidate("HELP"));
            return;
        }
        if (index == 1 && words.get(0).equalsIgnoreCase("help")) {
            final List<String> topics = new ArrayList<>();
            for (final CommandDocs.Doc d : docs.all().values()) {
                topics.add(d.name().indexOf(' ') < 0 ? d.name() : null);
                if (!topics.contains("@" + d.group())) {
                    topics.add("@" + d.group());
                }
            }
            for (final String t : topics) {
                if (t != null) {
                    candidates.add(new Candidate(t));
                }
            }
            return;
        }
        if (index == 1) {
            final String prefix = words.get(0).toUpperCase(Locale.ROOT) + " ";
            for (final String name : docs.all().keySet()) {
                if (name.startsWith(prefix)) {
                    candidates.add(new Candidate(name.substring(prefix.length())));
                }
            }
        }
    }

    /** Lines that carry a password, which redis-cli keeps out of the history: AUTH, ACL SETUSER, CONFIG SET
     * requirepass/masterauth/masteruser, HELLO ... AUTH, MIGRATE ... AUTH/AUTH2. */
    static boolean hasSecret(final List<byte[]> argv) {
        if (argv == null || argv.isEmpty()) {
            return false;
        }
        final int argc = argv.size();
        if (Client.is(argv, "AUTH")) {
            return true;
        }
        if (Client.is(argv, "ACL")) {
            return argc > 1 && word(argv, 1, "SETUSER");
        }
        if (Client.is(argv, "CONFIG")) {
            return argc > 2 && word(argv, 1, "SET")
                && (word(argv, 2, "REQUIREPASS") || word(argv, 2, "MASTERAUTH") || word(argv, 2, "MASTERUSER"));
        }
        final boolean hello = Client.is(argv, "HELLO");
        final boolean migrate = Client.is(argv, "MIGRATE");
        for (int i = 1; (hello || migrate) && i < argc; i++) {
            if (word(argv, i, "AUTH") || migrate && word(argv, i, "AUTH2")) {
                return true;
            }
        }
        return false;
    }

    private static boolean word(final List<byte[]> argv, final int i, final String upper) {
        return Client.is(List.of(argv.get(i)), upper);
    }

    /** The typed text, then in grey the synopsis of the arguments not typed yet (redis-cli's hints). */
    private AttributedString hint(final String buffer) {
        final AttributedStringBuilder sb = new AttributedStringBuilder().append(buffer);
        if (accepting || !lines.hints() || buffer.isBlank()) {
            return sb.toAttributedString();
        }
        final List<byte[]> args = ArgSplitter.split(buffer);
        if (args == null || args.isEmpty()) {
            return sb.toAttributedString();
        }
        final List<String> words = new ArrayList<>();
        for (final byte[] a : args) {
            words.add(new String(a, java.nio.charset.StandardCharsets.UTF_8));
        }
        final CommandDocs.Doc doc = lines.docs().find(words);
        if (doc == null || doc.params().isEmpty()) {
            return sb.toAttributedString();
        }
        final int typed = words.size() - doc.name().split(" ").length;
        final String[] params = doc.params().split(" ");
        if (typed < 0 || typed >= params.length) {
            return sb.toAttributedString();
        }
        final StringBuilder rest = new StringBuilder();
        for (int i = typed; i < params.length; i++) {
            rest.append(' ').append(params[i]);
        }
        final String tail = buffer.endsWith(" ") ? rest.substring(1) : rest.toString();
        return sb.style(AttributedStyle.DEFAULT.foreground(AttributedStyle.BRIGHT + AttributedStyle.BLACK))
            .append(tail).toAttributedString();
    }

    /** --askpass: a masked prompt on a terminal; otherwise the first line of stdin, without a prompt. */
    static String askPassword() throws IOException {
        if (!Tty.isatty(0)) {
            final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
            for (int b = System.in.read(); b >= 0 && b != '\n'; b = System.in.read()) {
                line.write(b);
            }
            return line.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            return LineReaderBuilder.builder().terminal(terminal).build().readLine("Please input password: ", '*');
        } catch (UserInterruptException | EndOfFileException e) {
            return "";
        }
    }
}
