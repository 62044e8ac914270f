package dev.cinnabar.server.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.cinnabar.protocol.command.CommandSpec;
import dev.cinnabar.server.Server;
import org.junit.jupiter.api.Test;

/**
 * The README's table of supported commands is the command table itself: this test renders the
 * table from the declarations and fails when the README says anything else, printing the block
 * to paste. {@code mvn test -pl server -Dtest=ReadmeCommandTableTest -Dreadme.rewrite=true}
 * rewrites the block in place instead (a developer's tool; CI never sets it).
 */
class ReadmeCommandTableTest {
    private static final String START = "<!-- commands:start -->";
    private static final String END = "<!-- commands:end -->";

    static String render() {
        final Map<String, TreeSet<String>> byGroup = new TreeMap<>();
        for (final CommandSpec spec : Server.buildTable().commands()) {
            final TreeSet<String> names = byGroup.computeIfAbsent(spec.group(), g -> new TreeSet<>());
            if (spec.subcommands().isEmpty()) {
                names.add(spec.name().toUpperCase(Locale.ROOT));
            } else {
                for (final CommandSpec sub : spec.subcommands().values()) {
                    names.add(spec.name().toUpperCase(Locale.ROOT) + " " + sub.shortName().toUpperCase(Locale.ROOT));
                }
            }
        }
        final StringBuilder sb = new StringBuilder(START).append('\n');
        sb.append("| group | commands |\n| --- | --- |\n");
        int total = 0;
        for (final Map.Entry<String, TreeSet<String>> e : byGroup.entrySet()) {
            sb.append("| ").append(e.getKey()).append(" | ").append(String.join(", ", e.getValue())).append(" |\n");
            total += e.getValue().size();
        }
        sb.append('\n').append(total).append(" commands and subcommands.\n").append(END);
        return sb.toString();
    }

    @Test
    void readmeListsExactlyTheDeclaredCommands() throws IOException {
        final Path readme = Path.of(System.getProperty("user.dir")).getParent().resolve("README.md");
        final String text = Files.readString(readme, StandardCharsets.UTF_8);
        final int from = text.indexOf(START);
        final int to = text.indexOf(END);
        assertThat(from).as("README.md has a " + START + " block").isGreaterThanOrEqualTo(0);
        assertThat(to).as("README.md has a " + END + " marker").isGreaterThan(from);
        if (Boolean.getBoolean("readme.rewrite")) {
            Files.writeString(readme, text.substring(0, from) + render() + text.substring(to + END.length()),
                StandardCharsets.UTF_8);
            return;
        }
        assertThat(text.substring(from, to + END.length()))
            .as("README command table; regenerate it from the command table")
            .isEqualTo(render());
    }
}
