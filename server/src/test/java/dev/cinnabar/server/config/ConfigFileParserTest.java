package dev.cinnabar.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cinnabar.server.Main;
import dev.cinnabar.server.Server;

class ConfigFileParserTest {
    @TempDir
    Path dir;

    @Test
    void splitsWordsLikeSdssplitargs() {
        assertThat(ConfigFileParser.split("save \"\" ")).containsExactly("save", "");
        assertThat(ConfigFileParser.split("requirepass \"a b\\n\\x41\"")).containsExactly("requirepass", "a b\nA");
        assertThat(ConfigFileParser.split("x 'it\\'s'")).containsExactly("x", "it's");
        assertThat(ConfigFileParser.split("x \"open")).isNull();
        assertThat(ConfigFileParser.split("x \"a\"b")).isNull();
    }

    @Test
    void badDirectiveGivesRedisFatalText() {
        final ServerConfig c = new ServerConfig();
        final ConfigTable t = ConfigDefinitions.table(c);
        assertThatThrownBy(() -> t.apply(ConfigFileParser.parse("# comment\nport 17602\nfoo bar\n")))
            .hasMessage("\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\n"
                + "Reading the configuration file, at line 3\n"
                + ">>> 'foo bar'\n"
                + "Bad directive or wrong number of arguments");
        assertThatThrownBy(() -> t.apply(ConfigFileParser.parse("hz abc\n")))
            .hasMessageEndingWith(">>> 'hz abc'\nargument couldn't be parsed into an integer");
        assertThatThrownBy(() -> ConfigFileParser.parse("save \"1 2\n"))
            .hasMessageEndingWith("at line 1\n>>> 'save \"1 2'\nUnbalanced quotes in configuration line");
    }

    @Test
    void commandLineOptionsCountAfterALeadingNewline() {
        assertThatThrownBy(() -> Main.fromArgs(new String[] {"--port", "1", "--hz", "x"}))
            .hasMessageContaining("at line 3\n>>> 'hz \"x\"'\nargument couldn't be parsed into an integer");
    }

    @Test
    void includeAndAccumulatingSaveLines() throws Exception {
        final Path inc = dir.resolve("inc.conf");
        Files.writeString(inc, "maxmemory 100mb\nsave 300 10\n");
        final Path main = dir.resolve("main.conf");
        Files.writeString(main, "save 900 1\ninclude " + inc + "\nhash-max-ziplist-entries 7\n");
        final Server s = Main.fromArgs(new String[] {main.toString(), "--hz", "20"});
        assertThat(s.configTable().get(List.of("save", "maxmemory", "hash-max-listpack-entries", "hz")))
            .containsEntry("save", "900 1 300 10").containsEntry("maxmemory", "104857600")
            .containsEntry("hash-max-listpack-entries", "7").containsEntry("hz", "20");
        assertThat(s.config().configFile).isEqualTo(main.toAbsolutePath().toString());
    }

    @Test
    void missingConfigFileIsFatal() {
        assertThatThrownBy(() -> Main.fromArgs(new String[] {"/nonexistent.conf"}))
            .hasMessage("Fatal error, can't open config file '/nonexistent.conf': No such file or directory");
    }
}
