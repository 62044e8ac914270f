package dev.cinnabar.it.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.cinnabar.it.support.Await;
import dev.cinnabar.it.support.NodeLogOnFailure;
import dev.cinnabar.it.support.NodeProcess;
import dev.cinnabar.it.support.ServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.SetParams;

/** Jedis 8, unmodified, against a Cinnabar process: string and key commands, expiry, pipelining, SELECT, RESP3. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(NodeLogOnFailure.class)
class JedisIT {
    private static NodeProcess server;

    @BeforeAll
    static void startServer() {
        server = ServerProcess.startUnderTest();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private static Jedis jedis(final RedisProtocol protocol, final int db) {
        return new Jedis("127.0.0.1", server.port(), DefaultJedisClientConfig.builder().protocol(protocol)
            .database(db).socketTimeoutMillis(10_000).build());
    }

    @Test
    void stringsAndKeysOverResp2() {
        try (Jedis j = jedis(RedisProtocol.RESP2, 0)) {
            exerciseStringsAndKeys(j, "r2:");
        }
    }

    @Test
    void stringsAndKeysOverResp3() {
        try (Jedis j = jedis(RedisProtocol.RESP3, 0)) {
            exerciseStringsAndKeys(j, "r3:");
        }
    }

    private static void exerciseStringsAndKeys(final Jedis j, final String p) {
        assertThat(j.ping()).isEqualTo("PONG");
        assertThat(j.set(p + "a", "hello")).isEqualTo("OK");
        assertThat(j.get(p + "a")).isEqualTo("hello");
        assertThat(j.get(p + "missing")).isNull();
        assertThat(j.setnx(p + "a", "other")).isZero();
        assertThat(j.append(p + "a", " world")).isEqualTo(11);
        assertThat(j.strlen(p + "a")).isEqualTo(11);
        assertThat(j.getrange(p + "a", 0, 4)).isEqualTo("hello");
        assertThat(j.setrange(p + "a", 6, "there")).isEqualTo(11);
        assertThat(j.get(p + "a")).isEqualTo("hello there");
        assertThat(j.getSet(p + "a", "x")).isEqualTo("hello there");
        assertThat(j.getDel(p + "a")).isEqualTo("x");
        assertThat(j.exists(p + "a")).isFalse();

        assertThat(j.incr(p + "n")).isEqualTo(1);
        assertThat(j.incrBy(p + "n", 41)).isEqualTo(42);
        assertThat(j.decrBy(p + "n", 2)).isEqualTo(40);
        assertThat(j.decr(p + "n")).isEqualTo(39);
        assertThat(j.incrByFloat(p + "n", 0.5)).isEqualTo(39.5);
        assertThat(j.get(p + "n")).isEqualTo("39.5");
        assertThatThrownBy(() -> j.incr(p + "n")).isInstanceOf(JedisDataException.class)
            .hasMessage("ERR value is not an integer or out of range");

        assertThat(j.mset(p + "k1", "v1", p + "k2", "v2")).isEqualTo("OK");
        assertThat(j.mget(p + "k1", p + "nope", p + "k2")).containsExactly("v1", null, "v2");
        assertThat(j.msetnx(p + "k2", "x", p + "k3", "y")).isZero();
        assertThat(j.exists(p + "k1", p + "k2", p + "k3")).isEqualTo(2);
        assertThat(j.type(p + "k1")).isEqualTo("string");
        assertThat(j.type(p + "nope")).isEqualTo("none");
        assertThat(j.rename(p + "k1", p + "k9")).isEqualTo("OK");
        assertThat(j.renamenx(p + "k9", p + "k2")).isZero();
        assertThat(j.copy(p + "k9", p + "k10", false)).isTrue();
        assertThat(j.get(p + "k10")).isEqualTo("v1");
        assertThat(j.del(p + "k9", p + "k10", p + "nope")).isEqualTo(2);
        assertThat(j.unlink(p + "k2")).isEqualTo(1);
        assertThatThrownBy(() -> j.rename(p + "nope", p + "x")).isInstanceOf(JedisDataException.class)
            .hasMessage("ERR no such key");
    }

    @Test
    void expiry() {
        try (Jedis j = jedis(RedisProtocol.RESP2, 0)) {
            j.set("e:a", "v", SetParams.setParams().ex(100));
            assertThat(j.ttl("e:a")).isBetween(90L, 100L);
            assertThat(j.pttl("e:a")).isBetween(90_000L, 100_000L);
            assertThat(j.persist("e:a")).isEqualTo(1);
            assertThat(j.ttl("e:a")).isEqualTo(-1);
            assertThat(j.ttl("e:none")).isEqualTo(-2);
            assertThat(j.expire("e:a", 50)).isEqualTo(1);
            assertThat(j.expireTime("e:a")).isBetween(System.currentTimeMillis() / 1000 + 40,
                System.currentTimeMillis() / 1000 + 51);
            assertThat(j.getEx("e:a", GetExParams.getExParams().persist())).isEqualTo("v");
            assertThat(j.ttl("e:a")).isEqualTo(-1);
            assertThat(j.setex("e:b", 1000, "v")).isEqualTo("OK");
            assertThat(j.psetex("e:c", 30, "v")).isEqualTo("OK");
            Await.until("e:c to expire", () -> !j.exists("e:c"), Duration.ofSeconds(10));
            assertThat(j.get("e:c")).isNull();
            assertThat(j.expire("e:b", -1)).isEqualTo(1);
            assertThat(j.exists("e:b")).isFalse();
        }
    }

    @Test
    void pipelining() {
        final int n = 2_000;
        try (Jedis j = jedis(RedisProtocol.RESP2, 0)) {
            final Pipeline p = j.pipelined();
            final List<Response<String>> gets = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                p.set("p:" + i, "value-" + i);
                p.incr("p:counter");
                gets.add(p.get("p:" + i));
            }
            p.sync();
            for (int i = 0; i < n; i++) {
                assertThat(gets.get(i).get()).isEqualTo("value-" + i);
            }
            assertThat(j.get("p:counter")).isEqualTo(Integer.toString(n));
        }
    }

    @Test
    void selectKeepsDatabasesApart() {
        try (Jedis db3 = jedis(RedisProtocol.RESP2, 3); Jedis db0 = jedis(RedisProtocol.RESP3, 0)) {
            db3.set("s:k", "in-3");
            assertThat(db0.get("s:k")).isNull();
            assertThat(db0.select(3)).isEqualTo("OK");
            assertThat(db0.get("s:k")).isEqualTo("in-3");
            assertThat(db3.move("s:k", 4)).isEqualTo(1);
            assertThat(db0.get("s:k")).isNull();
            assertThatThrownBy(() -> db0.select(16)).isInstanceOf(JedisDataException.class)
                .hasMessage("ERR DB index is out of range");
        }
    }
}
