package dev.cinnabar.it.sentinel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.cinnabar.it.support.Await;
import dev.cinnabar.it.support.FreePort;
import dev.cinnabar.it.support.NodeLogOnFailure;
import dev.cinnabar.it.support.NodeProcess;
import dev.cinnabar.it.support.RealRedis;
import dev.cinnabar.it.support.RespClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two Cinnabar sentinels, each protected by requirepass, monitor a real Redis master whose default
 * user needs a password: they reach the master as a restricted ACL user (sentinel auth-user /
 * auth-pass), find each other through the master's hello channel and talk to each other as the
 * ACL user declared by a "user" line of their config (sentinel-user / sentinel-pass). The master logs no ACL denial, and a client of a sentinel needs
 * its password.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(NodeLogOnFailure.class)
class SentinelAclIT {
    private static final String MASTER = "m";
    private static final Path ROOT = Path.of(System.getProperty("cinnabar.root", "..")).toAbsolutePath().normalize();
    private final List<NodeProcess> nodes = new ArrayList<>();

    @AfterEach
    void stopAll() {
        for (final NodeProcess n : nodes) {
            n.close();
        }
    }

    private NodeProcess sentinel(final int masterPort) throws Exception {
        final int port = FreePort.next();
        final Path conf = NodeProcess.newDirectory("sentinel-acl").resolve("sentinel.conf");
        Files.writeString(conf, String.join("\n",
            "port " + port,
            "bind 127.0.0.1",
            "requirepass sentpw",
            "user peer on >peerpw +@all ~* &*",
            "sentinel sentinel-user peer",
            "sentinel sentinel-pass peerpw",
            "sentinel monitor " + MASTER + " 127.0.0.1 " + masterPort + " 2",
            "sentinel auth-user " + MASTER + " sent",
            "sentinel auth-pass " + MASTER + " sp",
            "sentinel down-after-milliseconds " + MASTER + " 2000", ""));
        final NodeProcess n = NodeProcess.launch("sentinel-" + port, port,
            List.of(ROOT.resolve("bin/cinnabar-sentinel").toString(), conf.toString()));
        nodes.add(n);
        return n;
    }

    private static String call(final NodeProcess n, final String password, final String... argv) {
        try (RespClient c = n.client()) {
            c.call("AUTH", password);
            return new String(c.call(argv), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void sentinelsAuthenticateAsRestrictedUsersEverywhere() throws Exception {
        RealRedis.assumeInstalled();
        // the ACL rules Redis's documentation gives for a sentinel's user on the monitored instances
        final RealRedis master = RealRedis.start("--requirepass", "adminpw", "--user", "sent", "on", ">sp",
            "allchannels", "+multi", "+slaveof", "+ping", "+exec", "+subscribe", "+config|rewrite", "+role",
            "+publish", "+info", "+client|setname", "+client|kill", "+script|kill");
        nodes.add(master);
        final NodeProcess s1 = sentinel(master.port());
        final NodeProcess s2 = sentinel(master.port());
        final String ok = "status=ok,address=127.0.0.1:" + master.port() + ",slaves=0,sentinels=2";
        for (final NodeProcess s : List.of(s1, s2)) {
            Await.until(s.name() + " sees the master and the other sentinel",
                () -> call(s, "sentpw", "INFO", "sentinel").contains(ok), Duration.ofSeconds(60));
        }
        assertThat(call(master, "adminpw", "CLIENT", "LIST")).contains("user=sent");
        assertThat(call(master, "adminpw", "ACL", "LOG")).isEqualTo("*0\r\n");
        // each sentinel's links to the other authenticated as sentinel-user, and nothing was refused
        for (final NodeProcess s : List.of(s1, s2)) {
            Await.until(s.name() + " has a client authenticated as peer",
                () -> call(s, "sentpw", "CLIENT", "LIST").contains("user=peer"), Duration.ofSeconds(30));
            assertThat(call(s, "sentpw", "ACL", "LOG")).isEqualTo("*0\r\n");
        }
        try (RespClient anonymous = s1.client()) {
            assertThat(new String(anonymous.call("SENTINEL", "MASTERS"), StandardCharsets.ISO_8859_1))
                .isEqualTo("-NOAUTH Authentication required.\r\n");
            assertThat(new String(anonymous.call("AUTH", "wrong"), StandardCharsets.ISO_8859_1))
                .isEqualTo("-WRONGPASS invalid username-password pair or user is disabled.\r\n");
        }
        assertThat(call(s1, "sentpw", "ACL", "WHOAMI")).isEqualTo("$7\r\ndefault\r\n");
        assertThat(call(s1, "sentpw", "ACL", "LOG", "1")).contains("reason\r\n$4\r\nauth");
    }
}
