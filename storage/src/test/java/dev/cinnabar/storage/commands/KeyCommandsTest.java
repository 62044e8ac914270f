package dev.cinnabar.storage.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import dev.cinnabar.protocol.command.CommandSpec;
import org.junit.jupiter.api.Test;

/** Generic key commands against exact reply bytes taken from redis-server 7.0.15. */
class KeyCommandsTest {
    private static final long NOW = 1_700_000_000_000L;
    private final StorageTestCall t = new StorageTestCall(new StringCommands(), new KeyCommands());

    @Test
    void del_unlink_exists_type() {
        t.run("MSET", "a", "1", "b", "2", "c", "3");
        assertEquals(":3\r\n", t.run("EXISTS", "a", "a", "b"));
        assertEquals(":2\r\n", t.run("DEL", "a", "b", "nokey", "a"));
        assertEquals(":1\r\n", t.run("UNLINK", "c"));
        assertEquals(":0\r\n", t.run("DEL", "c"));
        assertEquals("+none\r\n", t.run("TYPE", "c"));
        t.run("SET", "s", "v");
        assertEquals("+string\r\n", t.run("TYPE", "s"));
        assertEquals(List.of("MSET a 1 b 2 c 3", "DEL a b nokey a", "UNLINK c", "SET s v"), t.propagatedText());
        assertTrue(t.events.containsAll(List.of("del:0:a", "del:0:b", "del:0:c")));
    }

    @Test
    void keys_patternAndExpiredSkipped() {
        t.run("MSET", "one", "1", "two", "2", "three", "3", "four", "4");
        t.run("PEXPIRE", "four", "10");
        t.advance(10);
        assertEquals("*1\r\n$3\r\none\r\n", t.run("KEYS", "o*"));
        assertEquals("*2\r\n", t.run("KEYS", "t??*").substring(0, 4));
        assertEquals("*3\r\n", t.run("KEYS", "*").substring(0, 4));
        assertEquals("*0\r\n", t.run("KEYS", "x*"));
        // KEYS does not delete: the expired key is still counted by DBSIZE
        assertEquals(":4\r\n", t.run("DBSIZE"));
    }

    @Test
    void randomkey() {
        assertEquals("$-1\r\n", t.run("RANDOMKEY"));
        t.run("SET", "only", "1");
        assertEquals("$4\r\nonly\r\n", t.run("RANDOMKEY"));
    }

    @Test
    void rename_renamenx() {
        assertEquals("-ERR no such key\r\n", t.run("RENAME", "nokey", "x"));
        assertEquals("-ERR no such key\r\n", t.run("RENAMENX", "nokey", "x"));
        t.run("SET", "a", "1", "EX", "100");
        assertEquals("+OK\r\n", t.run("RENAME", "a", "a"));
        assertEquals(":0\r\n", t.run("RENAMENX", "a", "a"));
        assertEquals("+OK\r\n", t.run("RENAME", "a", "b"));
        assertEquals(":100\r\n", t.run("TTL", "b"));
        assertEquals(":0\r\n", t.run("EXISTS", "a"));
        t.run("SET", "c", "3");
        assertEquals(":0\r\n", t.run("RENAMENX", "b", "c"));
        assertEquals(":1\r\n", t.run("RENAMENX", "b", "d"));
        assertEquals("+OK\r\n", t.run("RENAME", "d", "c"));
        assertEquals("$1\r\n1\r\n", t.run("GET", "c"));
        assertEquals(":100\r\n", t.run("TTL", "c"));
        assertTrue(t.events.containsAll(List.of("rename_from:0:a", "rename_to:0:b")));
    }

    @Test
    void persist_touch_dbsize() {
        t.run("SET", "k", "v", "EX", "10");
        assertEquals(":1\r\n", t.run("PERSIST", "k"));
        assertEquals(":0\r\n", t.run("PERSIST", "k"));
        assertEquals(":0\r\n", t.run("PERSIST", "nokey"));
        assertEquals(":1\r\n", t.run("TOUCH", "k", "nokey"));
        assertEquals(":1\r\n", t.run("DBSIZE"));
        assertTrue(t.events.contains("persist:0:k"));
    }

    @Test
    void copy() {
        t.run("SET", "a", "v", "PX", "5000");
        assertEquals("-ERR source and destination objects are the same\r\n", t.run("COPY", "a", "a"));
        assertEquals("-ERR DB index is out of range\r\n", t.run("COPY", "a", "b", "DB", "16"));
        assertEquals("-ERR value is not an integer or out of range\r\n", t.run("COPY", "a", "b", "DB", "x"));
        assertEquals("-ERR value is out of range, value must between -2147483648 and 2147483647\r\n",
            t.run("COPY", "a", "b", "DB", "99999999999"));
        assertEquals("-ERR syntax error\r\n", t.run("COPY", "a", "b", "foo"));
        assertEquals("-ERR syntax error\r\n", t.run("COPY", "a", "b", "DB"));
        assertEquals(":0\r\n", t.run("COPY", "nokey", "b"));
        assertEquals(":1\r\n", t.run("COPY", "a", "b"));
        assertEquals(":5000\r\n", t.run("PTTL", "b"));
        assertEquals(":0\r\n", t.run("COPY", "a", "b"));
        t.run("SET", "a", "w");
        assertEquals(":1\r\n", t.run("COPY", "a", "b", "REPLACE"));
        assertEquals("$1\r\nw\r\n", t.run("GET", "b"));
        assertEquals(":1\r\n", t.run("COPY", "a", "a", "DB", "1"));
        t.select(1);
        assertEquals("$1\r\nw\r\n", t.run("GET", "a"));
        t.select(0);
        t.run("APPEND", "raw", "x");
        t.run("APPEND", "raw", "y");
        assertEquals(":1\r\n", t.run("COPY", "raw", "raw2"));
        t.run("APPEND", "raw", "z");
        assertEquals("$2\r\nxy\r\n", t.run("GET", "raw2"));
        t.keyspace.db(0).set("h".getBytes(), new StorageTestCall.TestValue(), false);
        assertEquals(":1\r\n", t.run("COPY", "h", "h2"));
        assertEquals("+hash\r\n", t.run("TYPE", "h2"));
        assertTrue(t.events.contains("copy_to:1:a"));
    }

    @Test
    void move() {
        t.run("SET", "k", "v", "EX", "100");
        assertEquals("-ERR DB index is out of range\r\n", t.run("MOVE", "k", "16"));
        assertEquals("-ERR DB index is out of range\r\n", t.run("MOVE", "k", "-1"));
        assertEquals("-ERR value is not an integer or out of range\r\n", t.run("MOVE", "k", "x"));
        assertEquals("-ERR value is out of range, value must between -2147483648 and 2147483647\r\n",
            t.run("MOVE", "k", "2147483648"));
        assertEquals("-ERR source and destination objects are the same\r\n", t.run("MOVE", "k", "0"));
        assertEquals(":0\r\n", t.run("MOVE", "nokey", "1"));
        assertEquals(":1\r\n", t.run("MOVE", "k", "1"));
        assertEquals(":0\r\n", t.run("EXISTS", "k"));
        t.select(1);
        assertEquals(":100\r\n", t.run("TTL", "k"));
        t.select(0);
        t.run("SET", "k", "other");
        assertEquals(":0\r\n", t.run("MOVE", "k", "1"));
        assertTrue(t.events.containsAll(List.of("move_from:0:k", "move_to:1:k")));
    }

    @Test
    void swapdb_flush() {
        t.run("SET", "k", "v");
        assertEquals("-ERR invalid first DB index\r\n", t.run("SWAPDB", "x", "0"));
        assertEquals("-ERR invalid second DB index\r\n", t.run("SWAPDB", "0", "x"));
        assertEquals("-ERR DB index is out of range\r\n", t.run("SWAPDB", "0", "16"));
        assertEquals("+OK\r\n", t.run("SWAPDB", "0", "1"));
        assertEquals(":0\r\n", t.run("DBSIZE"));
        t.select(1);
        assertEquals(":1\r\n", t.run("DBSIZE"));
        assertEquals("-ERR syntax error\r\n", t.run("FLUSHDB", "foo"));
        assertEquals("-ERR syntax error\r\n", t.run("FLUSHDB", "ASYNC", "x"));
        assertEquals("+OK\r\n", t.run("FLUSHDB", "SYNC"));
        assertEquals(":0\r\n", t.run("DBSIZE"));
        t.propagated.clear();
        // an empty FLUSHDB still propagates, as Redis forces it
        assertEquals("+OK\r\n", t.run("FLUSHDB"));
        assertEquals(List.of("FLUSHDB"), t.propagatedText());
        t.run("SET", "x", "1");
        t.select(3);
        t.run("SET", "y", "1");
        final long dirty = t.keyspace.dirty;
        assertEquals("+OK\r\n", t.run("FLUSHALL", "ASYNC"));
        assertEquals(dirty + 3, t.keyspace.dirty);
        assertEquals(0, t.keyspace.totalKeys());
        assertEquals("+OK\r\n", t.run("FLUSHALL"));
        assertEquals(List.of("FLUSHDB", "SET x 1", "SET y 1", "FLUSHALL ASYNC", "FLUSHALL"), t.propagatedText());
    }

    @Test
    void object_subcommands() {
        t.run("SET", "k", "5");
        assertEquals("$3\r\nint\r\n", t.run("OBJECT", "ENCODING", "k"));
        assertEquals(":2147483647\r\n", t.run("OBJECT", "REFCOUNT", "k"));
        t.run("SET", "s", "hello");
        assertEquals(":1\r\n", t.run("OBJECT", "REFCOUNT", "s"));
        assertEquals("$-1\r\n", t.run("OBJECT", "ENCODING", "nokey"));
        assertEquals("$-1\r\n", t.run("OBJECT", "FREQ", "nokey"));
        assertEquals("-ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that "
            + "when switching between policies at runtime LRU and LFU data will take some time to adjust.\r\n",
            t.run("OBJECT", "FREQ", "s"));
        assertEquals(":0\r\n", t.run("OBJECT", "IDLETIME", "s"));
        t.advance(5_000);
        assertEquals(":5\r\n", t.run("OBJECT", "IDLETIME", "s"));
        t.run("GET", "s");
        assertEquals(":0\r\n", t.run("OBJECT", "IDLETIME", "s"));
        t.keyspace.db(0).set("h".getBytes(), new StorageTestCall.TestValue(), false);
        assertEquals("$8\r\nlistpack\r\n", t.run("OBJECT", "ENCODING", "h"));
        assertEquals("-ERR wrong number of arguments for 'object|encoding' command\r\n", t.run("OBJECT", "ENCODING"));
        final String help = t.run("OBJECT", "HELP");
        assertTrue(help.startsWith("*15\r\n+OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"
            + "+ENCODING <key>\r\n"), help);
        assertTrue(help.endsWith("+HELP\r\n+    Prints this help.\r\n"), help);
    }

    @Test
    void object_lfu() {
        t.settings.maxmemoryPolicy = "allkeys-lfu";
        t.run("SET", "k", "v");
        assertEquals(":5\r\n", t.run("OBJECT", "FREQ", "k"));
        assertEquals("-ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when "
            + "switching between policies at runtime LRU and LFU data will take some time to adjust.\r\n",
            t.run("OBJECT", "IDLETIME", "k"));
        for (int i = 0; i < 200; i++) {
            t.run("GET", "k");
        }
        final long freq = Long.parseLong(t.run("OBJECT", "FREQ", "k").trim().substring(1));
        assertTrue(freq > 5 && freq < 255, "freq " + freq);
        // lfu-decay-time 1: one minute without access takes one off the counter
        t.advance(3 * 60_000);
        assertEquals(":" + (freq - 3) + "\r\n", t.run("OBJECT", "FREQ", "k"));
    }

    @Test
    void specsMatchCommandInfo() {
        assertSpec("del", -2, 1, -1, 1, "@keyspace @write @slow");
        assertSpec("unlink", -2, 1, -1, 1, "@keyspace @write @fast");
        assertSpec("keys", 2, 0, 0, 0, "@keyspace @read @slow @dangerous");
        assertSpec("rename", 3, 1, 2, 1, "@keyspace @write @slow");
        assertSpec("copy", -3, 1, 2, 1, "@keyspace @write @slow");
        assertSpec("swapdb", 3, 0, 0, 0, "@keyspace @write @fast @dangerous");
        assertSpec("flushall", -1, 0, 0, 0, "@keyspace @write @slow @dangerous");
        assertSpec("object|freq", 3, 2, 2, 1, "@keyspace @read @slow");
        assertSpec("object|help", 2, 0, 0, 0, "@keyspace @slow");
        assertSpec("mset", -3, 1, -1, 2, "@write @string @slow");
        assertSpec("lcs", -3, 1, 2, 1, "@read @string @slow");
        assertSpec("getex", -2, 1, 1, 1, "@write @string @fast");
    }

    private void assertSpec(final String name, final int arity, final int first, final int last, final int step,
                            final String acl) {
        final CommandSpec s = t.table().lookup(name);
        assertEquals(arity, s.arity(), name);
        assertEquals(List.of(first, last, step), List.of(s.firstKey(), s.lastKey(), s.keyStep()), name);
        final StringBuilder sb = new StringBuilder();
        for (final var c : dev.cinnabar.protocol.command.AclCategory.values()) {
            if (c.in(s.aclCategories())) {
                sb.append(sb.length() == 0 ? "" : " ").append('@').append(c.wireName());
            }
        }
        assertEquals(sortedWords(acl), sortedWords(sb.toString()), name);
    }

    private static List<String> sortedWords(final String s) {
        return java.util.Arrays.stream(s.split(" ")).sorted().toList();
    }

    /** redis-server 7.0.15 rounds LLONG_MAX ms to 9223372036854776 s (its (t + 500) / 1000 does not wrap). */
    @Test
    void expiretime_ofTheLargestDeadline() {
        t.run("SET", "k", "v");
        assertEquals(":1\r\n", t.run("PEXPIREAT", "k", "9223372036854775807"));
        assertEquals(":9223372036854776\r\n", t.run("EXPIRETIME", "k"));
        assertEquals(":9223372036854775807\r\n", t.run("PEXPIRETIME", "k"));
    }
}
