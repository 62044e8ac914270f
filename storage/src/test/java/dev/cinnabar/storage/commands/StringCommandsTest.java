package dev.cinnabar.storage.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** String commands against exact reply bytes taken from redis-server 7.0.15. */
class StringCommandsTest {
    private static final long NOW = 1_700_000_000_000L;
    private final StorageTestCall t = new StorageTestCall(new StringCommands(), new KeyCommands());

    @Test
    void get_set_basics() {
        assertEquals("$-1\r\n", t.run("GET", "k"));
        assertEquals("+OK\r\n", t.run("SET", "k", "v"));
        assertEquals("$1\r\nv\r\n", t.run("GET", "k"));
        t.run("SET", "empty", "");
        assertEquals("$0\r\n\r\n", t.run("GET", "empty"));
        assertEquals(List.of("SET k v", "SET empty "), t.propagatedText());
    }

    @Test
    void get_resp3_null() {
        t.resp3();
        assertEquals("_\r\n", t.run("GET", "k"));
        assertEquals("*2\r\n_\r\n_\r\n", t.run("MGET", "a", "b"));
    }

    @Test
    void set_optionConflictsAreSyntaxErrors() {
        t.run("SET", "k", "v");
        for (final String[] opts : new String[][] {
            {"NX", "XX"}, {"EX", "10", "PX", "10"}, {"EX", "10", "KEEPTTL"}, {"KEEPTTL", "EX", "10"}, {"EX"},
            {"foo"}, {"PERSIST"}, {"XX", "NX"}, {"PXAT", "5", "EXAT", "5"}}) {
            final String[] argv = new String[3 + opts.length];
            argv[0] = "SET";
            argv[1] = "k";
            argv[2] = "v";
            System.arraycopy(opts, 0, argv, 3, opts.length);
            assertEquals("-ERR syntax error\r\n", t.run(argv), String.join(" ", opts));
        }
        assertEquals("+OK\r\n", t.run("SET", "k", "v", "ex", "10", "EX", "20"));
        assertEquals("+OK\r\n", t.run("SET", "k", "v", "keepttl", "KEEPTTL"));
    }

    @Test
    void set_expireErrors() {
        assertEquals("-ERR invalid expire time in 'set' command\r\n", t.run("SET", "k", "v", "EX", "0"));
        assertEquals("-ERR invalid expire time in 'set' command\r\n", t.run("SET", "k", "v", "EX", "-1"));
        assertEquals("-ERR value is not an integer or out of range\r\n", t.run("SET", "k", "v", "EX", "abc"));
        assertEquals("-ERR invalid expire time in 'set' command\r\n",
            t.run("SET", "k", "v", "PX", "9223372036854775807"));
        assertEquals("-ERR invalid expire time in 'set' command\r\n",
            t.run("SET", "k", "v", "EX", "9223372036854775"));
        assertEquals("-ERR invalid expire time in 'set' command\r\n",
            t.run("SET", "k", "v", "EX", "9223372036854776"));
        assertEquals("+OK\r\n", t.run("SET", "k", "v", "EXAT", "9223372036854775"));
        assertEquals("-ERR invalid expire time in 'setex' command\r\n", t.run("SETEX", "k", "0", "v"));
        assertEquals("-ERR invalid expire time in 'psetex' command\r\n", t.run("PSETEX", "k", "-5", "v"));
        assertEquals("-ERR value is not an integer or out of range\r\n", t.run("SETEX", "k", "x", "v"));
    }

    @Test
    void set_expiresArePropagatedAsPxat() {
        assertEquals("+OK\r\n", t.run("SET", "a", "1", "EX", "10"));
        assertEquals("+OK\r\n", t.run("SET", "b", "2", "px", "1500", "NX"));
        assertEquals("+OK\r\n", t.run("SET", "c", "3", "EXAT", "1800000000"));
        assertEquals("+OK\r\n", t.run("SET", "d", "4", "PXAT", "1800000000123"));
        assertEquals("+OK\r\n", t.run("SETEX", "e", "7", "5"));
        assertEquals("+OK\r\n", t.run("PSETEX", "f", "70", "6"));
        assertEquals(List.of(
            "SET a 1 PXAT " + (NOW + 10_000),
            "SET b 2 PXAT " + (NOW + 1500),
            "SET c 3 PXAT 1800000000000",
            "SET d 4 PXAT 1800000000123",
            "SET e 5 PXAT " + (NOW + 7000),
            "SET f 6 PXAT " + (NOW + 70)), t.propagatedText());
        assertEquals(":10\r\n", t.run("TTL", "a"));
        assertEquals(":1500\r\n", t.run("PTTL", "b"));
        assertTrue(t.events.containsAll(List.of("set:0:a", "expire:0:a")));
    }

    @Test
    void set_nxXxGetKeepttl() {
        assertEquals("$-1\r\n", t.run("SET", "k", "v", "XX"));
        assertEquals("$-1\r\n", t.run("SET", "k", "v", "NX", "GET"));
        assertEquals("$1\r\nv\r\n", t.run("SET", "k", "w", "GET", "NX"));
        assertEquals("$1\r\nv\r\n", t.run("SET", "k", "w", "XX", "GET"));
        assertEquals("$-1\r\n", t.run("SET", "k", "x", "NX"));
        assertEquals("+OK\r\n", t.run("SET", "k", "x", "XX", "PX", "5000"));
        assertEquals("+OK\r\n", t.run("SET", "k", "y", "KEEPTTL"));
        assertEquals(":5000\r\n", t.run("PTTL", "k"));
        assertEquals("+OK\r\n", t.run("SET", "k", "z"));
        assertEquals(":-1\r\n", t.run("PTTL", "k"));
        assertEquals("$1\r\nz\r\n", t.run("SET", "k", "q", "GET", "get"));
        assertEquals("SET k q", t.propagatedText().get(t.propagatedText().size() - 1));
        assertEquals("SET k w XX", t.propagatedText().get(1));
    }

    @Test
    void set_getOnWrongTypeFailsBeforeWriting() {
        t.run("SET", "l", "v");
        t.keyspace.db(0).set("h".getBytes(), new StorageTestCall.TestValue(), false);
        assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
            t.run("SET", "h", "v", "GET"));
        assertEquals("+hash\r\n", t.run("TYPE", "h"));
        assertEquals("+OK\r\n", t.run("SET", "h", "v"));
        assertEquals("+string\r\n", t.run("TYPE", "h"));
    }

    @Test
    void setnx_msetnx_mset() {
        assertEquals(":1\r\n", t.run("SETNX", "k", "v"));
        assertEquals(":0\r\n", t.run("SETNX", "k", "w"));
        assertEquals("+OK\r\n", t.run("MSET", "a", "1", "b", "2"));
        assertEquals("-ERR wrong number of arguments for 'mset' command\r\n", t.run("MSET", "a", "1", "b"));
        assertEquals(":0\r\n", t.run("MSETNX", "c", "3", "a", "9"));
        assertEquals("$-1\r\n", t.run("GET", "c"));
        assertEquals(":1\r\n", t.run("MSETNX", "c", "3", "d", "4"));
        assertEquals("*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$-1\r\n", t.run("MGET", "a", "b", "c", "nokey"));
        assertEquals(List.of("SETNX k v", "MSET a 1 b 2", "MSETNX c 3 d 4"), t.propagatedText());
    }

    @Test
    void getset_getdel_propagation() {
        assertEquals("$-1\r\n", t.run("GETSET", "k", "v"));
        t.run("EXPIRE", "k", "100");
        assertEquals("$1\r\nv\r\n", t.run("GETSET", "k", "w"));
        assertEquals(":-1\r\n", t.run("TTL", "k"));
        assertEquals("$1\r\nw\r\n", t.run("GETDEL", "k"));
        assertEquals("$-1\r\n", t.run("GETDEL", "k"));
        assertEquals(List.of("SET k v", "PEXPIREAT k " + (NOW + 100_000), "SET k w", "DEL k"), t.propagatedText());
        assertTrue(t.events.contains("del:0:k"));
    }

    @Test
    void getex_options() {
        t.run("SET", "k", "v");
        t.propagated.clear();
        assertEquals("$1\r\nv\r\n", t.run("GETEX", "k"));
        assertEquals("$1\r\nv\r\n", t.run("GETEX", "k", "EX", "100"));
        assertEquals(":100\r\n", t.run("TTL", "k"));
        assertEquals("$1\r\nv\r\n", t.run("GETEX", "k", "PERSIST"));
        assertEquals(":-1\r\n", t.run("TTL", "k"));
        assertEquals("$1\r\nv\r\n", t.run("GETEX", "k", "PERSIST"));
        assertEquals("$1\r\nv\r\n", t.run("GETEX", "k", "PXAT", "1"));
        assertEquals("$-1\r\n", t.run("GET", "k"));
        assertEquals(List.of("PEXPIREAT k " + (NOW + 100_000), "PERSIST k", "DEL k"), t.propagatedText());
        assertEquals("-ERR syntax error\r\n", t.run("GETEX", "k", "EX", "1", "PERSIST"));
        assertEquals("-ERR syntax error\r\n", t.run("GETEX", "k", "KEEPTTL"));
        assertEquals("-ERR syntax error\r\n", t.run("GETEX", "k", "NX"));
        // Redis looks the key up first: a missing key is nil whatever the expire, a wrong type is WRONGTYPE
        assertEquals("$-1\r\n", t.run("GETEX", "k", "EX", "0"));
        assertEquals("$-1\r\n", t.run("GETEX", "missing", "EX", "10"));
        t.run("SET", "k", "v");
        assertEquals("-ERR invalid expire time in 'getex' command\r\n", t.run("GETEX", "k", "EX", "0"));
        assertEquals("-ERR value is not an integer or out of range\r\n", t.run("GETEX", "k", "PX", "abc"));
        t.keyspace.db(0).set("h".getBytes(), new StorageTestCall.TestValue(), false);
        assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
            t.run("GETEX", "h", "EX", "0"));
    }

    @Test
    void append_strlen_encodings() {
        assertEquals(":3\r\n", t.run("APPEND", "s", "123"));
        assertEquals("$3\r\nint\r\n", t.run("OBJECT", "ENCODING", "s"));
        assertEquals(":4\r\n", t.run("APPEND", "s", "4"));
        assertEquals("$3\r\nraw\r\n", t.run("OBJECT", "ENCODING", "s"));
        assertEquals(":1235\r\n", t.run("INCR", "s"));
        assertEquals("$3\r\nint\r\n", t.run("OBJECT", "ENCODING", "s"));
        assertEquals(":4\r\n", t.run("STRLEN", "s"));
        assertEquals(":0\r\n", t.run("STRLEN", "nokey"));
        t.run("SET", "e", "x".repeat(44));
        assertEquals("$6\r\nembstr\r\n", t.run("OBJECT", "ENCODING", "e"));
        t.run("SET", "r", "x".repeat(45));
        assertEquals("$3\r\nraw\r\n", t.run("OBJECT", "ENCODING", "r"));
        assertTrue(t.events.contains("append:0:s"));
    }

    @Test
    void append_growsPastProtoMaxBulkLen() {
        t.settings.protoMaxBulkLen = 5;
        t.run("SET", "s", "abc");
        assertEquals("-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n", t.run("APPEND", "s", "def"));
        assertEquals(":5\r\n", t.run("APPEND", "s", "de"));
    }

    @Test
    void incr_decr_family() {
        assertEquals(":1\r\n", t.run("INCR", "n"));
        assertEquals(":0\r\n", t.run("DECR", "n"));
        assertEquals(":-5\r\n", t.run("DECRBY", "n", "5"));
        assertEquals(":10\r\n", t.run("INCRBY", "n", "15"));
        assertEquals("-ERR value is not an integer or out of range\r\n", t.run("INCRBY", "n", "1.5"));
        t.run("SET", "max", "9223372036854775807");
        assertEquals("-ERR increment or decrement would overflow\r\n", t.run("INCR", "max"));
        assertEquals("-ERR decrement would overflow\r\n", t.run("DECRBY", "max", "-9223372036854775808"));
        t.run("SET", "min", "-9223372036854775808");
        assertEquals("-ERR increment or decrement would overflow\r\n", t.run("DECR", "min"));
        t.run("SET", "txt", "abc");
        assertEquals("-ERR value is not an integer or out of range\r\n", t.run("INCR", "txt"));
        t.run("SET", "sp", " 1");
        assertEquals("-ERR value is not an integer or out of range\r\n", t.run("INCR", "sp"));
        t.run("SET", "ttl", "1", "EX", "100");
        t.run("INCR", "ttl");
        assertEquals(":100\r\n", t.run("TTL", "ttl"));
        assertTrue(t.events.contains("incrby:0:n"));
    }

    @Test
    void incrbyfloat_longDoubleFormatting() {
        t.run("SET", "f", "1502");
        assertEquals("$22\r\n1502.09999999999999998\r\n", t.run("INCRBYFLOAT", "f", "0.1"));
        t.run("SET", "f", "10.5");
        assertEquals("$4\r\n10.6\r\n", t.run("INCRBYFLOAT", "f", "0.1"));
        assertEquals("$3\r\n5.6\r\n", t.run("INCRBYFLOAT", "f", "-5"));
        t.run("SET", "e", "5.0e3");
        assertEquals("$4\r\n5200\r\n", t.run("INCRBYFLOAT", "e", "2.0e2"));
        assertEquals("$1\r\n0\r\n", t.run("INCRBYFLOAT", "z", "-0"));
        t.run("SET", "big", "1e30");
        assertEquals("$31\r\n1000000000000000000024696061952\r\n", t.run("INCRBYFLOAT", "big", "1"));
        t.run("SET", "neg", "-1.5");
        assertEquals("$1\r\n0\r\n", t.run("INCRBYFLOAT", "neg", "1.5"));
        t.run("SET", "h", "1");
        assertEquals("$4\r\n2.75\r\n", t.run("INCRBYFLOAT", "h", "0x1.cp0"));
        t.run("SET", "huge", "0.5");
        assertEquals("$308\r\n99999999999999999996685879655845645660560099847415567207797047994921734868838061872100126921"
            + "888539320446747225054013223152134749593960583597420814430196418767959100019603190778663109604507106667939"
            + "153395788938914560543563061268364901618630217086589253444881623791300855757318142424510452728255046343928"
            + "578048\r\n", t.run("INCRBYFLOAT", "huge", "1e308"));
    }

    /** Encodings and texts checked against redis-server 7.0.15. */
    @Test
    void incrbyfloat_encodingsAndWholeTextParsing() {
        assertEquals("$1\r\n3\r\n", t.run("INCRBYFLOAT", "f", "3"));
        assertEquals("$6\r\nembstr\r\n", t.run("OBJECT", "ENCODING", "f"));
        assertEquals(":1\r\n", t.run("COPY", "f", "f2"));
        assertEquals("$6\r\nembstr\r\n", t.run("OBJECT", "ENCODING", "f2"));
        assertEquals(":4\r\n", t.run("INCR", "f"));
        assertEquals("$3\r\nint\r\n", t.run("OBJECT", "ENCODING", "f"));
        assertEquals(":1\r\n", t.run("APPEND", "f2", ""));
        assertEquals("$3\r\nraw\r\n", t.run("OBJECT", "ENCODING", "f2"));
        t.run("SET", "g", "1e50");
        assertEquals("$51\r\n100000000000000000003583830118858923890798487404544\r\n",
            t.run("INCRBYFLOAT", "g", "0"));
        assertEquals("$3\r\nraw\r\n", t.run("OBJECT", "ENCODING", "g"));
        // string2ld must consume every byte: a NUL ends the C string but not the argument
        t.run("SET", "n", "-16\u0000\u0000mynewtext");
        assertEquals("-ERR value is not a valid float\r\n", t.run("INCRBYFLOAT", "n", "-2.25"));
        t.run("SET", "n", "1\u0000");
        assertEquals("-ERR value is not a valid float\r\n", t.run("INCRBYFLOAT", "n", "1"));
        assertEquals("-ERR value is not a valid float\r\n", t.run("INCRBYFLOAT", "m", "1\u0000"));
    }

    @Test
    void incrbyfloat_errorsAndPropagation() {
        t.run("SET", "f", "1", "EX", "100");
        t.propagated.clear();
        assertEquals("$3\r\n2.5\r\n", t.run("INCRBYFLOAT", "f", "1.5"));
        assertEquals(":100\r\n", t.run("TTL", "f"));
        assertEquals(List.of("SET f 2.5 KEEPTTL"), t.propagatedText());
        assertEquals("-ERR increment would produce NaN or Infinity\r\n", t.run("INCRBYFLOAT", "f", "inf"));
        assertEquals("-ERR value is not a valid float\r\n", t.run("INCRBYFLOAT", "f", "nan"));
        assertEquals("-ERR value is not a valid float\r\n", t.run("INCRBYFLOAT", "f", " 1"));
        assertEquals("-ERR value is not a valid float\r\n", t.run("INCRBYFLOAT", "f", "1e"));
        assertEquals("-ERR value is not a valid float\r\n", t.run("INCRBYFLOAT", "f", ""));
        t.run("SET", "over", "1e5000");
        assertEquals("-ERR value is not a valid float\r\n", t.run("INCRBYFLOAT", "over", "1"));
        t.run("SET", "max", "1e4932");
        assertEquals("-ERR increment would produce NaN or Infinity\r\n", t.run("INCRBYFLOAT", "max", "1e4932"));
    }

    @Test
    void getrange_setrange() {
        t.run("SET", "s", "Hello World");
        assertEquals("$5\r\nHello\r\n", t.run("GETRANGE", "s", "0", "4"));
        assertEquals("$3\r\nrld\r\n", t.run("GETRANGE", "s", "-3", "-1"));
        assertEquals("$0\r\n\r\n", t.run("GETRANGE", "s", "-1", "-5"));
        assertEquals("$0\r\n\r\n", t.run("GETRANGE", "s", "5", "1"));
        assertEquals("$11\r\nHello World\r\n", t.run("GETRANGE", "s", "0", "100"));
        assertEquals("$1\r\nH\r\n", t.run("GETRANGE", "s", "-100", "-50"));
        assertEquals("$0\r\n\r\n", t.run("GETRANGE", "nokey", "0", "1"));
        assertEquals("$11\r\nHello World\r\n", t.run("SUBSTR", "s", "0", "-1"));
        assertEquals("-ERR value is not an integer or out of range\r\n", t.run("GETRANGE", "s", "0", "x"));
        assertEquals(":11\r\n", t.run("SETRANGE", "s", "6", "Redis"));
        assertEquals("$11\r\nHello Redis\r\n", t.run("GET", "s"));
        assertEquals(":6\r\n", t.run("SETRANGE", "new", "5", "x"));
        assertEquals("$6\r\n\0\0\0\0\0x\r\n", t.run("GET", "new"));
        assertEquals(":0\r\n", t.run("SETRANGE", "new2", "0", ""));
        assertEquals(":0\r\n", t.run("EXISTS", "new2"));
        assertEquals(":6\r\n", t.run("SETRANGE", "new", "0", ""));
        assertEquals("-ERR offset is out of range\r\n", t.run("SETRANGE", "s", "-1", "x"));
        assertEquals("-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n",
            t.run("SETRANGE", "s", "536870912", "x"));
        assertTrue(t.events.contains("setrange:0:s"));
    }

    @Test
    void lcs_shapes() {
        t.run("MSET", "key1", "ohmytext", "key2", "mynewtext");
        assertEquals("$6\r\nmytext\r\n", t.run("LCS", "key1", "key2"));
        assertEquals(":6\r\n", t.run("LCS", "key1", "key2", "LEN"));
        assertEquals("*4\r\n$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n*2\r\n*2\r\n:2\r\n:3\r\n"
            + "*2\r\n:0\r\n:1\r\n$3\r\nlen\r\n:6\r\n", t.run("LCS", "key1", "key2", "idx"));
        assertEquals("*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n$3\r\nlen\r\n:6\r\n",
            t.run("LCS", "key1", "key2", "idx", "minmatchlen", "4", "withmatchlen"));
        assertEquals("*4\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:0\r\n", t.run("LCS", "key1", "nokey", "IDX"));
        assertEquals("-ERR If you want both the length and indexes, please just use IDX.\r\n",
            t.run("LCS", "key1", "key2", "LEN", "IDX"));
        assertEquals("-ERR syntax error\r\n", t.run("LCS", "key1", "key2", "MINMATCHLEN"));
        assertEquals("-ERR value is not an integer or out of range\r\n",
            t.run("LCS", "key1", "key2", "MINMATCHLEN", "x"));
        t.keyspace.db(0).set("l".getBytes(), new StorageTestCall.TestValue(), false);
        assertEquals("-ERR The specified keys must contain string values\r\n", t.run("LCS", "l", "key1"));
        t.resp3();
        assertEquals("%2\r\n$7\r\nmatches\r\n*2\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n*3\r\n*2\r\n:2\r\n:3\r\n"
            + "*2\r\n:0\r\n:1\r\n:2\r\n$3\r\nlen\r\n:6\r\n", t.run("LCS", "key1", "key2", "idx", "withmatchlen"));
    }

    @Test
    void wrongType() {
        t.keyspace.db(0).set("l".getBytes(), new StorageTestCall.TestValue(), false);
        final String wt = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
        for (final String[] cmd : new String[][] {{"GET", "l"}, {"APPEND", "l", "x"}, {"STRLEN", "l"}, {"INCR", "l"},
            {"INCRBYFLOAT", "l", "1"}, {"GETRANGE", "l", "0", "1"}, {"SETRANGE", "l", "0", "x"}, {"GETSET", "l", "x"},
            {"GETDEL", "l"}, {"GETEX", "l"}}) {
            assertEquals(wt, t.run(cmd), cmd[0]);
        }
        assertEquals("*1\r\n$-1\r\n", t.run("MGET", "l"));
    }
}
