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
import io.lettuce.core.ClientOptions;
import io.lettuce.core.GetExArgs;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Lettuce 7, unmodified, against a Cinnabar process. Lettuce's default handshake is HELLO 3 (RESP3,
 * falling back to RESP2 only when HELLO fails), so the default connection proves RESP3 works.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(NodeLogOnFailure.class)
class LettuceIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static NodeProcess server;
    private static RedisClient client;

    @BeforeAll
    static void start() {
        server = ServerProcess.startUnderTest();
        client = RedisClient.create();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(5));
        }
        if (server != null) {
            server.close();
        }
    }

    private static StatefulRedisConnection<String, String> connect(final ProtocolVersion protocol, final int db) {
        client.setOptions(ClientOptions.builder().protocolVersion(protocol).build());
        return client.connect(RedisURI.builder().withHost("127.0.0.1").withPort(server.port()).withDatabase(db)
            .withTimeout(TIMEOUT).build());
    }

    @Test
    void defaultHandshakeNegotiatesResp3() {
        client.setOptions(ClientOptions.create());
        try (StatefulRedisConnection<String, String> c = client.connect(RedisURI.builder().withHost("127.0.0.1")
            .withPort(server.port()).withTimeout(TIMEOUT).build())) {
            final RedisCommands<String, String> r = c.sync();
            assertThat(r.clientInfo()).containsPattern(" resp=3\\s*$");
            exerciseStringsAndKeys(r, "default:");
        }
    }

    @Test
    void stringsAndKeysOverResp2() {
        try (StatefulRedisConnection<String, String> c = connect(ProtocolVersion.RESP2, 0)) {
            assertThat(c.sync().clientInfo()).containsPattern(" resp=2\\s*$");
            exerciseStringsAndKeys(c.sync(), "r2:");
        }
    }

    @Test
    void stringsAndKeysOverResp3() {
        try (StatefulRedisConnection<String, String> c = connect(ProtocolVersion.RESP3, 0)) {
            exerciseStringsAndKeys(c.sync(), "r3:");
        }
    }

    private static void exerciseStringsAndKeys(final RedisCommands<String, String> r, final String p) {
        assertThat(r.ping()).isEqualTo("PONG");
        assertThat(r.set(p + "a", "1")).isEqualTo("OK");
        assertThat(r.set(p + "a", "2", SetArgs.Builder.nx())).isNull();
        assertThat(r.setGet(p + "a", "3")).isEqualTo("1");
        assertThat(r.incrby(p + "a", 10)).isEqualTo(13);
        assertThat(r.incrbyfloat(p + "a", 1.25)).isEqualTo(14.25);
        assertThat(r.get(p + "a")).isEqualTo("14.25");
        assertThat(r.mset(java.util.Map.of(p + "x", "X", p + "y", "Y"))).isEqualTo("OK");
        assertThat(r.mget(p + "x", p + "none", p + "y")).containsExactly(KeyValue.just(p + "x", "X"),
            KeyValue.empty(p + "none"), KeyValue.just(p + "y", "Y"));
        r.mset(java.util.Map.of(p + "l1", "ohmytext", p + "l2", "mynewtext"));
        assertThat(r.lcs(io.lettuce.core.LcsArgs.Builder.keys(p + "l1", p + "l2")).getMatchString())
            .isEqualTo("mytext");
        assertThat(r.exists(p + "x", p + "y", p + "none")).isEqualTo(2);
        assertThat(r.type(p + "x")).isEqualTo("string");
        assertThat(r.touch(p + "x", p + "none")).isEqualTo(1);
        assertThat(r.del(p + "x", p + "y")).isEqualTo(2);
        assertThatThrownBy(() -> r.incr(p + "a")).isInstanceOf(RedisCommandExecutionException.class)
            .hasMessage("ERR value is not an integer or out of range");
    }

    @Test
    void expiry() {
        try (StatefulRedisConnection<String, String> c = connect(ProtocolVersion.RESP3, 0)) {
            final RedisCommands<String, String> r = c.sync();
            r.set("e:a", "v", SetArgs.Builder.px(100_000));
            assertThat(r.pttl("e:a")).isBetween(90_000L, 100_000L);
            assertThat(r.expire("e:a", 500, io.lettuce.core.ExpireArgs.Builder.gt())).isTrue();
            assertThat(r.expire("e:a", 10, io.lettuce.core.ExpireArgs.Builder.gt())).isFalse();
            assertThat(r.ttl("e:a")).isBetween(490L, 500L);
            assertThat(r.getex("e:a", GetExArgs.Builder.persist())).isEqualTo("v");
            assertThat(r.ttl("e:a")).isEqualTo(-1);
            r.psetex("e:b", 30, "v");
            Await.until("e:b to expire", () -> r.exists("e:b") == 0, Duration.ofSeconds(10));
            assertThat(r.get("e:b")).isNull();
        }
    }

    @Test
    void asyncPipelining() {
        final int n = 2_000;
        try (StatefulRedisConnection<String, String> c = connect(ProtocolVersion.RESP3, 0)) {
            final RedisAsyncCommands<String, String> a = c.async();
            c.setAutoFlushCommands(false);
            final List<RedisFuture<?>> writes = new ArrayList<>(n);
            final List<RedisFuture<String>> reads = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                writes.add(a.set("p:" + i, "v" + i));
                reads.add(a.get("p:" + i));
            }
            c.flushCommands();
            assertThat(LettuceFutures.awaitAll(TIMEOUT, writes.toArray(new RedisFuture[0]))).isTrue();
            assertThat(LettuceFutures.awaitAll(TIMEOUT, reads.toArray(new RedisFuture[0]))).isTrue();
            for (int i = 0; i < n; i++) {
                assertThat(reads.get(i).toCompletableFuture().join()).isEqualTo("v" + i);
            }
            c.setAutoFlushCommands(true);
        }
    }

    @Test
    void selectThroughTheUri() {
        try (StatefulRedisConnection<String, String> db5 = connect(ProtocolVersion.RESP3, 5);
             StatefulRedisConnection<String, String> db0 = connect(ProtocolVersion.RESP2, 0)) {
            db5.sync().set("s:k", "five");
            assertThat(db0.sync().get("s:k")).isNull();
            assertThat(db0.sync().copy("s:k", "s:k2")).isFalse();
            assertThat(db5.sync().dbsize()).isEqualTo(1);
            assertThat(db5.sync().get("s:k")).isEqualTo("five");
        }
    }
}
