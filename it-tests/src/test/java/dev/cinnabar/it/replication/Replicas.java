package dev.cinnabar.it.replication;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import dev.cinnabar.it.support.Await;
import dev.cinnabar.it.support.NodeProcess;
import dev.cinnabar.it.support.RespClient;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.Tuple;

/**
 * What the replication ITs share: INFO fields, waiting for replicas to catch up, a workload that
 * writes every data type through the paths that propagate differently, and a logical image of a
 * dataset (type, content and whether a TTL is set, per key and database) that compares a Cinnabar
 * node with a real Redis one whatever their internal encodings. The persistence ITs use the
 * workload and the image too.
 */
public final class Replicas {
    static final Duration SYNC_TIMEOUT = Duration.ofSeconds(60);
    private static final int DATABASES = 16;

    private Replicas() {
    }

    public static Jedis jedis(final NodeProcess n) {
        return new Jedis("127.0.0.1", n.port(), DefaultJedisClientConfig.builder().socketTimeoutMillis(20_000).build());
    }

    /** One field of an INFO section, or null when absent. */
    public static String info(final NodeProcess n, final String section, final String field) {
        try (RespClient c = n.client()) {
            final String text = new String(c.call("INFO", section), StandardCharsets.ISO_8859_1);
            for (final String line : text.split("\r\n")) {
                if (line.startsWith(field + ":")) {
                    return line.substring(field.length() + 1);
                }
            }
            return null;
        }
    }

    static long infoLong(final NodeProcess n, final String section, final String field) {
        final String v = info(n, section, field);
        if (v == null) {
            throw new AssertionError("INFO " + section + " of " + n + " has no " + field);
        }
        return Long.parseLong(v);
    }

    /** A raw command's reply as text (ISO-8859-1). */
    static String call(final NodeProcess n, final String... argv) {
        try (RespClient c = n.client()) {
            return new String(c.call(argv), StandardCharsets.ISO_8859_1);
        }
    }

    /** Waits until each replica's link is up and it applied everything the master had fed when asked. */
    static void awaitInSync(final NodeProcess master, final NodeProcess... replicas) {
        for (final NodeProcess r : replicas) {
            Await.until(r + " link up", () -> "up".equals(info(r, "replication", "master_link_status")), SYNC_TIMEOUT);
        }
        final long target = infoLong(master, "replication", "master_repl_offset");
        for (final NodeProcess r : replicas) {
            Await.until(r + " reaches offset " + target,
                () -> infoLong(r, "replication", "slave_repl_offset") >= target, SYNC_TIMEOUT);
        }
    }

    /**
     * Writes every data type, through the paths that propagate in their own way: plain writes,
     * relative expiries (sent as absolute), randomness (SPOP), INCRBYFLOAT (sent as SET KEEPTTL),
     * MULTI/EXEC, several databases, SWAPDB, FLUSHDB, deletions and keys that expire.
     */
    public static void writeEveryType(final Jedis j, final String p) {
        j.select(0);
        j.set(p + "str", "hello");
        j.append(p + "str", " world");
        j.setrange(p + "str", 0, "J");
        j.incr(p + "counter");
        j.incrBy(p + "counter", 41);
        j.incrByFloat(p + "float", 1.25);
        j.incrByFloat(p + "float", 2.5);
        j.setex(p + "ttl", 1000, "v");
        j.pexpire(p + "str", 500_000);
        j.persist(p + "str");
        j.setbit(p + "bits", 7, true);
        j.setbit(p + "bits", 100, true);
        j.pfadd(p + "hll", "a", "b", "c", "d");
        j.rpush(p + "list", "a", "b", "c", "d", "e");
        j.lpush(p + "list", "z");
        j.lpop(p + "list");
        j.lset(p + "list", 1, "B");
        j.ltrim(p + "list", 0, 3);
        j.rpoplpush(p + "list", p + "list2");
        j.hset(p + "hash", Map.of("f1", "v1", "f2", "v2", "f3", "3"));
        j.hincrBy(p + "hash", "f3", 4);
        j.hincrByFloat(p + "hash", "f4", 0.5);
        j.hdel(p + "hash", "f1");
        j.sadd(p + "set", "m1", "m2", "m3", "m4", "m5");
        j.srem(p + "set", "m5");
        j.spop(p + "set");
        j.sadd(p + "intset", "1", "2", "3");
        j.smove(p + "intset", p + "set", "1");
        j.zadd(p + "zset", Map.of("a", 1.0, "b", 2.0, "c", 3.0, "d", 4.0));
        j.zincrby(p + "zset", 10, "a");
        j.zrem(p + "zset", "b");
        j.zpopmin(p + "zset");
        j.geoadd(p + "geo", 13.361389, 38.115556, "Palermo");
        j.geoadd(p + "geo", 15.087269, 37.502669, "Catania");
        final List<String> bigList = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            bigList.add("element-" + i);
        }
        j.rpush(p + "biglist", bigList.toArray(new String[0]));
        final Transaction t = j.multi();
        t.incr(p + "tx1");
        t.incr(p + "tx2");
        t.set(p + "tx3", "in-a-transaction");
        t.exec();
        j.set(p + "gone", "x");
        j.del(p + "gone");
        j.rename(p + "counter", p + "counter-renamed");
        j.select(3);
        j.set(p + "db3", "three");
        j.rpush(p + "db3list", "x", "y");
        j.select(4);
        j.set(p + "db4", "four");
        j.swapDB(3, 4);
        j.select(5);
        j.set(p + "db5", "five");
        j.flushDB();
        j.select(0);
    }

    /** {@code count} string keys of {@code size} bytes, pipelined. */
    static void fill(final NodeProcess n, final String prefix, final int count, final int size) {
        final String value = "v".repeat(size);
        try (Jedis j = jedis(n)) {
            final redis.clients.jedis.Pipeline p = j.pipelined();
            for (int i = 0; i < count; i++) {
                p.set(prefix + i, value + i);
            }
            p.sync();
        }
    }

    /** Writes every type on the master, waits for the replicas and checks they hold what it holds. */
    static void writeAndCompare(final NodeProcess master, final String prefix, final NodeProcess... replicas) {
        try (Jedis m = jedis(master)) {
            writeEveryType(m, prefix);
        }
        awaitInSync(master, replicas);
        final Map<String, String> expected = dataset(master);
        for (final NodeProcess r : replicas) {
            org.assertj.core.api.Assertions.assertThat(dataset(r)).as("dataset of " + r).isEqualTo(expected);
        }
    }

    /** The dataset as comparable text: "db:key" → type and content, and whether it has a TTL. */
    public static Map<String, String> dataset(final NodeProcess n) {
        final Map<String, String> out = new TreeMap<>();
        try (Jedis j = jedis(n)) {
            for (int db = 0; db < DATABASES; db++) {
                j.select(db);
                String cursor = ScanParams.SCAN_POINTER_START;
                do {
                    final ScanResult<String> page = j.scan(cursor, new ScanParams().count(1000));
                    for (final String k : page.getResult()) {
                        out.put(db + ":" + k, describe(j, k));
                    }
                    cursor = page.getCursor();
                } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            }
        }
        return out;
    }

    private static String describe(final Jedis j, final String k) {
        final String type = j.type(k);
        final String ttl = j.pttl(k) > 0 ? " ttl" : "";
        final String content = switch (type) {
            case "string" -> j.get(k);
            case "list" -> String.join(",", j.lrange(k, 0, -1));
            case "hash" -> new TreeMap<>(j.hgetAll(k)).toString();
            case "set" -> j.smembers(k).stream().sorted().collect(Collectors.joining(","));
            case "zset" -> j.zrangeWithScores(k, 0, -1).stream().map(Tuple::toString).collect(Collectors.joining(","));
            default -> "?";
        };
        return type + ttl + " " + content;
    }
}
