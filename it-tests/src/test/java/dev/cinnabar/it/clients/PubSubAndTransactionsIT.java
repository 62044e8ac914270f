package dev.cinnabar.it.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.cinnabar.it.support.Await;
import dev.cinnabar.it.support.NodeLogOnFailure;
import dev.cinnabar.it.support.NodeProcess;
import dev.cinnabar.it.support.RespClient;
import dev.cinnabar.it.support.ServerProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Transaction;

/**
 * Pub/Sub and transactions through unmodified Jedis and Lettuce, a burst fanned out to 1,000 raw
 * subscribers, and a subscriber that stops reading cut off at client-output-buffer-limit while
 * the publisher and other clients carry on.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(NodeLogOnFailure.class)
class PubSubAndTransactionsIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static NodeProcess server;

    @BeforeAll
    static void start() {
        server = ServerProcess.startUnderTest();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Jedis jedis() {
        return new Jedis("127.0.0.1", server.port(), 10_000);
    }

    @Test
    void jedisPubSubListenerGetsChannelAndPatternMessages() throws Exception {
        final BlockingQueue<String> got = new LinkedBlockingQueue<>();
        final CountDownLatch subscribed = new CountDownLatch(2);
        final JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onMessage(final String channel, final String message) {
                got.add("message " + channel + " " + message);
            }

            @Override
            public void onPMessage(final String pattern, final String channel, final String message) {
                got.add("pmessage " + pattern + " " + channel + " " + message);
            }

            @Override
            public void onSubscribe(final String channel, final int count) {
                subscribed.countDown();
            }

            @Override
            public void onPSubscribe(final String pattern, final int count) {
                subscribed.countDown();
                subscribe("news");
            }
        };
        final Thread t = new Thread(() -> {
            try (Jedis sub = jedis()) {
                sub.psubscribe(listener, "ne*");
            }
        }, "jedis-subscriber");
        t.start();
        assertThat(subscribed.await(20, TimeUnit.SECONDS)).isTrue();
        try (Jedis pub = jedis()) {
            assertThat(pub.publish("news", "hello")).isEqualTo(2);
            assertThat(pub.publish("nest", "x")).isEqualTo(1);
            assertThat(pub.pubsubNumSub("news")).containsEntry("news", 1L);
            assertThat(pub.pubsubNumPat()).isEqualTo(1);
        }
        final List<String> messages = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            messages.add(got.poll(20, TimeUnit.SECONDS));
        }
        assertThat(messages).containsExactly("message news hello", "pmessage ne* news hello", "pmessage ne* nest x");
        listener.punsubscribe();
        listener.unsubscribe();
        t.join(20_000);
        assertThat(t.isAlive()).isFalse();
    }

    @Test
    void jedisTransactionsAndOptimisticLocking() {
        try (Jedis a = jedis(); Jedis b = jedis()) {
            a.del("tx:counter", "tx:list");
            final Transaction t = a.multi();
            t.set("tx:counter", "10");
            t.incrBy("tx:counter", 5);
            t.lpush("tx:list", "x", "y");
            assertThat(t.exec()).containsExactly("OK", 15L, 2L);

            a.watch("tx:counter");
            b.set("tx:counter", "changed");
            final Transaction lost = a.multi();
            lost.incr("tx:counter");
            assertThat(lost.exec()).as("EXEC after a watched key changed").isNull();
            assertThat(a.get("tx:counter")).isEqualTo("changed");

            a.watch("tx:counter");
            final Transaction won = a.multi();
            won.set("tx:counter", "mine");
            assertThat(won.exec()).containsExactly("OK");
            assertThat(b.get("tx:counter")).isEqualTo("mine");
        }
    }

    @Test
    void lettucePubSubOverResp3AndTransactions() throws Exception {
        final RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", server.port()));
        try (StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
             StatefulRedisConnection<String, String> conn = client.connect()) {
            final BlockingQueue<String> got = new LinkedBlockingQueue<>();
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(final String channel, final String message) {
                    got.add(channel + ":" + message);
                }
            });
            sub.sync().subscribe("lettuce");
            // RESP3: the subscribed connection still runs ordinary commands
            assertThat(sub.sync().ping()).isEqualTo("PONG");
            final RedisCommands<String, String> cmd = conn.sync();
            assertThat(cmd.publish("lettuce", "one")).isEqualTo(1);
            assertThat(cmd.publish("lettuce", "two")).isEqualTo(1);
            assertThat(got.poll(20, TimeUnit.SECONDS)).isEqualTo("lettuce:one");
            assertThat(got.poll(20, TimeUnit.SECONDS)).isEqualTo("lettuce:two");

            cmd.del("lt:k");
            cmd.watch("lt:k");
            try (StatefulRedisConnection<String, String> other = client.connect()) {
                other.sync().set("lt:k", "other");
            }
            cmd.multi();
            cmd.set("lt:k", "mine");
            final TransactionResult aborted = cmd.exec();
            assertThat(aborted.wasDiscarded()).isTrue();
            cmd.multi();
            cmd.set("lt:k", "mine");
            cmd.incr("lt:n");
            final TransactionResult done = cmd.exec();
            assertThat(done.wasDiscarded()).isFalse();
            assertThat((String) done.get(0)).isEqualTo("OK");
            assertThat(cmd.get("lt:k")).isEqualTo("mine");
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(5));
        }
    }

    @Test
    void aThousandSubscribersReceiveEveryMessageOfABurstInOrder() {
        final int subscribers = 1000;
        final int messages = 200;
        final List<RespClient> subs = new ArrayList<>();
        try (RespClient pub = server.client()) {
            for (int i = 0; i < subscribers; i++) {
                final RespClient s = server.client();
                subs.add(s);
                s.write(RespClient.encode(RespClient.argv("SUBSCRIBE", "burst")));
            }
            for (final RespClient s : subs) {
                assertThat(RespClient.printable(s.readReply())).startsWith("*3\\r\\n$9\\r\\nsubscribe");
            }
            final StringBuilder pipeline = new StringBuilder();
            for (int m = 0; m < messages; m++) {
                pipeline.append(new String(RespClient.encode(RespClient.argv("PUBLISH", "burst", "m" + m)),
                    StandardCharsets.ISO_8859_1));
            }
            pub.write(pipeline.toString().getBytes(StandardCharsets.ISO_8859_1));
            for (int m = 0; m < messages; m++) {
                assertThat(new String(pub.readReply(), StandardCharsets.ISO_8859_1)).isEqualTo(":" + subscribers + "\r\n");
            }
            for (final RespClient s : subs) {
                for (int m = 0; m < messages; m++) {
                    final String msg = "m" + m;
                    assertThat(new String(s.readReply(), StandardCharsets.ISO_8859_1))
                        .isEqualTo("*3\r\n$7\r\nmessage\r\n$5\r\nburst\r\n$" + msg.length() + "\r\n" + msg + "\r\n");
                }
            }
        } finally {
            subs.forEach(RespClient::close);
        }
    }

    @Test
    void aSubscriberThatStopsReadingIsCutOffWhileOthersCarryOn() throws IOException {
        try (RespClient admin = server.client(); Socket slow = new Socket()) {
            admin.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 256kb 60");
            slow.setReceiveBufferSize(4096);
            slow.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 5_000);
            slow.getOutputStream().write(RespClient.encode(RespClient.argv("SUBSCRIBE", "firehose")));
            slow.getOutputStream().flush();
            Await.until("the slow subscriber to be subscribed",
                () -> RespClient.printable(admin.call("PUBSUB", "NUMSUB", "firehose")).endsWith(":1\\r\\n"), WAIT);
            final String payload = "x".repeat(1024);
            final byte[] one = RespClient.encode(RespClient.argv("PUBLISH", "firehose", payload));
            try (RespClient pub = server.client(); RespClient other = server.client()) {
                int published = 0;
                // 32 MiB of messages at most; the 1 MiB hard limit must cut the reader off well before
                for (int batch = 0; batch < 32 && RespClient.printable(admin.call("PUBSUB", "NUMSUB", "firehose"))
                    .endsWith(":1\\r\\n"); batch++) {
                    final byte[] many = new byte[one.length * 1024];
                    for (int i = 0; i < 1024; i++) {
                        System.arraycopy(one, 0, many, i * one.length, one.length);
                    }
                    pub.write(many);
                    for (int i = 0; i < 1024; i++) {
                        pub.readReply();
                    }
                    published += 1024;
                    assertThat(new String(other.call("PING"), StandardCharsets.US_ASCII)).isEqualTo("+PONG\r\n");
                }
                assertThat(RespClient.printable(admin.call("PUBSUB", "NUMSUB", "firehose")))
                    .as("subscriber still connected after " + published + " messages").endsWith(":0\\r\\n");
                assertThat(new String(pub.call("PUBLISH", "firehose", "after"), StandardCharsets.US_ASCII)).isEqualTo(":0\r\n");
            }
            slow.setSoTimeout((int) WAIT.toMillis());
            assertThat(readsUntilEof(slow.getInputStream())).as("the slow subscriber's connection was closed").isTrue();
        } finally {
            try (RespClient admin = server.client()) {
                admin.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 32mb 8mb 60");
            }
        }
    }

    /** Drains the socket; true when it ends (the server closed it) within the timeout. */
    private static boolean readsUntilEof(final InputStream raw) throws IOException {
        final InputStream in = new BufferedInputStream(raw, 64 * 1024);
        final byte[] buf = new byte[64 * 1024];
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            try {
                if (in.read(buf) < 0) {
                    return true;
                }
            } catch (java.net.SocketTimeoutException e) {
                return false;
            } catch (java.net.SocketException e) {
                return true;
            }
        }
        return false;
    }
}
