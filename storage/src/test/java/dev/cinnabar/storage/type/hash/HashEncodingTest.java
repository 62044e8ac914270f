package dev.cinnabar.storage.type.hash;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.cinnabar.protocol.util.Bytes;
import dev.cinnabar.storage.commands.HashCommands;
import dev.cinnabar.storage.commands.StorageTestCall;
import dev.cinnabar.storage.type.TypedValue;

/** listpack -> hashtable exactly at Redis 7.0's thresholds (checked against redis-server 7.0.15). */
class HashEncodingTest {
    private final StorageTestCall t = new StorageTestCall(new HashCommands());

    private String encoding(final String key) {
        return ((TypedValue) t.db().lookup(Bytes.ascii(key)).value).encoding();
    }

    @Test
    void convertsPastEntriesLimitNotBefore() {
        t.settings.hashMaxListpackEntries = 2;
        t.run("HSET", "h", "a", "1", "a", "2", "a", "3");
        assertThat(encoding("h")).isEqualTo("listpack");
        t.run("HSET", "h", "b", "1");
        assertThat(encoding("h")).isEqualTo("listpack");
        t.run("HSET", "h", "c", "1");
        assertThat(encoding("h")).isEqualTo("hashtable");
    }

    @Test
    void convertsOnLongFieldOrValueFromEveryWriter() {
        t.settings.hashMaxListpackValue = 3;
        for (final String[] cmd : new String[][] {{"HSET", "h1", "a", "123"}, {"HSET", "h2", "abcd", "1"},
            {"HINCRBY", "h3", "abcd", "1"}, {"HINCRBY", "h4", "a", "1000"}, {"HINCRBYFLOAT", "h5", "a", "1001.5"},
            {"HSETNX", "h6", "abcd", "1"}}) {
            t.run(cmd);
        }
        assertThat(encoding("h1")).isEqualTo("listpack");
        for (final String k : new String[] {"h2", "h3", "h4", "h5", "h6"}) {
            assertThat(encoding(k)).as(k).isEqualTo("hashtable");
        }
    }

    @Test
    void neverConvertsBackAndZeroEntriesMeansHashtable() {
        t.settings.hashMaxListpackValue = 3;
        t.run("HSET", "h", "a", "1", "b", "2");
        t.run("HSET", "h", "a", "1234");
        t.run("HDEL", "h", "a");
        assertThat(encoding("h")).isEqualTo("hashtable");
        assertThat(t.run("HGETALL", "h")).isEqualTo("*2\r\n$1\r\nb\r\n$1\r\n2\r\n");
        t.settings.hashMaxListpackEntries = 0;
        t.run("HSET", "z", "a", "1");
        assertThat(encoding("z")).isEqualTo("hashtable");
    }

    @Test
    void listpackKeepsLongEntriesIntact() {
        final HashValue h = new HashValue();
        final var s = new dev.cinnabar.storage.commands.StorageSettings();
        s.hashMaxListpackValue = 1000;
        final byte[] big = new byte[300];
        java.util.Arrays.fill(big, (byte) 'x');
        assertThat(h.set(Bytes.ascii("f"), big, s)).isTrue();
        assertThat(h.set(Bytes.ascii("g"), Bytes.ascii("1"), s)).isTrue();
        assertThat(h.value(Bytes.ascii("f"), 0, 1)).isEqualTo(big);
        assertThat(h.valueLength(Bytes.ascii("g"), 0, 1)).isEqualTo(1);
        assertThat(h.delete(Bytes.ascii("f"), 0, 1)).isTrue();
        assertThat(h.size()).isEqualTo(1);
        assertThat(h.memoryBytes()).isLessThan(64);
    }
}
