package dev.cinnabar.storage.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.cinnabar.storage.keyspace.KeyspaceEvents;
import dev.cinnabar.storage.keyspace.Notify;
import dev.cinnabar.storage.type.zset.ZSet;

/**
 * What sorted-set commands propagate (as observed on a real Redis 7.0.15 replica with MONITOR),
 * the keyspace events they raise, and the encodings they leave behind.
 */
class ZSetEventsTest {
    private final StorageTestCall t = new StorageTestCall(new ZSetCommands());
    private final List<String> events = new ArrayList<>();

    ZSetEventsTest() {
        t.keyspace.events(new KeyspaceEvents() {
            @Override
            public void notify(final int type, final String event, final byte[] key, final int dbId) {
                // "new" (a key created) comes from the keyspace itself, not from these commands
                if (type != Notify.NEW) {
                    events.add(event + " " + new String(key, StandardCharsets.UTF_8));
                }
            }
        });
    }

    private String encoding(final String key) {
        return ((ZSet) t.db().lookup(key.getBytes(StandardCharsets.UTF_8)).value).encoding();
    }

    @Test
    void shouldPropagateZmpopAsZpopWithCount() {
        t.run("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "6", "f");
        t.run("ZMPOP", "2", "q", "z", "MIN", "COUNT", "2");
        t.run("ZMPOP", "1", "z", "MAX");
        t.run("ZPOPMIN", "z");
        t.run("ZPOPMIN", "nokey");
        t.run("ZADD", "z", "GT", "1", "f");
        t.run("ZADD", "z", "XX", "1", "nope");
        t.run("ZREM", "z", "nope");
        t.run("ZRANDMEMBER", "z", "2");
        t.run("ZINTERSTORE", "dst", "2", "z", "nokey");
        t.run("ZADD", "dst", "1", "a");
        t.run("ZINTERSTORE", "dst", "2", "z", "nokey");
        assertEquals(List.of("ZADD z 1 a 2 b 3 c 4 d 5 e 6 f", "ZPOPMIN z 2", "ZPOPMAX z 1", "ZPOPMIN z",
            "ZADD z GT 1 f", "ZADD dst 1 a", "ZINTERSTORE dst 2 z nokey"), t.propagatedText());
    }

    @Test
    void shouldNotifyRedisEventNames() {
        t.run("ZADD", "z", "1", "a", "2", "b", "3", "c");
        t.run("ZINCRBY", "z", "1", "a");
        t.run("ZADD", "z", "INCR", "1", "a");
        t.run("ZREM", "z", "a");
        t.run("ZREMRANGEBYSCORE", "z", "-inf", "2");
        t.run("ZUNIONSTORE", "u", "1", "z");
        t.run("ZRANGESTORE", "r", "z", "0", "-1");
        t.run("ZPOPMAX", "z");
        t.run("ZINTERSTORE", "u", "1", "nokey");
        assertEquals(List.of("zadd z", "zincr z", "zincr z", "zrem z", "zremrangebyscore z", "zunionstore u",
            "zrangestore r", "zpopmax z", "del z", "del u"), events);
    }

    @Test
    void shouldConvertEncodingsAtThresholdsAsRedisDoes() {
        t.settings.zsetMaxListpackEntries = 2;
        t.run("ZADD", "k", "1", "a", "1", "a", "1", "a");
        assertEquals("listpack", encoding("k"));
        t.run("ZADD", "k2", "1", "a", "2", "b");
        assertEquals("listpack", encoding("k2"));
        t.run("ZADD", "k2", "3", "c");
        assertEquals("skiplist", encoding("k2"));
        t.run("ZREM", "k2", "c", "b");
        assertEquals("skiplist", encoding("k2"));
        t.run("ZRANGESTORE", "k3", "k2", "0", "-1");
        assertEquals("listpack", encoding("k3"));
        t.run("ZUNIONSTORE", "k4", "1", "k2");
        assertEquals("listpack", encoding("k4"));
        t.settings.zsetMaxListpackEntries = 128;
        t.settings.zsetMaxListpackValue = 3;
        t.run("ZADD", "v1", "1", "abcd");
        assertEquals("skiplist", encoding("v1"));
        t.run("ZADD", "v2", "1", "abc");
        assertEquals("listpack", encoding("v2"));
        t.run("ZADD", "v2", "1", "abcd");
        assertEquals("skiplist", encoding("v2"));
        t.run("ZRANGESTORE", "v3", "v2", "0", "-1");
        assertEquals("skiplist", encoding("v3"));
        t.run("ZRANGESTORE", "v4", "v2", "0", "0");
        assertEquals("listpack", encoding("v4"));
    }

    @Test
    void shouldAnswerSkiplistRangesLikeListpackOnes() {
        final StorageTestCall big = new StorageTestCall(new ZSetCommands());
        big.settings.zsetMaxListpackEntries = 0;
        for (final StorageTestCall x : List.of(t, big)) {
            for (int i = 0; i < 300; i++) {
                x.run("ZADD", "z", Integer.toString(i % 37), "m" + i);
            }
        }
        for (final String[] cmd : new String[][] {
            {"ZRANGE", "z", "10", "40", "WITHSCORES"},
            {"ZRANGE", "z", "(3", "7", "BYSCORE", "LIMIT", "5", "9"},
            {"ZRANGE", "z", "30", "(4", "BYSCORE", "REV", "LIMIT", "3", "20", "WITHSCORES"},
            {"ZRANK", "z", "m77"}, {"ZREVRANK", "z", "m77"}, {"ZCOUNT", "z", "5", "(9"},
            {"ZREMRANGEBYRANK", "z", "5", "20"}, {"ZREMRANGEBYSCORE", "z", "(30", "32"},
            {"ZPOPMIN", "z", "3"}, {"ZPOPMAX", "z", "3"}, {"ZRANGE", "z", "0", "-1", "WITHSCORES"}}) {
            assertEquals(t.run(cmd), big.run(cmd), String.join(" ", cmd));
        }
    }

    @Test
    void shouldPropagateGeoBitmapAndHllLikeRedis() {
        final StorageTestCall all = new StorageTestCall(new ZSetCommands(), new GeoCommands(), new BitmapCommands(),
            new HyperLogLogCommands());
        all.run("GEOADD", "g", "NX", "CH", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania");
        all.run("GEOADD", "g", "XX", "13.361389", "38.115556", "Palermo");
        all.run("GEORADIUS", "g", "15", "37", "200", "km", "STORE", "dst");
        all.run("SETBIT", "b", "7", "1");
        all.run("BITFIELD", "b", "GET", "u4", "0");
        all.run("BITFIELD", "b", "SET", "u4", "0", "1", "GET", "u4", "0");
        all.run("PFADD", "h", "a", "b", "c");
        all.run("PFADD", "h", "a");
        all.run("PFCOUNT", "h");
        all.run("PFCOUNT", "h");
        all.run("PFMERGE", "h2", "h");
        all.run("PFCOUNT", "h", "h2");
        all.run("BITOP", "NOT", "bn", "b");
        assertEquals(List.of("zadd g NX CH 3479099956230698 Palermo 3479447370796909 Catania",
            "GEORADIUS g 15 37 200 km STORE dst", "SETBIT b 7 1", "BITFIELD b SET u4 0 1 GET u4 0",
            "PFADD h a b c", "PFCOUNT h", "PFMERGE h2 h", "BITOP NOT bn b"), all.propagatedText());
    }
}
