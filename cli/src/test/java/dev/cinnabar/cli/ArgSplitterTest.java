package dev.cinnabar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Typed lines are split like redis-cli splits them (sdssplitargs). The cases and their results were checked by
 * piping the same lines into redis-cli 7.0.15 ({@code echo <args>} against redis-server): a null result is
 * redis-cli's "Invalid argument(s)".
 */
class ArgSplitterTest {
    private static List<String> split(final String line) {
        final List<byte[]> args = ArgSplitter.split(line);
        if (args == null) {
            return null;
        }
        final List<String> out = new ArrayList<>();
        for (final byte[] a : args) {
            out.add(new String(a, StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    @Test
    void blanksSeparateArguments() {
        assertThat(split("set k v")).containsExactly("set", "k", "v");
        assertThat(split("  echo   x   ")).containsExactly("echo", "x");
        assertThat(split("echo a\tb")).containsExactly("echo", "a", "b");
        assertThat(split("")).isEmpty();
        assertThat(split("   ")).isEmpty();
    }

    @Test
    void doubleQuotesUnderstandEscapes() {
        assertThat(split("set \"a b\" \"x\\x41\"")).containsExactly("set", "a b", "xA");
        assertThat(split("echo \"\\x41\\x42\"")).containsExactly("echo", "AB");
        assertThat(split("echo \"tab\\there\"")).containsExactly("echo", "tab\there");
        assertThat(split("echo \"\\n\\r\\t\\b\\a\\\\\\\"\"")).containsExactly("echo", "\n\r\t\b\u0007\\\"");
        assertThat(split("echo \"\\x00\\xff\"")).containsExactly("echo", "\u0000\u00ff");
    }

    @Test
    void incompleteHexEscapesAndUnknownEscapesKeepTheCharacter() {
        assertThat(split("echo \"\\x4\"")).containsExactly("echo", "x4");
        assertThat(split("echo \"\\x4g\"")).containsExactly("echo", "x4g");
        assertThat(split("echo \"\\xZZ\"")).containsExactly("echo", "xZZ");
        assertThat(split("echo \"\\q\"")).containsExactly("echo", "q");
    }

    @Test
    void singleQuotesOnlyEscapeTheQuote() {
        assertThat(split("echo 'single q\\'s'")).containsExactly("echo", "single q's");
        assertThat(split("echo 'a\\b'")).containsExactly("echo", "a\\b");
        assertThat(split("echo 'x' \"\"")).containsExactly("echo", "x", "");
        assertThat(split("echo ''")).containsExactly("echo", "");
    }

    @Test
    void quotesMayStartInsideAWord() {
        assertThat(split("echo a\"b\"")).containsExactly("echo", "ab");
    }

    @Test
    void unbalancedQuotesOrTextAfterAClosingQuoteAreInvalid() {
        assertThat(split("get \"unbalanced")).isNull();
        assertThat(split("echo 'a")).isNull();
        assertThat(split("echo \"a\"b")).isNull();
        assertThat(split("echo 'a'b")).isNull();
    }

    @Test
    void unquoteTakesExactlyOneWord() {
        assertThat(ArgSplitter.unquote("\"null-\\x00-separated\"")).containsExactly(
            "null-\u0000-separated".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(ArgSplitter.unquote("plain")).containsExactly("plain".getBytes(StandardCharsets.US_ASCII));
        assertThat(ArgSplitter.unquote("\"a")).isNull();
        assertThat(ArgSplitter.unquote("a b")).isNull();
        assertThat(ArgSplitter.unquote("")).isNull();
    }
}
