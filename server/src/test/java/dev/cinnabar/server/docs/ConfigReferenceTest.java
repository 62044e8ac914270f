package dev.cinnabar.server.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

import dev.cinnabar.server.config.ConfigDefinitions;
import dev.cinnabar.server.config.ConfigParam;
import dev.cinnabar.server.config.ServerConfig;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md is the config table itself: every parameter a config file, {@code --name
 * value} or CONFIG accepts, with its default and whether CONFIG SET changes it at runtime. This
 * test renders it from {@link ConfigDefinitions} and fails when the file says anything else;
 * {@code -Dconfig.doc.rewrite=true} rewrites it instead (a developer's tool; CI never sets it).
 */
class ConfigReferenceTest {
    private static final String HEADER = """
        # Configuration reference

        Generated from the server's config table by `ConfigReferenceTest` (regenerate with
        `mvn test -pl server -Dtest=ConfigReferenceTest -Dconfig.doc.rewrite=true`), so it cannot drift
        from the code. Names, defaults and runtime mutability are Redis 7.0's; a parameter is given in a
        config file (`name value` per line), as `--name value` to `bin/cinnabar-server`, or with
        `CONFIG SET name value` when it is mutable. Sizes accept Redis's units (`1gb`, `512mb`, `64k`).
        Parameters that Redis hides from `CONFIG GET *` are listed too, marked hidden.

        | parameter | default | CONFIG SET | aliases |
        | --- | --- | --- | --- |
        """;

    static String render() {
        final StringBuilder sb = new StringBuilder(HEADER);
        final List<ConfigParam> params = ConfigDefinitions.table(new ServerConfig()).params().stream()
            .sorted(Comparator.comparing(ConfigParam::name)).toList();
        for (final ConfigParam p : params) {
            // dir's default is the process's working directory, which differs per checkout
            final String def = p.name().equals("dir") ? "./"
                : p.defaultValue() == null || p.defaultValue().isEmpty() ? "\"\"" : p.defaultValue();
            sb.append("| `").append(p.name()).append('`').append(p.hidden() ? " (hidden)" : "")
                .append(" | `").append(def.replace("|", "\\|")).append("` | ")
                .append(p.mutable() ? (p.protectedConfig() ? "protected" : "yes") : "no (start-up only)")
                .append(" | ").append(String.join(", ", p.aliases())).append(" |\n");
        }
        sb.append('\n').append(params.size()).append(" parameters.\n");
        return sb.toString();
    }

    @Test
    void configurationDocListsEveryParameterOfTheTable() throws IOException {
        final Path doc = Path.of(System.getProperty("user.dir")).getParent().resolve("docs/configuration.md");
        if (Boolean.getBoolean("config.doc.rewrite")) {
            Files.writeString(doc, render(), StandardCharsets.UTF_8);
            return;
        }
        assertThat(Files.exists(doc)).as(doc + " exists").isTrue();
        assertThat(Files.readString(doc, StandardCharsets.UTF_8))
            .as("docs/configuration.md; regenerate it from the config table").isEqualTo(render());
    }
}
