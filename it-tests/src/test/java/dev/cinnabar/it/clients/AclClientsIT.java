package dev.cinnabar.it.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.cinnabar.it.support.NodeLogOnFailure;
import dev.cinnabar.it.support.NodeProcess;
import dev.cinnabar.it.support.ServerProcess;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Jedis and Lettuce connecting with a username (AUTH user pass over RESP2, HELLO 3 AUTH user pass
 * over RESP3), a restricted user refused with NOPERM and the refusal found in ACL LOG, and a wrong
 * password refused at connection time. The server requires a password for the default user, so
 * nothing works without authenticating.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(NodeLogOnFailure.class)
class AclClientsIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static NodeProcess server;
    private static RedisClient lettuce;

    @BeforeAll
    static void start() {
        server = ServerProcess.startUnderTest("--requirepass", "adminpw",
            "--user", "app", "on", ">apppw", "~app:*", "&news", "+@read", "+@write", "-@dangerous", "+ping",
            "+acl|whoami", "+client|info", "+publish");
        lettuce = RedisClient.create();
    }

    @AfterAll
    static void stop() {
        if (lettuce != null) {
            lettuce.shutdown(Duration.ZERO, Duration.ofSeconds(5));
        }
        if (server != null) {
            server.close();
        }
    }

    private static Jedis jedis(final String user, final String password) {
        return new Jedis("127.0.0.1", server.port(), DefaultJedisClientConfig.builder().user(user).password(password)
            .socketTimeoutMillis((int) TIMEOUT.toMillis()).build());
    }

    @Test
    void jedisWithAUsernameIsConfinedToItsKeys() {
        try (Jedis j = jedis("app", "apppw"); Jedis admin = jedis("default", "adminpw")) {
            assertThat(j.aclWhoAmI()).isEqualTo("app");
            j.set("app:1", "one");
            assertThat(j.get("app:1")).isEqualTo("one");
            assertThatThrownBy(() -> j.set("other:1", "x")).isInstanceOf(JedisAccessControlException.class)
                .hasMessage("NOPERM this user has no permissions to access one of the keys used as arguments");
            assertThatThrownBy(() -> j.flushAll()).isInstanceOf(JedisAccessControlException.class)
                .hasMessage("NOPERM this user has no permissions to run the 'flushall' command");
            assertThatThrownBy(() -> j.publish("sports", "x")).isInstanceOf(JedisAccessControlException.class)
                .hasMessage("NOPERM this user has no permissions to access one of the channels used as arguments");
            assertThat(j.publish("news", "x")).isZero();

            assertThat(admin.aclLog(2)).hasSize(2);
            assertThat(admin.aclLog(2).get(0).getReason()).isEqualTo("channel");
            assertThat(admin.aclLog(2).get(1).getReason()).isEqualTo("command");
            assertThat(admin.aclLog(2).get(1).getObject()).isEqualTo("flushall");
            assertThat(admin.aclLog(2).get(1).getUsername()).isEqualTo("app");
        }
    }

    @Test
    void jedisWithAWrongPasswordIsRefused() {
        assertThatThrownBy(() -> jedis("app", "nope").ping()).isInstanceOf(JedisDataException.class)
            .hasMessageContaining("WRONGPASS invalid username-password pair or user is disabled.");
        try (Jedis admin = jedis("default", "adminpw")) {
            assertThat(admin.aclLog(1).get(0).getReason()).isEqualTo("auth");
            assertThat(admin.aclLog(1).get(0).getUsername()).isEqualTo("app");
        }
    }

    @Test
    void lettuceWithAUsernameOverResp3AndResp2() {
        for (final ProtocolVersion protocol : List.of(ProtocolVersion.RESP3, ProtocolVersion.RESP2)) {
            lettuce.setOptions(ClientOptions.builder().protocolVersion(protocol).build());
            try (StatefulRedisConnection<String, String> c = lettuce.connect(RedisURI.builder()
                .withHost("127.0.0.1").withPort(server.port()).withAuthentication("app", "apppw".toCharArray())
                .withTimeout(TIMEOUT).build())) {
                final RedisCommands<String, String> r = c.sync();
                assertThat(r.aclWhoami()).isEqualTo("app");
                assertThat(r.clientInfo()).contains(" user=app ");
                r.hset("app:h", Map.of("f", "v"));
                assertThat(r.hget("app:h", "f")).isEqualTo("v");
                assertThatThrownBy(() -> r.get("secret")).isInstanceOf(RedisCommandExecutionException.class)
                    .hasMessage("NOPERM this user has no permissions to access one of the keys used as arguments");
                assertThatThrownBy(() -> r.configGet("maxmemory")).isInstanceOf(RedisCommandExecutionException.class)
                    .hasMessage("NOPERM this user has no permissions to run the 'config|get' command");
            }
        }
    }
}
