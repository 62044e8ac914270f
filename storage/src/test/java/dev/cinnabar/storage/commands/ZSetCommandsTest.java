package dev.cinnabar.storage.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/**
 * Sorted-set commands against the oracle's replies.
 * Expected replies are the bytes Redis 7.0.15 sent for the same command sequences (captured from a
 * real server; RESP2 unless a test switches to RESP3).
 */
class ZSetCommandsTest {
    private final StorageTestCall t = new StorageTestCall(new ZSetCommands());

    private static byte[] bytes(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private String exists(final String key) {
        return t.db().lookup(bytes(key)) != null ? ":1\r\n" : ":0\r\n";
    }

    @Test
    void zadd_optionsAndErrors() {
        assertEquals("-ERR XX and NX options at the same time are not compatible\r\n",
            t.run("ZADD", "z", "NX", "XX", "1", "a"));
        assertEquals("-ERR GT, LT, and/or NX options at the same time are not compatible\r\n",
            t.run("ZADD", "z", "GT", "LT", "1", "a"));
        assertEquals("-ERR GT, LT, and/or NX options at the same time are not compatible\r\n",
            t.run("ZADD", "z", "NX", "GT", "1", "a"));
        assertEquals("-ERR INCR option supports a single increment-element pair\r\n",
            t.run("ZADD", "z", "INCR", "1", "a", "2", "b"));
        assertEquals("-ERR value is not a valid float\r\n",
            t.run("ZADD", "z", "x", "a"));
        assertEquals("-ERR value is not a valid float\r\n",
            t.run("ZADD", "z", "nan", "a"));
        assertEquals("-ERR syntax error\r\n",
            t.run("ZADD", "z", "1", "a", "2"));
        assertEquals(":0\r\n",
            t.run("ZADD", "z", "XX", "1", "a"));
        assertEquals(":0\r\n",
            t.run("ZCARD", "z"));
        assertEquals(":2\r\n",
            t.run("ZADD", "z", "CH", "1", "a", "2", "b"));
        assertEquals(":1\r\n",
            t.run("ZADD", "z", "CH", "3", "a", "2", "b"));
        assertEquals("$1\r\n4\r\n",
            t.run("ZADD", "z", "INCR", "1", "a"));
        assertEquals("$-1\r\n",
            t.run("ZADD", "z", "XX", "INCR", "1", "zz"));
        assertEquals("$-1\r\n",
            t.run("ZADD", "z", "NX", "INCR", "1", "a"));
        assertEquals("$-1\r\n",
            t.run("ZADD", "z", "GT", "INCR", "-5", "a"));
        assertEquals(":0\r\n",
            t.run("ZADD", "z", "LT", "10", "a"));
        assertEquals(":1\r\n",
            t.run("ZADD", "z", "GT", "CH", "10", "a"));
        assertEquals(":0\r\n",
            t.run("ZADD", "z", "LT", "CH", "10", "a"));
        assertEquals(":1\r\n",
            t.run("ZADD", "z", "XX", "CH", "5", "a", "5", "nope"));
        assertEquals("$3\r\ninf\r\n",
            t.run("ZADD", "z", "INCR", "inf", "a"));
        assertEquals("-ERR resulting score is not a number (NaN)\r\n",
            t.run("ZADD", "z", "INCR", "-inf", "a"));
        assertEquals("-ERR value is not a valid float\r\n",
            t.run("ZADD", "z", "-inf", "m", "1e400", "n"));
        assertEquals("*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\na\r\n$3\r\ninf\r\n",
            t.run("ZRANGE", "z", "0", "-1", "WITHSCORES"));
        t.db().set(bytes("s"), bytes("x"), false);
        assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
            t.run("ZADD", "s", "1", "a"));
        assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
            t.run("ZADD", "s", "XX", "1", "a"));
    }

    @Test
    void zincrby_andScores() {
        assertEquals("$18\r\n1.1000000000000001\r\n",
            t.run("ZINCRBY", "z", "1.1", "a"));
        assertEquals("-ERR value is not a valid float\r\n",
            t.run("ZINCRBY", "z", "nan", "a"));
        assertEquals("-ERR value is not a valid float\r\n",
            t.run("ZINCRBY", "z", "x", "a"));
        assertEquals("$18\r\n3.6000000000000001\r\n",
            t.run("ZINCRBY", "z", "2.5", "a"));
        assertEquals("$18\r\n3.6000000000000001\r\n",
            t.run("ZSCORE", "z", "a"));
        assertEquals("$-1\r\n",
            t.run("ZSCORE", "z", "nope"));
        assertEquals("$-1\r\n",
            t.run("ZSCORE", "nokey", "a"));
        assertEquals(":4\r\n",
            t.run("ZADD", "z", "0.1", "b", "-0", "c", "123456789012345678", "d", "1e20", "e"));
        assertEquals("*6\r\n$18\r\n3.6000000000000001\r\n$19\r\n0.10000000000000001\r\n$1\r\n0\r\n$-1\r\n$22\r\n1."
            + "2345678901234568e+17\r\n$5\r\n1e+20\r\n",
            t.run("ZMSCORE", "z", "a", "b", "c", "x", "d", "e"));
        assertEquals("*1\r\n$-1\r\n",
            t.run("ZMSCORE", "nokey", "a"));
        assertEquals("$3\r\ninf\r\n",
            t.run("ZINCRBY", "z", "inf", "c"));
        assertEquals("-ERR resulting score is not a number (NaN)\r\n",
            t.run("ZINCRBY", "z", "-inf", "c"));
        assertEquals("$3\r\ninf\r\n",
            t.run("ZSCORE", "z", "c"));
        t.resp3();
        assertEquals(",3.6000000000000001\r\n",
            t.run("ZSCORE", "z", "a"));
        assertEquals("_\r\n",
            t.run("ZSCORE", "z", "nope"));
        assertEquals("*2\r\n,3.6000000000000001\r\n_\r\n",
            t.run("ZMSCORE", "z", "a", "nope"));
        assertEquals(",4.5999999999999996\r\n",
            t.run("ZINCRBY", "z", "1", "a"));
        assertEquals("_\r\n",
            t.run("ZADD", "z", "NX", "INCR", "1", "a"));
        assertEquals("*5\r\n*2\r\n$1\r\nb\r\n,0.10000000000000001\r\n*2\r\n$1\r\na\r\n,4.5999999999999996\r\n*2\r"
            + "\n$1\r\nd\r\n,1.2345678901234568e+17\r\n*2\r\n$1\r\ne\r\n,1e+20\r\n*2\r\n$1\r\nc\r\n,inf\r\n",
            t.run("ZRANGE", "z", "0", "-1", "WITHSCORES"));
        assertEquals("*2\r\n$1\r\nb\r\n$1\r\na\r\n",
            t.run("ZRANGE", "z", "0", "1"));
    }

    @Test
    void zrem_deletesEmptyKey() {
        assertEquals(":3\r\n",
            t.run("ZADD", "z", "1", "a", "2", "b", "3", "c"));
        assertEquals(":1\r\n",
            t.run("ZREM", "z", "a", "x"));
        assertEquals(":0\r\n",
            t.run("ZREM", "z", "x"));
        assertEquals(":0\r\n",
            t.run("ZREM", "nokey", "a"));
        assertEquals(":2\r\n",
            t.run("ZREM", "z", "b", "c"));
        assertEquals(":0\r\n", exists("z"));
        assertEquals(":0\r\n",
            t.run("ZCARD", "z"));
        t.db().set(bytes("s"), bytes("x"), false);
        assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
            t.run("ZREM", "s", "a"));
        assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
            t.run("ZCARD", "s"));
    }

    @Test
    void rank_and_count() {
        assertEquals(":5\r\n",
            t.run("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"));
        assertEquals(":0\r\n",
            t.run("ZRANK", "z", "a"));
        assertEquals(":4\r\n",
            t.run("ZRANK", "z", "e"));
        assertEquals(":4\r\n",
            t.run("ZREVRANK", "z", "a"));
        assertEquals("$-1\r\n",
            t.run("ZRANK", "z", "nope"));
        assertEquals("$-1\r\n",
            t.run("ZREVRANK", "nokey", "a"));
        assertEquals(":2\r\n",
            t.run("ZCOUNT", "z", "(1", "3"));
        assertEquals(":5\r\n",
            t.run("ZCOUNT", "z", "-inf", "+inf"));
        assertEquals(":0\r\n",
            t.run("ZCOUNT", "z", "3", "1"));
        assertEquals("-ERR min or max is not a float\r\n",
            t.run("ZCOUNT", "z", "x", "1"));
        assertEquals("-ERR min or max is not a float\r\n",
            t.run("ZCOUNT", "z", "(1", "(x"));
        assertEquals(":2\r\n",
            t.run("ZCOUNT", "z", "(", "2"));
        assertEquals(":0\r\n",
            t.run("ZCOUNT", "nokey", "1", "2"));
        assertEquals(":5\r\n",
            t.run("ZLEXCOUNT", "z", "-", "+"));
        assertEquals(":2\r\n",
            t.run("ZLEXCOUNT", "z", "[b", "(d"));
        assertEquals("-ERR min or max not valid string range item\r\n",
            t.run("ZLEXCOUNT", "z", "a", "+"));
        assertEquals(":0\r\n",
            t.run("ZLEXCOUNT", "z", "+", "-"));
        t.resp3();
        assertEquals("_\r\n",
            t.run("ZRANK", "z", "nope"));
        assertEquals(":2\r\n",
            t.run("ZRANK", "z", "c"));
    }

    @Test
    void zrange_byRank() {
        assertEquals(":5\r\n",
            t.run("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"));
        assertEquals("*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n",
            t.run("ZRANGE", "z", "0", "-1"));
        assertEquals("*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n",
            t.run("ZRANGE", "z", "1", "2", "WITHSCORES"));
        assertEquals("*2\r\n$1\r\nd\r\n$1\r\ne\r\n",
            t.run("ZRANGE", "z", "-2", "-1"));
        assertEquals("*2\r\n$1\r\na\r\n$1\r\nb\r\n",
            t.run("ZRANGE", "z", "-100", "1"));
        assertEquals("*0\r\n",
            t.run("ZRANGE", "z", "3", "1"));
        assertEquals("*0\r\n",
            t.run("ZRANGE", "z", "5", "10"));
        assertEquals("*5\r\n$1\r\ne\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n",
            t.run("ZRANGE", "z", "0", "100", "REV"));
        assertEquals("*4\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\nc\r\n$1\r\n3\r\n",
            t.run("ZRANGE", "z", "1", "2", "REV", "WITHSCORES"));
        assertEquals("*4\r\n$1\r\ne\r\n$1\r\n5\r\n$1\r\nd\r\n$1\r\n4\r\n",
            t.run("ZREVRANGE", "z", "0", "1", "WITHSCORES"));
        assertEquals("-ERR syntax error\r\n",
            t.run("ZREVRANGE", "z", "0", "1", "REV"));
        assertEquals("-ERR value is not an integer or out of range\r\n",
            t.run("ZRANGE", "z", "x", "1"));
        assertEquals("-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n",
            t.run("ZRANGE", "z", "0", "-1", "LIMIT", "0", "1"));
        assertEquals("*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n",
            t.run("ZRANGE", "z", "0", "-1", "LIMIT", "0", "-1"));
        assertEquals("-ERR syntax error\r\n",
            t.run("ZRANGE", "z", "0", "-1", "REV", "REV"));
        assertEquals("*10\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4"
            + "\r\n$1\r\ne\r\n$1\r\n5\r\n",
            t.run("ZRANGE", "z", "0", "-1", "WITHSCORES", "WITHSCORES"));
        assertEquals("-ERR syntax error\r\n",
            t.run("ZRANGE", "z", "0", "1", "BYSCORE", "BYLEX"));
        assertEquals("-ERR syntax error\r\n",
            t.run("ZRANGE", "z", "0", "-1", "FOO"));
        assertEquals("*0\r\n",
            t.run("ZRANGE", "nokey", "0", "-1"));
        t.resp3();
        assertEquals("*2\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,2\r\n",
            t.run("ZRANGE", "z", "0", "1", "WITHSCORES"));
        assertEquals("*2\r\n*2\r\n$1\r\ne\r\n,5\r\n*2\r\n$1\r\nd\r\n,4\r\n",
            t.run("ZREVRANGE", "z", "0", "1", "WITHSCORES"));
    }

    @Test
    void zrange_byScore() {
        assertEquals(":8\r\n",
            t.run("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "1.5", "f", "-inf", "g", "inf", "h"));
        assertEquals("*16\r\n$1\r\ng\r\n$4\r\n-inf\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nf\r\n$3\r\n1.5\r\n$1\r\nb\r\n$1"
            + "\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\ne\r\n$1\r\n5\r\n$1\r\nh\r\n$3\r\n"
            + "inf\r\n",
            t.run("ZRANGEBYSCORE", "z", "-inf", "+inf", "WITHSCORES"));
        assertEquals("*3\r\n$1\r\nf\r\n$1\r\nb\r\n$1\r\nc\r\n",
            t.run("ZRANGEBYSCORE", "z", "(1", "3"));
        assertEquals("*3\r\n$1\r\na\r\n$1\r\nf\r\n$1\r\nb\r\n",
            t.run("ZRANGEBYSCORE", "z", "1", "(3"));
        assertEquals("-ERR min or max is not a float\r\n",
            t.run("ZRANGEBYSCORE", "z", "x", "2"));
        assertEquals("-ERR min or max is not a float\r\n",
            t.run("ZRANGEBYSCORE", "z", "nan", "2"));
        assertEquals("*3\r\n$1\r\na\r\n$1\r\nf\r\n$1\r\nb\r\n",
            t.run("ZRANGEBYSCORE", "z", "(", "2"));
        assertEquals("-ERR syntax error\r\n",
            t.run("ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "1"));
        assertEquals("-ERR syntax error\r\n",
            t.run("ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "1", "2", "3"));
        assertEquals("-ERR value is not an integer or out of range\r\n",
            t.run("ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "x", "2"));
        assertEquals("*7\r\n$1\r\na\r\n$1\r\nf\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n$1\r\nh\r\n",
            t.run("ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "1", "-1"));
        assertEquals("*0\r\n",
            t.run("ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "-1", "2"));
        assertEquals("*6\r\n$1\r\nf\r\n$3\r\n1.5\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n",
            t.run("ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "2", "3", "WITHSCORES"));
        assertEquals("*0\r\n",
            t.run("ZRANGEBYSCORE", "z", "3", "1"));
        assertEquals("*4\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n2\r\n",
            t.run("ZREVRANGEBYSCORE", "z", "3", "1", "WITHSCORES", "LIMIT", "0", "2"));
        assertEquals("*3\r\n$1\r\ne\r\n$1\r\nd\r\n$1\r\nc\r\n",
            t.run("ZREVRANGEBYSCORE", "z", "+inf", "-inf", "LIMIT", "1", "3"));
        assertEquals("*2\r\n$1\r\nb\r\n$1\r\nf\r\n",
            t.run("ZREVRANGEBYSCORE", "z", "(3", "(1"));
        assertEquals("*0\r\n",
            t.run("ZRANGE", "z", "(1", "3", "BYSCORE", "REV"));
        assertEquals("*6\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nf\r\n$3\r\n1.5\r\n",
            t.run("ZRANGE", "z", "3", "(1", "BYSCORE", "REV", "WITHSCORES"));
        assertEquals("*0\r\n",
            t.run("ZRANGE", "z", "0", "-1", "LIMIT", "0", "1", "BYSCORE"));
        assertEquals("*2\r\n$1\r\nf\r\n$1\r\nb\r\n",
            t.run("ZRANGE", "z", "-inf", "inf", "BYSCORE", "LIMIT", "2", "2"));
        assertEquals("*2\r\n$1\r\nb\r\n$1\r\nc\r\n",
            t.run("ZRANGEBYSCORE", "z", " 2", "3"));
        assertEquals("-ERR min or max is not a float\r\n",
            t.run("ZRANGEBYSCORE", "z", "2", "3 "));
        assertEquals("*0\r\n",
            t.run("ZRANGEBYSCORE", "nokey", "1", "2"));
    }

    @Test
    void zrange_byLex() {
        assertEquals(":7\r\n",
            t.run("ZADD", "z", "0", "a", "0", "b", "0", "c", "0", "d", "0", "e", "0", "foo", "0", ""));
        assertEquals("*7\r\n$0\r\n\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n$3\r\nfoo\r\n",
            t.run("ZRANGEBYLEX", "z", "-", "+"));
        assertEquals("*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n",
            t.run("ZRANGEBYLEX", "z", "[b", "(e"));
        assertEquals("*4\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n$3\r\nfoo\r\n",
            t.run("ZRANGEBYLEX", "z", "(b", "[foo"));
        assertEquals("-ERR min or max not valid string range item\r\n",
            t.run("ZRANGEBYLEX", "z", "a", "b"));
        assertEquals("-ERR min or max not valid string range item\r\n",
            t.run("ZRANGEBYLEX", "z", "[a", "x"));
        assertEquals("*2\r\n$1\r\na\r\n$1\r\nb\r\n",
            t.run("ZRANGEBYLEX", "z", "-", "+", "LIMIT", "1", "2"));
        assertEquals("*0\r\n",
            t.run("ZRANGEBYLEX", "z", "+", "-"));
        assertEquals("*7\r\n$0\r\n\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n$3\r\nfoo\r\n",
            t.run("ZRANGEBYLEX", "z", "[", "+"));
        assertEquals("*6\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n$3\r\nfoo\r\n",
            t.run("ZRANGEBYLEX", "z", "(", "+"));
        assertEquals("*3\r\n$3\r\nfoo\r\n$1\r\ne\r\n$1\r\nd\r\n",
            t.run("ZREVRANGEBYLEX", "z", "+", "-", "LIMIT", "0", "3"));
        assertEquals("*3\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n",
            t.run("ZREVRANGEBYLEX", "z", "[d", "[b"));
        assertEquals("*2\r\n$1\r\ne\r\n$1\r\nd\r\n",
            t.run("ZRANGE", "z", "+", "-", "BYLEX", "REV", "LIMIT", "1", "2"));
        assertEquals("-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n",
            t.run("ZRANGE", "z", "[a", "+", "BYLEX", "WITHSCORES"));
        assertEquals("-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n",
            t.run("ZRANGEBYLEX", "z", "-", "+", "WITHSCORES"));
    }

    @Test
    void zrangestore() {
        assertEquals(":4\r\n",
            t.run("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"));
        assertEquals("-ERR syntax error\r\n",
            t.run("ZRANGESTORE", "d", "z", "0", "-1", "WITHSCORES"));
        assertEquals(":2\r\n",
            t.run("ZRANGESTORE", "d", "z", "1", "2"));
        assertEquals("*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n",
            t.run("ZRANGE", "d", "0", "-1", "WITHSCORES"));
        assertEquals(":0\r\n",
            t.run("ZRANGESTORE", "d", "z", "(1", "+inf", "BYSCORE", "LIMIT", "0", "2", "REV"));
        assertEquals("*0\r\n",
            t.run("ZRANGE", "d", "0", "-1", "WITHSCORES"));
        assertEquals(":2\r\n",
            t.run("ZRANGESTORE", "d", "z", "[a", "[b", "BYLEX"));
        assertEquals("*2\r\n$1\r\na\r\n$1\r\nb\r\n",
            t.run("ZRANGE", "d", "0", "-1"));
        assertEquals(":0\r\n",
            t.run("ZRANGESTORE", "d", "z", "10", "20"));
        assertEquals(":0\r\n", exists("d"));
        assertEquals(":0\r\n",
            t.run("ZRANGESTORE", "d", "nokey", "0", "-1"));
        assertEquals(":4\r\n",
            t.run("ZRANGESTORE", "d", "z", "0", "-1"));
        t.db().set(bytes("s"), bytes("x"), false);
        assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
            t.run("ZRANGESTORE", "d", "s", "0", "-1"));
        assertEquals(":4\r\n",
            t.run("ZRANGESTORE", "s", "z", "0", "-1"));
        assertEquals("*4\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n",
            t.run("ZRANGE", "s", "0", "-1"));
    }

    @Test
    void zremrange() {
        assertEquals(":6\r\n",
            t.run("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "6", "f"));
        assertEquals(":1\r\n",
            t.run("ZREMRANGEBYRANK", "z", "0", "0"));
        assertEquals(":1\r\n",
            t.run("ZREMRANGEBYRANK", "z", "-1", "-1"));
        assertEquals(":0\r\n",
            t.run("ZREMRANGEBYRANK", "z", "10", "20"));
        assertEquals("-ERR value is not an integer or out of range\r\n",
            t.run("ZREMRANGEBYRANK", "z", "x", "1"));
        assertEquals(":1\r\n",
            t.run("ZREMRANGEBYSCORE", "z", "(2", "3"));
        assertEquals("-ERR min or max is not a float\r\n",
            t.run("ZREMRANGEBYSCORE", "z", "x", "3"));
        assertEquals("-ERR min or max not valid string range item\r\n",
            t.run("ZREMRANGEBYLEX", "z", "a", "b"));
        assertEquals("*6\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\ne\r\n$1\r\n5\r\n",
            t.run("ZRANGE", "z", "0", "-1", "WITHSCORES"));
        assertEquals(":3\r\n",
            t.run("ZREMRANGEBYLEX", "z", "-", "+"));
        assertEquals(":0\r\n", exists("z"));
        assertEquals(":0\r\n",
            t.run("ZREMRANGEBYSCORE", "nokey", "1", "2"));
    }

    @Test
    void setops() {
        assertEquals(":3\r\n",
            t.run("ZADD", "z", "1", "a", "2", "b", "3", "c"));
        assertEquals(":3\r\n",
            t.run("ZADD", "y", "2", "b", "3", "c", "4", "d"));
        assertEquals("-ERR at least 1 input key is needed for 'zunion' command\r\n",
            t.run("ZUNION", "0", "z"));
        assertEquals("-ERR at least 1 input key is needed for 'zunion' command\r\n",
            t.run("ZUNION", "-1", "z"));
        assertEquals("-ERR syntax error\r\n",
            t.run("ZUNION", "3", "z", "y"));
        assertEquals("-ERR value is not an integer or out of range\r\n",
            t.run("ZUNION", "x", "z"));
        assertEquals("-ERR syntax error\r\n",
            t.run("ZUNION", "2", "z", "y", "WEIGHTS", "1"));
        assertEquals("-ERR weight value is not a float\r\n",
            t.run("ZUNION", "2", "z", "y", "WEIGHTS", "1", "x"));
        assertEquals("*8\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nb\r\n$2\r\n10\r\n$1\r\nd\r\n$2\r\n12\r\n$1\r\nc\r\n$2\r\n1"
            + "5\r\n",
            t.run("ZUNION", "2", "z", "y", "WEIGHTS", "2", "3", "WITHSCORES"));
        assertEquals("-ERR syntax error\r\n",
            t.run("ZUNION", "2", "z", "y", "AGGREGATE", "foo"));
        assertEquals("*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n",
            t.run("ZUNION", "2", "z", "y", "AGGREGATE", "MAX", "WITHSCORES"));
        assertEquals("*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n",
            t.run("ZUNION", "2", "z", "y", "AGGREGATE", "MIN", "WITHSCORES"));
        assertEquals("*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n4\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\nc\r\n$1\r\n6\r\n",
            t.run("ZUNION", "2", "z", "y", "WITHSCORES"));
        assertEquals("*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n",
            t.run("ZINTER", "2", "z", "y", "AGGREGATE", "MIN", "WITHSCORES"));
        assertEquals("*4\r\n$1\r\nb\r\n$1\r\n4\r\n$1\r\nc\r\n$1\r\n6\r\n",
            t.run("ZINTER", "2", "z", "y", "WITHSCORES"));
        assertEquals("*2\r\n$1\r\nb\r\n$1\r\nc\r\n",
            t.run("ZINTER", "2", "z", "y"));
        assertEquals("*0\r\n",
            t.run("ZINTER", "2", "z", "nokey"));
        assertEquals("*2\r\n$1\r\na\r\n$1\r\n1\r\n",
            t.run("ZDIFF", "2", "z", "y", "WITHSCORES"));
        assertEquals("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n",
            t.run("ZDIFF", "1", "z"));
        assertEquals("-ERR syntax error\r\n",
            t.run("ZDIFF", "2", "z", "y", "WEIGHTS", "1", "2"));
        assertEquals("*0\r\n",
            t.run("ZDIFF", "2", "nokey", "z"));
        assertEquals("-ERR syntax error\r\n",
            t.run("ZUNIONSTORE", "d", "2", "z", "y", "WITHSCORES"));
        assertEquals("-ERR at least 1 input key is needed for 'zunionstore' command\r\n",
            t.run("ZUNIONSTORE", "d", "0", "z"));
        assertEquals(":4\r\n",
            t.run("ZUNIONSTORE", "d", "2", "z", "y", "WEIGHTS", "1", "2"));
        assertEquals("*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n6\r\n$1\r\nd\r\n$1\r\n8\r\n$1\r\nc\r\n$1\r\n9\r\n",
            t.run("ZRANGE", "d", "0", "-1", "WITHSCORES"));
        assertEquals(":2\r\n",
            t.run("ZINTERSTORE", "d", "2", "z", "y", "AGGREGATE", "MAX"));
        assertEquals("*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n",
            t.run("ZRANGE", "d", "0", "-1", "WITHSCORES"));
        assertEquals(":1\r\n",
            t.run("ZDIFFSTORE", "d", "2", "z", "y"));
        assertEquals("*2\r\n$1\r\na\r\n$1\r\n1\r\n",
            t.run("ZRANGE", "d", "0", "-1", "WITHSCORES"));
        assertEquals(":0\r\n",
            t.run("ZINTERSTORE", "d", "2", "z", "nokey"));
        assertEquals(":0\r\n", exists("d"));
        assertEquals(":2\r\n",
            t.run("ZINTERCARD", "2", "z", "y"));
        assertEquals(":1\r\n",
            t.run("ZINTERCARD", "2", "z", "y", "LIMIT", "1"));
        assertEquals(":2\r\n",
            t.run("ZINTERCARD", "2", "z", "y", "LIMIT", "0"));
        assertEquals("-ERR LIMIT can't be negative\r\n",
            t.run("ZINTERCARD", "2", "z", "y", "LIMIT", "-1"));
        assertEquals("-ERR LIMIT can't be negative\r\n",
            t.run("ZINTERCARD", "2", "z", "y", "LIMIT", "x"));
        assertEquals("-ERR at least 1 input key is needed for 'zintercard' command\r\n",
            t.run("ZINTERCARD", "0", "z"));
        assertEquals("-ERR syntax error\r\n",
            t.run("ZINTERCARD", "2", "z", "y", "FOO"));
        assertEquals("-ERR syntax error\r\n",
            t.run("ZINTERCARD", "3", "z", "y"));
        assertEquals("-ERR syntax error\r\n",
            t.run("ZINTERCARD", "2", "z", "y", "WITHSCORES"));
        t.db().set(bytes("str"), bytes("x"), false);
        assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
            t.run("ZUNION", "2", "z", "str"));
        assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
            t.run("ZUNION", "2", "nokey", "str"));
        assertEquals("-ERR weight value is not a float\r\n",
            t.run("ZUNION", "2", "z", "y", "WEIGHTS", "1", "nan"));
        assertEquals("*8\r\n$1\r\nd\r\n$4\r\n-inf\r\n$1\r\nb\r\n$1\r\n0\r\n$1\r\nc\r\n$1\r\n0\r\n$1\r\na\r\n$3\r\n"
            + "inf\r\n",
            t.run("ZUNION", "2", "z", "y", "WEIGHTS", "inf", "-inf", "WITHSCORES"));
        assertEquals("*4\r\n$1\r\nb\r\n$3\r\ninf\r\n$1\r\nc\r\n$3\r\ninf\r\n",
            t.run("ZINTER", "2", "z", "y", "WEIGHTS", "inf", "0", "WITHSCORES"));
        t.resp3();
        assertEquals("*4\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,4\r\n*2\r\n$1\r\nd\r\n,4\r\n*2\r\n$1\r\nc\r\n"
            + ",6\r\n",
            t.run("ZUNION", "2", "z", "y", "WITHSCORES"));
        assertEquals("*1\r\n$1\r\na\r\n",
            t.run("ZDIFF", "2", "z", "y"));
    }

    @Test
    void zpop() {
        assertEquals(":6\r\n",
            t.run("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "6", "f"));
        assertEquals("*2\r\n$1\r\na\r\n$1\r\n1\r\n",
            t.run("ZPOPMIN", "z"));
        assertEquals("*4\r\n$1\r\nf\r\n$1\r\n6\r\n$1\r\ne\r\n$1\r\n5\r\n",
            t.run("ZPOPMAX", "z", "2"));
        assertEquals("*0\r\n",
            t.run("ZPOPMIN", "z", "0"));
        assertEquals("-ERR value is out of range, must be positive\r\n",
            t.run("ZPOPMIN", "z", "-1"));
        assertEquals("-ERR value is out of range, must be positive\r\n",
            t.run("ZPOPMIN", "z", "x"));
        assertEquals("-ERR syntax error\r\n",
            t.run("ZPOPMIN", "z", "1", "2"));
        assertEquals("*0\r\n",
            t.run("ZPOPMIN", "nokey"));
        assertEquals("*0\r\n",
            t.run("ZPOPMIN", "nokey", "3"));
        assertEquals("*6\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n2\r\n",
            t.run("ZPOPMAX", "z", "100"));
        assertEquals(":0\r\n", exists("z"));
        t.db().set(bytes("s"), bytes("x"), false);
        assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
            t.run("ZPOPMIN", "s"));
        assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
            t.run("ZPOPMIN", "s", "0"));
        t.resp3();
        assertEquals(":3\r\n",
            t.run("ZADD", "z", "1", "a", "2", "b", "3", "c"));
        assertEquals("*2\r\n$1\r\na\r\n,1\r\n",
            t.run("ZPOPMIN", "z"));
        assertEquals("*1\r\n*2\r\n$1\r\nc\r\n,3\r\n",
            t.run("ZPOPMAX", "z", "1"));
        assertEquals("*1\r\n*2\r\n$1\r\nb\r\n,2\r\n",
            t.run("ZPOPMIN", "z", "5"));
        assertEquals("*0\r\n",
            t.run("ZPOPMIN", "z"));
    }

    @Test
    void zmpop() {
        assertEquals(":4\r\n",
            t.run("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"));
        assertEquals("*2\r\n$1\r\nz\r\n*2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n",
            t.run("ZMPOP", "2", "nokey", "z", "MIN", "COUNT", "2"));
        assertEquals("*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n",
            t.run("ZMPOP", "1", "z", "MAX"));
        assertEquals("*-1\r\n",
            t.run("ZMPOP", "1", "nokey", "MIN"));
        assertEquals("-ERR count should be greater than 0\r\n",
            t.run("ZMPOP", "1", "z", "MIN", "COUNT", "0"));
        assertEquals("-ERR count should be greater than 0\r\n",
            t.run("ZMPOP", "1", "z", "MIN", "COUNT", "-1"));
        assertEquals("-ERR count should be greater than 0\r\n",
            t.run("ZMPOP", "1", "z", "MIN", "COUNT", "x"));
        assertEquals("-ERR numkeys should be greater than 0\r\n",
            t.run("ZMPOP", "0", "z", "MIN"));
        assertEquals("-ERR numkeys should be greater than 0\r\n",
            t.run("ZMPOP", "x", "z", "MIN"));
        assertEquals("-ERR syntax error\r\n",
            t.run("ZMPOP", "1", "z", "FOO"));
        assertEquals("-ERR syntax error\r\n",
            t.run("ZMPOP", "2", "z", "MIN"));
        assertEquals("-ERR syntax error\r\n",
            t.run("ZMPOP", "1", "z", "MIN", "COUNT", "1", "COUNT", "1"));
        assertEquals("-ERR syntax error\r\n",
            t.run("ZMPOP", "1", "z", "MIN", "FOO", "1"));
        assertEquals("*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n",
            t.run("ZMPOP", "1", "z", "MIN", "COUNT", "10"));
        assertEquals(":0\r\n", exists("z"));
        t.db().set(bytes("s"), bytes("x"), false);
        assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
            t.run("ZMPOP", "2", "s", "z", "MIN"));
        t.resp3();
        assertEquals("_\r\n",
            t.run("ZMPOP", "1", "nokey", "MIN"));
        assertEquals(":1\r\n",
            t.run("ZADD", "z", "1", "a"));
        assertEquals("*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\na\r\n,1\r\n",
            t.run("ZMPOP", "1", "z", "MIN"));
    }

    @Test
    void zrandmember_errors() {
        assertEquals(":3\r\n",
            t.run("ZADD", "z", "1", "a", "2", "b", "3", "c"));
        assertEquals("$-1\r\n",
            t.run("ZRANDMEMBER", "nokey"));
        assertEquals("*0\r\n",
            t.run("ZRANDMEMBER", "nokey", "2"));
        assertEquals("*0\r\n",
            t.run("ZRANDMEMBER", "z", "0"));
        assertEquals("-ERR syntax error\r\n",
            t.run("ZRANDMEMBER", "z", "1", "FOO"));
        assertEquals("-ERR value is not an integer or out of range\r\n",
            t.run("ZRANDMEMBER", "z", "x"));
        assertEquals("-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n",
            t.run("ZRANDMEMBER", "z", "-9223372036854775808"));
        assertEquals("-ERR value is out of range\r\n",
            t.run("ZRANDMEMBER", "z", "9223372036854775807", "WITHSCORES"));
        assertEquals("-ERR value is out of range\r\n",
            t.run("ZRANDMEMBER", "z", "-4611686018427387904", "WITHSCORES"));
        assertEquals("*6\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\n1\r\n",
            t.run("ZRANDMEMBER", "z", "3", "WITHSCORES"));
        assertEquals("*3\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n",
            t.run("ZRANDMEMBER", "z", "10"));
        assertEquals("-ERR syntax error\r\n",
            t.run("ZRANDMEMBER", "z", "1", "WITHSCORES", "FOO"));
        t.resp3();
        assertEquals("*3\r\n*2\r\n$1\r\nc\r\n,3\r\n*2\r\n$1\r\nb\r\n,2\r\n*2\r\n$1\r\na\r\n,1\r\n",
            t.run("ZRANDMEMBER", "z", "5", "WITHSCORES"));
        assertEquals("_\r\n",
            t.run("ZRANDMEMBER", "nokey"));
    }

    @Test
    void zscan() {
        assertEquals(":9\r\n",
            t.run("ZADD", "z", "1.1", "a", "2", "b", "inf", "c", "0.1", "d", "-0", "e", "1e20", "f",
                "123456789012345678", "g", "1e18", "h", "9.2233720368547758e18", "i"));
        assertEquals("*2\r\n$1\r\n0\r\n*18\r\n$1\r\ne\r\n$1\r\n0\r\n$1\r\nd\r\n$19\r\n0.10000000000000001\r\n$1\r"
            + "\na\r\n$18\r\n1.1000000000000001\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\ng\r\n$18\r\n1234567890123456"
            + "80\r\n$1\r\nh\r\n$19\r\n1000000000000000000\r\n$1\r\ni\r\n$22\r\n9.2233720368547758e+18\r\n$"
            + "1\r\nf\r\n$5\r\n1e+20\r\n$1\r\nc\r\n$3\r\ninf\r\n",
            t.run("ZSCAN", "z", "0"));
        assertEquals("*2\r\n$1\r\n0\r\n*6\r\n$1\r\na\r\n$18\r\n1.1000000000000001\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc"
            + "\r\n$3\r\ninf\r\n",
            t.run("ZSCAN", "z", "0", "MATCH", "[a-c]"));
        assertEquals("*2\r\n$1\r\n0\r\n*18\r\n$1\r\ne\r\n$1\r\n0\r\n$1\r\nd\r\n$19\r\n0.10000000000000001\r\n$1\r"
            + "\na\r\n$18\r\n1.1000000000000001\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\ng\r\n$18\r\n1234567890123456"
            + "80\r\n$1\r\nh\r\n$19\r\n1000000000000000000\r\n$1\r\ni\r\n$22\r\n9.2233720368547758e+18\r\n$"
            + "1\r\nf\r\n$5\r\n1e+20\r\n$1\r\nc\r\n$3\r\ninf\r\n",
            t.run("ZSCAN", "z", "0", "COUNT", "1"));
        assertEquals("-ERR invalid cursor\r\n",
            t.run("ZSCAN", "z", "x"));
        assertEquals("-ERR syntax error\r\n",
            t.run("ZSCAN", "z", "0", "COUNT", "0"));
        assertEquals("-ERR syntax error\r\n",
            t.run("ZSCAN", "z", "0", "FOO", "bar"));
        assertEquals("*2\r\n$1\r\n0\r\n*0\r\n",
            t.run("ZSCAN", "nokey", "0", "FOO", "bar"));
        assertEquals("*2\r\n$1\r\n0\r\n*0\r\n",
            t.run("ZSCAN", "nokey", "0"));
    }

    /** Found by the differential test; expected replies from redis-server 7.0.15. */
    @Test
    void zincrby_unchangedScoreIsStillReplied_andNegativeZeroSurvivesInSkiplists() {
        final StorageTestCall k = new StorageTestCall(new ZSetCommands(), new KeyCommands());
        k.settings.zsetMaxListpackEntries = 2;
        assertEquals(":4\r\n", k.run("ZADD", "z", "1", "a", "2", "b", "3", "c", "inf", "i"));
        assertEquals("$1\r\n3\r\n", k.run("ZINCRBY", "z", "1e-320", "c"));
        assertEquals("$3\r\ninf\r\n", k.run("ZINCRBY", "z", "-5", "i"));
        assertEquals("$1\r\n1\r\n", k.run("ZADD", "z", "INCR", "0", "a"));
        assertEquals(":1\r\n", k.run("ZADD", "z", "-0", "d"));
        assertEquals("$2\r\n-0\r\n", k.run("ZSCORE", "z", "d"));
        assertEquals("*10\r\n$1\r\ni\r\n$4\r\n-inf\r\n$1\r\nc\r\n$2\r\n-3\r\n$1\r\nb\r\n$2\r\n-2\r\n$1\r\na\r\n"
            + "$2\r\n-1\r\n$1\r\nd\r\n$1\r\n0\r\n", k.run("ZINTER", "1", "z", "WEIGHTS", "-1", "WITHSCORES"));
        assertEquals(":5\r\n", k.run("ZUNIONSTORE", "w", "1", "z", "WEIGHTS", "0"));
        assertEquals("*10\r\n$1\r\na\r\n$1\r\n0\r\n$1\r\nb\r\n$1\r\n0\r\n$1\r\nc\r\n$1\r\n0\r\n$1\r\nd\r\n$2\r\n-0\r\n"
            + "$1\r\ni\r\n$1\r\n0\r\n", k.run("ZRANGE", "w", "0", "-1", "WITHSCORES"));
        assertEquals("$8\r\nskiplist\r\n", k.run("OBJECT", "ENCODING", "w"));
        // a stored result that fits becomes a listpack, which keeps -0 as the integer 0
        k.run("ZADD", "s2", "-0", "x");
        assertEquals(":1\r\n", k.run("ZUNIONSTORE", "w3", "1", "s2", "WEIGHTS", "1"));
        assertEquals("*2\r\n$1\r\nx\r\n$1\r\n0\r\n", k.run("ZRANGE", "w3", "0", "-1", "WITHSCORES"));
        assertEquals("$8\r\nlistpack\r\n", k.run("OBJECT", "ENCODING", "w3"));
    }

    @Test
    void zrange_limitEdgeCases() {
        t.run("ZADD", "z", "-0", "d", "1", "a", "2", "b", "3", "c", "inf", "i");
        assertEquals(":0\r\n", t.run("ZRANGESTORE", "dst", "z", "2", "-1", "BYSCORE", "LIMIT", "9223372036854775807",
            "3"));
        assertEquals("*5\r\n$1\r\nd\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\ni\r\n",
            t.run("ZRANGE", "z", "0", "-1", "LIMIT", "4", "-1"));
        assertEquals("-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n",
            t.run("ZRANGE", "z", "0", "-1", "LIMIT", "0", "1"));
    }

    /** ZADD reads scores with string2d, score ranges with a bare strtod (zslParseRange). */
    @Test
    void scores_andRangeBounds_parseAsRedisDoes() {
        assertEquals("-ERR value is not a valid float\r\n", t.run("ZADD", "q", "1\u0000", "m"));
        assertEquals("-ERR value is not a valid float\r\n", t.run("ZADD", "q", "1e400", "m"));
        assertEquals("-ERR value is not a valid float\r\n", t.run("ZADD", "q", " 1", "m"));
        assertEquals(":1\r\n", t.run("ZADD", "q", "0x10", "m"));
        assertEquals("*0\r\n", t.run("ZRANGEBYSCORE", "q", "1e400", "+inf"));
        assertEquals("*1\r\n$1\r\nm\r\n", t.run("ZRANGEBYSCORE", "q", "", "+inf"));
        assertEquals("*1\r\n$1\r\nm\r\n", t.run("ZRANGEBYSCORE", "q", "(", "+inf"));
        assertEquals("*0\r\n", t.run("ZRANGEBYSCORE", "q", "(16\u0000x", "+inf"));
        assertEquals(":1\r\n", t.run("ZCOUNT", "q", " 16", "16"));
        assertEquals("-ERR min or max is not a float\r\n", t.run("ZCOUNT", "q", "nan", "16"));
    }
}
