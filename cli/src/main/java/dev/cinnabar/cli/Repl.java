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
    private boolean hints = true;

    Repl(final Client client, final LineProcessor lines) {
        this.client = client;
        this.lines = lines;
    }

    static Path historyFile() {
        final String env = System.getenv("CINNABARCLI_HISTFILE");
        if (env != null) {
            return env.isEmpty() || env.equals("/dev/null") ? null : Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".cinnabarcli_history");
    }

    int run() throws IOException {
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            if (terminal.getWidth() <= 0) {
                terminal.setSize(new org.jline.terminal.Size(80, 24));
            }
            client.connect(false);
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
                .option(LineReader.Option.CASE_INSENSITIVE, true);
            final Path history = historyFile();
            if (history != null) {
                b.variable(LineReader.HISTORY_FILE, history);
            }
            final LineReader reader = b.build();
            while (true) {
                final String line;
                try {
                    line = reader.readLine(client.prompt());
                } catch (UserInterruptException | EndOfFileException e) {
                    return 0;
                }
                final String t = line.trim();
                if (t.equals(":set hints")) {
                    hints = true;
                    continue;
                }
                if (t.equals(":set nohints")) {
                    hints = false;
                    continue;
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

    /** The typed text, then in grey the synopsis of the arguments not typed yet (redis-cli's hints). */
    private AttributedString hint(final String buffer) {
        final AttributedStringBuilder sb = new AttributedStringBuilder().append(buffer);
        if (!hints || buffer.isBlank()) {
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

    static String askPassword() throws IOException {
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            return LineReaderBuilder.builder().terminal(terminal).build().readLine("Please input password: ", '*');
        } catch (UserInterruptException | EndOfFileException e) {
            return "";
        }
    }
}
