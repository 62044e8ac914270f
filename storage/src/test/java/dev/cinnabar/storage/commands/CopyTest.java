package dev.cinnabar.storage.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * COPY of every type, in each of its encodings: the copy has the source's contents and encoding
 * (as Redis's per-type dup does), and writing to either key afterwards leaves the other unchanged.
 */
class CopyTest {
    private final StorageTestCall t = new StorageTestCall(new StringCommands(), new KeyCommands(), new ListCommands(),
        new HashCommands(), new SetCommands(), new ZSetCommands());

    /** A hashtable's iteration order is its own: compare the reply's lines as a sorted list. */
    private String dump(final String command, final String key, final boolean unordered) {
        final String reply = t.run(command.replace("KEY", key).split(" "));
        if (!unordered) {
            return reply;
        }
        final List<String> lines = new ArrayList<>(Arrays.asList(reply.split("\r\n")));
        Collections.sort(lines);
        return lines.toString();
    }

    private void copyIsDeep(final String encoding, final String dump, final String change, final String... write) {
        assertEquals("$" + encoding.length() + "\r\n" + encoding + "\r\n", t.run("OBJECT", "ENCODING", "src"));
        final boolean unordered = encoding.equals("hashtable");
        final String before = dump(dump, "src", unordered);
        assertEquals(":1\r\n", t.run("COPY", "src", "dst"));
        assertEquals(before, dump(dump, "dst", unordered));
        assertEquals(t.run("OBJECT", "ENCODING", "src"), t.run("OBJECT", "ENCODING", "dst"));
        t.run(write);
        assertEquals(before, dump(dump, "src", unordered), "the source must not see a write to the copy");
        t.run(change.split(" "));
        assertNotEquals(dump(dump, "src", unordered), dump(dump, "dst", unordered),
            "the copy must not see a write to the source");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void list(final boolean big) {
        t.run("RPUSH", "src", "a", "b", "c");
        if (big) {
            for (int i = 0; i < 200; i++) {
                t.run("RPUSH", "src", "e" + i);
            }
        }
        copyIsDeep("quicklist", "LRANGE KEY 0 -1", "LSET src 0 changed", "LSET", "dst", "1", "x");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void hash(final boolean hashtable) {
        t.settings.hashMaxListpackEntries = hashtable ? 1 : 512;
        t.run("HSET", "src", "f1", "v1", "f2", "v2");
        copyIsDeep(hashtable ? "hashtable" : "listpack", "HGETALL KEY", "HSET src f1 changed",
            "HSET", "dst", "f2", "x");
        t.run("HDEL", "dst", "f1");
        assertEquals("$7\r\nchanged\r\n", t.run("HGET", "src", "f1"));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void set(final boolean hashtable) {
        t.run("SADD", "src", "1", "2", "3");
        if (hashtable) {
            t.run("SADD", "src", "member");
        }
        copyIsDeep(hashtable ? "hashtable" : "intset", "SMEMBERS KEY", "SREM src 1", "SADD", "dst", "4");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void zset(final boolean skiplist) {
        t.settings.zsetMaxListpackEntries = skiplist ? 1 : 128;
        t.run("ZADD", "src", "1", "a", "2", "b", "3", "c");
        copyIsDeep(skiplist ? "skiplist" : "listpack", "ZRANGE KEY 0 -1 WITHSCORES", "ZINCRBY src 10 a",
            "ZADD", "dst", "0", "d");
        assertEquals("$1\r\n3\r\n", t.run("ZSCORE", "dst", "c"));
        assertEquals(":1\r\n", t.run("ZRANK", "dst", "a"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"int", "embstr", "raw"})
    void string(final String encoding) {
        t.run("SET", "src", encoding.equals("int") ? "12" : "value");
        if (encoding.equals("raw")) {
            t.run("APPEND", "src", "!");
        }
        copyIsDeep(encoding, "GET KEY", "APPEND src more", "SETRANGE", "dst", "0", "X");
    }
}
