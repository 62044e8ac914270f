package dev.cinnabar.it.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.cinnabar.it.support.Await;
import dev.cinnabar.it.support.NodeLogOnFailure;
import dev.cinnabar.it.support.NodeProcess;
import dev.cinnabar.it.support.RealRedis;
import dev.cinnabar.it.support.RespClient;
import dev.cinnabar.it.support.ServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Multi-connection scenarios — pub/sub, keyspace notifications, MULTI/EXEC/WATCH, blocking pops —
 * played against a real redis-server and against Cinnabar. Everything each connection receives,
 * step by step (replies, pushed messages, a blocked client's late answer), must be the same bytes.
 *
 * <p>Script lines: {@code N> CMD args} sends on connection N; {@code N!> ...} sends and ignores
 * the reply's content (HELLO carries the client id); {@code ~ MS} lets MS milliseconds pass (for
 * timeouts); {@code ${idN}} is connection N's CLIENT ID. After every step a PING round trip on a
 * control connection makes sure the server has handled it before the connections are read.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(NodeLogOnFailure.class)
class SessionScenariosIT {
    private static final int CONNECTIONS = 3;
    private static RealRedis redis;
    private static NodeProcess ours;

    @BeforeAll
    static void start() {
        redis = RealRedis.start("--enable-debug-command", "yes");
        ours = ServerProcess.startUnderTest("--enable-debug-command", "yes");
    }

    @AfterAll
    static void stop() {
        if (ours != null) {
            ours.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    static Stream<Arguments> scenarios() {
        return Stream.of(
            Arguments.of("pubsub", """
                0> SUBSCRIBE ch1 ch2
                1> PSUBSCRIBE ch* other?
                2> PUBLISH ch1 hello
                2> PUBLISH ch3 world
                2> PUBSUB NUMSUB ch1 ch2 ch3
                2> PUBSUB NUMPAT
                2> PUBSUB CHANNELS ch2
                2> PUBSUB CHANNELS ch1*
                2> PUBSUB CHANNELS a b
                0> PING
                0> PING hi
                0> GET k
                0> CONFIG GET port
                0> SUBSCRIBE ch1
                0> UNSUBSCRIBE ch1 nope
                2> PUBLISH ch1 m2
                0> UNSUBSCRIBE
                0> UNSUBSCRIBE
                0> GET k
                1> PUNSUBSCRIBE other?
                1> PUNSUBSCRIBE
                2> PUBLISH ch2 x
                2> SSUBSCRIBE s1
                2> SPUBLISH s1 shardmsg
                0> PUBSUB SHARDCHANNELS
                0> PUBSUB SHARDNUMSUB s1 s2
                2> SUNSUBSCRIBE
                0> PUBSUB HELP
                """),
            Arguments.of("pubsub over RESP3", """
                0!> HELLO 3
                0> SUBSCRIBE a
                0> SET k v
                0> GET k
                2> PUBLISH a x
                0> PING
                0> PSUBSCRIBE p*
                2> PUBLISH pa y
                0> UNSUBSCRIBE
                0> PUNSUBSCRIBE
                0> SUBSCRIBE a
                0> RESET
                2> PUBLISH a gone
                """),
            Arguments.of("keyspace notifications", """
                2> DEBUG SET-ACTIVE-EXPIRE 0
                2> CONFIG SET notify-keyspace-events KEA
                2> CONFIG GET notify-keyspace-events
                0> PSUBSCRIBE __key*@0__:*
                2> SET k v
                2> EXPIRE k 100
                2> PERSIST k
                2> APPEND k w
                2> INCR n
                2> RENAME k k2
                2> DEL k2
                2> LPUSH l a b
                2> RPOP l
                2> LPOP l
                2> HSET h f v
                2> HDEL h f
                2> SADD s m
                2> ZADD z 1 a
                2> ZINCRBY z 2 a
                2> SET e v PX 1
                ~ 30
                2> GET e
                2> CONFIG SET notify-keyspace-events Elx
                2> CONFIG GET notify-keyspace-events
                2> RPUSH l2 x
                2> SET s2 v
                2> CONFIG SET notify-keyspace-events AKEn
                2> CONFIG GET notify-keyspace-events
                2> SET brandnew v
                2> CONFIG SET notify-keyspace-events Q
                2> CONFIG SET notify-keyspace-events ""
                """),
            Arguments.of("transactions", """
                0> EXEC
                0> DISCARD
                0> MULTI
                0> MULTI
                0> WATCH k
                0> SET k 1
                0> INCR k
                0> EXEC
                0> GET k
                0> MULTI
                0> INCR k
                0> NOSUCHCMD
                0> SET k
                0> EXEC
                0> GET k
                0> MULTI
                0> SET a 1
                0> LPUSH a x
                0> INCR a
                0> EXEC
                0> WATCH k
                1> SET k changed
                0> MULTI
                0> SET k mine
                0> EXEC
                0> GET k
                0> WATCH k
                0> UNWATCH
                1> SET k again
                0> MULTI
                0> SET k mine
                0> EXEC
                0> WATCH w
                1> FLUSHDB
                0> MULTI
                0> PING
                0> EXEC
                0> SET x 1 PX 400
                0> WATCH x
                ~ 550
                0> MULTI
                0> PING
                0> EXEC
                0> SET y 1 PX 10
                ~ 40
                0> WATCH y
                ~ 250
                0> MULTI
                0> PING
                0> EXEC
                0> MULTI
                0> SUBSCRIBE c
                0> EXEC
                0> RESET
                0> MULTI
                0> RESET
                0> EXEC
                0> MULTI
                0> EXEC x
                0> MULTI
                0> DISCARD
                0> EXEC
                """),
            Arguments.of("client tracking", """
                0!> HELLO 3
                0> CLIENT TRACKING ON
                0> CLIENT GETREDIR
                0> CLIENT TRACKINGINFO
                0> GET k1
                0> MGET k2 k3
                1> SET k1 v
                1> SET k1 v2
                0> GET k1
                0> SET k1 mine
                1> MSET k2 a k3 b
                0> GET k9
                1> FLUSHALL
                0> CLIENT TRACKING ON BCAST
                0> CLIENT TRACKING OFF
                0> CLIENT TRACKING ON BCAST PREFIX user: PREFIX obj:
                0> CLIENT TRACKINGINFO
                1> SET user:1 x
                1> SET other y
                1> MSET obj:1 a user:2 b
                0> CLIENT TRACKING ON BCAST PREFIX us
                0> CLIENT TRACKING OFF
                0> CLIENT TRACKING ON BCAST PREFIX us PREFIX user
                0> CLIENT TRACKING ON OPTIN
                0> CLIENT TRACKING OFF
                0> CLIENT TRACKING ON OPTIN
                0> GET a
                1> SET a 1
                0> CLIENT CACHING yes
                0> GET a
                1> SET a 2
                0> CLIENT CACHING no
                0> CLIENT TRACKINGINFO
                0> CLIENT TRACKING OFF
                0> CLIENT TRACKINGINFO
                0> CLIENT GETREDIR
                0> CLIENT TRACKING ON OPTOUT NOLOOP
                0> GET b
                0> SET b me
                0> GET b
                1> SET b x
                0> CLIENT CACHING no
                0> GET c
                1> SET c 1
                0> CLIENT CACHING yes
                0> CLIENT TRACKINGINFO
                0> CLIENT TRACKING OFF
                1> CLIENT TRACKING ON REDIRECT 99999
                1> CLIENT TRACKING ON PREFIX x
                1> CLIENT TRACKING ON OPTIN OPTOUT
                1> CLIENT TRACKING ON BCAST OPTIN
                1> CLIENT TRACKING maybe
                1> CLIENT TRACKING ON foo
                1> CLIENT CACHING yes
                1> CLIENT CACHING maybe
                1> CLIENT TRACKING ON
                1> GET z
                0> SET z 1
                1> CLIENT TRACKINGINFO
                1> CLIENT TRACKING OFF
                2> SUBSCRIBE __redis__:invalidate
                1> CLIENT TRACKING ON REDIRECT ${id2}
                1> GET r1
                1> MGET r2 r3
                0> SET r1 x
                0> MSET r2 a r3 b
                1> CLIENT TRACKING OFF
                1> CLIENT TRACKING ON BCAST PREFIX r REDIRECT ${id2}
                0> MSET r1 a r2 b
                0> SET other c
                0> FLUSHALL
                1> CLIENT TRACKING OFF
                0> CLIENT TRACKING ON REDIRECT ${id2}
                0> GET q
                2> RESET
                1> SET q 1
                2> SUBSCRIBE __redis__:invalidate
                0> GET q
                1> SET q 2
                0> CLIENT TRACKING OFF
                0> CLIENT TRACKING ON BCAST NOLOOP
                0> SET n1 mine
                1> SET n2 theirs
                0> CLIENT TRACKING ON BCAST PREFIX a
                0> CLIENT TRACKINGINFO
                """),
            Arguments.of("blocking lists", """
                0> BLPOP L1 L2 0
                1> BLPOP L2 0
                2> RPUSH L2 a b c
                2> LRANGE L2 0 -1
                0> BLMOVE src dst LEFT RIGHT 0
                1> BLPOP dst 0
                2> LPUSH src x
                2> EXISTS src dst
                0> BLPOP q 0
                2> MULTI
                2> LPUSH q 1
                2> LPUSH q 2
                2> EXEC
                2> LRANGE q 0 -1
                0> BLPOP t 0.2
                ~ 400
                0> BRPOPLPUSH t2 d 0.1
                ~ 300
                0> BLPOP u 0
                2> CLIENT UNBLOCK ${id0}
                2> CLIENT UNBLOCK ${id0}
                0> BLPOP u 0
                2> CLIENT UNBLOCK ${id0} ERROR
                0> BLPOP w 0
                2> SET w str
                2> DEL w
                2> LPUSH w v
                0> BLMPOP 0 2 m1 m2 RIGHT COUNT 2
                2> RPUSH m2 a b c
                0> BRPOP r 0
                0> PING
                2> RPUSH r first
                1> SET blocked no
                0> BLPOP str 0
                2> SET str v
                0> BLPOP str 0
                2> DEL str
                0> BLPOP a 0.01 extra
                0> BLPOP a -1
                0> BLPOP a nope
                """),
            Arguments.of("blocking sorted sets", """
                0> BZPOPMIN z 0
                1> BZPOPMAX z 0
                2> ZADD z 1 a 2 b 3 c
                2> ZRANGE z 0 -1 WITHSCORES
                0> BZMPOP 0 2 z1 z2 MAX COUNT 5
                2> ZADD z2 1 a 2 b
                0> BZPOPMIN lst 0
                2> RPUSH lst x
                2> ZADD lst2 1 m
                2> DEL lst
                2> ZADD lst 5 q
                0> BZPOPMIN lst2 0.05
                0> BZPOPMIN lst3 0.05
                ~ 200
                0!> HELLO 3
                0> BZPOPMIN zz 0
                2> ZADD zz 1.5 m
                0> BLPOP none 0.05
                ~ 200
                0> BLMOVE none d LEFT LEFT 0.05
                ~ 200
                """));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void sameAsRedis(final String name, final String script) {
        final List<String> expected = play(redis, script);
        final List<String> actual = play(ours, script);
        assertThat(String.join("\n", actual)).as("transcript of scenario '" + name + "' (Cinnabar vs Redis)")
            .isEqualTo(String.join("\n", expected));
    }

    /** Runs the script on fresh connections; returns one line per step and connection that received something. */
    private static List<String> play(final NodeProcess node, final String script) {
        final List<String> transcript = new ArrayList<>();
        try (RespClient control = node.client()) {
            control.call("FLUSHALL");
            control.call("CONFIG", "SET", "notify-keyspace-events", "");
            final RespClient[] conns = new RespClient[CONNECTIONS];
            final String[] ids = new String[CONNECTIONS];
            try {
                for (int i = 0; i < CONNECTIONS; i++) {
                    conns[i] = node.client();
                    final String reply = new String(conns[i].call("CLIENT", "ID"));
                    ids[i] = reply.substring(1, reply.length() - 2);
                }
                int step = 0;
                for (final String raw : script.strip().split("\n")) {
                    final String line = raw.strip();
                    step++;
                    if (line.startsWith("~")) {
                        final long waitMs = Long.parseLong(line.substring(1).strip());
                        Await.pause(Duration.ofMillis(waitMs));
                    } else {
                        final int gt = line.indexOf('>');
                        final boolean ignore = line.charAt(gt - 1) == '!';
                        final int conn = Integer.parseInt(line.substring(0, ignore ? gt - 1 : gt));
                        String cmd = line.substring(gt + 1).strip();
                        for (int i = 0; i < CONNECTIONS; i++) {
                            cmd = cmd.replace("${id" + i + "}", ids[i]);
                        }
                        conns[conn].write(RespClient.encode(RespClient.argv(split(cmd))));
                        if (ignore) {
                            conns[conn].readReply();
                            transcript.add(step + " " + conn + ": (reply ignored)");
                        }
                    }
                    control.call("PING");
                    control.call("PING");
                    for (int i = 0; i < CONNECTIONS; i++) {
                        for (int n = 0; n < 100; n++) {
                            final byte[] r = conns[i].pollReply(Duration.ofMillis(15));
                            if (r == null) {
                                break;
                            }
                            transcript.add(step + " " + i + ": " + RespClient.printable(r));
                        }
                    }
                }
            } finally {
                for (final RespClient c : conns) {
                    if (c != null) {
                        c.close();
                    }
                }
            }
            control.call("CONFIG", "SET", "notify-keyspace-events", "");
            control.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
        }
        return transcript;
    }

    /** Splits on spaces; "double quotes" group words and "" is the empty argument. */
    private static String[] split(final String cmd) {
        final List<String> out = new ArrayList<>();
        final StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (final char ch : cmd.toCharArray()) {
            if (ch == '"') {
                quoted = !quoted;
                any = true;
            } else if (ch == ' ' && !quoted) {
                if (any) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    any = false;
                }
            } else {
                cur.append(ch);
                any = true;
            }
        }
        if (any) {
            out.add(cur.toString());
        }
        return out.toArray(new String[0]);
    }
}
