package dev.cinnabar.storage.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** SCAN and the shared cursor/option parsing of {@link ScanSupport}. */
class ScanTest {
    private final StorageTestCall t = new StorageTestCall(new StringCommands(), new KeyCommands());

    @Test
    void cursorParsing_asStrtoul() {
        assertEquals("*2\r\n$1\r\n0\r\n*0\r\n", t.run("SCAN", "0"));
        assertEquals("*2\r\n$1\r\n0\r\n*0\r\n", t.run("SCAN", ""));
        assertEquals("*2\r\n$1\r\n0\r\n*0\r\n", t.run("SCAN", "-1"));
        assertEquals("*2\r\n$1\r\n0\r\n*0\r\n", t.run("SCAN", "+5"));
        assertEquals("*2\r\n$1\r\n0\r\n*0\r\n", t.run("SCAN", "18446744073709551615"));
        assertEquals("-ERR invalid cursor\r\n", t.run("SCAN", " 5"));
        assertEquals("-ERR invalid cursor\r\n", t.run("SCAN", "18446744073709551616"));
        assertEquals("-ERR invalid cursor\r\n", t.run("SCAN", "5x"));
        assertEquals("-ERR invalid cursor\r\n", t.run("SCAN", "-"));
        assertEquals("-ERR invalid cursor\r\n", t.run("SCAN", "x", "COUNT", "0"));
    }

    @Test
    void cursorValues() {
        final StorageTestCall c = new StorageTestCall();
        assertEquals(-1L, ScanSupport.cursor(dev.cinnabar.protocol.resp.Args.of("SCAN", "-1"), 1));
        assertEquals(-1L, ScanSupport.cursor(dev.cinnabar.protocol.resp.Args.of("SCAN", "18446744073709551615"), 1));
        assertEquals(42L, ScanSupport.cursor(dev.cinnabar.protocol.resp.Args.of("SCAN", "+42"), 1));
        assertTrue(ScanSupport.checkCursor(c, dev.cinnabar.protocol.resp.Args.of("SCAN", "7"), 1));
    }

    @Test
    void optionErrors() {
        assertEquals("-ERR syntax error\r\n", t.run("SCAN", "0", "COUNT", "0"));
        assertEquals("-ERR value is not an integer or out of range\r\n", t.run("SCAN", "0", "COUNT", "x"));
        assertEquals("-ERR syntax error\r\n", t.run("SCAN", "0", "MATCH"));
        assertEquals("-ERR syntax error\r\n", t.run("SCAN", "0", "COUNT", "1", "COUNT"));
        assertEquals("-ERR syntax error\r\n", t.run("SCAN", "0", "FOO", "bar"));
        assertEquals("*2\r\n$1\r\n0\r\n*0\r\n", t.run("SCAN", "0", "TYPE", "nosuchtype"));
        final StorageTestCall c = new StorageTestCall();
        // TYPE is for SCAN only: HSCAN-style callers pass allowType=false
        assertEquals(null, ScanSupport.options(c, dev.cinnabar.protocol.resp.Args.of("HSCAN", "k", "0", "TYPE",
            "string"), 3, false));
    }

    @Test
    void replyShapeForCollections() {
        final StorageTestCall c = new StorageTestCall();
        ScanSupport.reply(c.reply(), 12, List.of("a".getBytes(), "b".getBytes()));
        ScanSupport.replyEmpty(c.reply());
        final String out = c.reply().target().toString(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals("*2\r\n$2\r\n12\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n*2\r\n$1\r\n0\r\n*0\r\n", out);
    }

    @Test
    void fullIteration_matchCountType() {
        for (int i = 0; i < 500; i++) {
            t.run("SET", "key:" + i, "v");
        }
        t.keyspace.db(0).set("hash".getBytes(), new StorageTestCall.TestValue(), false);
        assertEquals(501, scanAll("COUNT", "7").size());
        final Set<String> matched = scanAll("MATCH", "key:1?", "COUNT", "100");
        assertEquals(10, matched.size());
        assertTrue(matched.contains("key:10"));
        assertEquals(Set.of("hash"), scanAll("TYPE", "HASH"));
        assertEquals(500, scanAll("TYPE", "string", "MATCH", "*").size());
    }

    @Test
    void expiredKeysAreSkippedAndDeleted() {
        t.run("SET", "live", "v");
        t.run("SET", "dead", "v", "PX", "1");
        t.advance(1);
        assertEquals(Set.of("live"), scanAll());
        assertTrue(t.events.contains("expired-del:0:dead"));
    }

    private Set<String> scanAll(final String... options) {
        final Set<String> keys = new HashSet<>();
        String cursor = "0";
        for (int calls = 0; calls < 10_000; calls++) {
            final List<String> argv = new ArrayList<>(List.of("SCAN", cursor));
            argv.addAll(List.of(options));
            final String reply = t.run(argv.toArray(new String[0]));
            final String[] lines = reply.split("\r\n");
            cursor = lines[2];
            for (int i = 5; i < lines.length; i += 2) {
                keys.add(lines[i]);
            }
            if (cursor.equals("0")) {
                return keys;
            }
        }
        throw new AssertionError("scan did not finish");
    }
}
