package dev.cinnabar.storage.type.set;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.cinnabar.protocol.util.Bytes;
import dev.cinnabar.storage.commands.SetCommands;
import dev.cinnabar.storage.commands.StorageTestCall;
import dev.cinnabar.storage.type.TypedValue;

/** intset -> hashtable exactly where Redis 7.0.15 converts (checked against redis-server). */
class SetEncodingTest {
    private final StorageTestCall t = new StorageTestCall(new SetCommands());

    private String encoding(final String key) {
        return ((TypedValue) t.db().lookup(Bytes.ascii(key)).value).encoding();
    }

    @Test
    void intsetUntilLimitOrNonInteger() {
        t.settings.setMaxIntsetEntries = 2;
        t.run("SADD", "s1", "1", "2");
        assertThat(encoding("s1")).isEqualTo("intset");
        t.run("SADD", "s1", "3");
        assertThat(encoding("s1")).isEqualTo("hashtable");
        t.run("SREM", "s1", "1", "2");
        assertThat(encoding("s1")).isEqualTo("hashtable");
        for (final String m : new String[] {"a", "01", "-0", "9223372036854775808", " 1"}) {
            t.run("SADD", "x" + m, m);
            assertThat(encoding("x" + m)).as(m).isEqualTo("hashtable");
        }
        t.run("SADD", "min", "-9223372036854775808");
        assertThat(encoding("min")).isEqualTo("intset");
        t.run("SADD", "mixed", "1", "a");
        assertThat(encoding("mixed")).isEqualTo("hashtable");
    }

    @Test
    void storeResultsStartAsIntsetAndZeroLimitConvertsFirstAdd() {
        t.settings.setMaxIntsetEntries = 2;
        t.run("SADD", "a", "1", "2");
        t.run("SADD", "b", "3");
        t.run("SUNIONSTORE", "u", "a", "b");
        assertThat(encoding("u")).isEqualTo("hashtable");
        t.run("SINTERSTORE", "i", "a", "a");
        assertThat(encoding("i")).isEqualTo("intset");
        t.settings.setMaxIntsetEntries = 0;
        t.run("SADD", "z", "5");
        assertThat(encoding("z")).isEqualTo("hashtable");
    }

    @Test
    void intsetIsSortedAndCompact() {
        t.run("SADD", "s", "30", "-5", "10");
        assertThat(t.run("SMEMBERS", "s")).isEqualTo("*3\r\n$2\r\n-5\r\n$2\r\n10\r\n$2\r\n30\r\n");
        assertThat(((TypedValue) t.db().lookup(Bytes.ascii("s")).value).memoryBytes()).isLessThan(100);
    }
}
