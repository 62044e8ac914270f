package dev.cinnabar.storage.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/**
 * Bitmap commands against the oracle's replies.
 * Expected replies are the bytes Redis 7.0.15 sent for the same command sequences (captured from a
 * real server; RESP2 unless a test switches to RESP3).
 */
class BitmapCommandsTest {
    private final StorageTestCall t = new StorageTestCall(new BitmapCommands(), new ZSetCommands());

    private static byte[] bytes(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private String exists(final String key) {
        return t.db().lookup(bytes(key)) != null ? ":1\r\n" : ":0\r\n";
    }

    @Test
    void setbit_getbit() {
        assertEquals("-ERR bit offset is not an integer or out of range\r\n",
            t.run("SETBIT", "b", "x", "1"));
        assertEquals("-ERR bit offset is not an integer or out of range\r\n",
            t.run("SETBIT", "b", "-1", "1"));
        assertEquals("-ERR bit offset is not an integer or out of range\r\n",
            t.run("SETBIT", "b", "4294967296", "1"));
        assertEquals("-ERR bit is not an integer or out of range\r\n",
            t.run("SETBIT", "b", "4294967295", "2"));
        assertEquals("-ERR bit is not an integer or out of range\r\n",
            t.run("SETBIT", "b", "1", "x"));
        assertEquals("-ERR bit is not an integer or out of range\r\n",
            t.run("SETBIT", "b", "1", "-1"));
        assertEquals("-ERR bit offset is not an integer or out of range\r\n",
            t.run("GETBIT", "b", "4294967296"));
        assertEquals("-ERR bit offset is not an integer or out of range\r\n",
            t.run("GETBIT", "b", "x"));
        assertEquals(":0\r\n",
            t.run("SETBIT", "b", "7", "1"));
        assertEquals(":1\r\n",
            t.run("SETBIT", "b", "7", "1"));
        assertEquals(":1\r\n",
            t.run("SETBIT", "b", "7", "0"));
        assertEquals(":0\r\n",
            t.run("SETBIT", "b", "100", "1"));
        assertEquals(":1\r\n",
            t.run("GETBIT", "b", "100"));
        assertEquals(":0\r\n",
            t.run("GETBIT", "b", "101"));
        assertEquals(":0\r\n",
            t.run("GETBIT", "b", "99999"));
        assertEquals(":0\r\n",
            t.run("GETBIT", "nokey", "5"));
        assertEquals(":1\r\n",
            t.run("BITCOUNT", "b"));
        t.db().set(bytes("s"), bytes("abc"), false);
        assertEquals(":1\r\n",
            t.run("GETBIT", "s", "1"));
        assertEquals(":1\r\n",
            t.run("GETBIT", "s", "2"));
        assertEquals(":1\r\n",
            t.run("SETBIT", "s", "7", "1"));
        assertEquals(":10\r\n",
            t.run("BITCOUNT", "s"));
        t.db().set(bytes("str"), bytes("12345"), false);
        assertEquals(":0\r\n",
            t.run("SETBIT", "str", "0", "1"));
        assertEquals("*1\r\n:177\r\n",
            t.run("BITFIELD", "str", "GET", "u8", "0"));
    }

    @Test
    void bitcount() {
        t.db().set(bytes("s"), bytes("foobar"), false);
        assertEquals(":26\r\n",
            t.run("BITCOUNT", "s"));
        assertEquals(":4\r\n",
            t.run("BITCOUNT", "s", "0", "0"));
        assertEquals(":6\r\n",
            t.run("BITCOUNT", "s", "1", "1"));
        assertEquals(":22\r\n",
            t.run("BITCOUNT", "s", "1", "-1"));
        assertEquals(":7\r\n",
            t.run("BITCOUNT", "s", "-2", "-1"));
        assertEquals(":0\r\n",
            t.run("BITCOUNT", "s", "-1", "-2"));
        assertEquals(":4\r\n",
            t.run("BITCOUNT", "s", "5", "30"));
        assertEquals("-ERR syntax error\r\n",
            t.run("BITCOUNT", "s", "0"));
        assertEquals("-ERR syntax error\r\n",
            t.run("BITCOUNT", "s", "0", "1", "FOO"));
        assertEquals("-ERR value is not an integer or out of range\r\n",
            t.run("BITCOUNT", "s", "x", "1"));
        assertEquals(":1\r\n",
            t.run("BITCOUNT", "s", "0", "1", "BIT"));
        assertEquals(":17\r\n",
            t.run("BITCOUNT", "s", "5", "30", "BIT"));
        assertEquals(":6\r\n",
            t.run("BITCOUNT", "s", "1", "1", "BYTE"));
        assertEquals(":2\r\n",
            t.run("BITCOUNT", "s", "-5", "-1", "BIT"));
        assertEquals(":0\r\n",
            t.run("BITCOUNT", "s", "3", "3", "BIT"));
        assertEquals(":26\r\n",
            t.run("BITCOUNT", "s", "0", "100", "BIT"));
        assertEquals("-ERR syntax error\r\n",
            t.run("BITCOUNT", "s", "0", "1", "2", "3"));
        assertEquals(":0\r\n",
            t.run("BITCOUNT", "nokey", "0"));
        assertEquals(":0\r\n",
            t.run("BITCOUNT", "nokey", "x", "1"));
    }

    @Test
    void bitpos() {
        t.db().set(bytes("s"), new byte[] {(byte) 0xff, (byte) 0xf0, (byte) 0x00}, false);
        assertEquals(":12\r\n",
            t.run("BITPOS", "s", "0"));
        assertEquals(":0\r\n",
            t.run("BITPOS", "s", "1"));
        assertEquals("-ERR The bit argument must be 1 or 0.\r\n",
            t.run("BITPOS", "s", "2"));
        assertEquals("-ERR value is not an integer or out of range\r\n",
            t.run("BITPOS", "s", "x"));
        assertEquals(":-1\r\n",
            t.run("BITPOS", "s", "1", "2"));
        assertEquals(":12\r\n",
            t.run("BITPOS", "s", "0", "0", "1"));
        assertEquals(":-1\r\n",
            t.run("BITPOS", "s", "1", "2", "-1"));
        assertEquals(":-1\r\n",
            t.run("BITPOS", "s", "0", "0", "0"));
        assertEquals(":7\r\n",
            t.run("BITPOS", "s", "1", "7", "15", "BIT"));
        assertEquals(":12\r\n",
            t.run("BITPOS", "s", "0", "7", "15", "BIT"));
        assertEquals(":-1\r\n",
            t.run("BITPOS", "s", "0", "0", "11", "BIT"));
        assertEquals(":-1\r\n",
            t.run("BITPOS", "s", "0", "3"));
        assertEquals("-ERR syntax error\r\n",
            t.run("BITPOS", "s", "1", "0", "1", "FOO"));
        assertEquals("-ERR value is not an integer or out of range\r\n",
            t.run("BITPOS", "s", "1", "x"));
        assertEquals("-ERR value is not an integer or out of range\r\n",
            t.run("BITPOS", "s", "1", "0", "x"));
        assertEquals(":16\r\n",
            t.run("BITPOS", "s", "0", "-1"));
        assertEquals(":-1\r\n",
            t.run("BITPOS", "s", "1", "5", "1"));
        assertEquals(":-1\r\n",
            t.run("BITPOS", "s", "0", "2", "2", "BIT"));
        assertEquals("-ERR syntax error\r\n",
            t.run("BITPOS", "s", "1", "1", "2", "3", "4"));
        assertEquals(":-1\r\n",
            t.run("BITPOS", "nokey", "1"));
        assertEquals(":0\r\n",
            t.run("BITPOS", "nokey", "0"));
        assertEquals(":-1\r\n",
            t.run("BITPOS", "nokey", "1", "0", "1", "FOO"));
        t.db().set(bytes("e"), bytes(""), false);
        assertEquals(":-1\r\n",
            t.run("BITPOS", "e", "0"));
        assertEquals(":-1\r\n",
            t.run("BITPOS", "e", "1"));
        t.db().set(bytes("f"), new byte[] {(byte) 0xff, (byte) 0xff}, false);
        assertEquals(":16\r\n",
            t.run("BITPOS", "f", "0"));
        assertEquals(":-1\r\n",
            t.run("BITPOS", "f", "0", "0", "-1"));
        assertEquals(":-1\r\n",
            t.run("BITPOS", "f", "0", "0", "15", "BIT"));
    }

    @Test
    void bitop() {
        t.db().set(bytes("a"), new byte[] {(byte) 0x0f, (byte) 0xf0}, false);
        t.db().set(bytes("b"), new byte[] {(byte) 0xff}, false);
        assertEquals(":2\r\n",
            t.run("BITOP", "AND", "d", "a", "b"));
        assertEquals(":1\r\n",
            t.run("GETBIT", "d", "4"));
        assertEquals(":4\r\n",
            t.run("BITCOUNT", "d"));
        assertEquals(":2\r\n",
            t.run("BITOP", "OR", "d", "a", "b"));
        assertEquals(":12\r\n",
            t.run("BITCOUNT", "d"));
        assertEquals(":2\r\n",
            t.run("BITOP", "XOR", "d", "a", "b"));
        assertEquals("*1\r\n:61680\r\n",
            t.run("BITFIELD", "d", "GET", "u16", "0"));
        assertEquals(":2\r\n",
            t.run("BITOP", "NOT", "d", "a"));
        assertEquals("*1\r\n:61455\r\n",
            t.run("BITFIELD", "d", "GET", "u16", "0"));
        assertEquals("-ERR BITOP NOT must be called with a single source key.\r\n",
            t.run("BITOP", "NOT", "d", "a", "b"));
        assertEquals("-ERR syntax error\r\n",
            t.run("BITOP", "FOO", "d", "a"));
        assertEquals(":0\r\n",
            t.run("BITOP", "AND", "d", "nokey", "nokey2"));
        assertEquals(":0\r\n", exists("d"));
        assertEquals(":2\r\n",
            t.run("BITOP", "AND", "d", "nokey", "a"));
        assertEquals("*1\r\n:0\r\n",
            t.run("BITFIELD", "d", "GET", "u16", "0"));
        t.run("ZADD", "z", "1", "a");
        assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
            t.run("BITOP", "AND", "d", "a", "z"));
    }

    @Test
    void bitfield() {
        assertEquals("-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i6"
            + "4 is.\r\n",
            t.run("BITFIELD", "b", "GET", "i65", "0"));
        assertEquals("-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i6"
            + "4 is.\r\n",
            t.run("BITFIELD", "b", "GET", "u64", "0"));
        assertEquals("-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i6"
            + "4 is.\r\n",
            t.run("BITFIELD", "b", "GET", "u0", "0"));
        assertEquals("-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i6"
            + "4 is.\r\n",
            t.run("BITFIELD", "b", "GET", "x8", "0"));
        assertEquals("-ERR bit offset is not an integer or out of range\r\n",
            t.run("BITFIELD", "b", "GET", "u8", "-1"));
        assertEquals("-ERR bit offset is not an integer or out of range\r\n",
            t.run("BITFIELD", "b", "GET", "u8", "x"));
        assertEquals("-ERR value is not an integer or out of range\r\n",
            t.run("BITFIELD", "b", "SET", "u8", "0", "x"));
        assertEquals("-ERR Invalid OVERFLOW type specified\r\n",
            t.run("BITFIELD", "b", "OVERFLOW", "FOO"));
        assertEquals("-ERR syntax error\r\n",
            t.run("BITFIELD", "b", "FOO"));
        assertEquals("-ERR syntax error\r\n",
            t.run("BITFIELD", "b", "GET", "u8"));
        assertEquals("-ERR bit offset is not an integer or out of range\r\n",
            t.run("BITFIELD", "b", "GET", "u8", "#x"));
        assertEquals("-ERR bit offset is not an integer or out of range\r\n",
            t.run("BITFIELD", "b", "GET", "u8", "4294967296"));
        assertEquals("*1\r\n:0\r\n",
            t.run("BITFIELD", "b", "GET", "u8", "4294967289"));
        assertEquals(":0\r\n", exists("b"));
        assertEquals("*0\r\n",
            t.run("BITFIELD", "b"));
        assertEquals("*5\r\n:0\r\n:255\r\n:-1\r\n:15\r\n:-1\r\n",
            t.run("BITFIELD", "b", "SET", "u8", "#1", "255", "GET", "u8", "8", "GET", "i8", "8", "GET", "u4", "8",
                "GET", "i4", "8"));
        assertEquals("*3\r\n:1\r\n:3\r\n$-1\r\n",
            t.run("BITFIELD", "b", "INCRBY", "u2", "100", "1", "OVERFLOW", "SAT", "INCRBY", "u2", "102", "5",
                "OVERFLOW", "FAIL", "INCRBY", "u2", "104", "5"));
        assertEquals("*4\r\n:100\r\n:-56\r\n:44\r\n:-128\r\n",
            t.run("BITFIELD", "b", "INCRBY", "i8", "0", "100", "INCRBY", "i8", "0", "100", "OVERFLOW", "SAT",
                "INCRBY", "i8", "0", "100", "INCRBY", "i8", "0", "-1000"));
        assertEquals("*6\r\n:-128\r\n:200\r\n:255\r\n:-281474976710656\r\n:-1\r\n:9223372036854775807\r\n",
            t.run("BITFIELD", "b", "OVERFLOW", "WRAP", "SET", "i8", "0", "200", "SET", "u8", "0", "-1", "GET", "u8",
                "0", "SET", "i64", "0", "-1", "GET", "i64", "0", "GET", "u63", "0"));
        assertEquals("*4\r\n$-1\r\n$-1\r\n:-9223372036854775808\r\n$-1\r\n",
            t.run("BITFIELD", "b", "OVERFLOW", "FAIL", "SET", "u8", "0", "256", "SET", "i8", "0", "-129", "INCRBY",
                "i64", "0", "-9223372036854775807", "INCRBY", "i64", "0", "-9223372036854775807"));
        assertEquals("*3\r\n:-1\r\n:9223372036854775806\r\n:0\r\n",
            t.run("BITFIELD", "b", "OVERFLOW", "WRAP", "INCRBY", "i64", "0", "9223372036854775807", "INCRBY", "u63",
                "0", "9223372036854775807", "INCRBY", "u63", "0", "2"));
        assertEquals("*4\r\n:0\r\n:15\r\n:-16\r\n:4096\r\n",
            t.run("BITFIELD", "b", "OVERFLOW", "SAT", "INCRBY", "u63", "0", "-9223372036854775807", "INCRBY", "i5",
                "3", "100", "INCRBY", "i5", "3", "-100", "GET", "u16", "0"));
        assertEquals("*2\r\n:16\r\n:0\r\n",
            t.run("BITFIELD_RO", "b", "GET", "u8", "0", "GET", "i16", "4"));
        assertEquals("-ERR BITFIELD_RO only supports the GET subcommand\r\n",
            t.run("BITFIELD_RO", "b", "SET", "u8", "0", "1"));
        assertEquals("-ERR BITFIELD_RO only supports the GET subcommand\r\n",
            t.run("BITFIELD_RO", "b", "INCRBY", "u8", "0", "1"));
        assertEquals("*1\r\n:0\r\n",
            t.run("BITFIELD_RO", "nokey", "GET", "u8", "0"));
        assertEquals("*1\r\n:0\r\n",
            t.run("BITFIELD", "nokey", "GET", "u8", "0"));
        assertEquals(":0\r\n", exists("nokey"));
        assertEquals("*2\r\n:0\r\n:3840\r\n",
            t.run("BITFIELD", "n2", "SET", "u4", "20", "15", "GET", "u32", "0"));
        assertEquals(":4\r\n",
            t.run("BITCOUNT", "n2"));
        t.run("ZADD", "z", "1", "a");
        assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
            t.run("BITFIELD", "z", "GET", "u8", "0"));
        assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
            t.run("BITFIELD_RO", "z", "GET", "u8", "0"));
        assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
            t.run("SETBIT", "z", "1", "1"));
        assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
            t.run("GETBIT", "z", "1"));
        assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
            t.run("BITCOUNT", "z"));
        assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
            t.run("BITPOS", "z", "1"));
        t.resp3();
        assertEquals("*1\r\n_\r\n",
            t.run("BITFIELD", "b", "OVERFLOW", "FAIL", "SET", "u8", "0", "256"));
    }

    /** Expected replies from redis-server 7.0.15. */
    @Test
    void bitcount_emptyNegativeRangeWinsOverTheUnit_andBitopStoresRaw() {
        final StorageTestCall k = new StorageTestCall(new BitmapCommands(), new StringCommands(), new KeyCommands());
        k.run("SET", "b", "abc");
        assertEquals(":0\r\n", k.run("BITCOUNT", "b", "-1", "-3", "WORD"));
        assertEquals("-ERR syntax error\r\n", k.run("BITCOUNT", "b", "0", "-1", "WORD"));
        assertEquals(":3\r\n", k.run("BITOP", "AND", "d", "b"));
        assertEquals("$3\r\nraw\r\n", k.run("OBJECT", "ENCODING", "d"));
        k.run("SET", "n", "12");
        assertEquals(":2\r\n", k.run("BITOP", "OR", "d2", "n"));
        assertEquals("$3\r\nraw\r\n", k.run("OBJECT", "ENCODING", "d2"));
    }
}
