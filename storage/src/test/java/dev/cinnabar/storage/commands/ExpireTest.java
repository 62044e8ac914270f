package dev.cinnabar.storage.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import dev.cinnabar.storage.keyspace.ActiveExpireCycle;
import org.junit.jupiter.api.Test;

/** The EXPIRE family, TTLs, lazy and active expiry, driven by the fake clock. */
class ExpireTest {
    private static final long NOW = 1_700_000_000_000L;
    private final StorageTestCall t = new StorageTestCall(new StringCommands(), new KeyCommands());

    @Test
    void ttl_missingAndPersistent() {
        assertEquals(":-2\r\n", t.run("TTL", "k"));
        assertEquals(":-2\r\n", t.run("PTTL", "k"));
        assertEquals(":-2\r\n", t.run("EXPIRETIME", "k"));
        t.run("SET", "k", "v");
        assertEquals(":-1\r\n", t.run("TTL", "k"));
        assertEquals(":-1\r\n", t.run("PEXPIRETIME", "k"));
    }

    @Test
    void ttl_rounding() {
        t.run("SET", "k", "v", "PX", "1500");
        assertEquals(":2\r\n", t.run("TTL", "k"));
        assertEquals(":1500\r\n", t.run("PTTL", "k"));
        assertEquals(":" + (NOW + 1500) + "\r\n", t.run("PEXPIRETIME", "k"));
        assertEquals(":" + (NOW + 1500 + 500) / 1000 + "\r\n", t.run("EXPIRETIME", "k"));
        t.advance(1001);
        assertEquals(":0\r\n", t.run("TTL", "k"));
        assertEquals(":499\r\n", t.run("PTTL", "k"));
    }

    @Test
    void expire_propagatesAsPexpireatKeepingOptions() {
        t.run("SET", "k", "v");
        t.propagated.clear();
        assertEquals(":1\r\n", t.run("EXPIRE", "k", "100"));
        assertEquals(":1\r\n", t.run("PEXPIRE", "k", "200000", "GT"));
        assertEquals(":1\r\n", t.run("EXPIREAT", "k", "1800000000", "xx"));
        assertEquals(":1\r\n", t.run("PEXPIREAT", "k", "1800000000001"));
        assertEquals(List.of("PEXPIREAT k " + (NOW + 100_000), "PEXPIREAT k " + (NOW + 200_000) + " GT",
            "PEXPIREAT k 1800000000000 xx", "PEXPIREAT k 1800000000001"), t.propagatedText());
        assertTrue(t.events.contains("expire:0:k"));
    }

    @Test
    void expire_nxXxGtLt() {
        t.run("SET", "k", "v");
        assertEquals(":0\r\n", t.run("EXPIRE", "k", "100", "XX"));
        assertEquals(":0\r\n", t.run("EXPIRE", "k", "100", "GT"));
        assertEquals(":1\r\n", t.run("EXPIRE", "k", "100", "LT"));
        assertEquals(":0\r\n", t.run("EXPIRE", "k", "50", "NX"));
        assertEquals(":0\r\n", t.run("EXPIRE", "k", "200", "LT"));
        assertEquals(":0\r\n", t.run("EXPIRE", "k", "100", "GT"));
        assertEquals(":1\r\n", t.run("EXPIRE", "k", "200", "GT", "XX"));
        assertEquals(":200\r\n", t.run("TTL", "k"));
        assertEquals(":0\r\n", t.run("EXPIRE", "nokey", "100"));
        assertEquals("-ERR NX and XX, GT or LT options at the same time are not compatible\r\n",
            t.run("EXPIRE", "k", "10", "NX", "XX"));
        assertEquals("-ERR NX and XX, GT or LT options at the same time are not compatible\r\n",
            t.run("EXPIRE", "k", "10", "NX", "LT"));
        assertEquals("-ERR GT and LT options at the same time are not compatible\r\n",
            t.run("EXPIRE", "k", "10", "GT", "LT"));
        assertEquals("-ERR Unsupported option foo\r\n", t.run("EXPIRE", "k", "abc", "foo"));
        assertEquals("-ERR value is not an integer or out of range\r\n", t.run("EXPIRE", "k", "abc"));
    }

    @Test
    void expire_overflow() {
        t.run("SET", "k", "v");
        assertEquals("-ERR invalid expire time in 'expire' command\r\n", t.run("EXPIRE", "k", "9223372036854776"));
        assertEquals("-ERR invalid expire time in 'expire' command\r\n", t.run("EXPIRE", "k", "9223372036854775"));
        assertEquals("-ERR invalid expire time in 'expire' command\r\n", t.run("EXPIRE", "k", "-9223372036854776"));
        assertEquals("-ERR invalid expire time in 'pexpire' command\r\n",
            t.run("PEXPIRE", "k", "9223372036854775807"));
        assertEquals("-ERR invalid expire time in 'expireat' command\r\n",
            t.run("EXPIREAT", "k", "9223372036854776"));
        assertEquals(":1\r\n", t.run("PEXPIREAT", "k", "9223372036854775807"));
    }

    @Test
    void expire_pastDeletesAndPropagatesDel() {
        t.run("SET", "k", "v");
        t.propagated.clear();
        assertEquals(":1\r\n", t.run("EXPIRE", "k", "-9223372036854775"));
        assertEquals(":0\r\n", t.run("EXISTS", "k"));
        t.run("SET", "j", "v");
        assertEquals(":1\r\n", t.run("PEXPIREAT", "j", String.valueOf(NOW)));
        assertEquals(List.of("DEL k", "SET j v", "DEL j"), t.propagatedText());
        assertTrue(t.events.contains("del:0:k"));
    }

    @Test
    void lazyExpiry_onMasterDeletesAndReportsDel() {
        t.run("SET", "k", "v", "PX", "100");
        t.advance(99);
        assertEquals("$1\r\nv\r\n", t.run("GET", "k"));
        t.advance(1);
        assertEquals("$-1\r\n", t.run("GET", "k"));
        assertEquals(":0\r\n", t.run("DBSIZE"));
        assertTrue(t.events.contains("expired-del:0:k"));
        assertTrue(t.events.contains("expired:0:k"));
        assertEquals(1, t.keyspace.stats.expiredKeys);
    }

    @Test
    void lazyExpiry_onReplicaOnlyHides() {
        t.keyspace.replicaMode(true);
        t.run("SET", "k", "v", "PX", "100");
        t.advance(100);
        assertEquals("$-1\r\n", t.run("GET", "k"));
        assertEquals(":-2\r\n", t.run("TTL", "k"));
        assertEquals(":1\r\n", t.run("DBSIZE"));
        assertTrue(t.events.stream().noneMatch(e -> e.startsWith("expired")));
        // a past deadline from the master is stored, not turned into a delete
        t.run("SET", "j", "v");
        assertEquals(":1\r\n", t.run("PEXPIREAT", "j", "1"));
        assertEquals(":2\r\n", t.run("DBSIZE"));
        // the master's DEL removes the logically expired key
        assertEquals(":1\r\n", t.run("DEL", "k"));
    }

    @Test
    void activeCycle_expiresSampledKeysAndReportsThem() {
        for (int i = 0; i < 200; i++) {
            t.run("SET", "k" + i, "v", "PX", String.valueOf(i < 150 ? 10 : 100_000));
        }
        t.advance(10);
        final ActiveExpireCycle cycle = new ActiveExpireCycle(t.keyspace);
        int expired = 0;
        for (int round = 0; round < 100 && expired < 150; round++) {
            expired += cycle.doWork(10);
        }
        assertEquals(150, expired);
        assertEquals(":50\r\n", t.run("DBSIZE"));
        assertEquals(150, t.events.stream().filter(e -> e.startsWith("expired-del:0:")).count());
    }

    @Test
    void activeCycle_idleOnReplica() {
        t.run("SET", "k", "v", "PX", "10");
        t.keyspace.replicaMode(true);
        t.advance(10);
        assertEquals(0, new ActiveExpireCycle(t.keyspace).doWork(10));
        assertEquals(":1\r\n", t.run("DBSIZE"));
    }
}
