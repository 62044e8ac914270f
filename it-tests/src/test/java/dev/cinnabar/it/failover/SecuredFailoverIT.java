package dev.cinnabar.it.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.cinnabar.it.support.Await;
import dev.cinnabar.it.support.NodeLogOnFailure;
import dev.cinnabar.it.support.NodeProcess;
import dev.cinnabar.it.support.RespClient;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.JedisSentinelPool;

/**
 * The Sentinel tutorial's failover (master + 2 replicas + 3 sentinels, quorum 2, down-after 3 s)
 * with every password set, on an all-Cinnabar fleet and on both mixed fleets.
 *
 * <p>Every data node, master included since any of them may become either, has the same
 * {@code requirepass}, a replication user allowed only what a replica sends (PSYNC, REPLCONF,
 * PING) that every replica logs in as ({@code masteruser}/{@code masterauth}), and a sentinel user
 * with the rules redis.io gives for one, its channels narrowed to the one sentinels use and without
 * {@code +script|kill}: Cinnabar has no scripting, so its ACL knows no SCRIPT command (a sentinel
 * sends SCRIPT KILL only to a master answering -BUSY, which no script makes here). Every
 * sentinel has a {@code requirepass}, reaches the data nodes as that user ({@code sentinel
 * auth-user}/{@code auth-pass}) and the other sentinels as a restricted peer user declared by a
 * {@code user} line ({@code sentinel sentinel-user}/{@code sentinel-pass}).
 *
 * <p>The master is stopped (SIGSTOP); the three sentinels agree on a new master, which takes
 * authenticated writes; the old master, resumed, follows it as a replica and gets a write made on
 * it; a Jedis sentinel pool holding both passwords writes on through the failover by itself; a
 * client without password gets NOAUTH everywhere; and no node logged an ACL denial.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
@ExtendWith(NodeLogOnFailure.class)
class SecuredFailoverIT {
    private static final Duration AGREE = Duration.ofSeconds(60);
    /** The tutorial's value; a Cinnabar master's lease (2000 ms by default) needs lease + 1 s <= down-after. */
    private static final int DOWN_AFTER_MS = 3000;
    private static final String DATA_PASSWORD = "data-secret";
    private static final String SENTINEL_PASSWORD = "sentinel-secret";
    private static final String NOAUTH = "-NOAUTH Authentication required.\r\n";

    private static final Fleet.Secrets SECRETS = new Fleet.Secrets(
        List.of("--requirepass", DATA_PASSWORD,
            "--user", "replicator", "on", ">repl-secret", "+psync", "+replconf", "+ping",
            "--user", "watcher", "on", ">watch-secret", "&__sentinel__:hello", "+multi", "+slaveof", "+ping",
            "+exec", "+subscribe", "+config|rewrite", "+role", "+publish", "+info", "+client|setname",
            "+client|kill", "+config|set",
            "--masteruser", "replicator", "--masterauth", "repl-secret"),
        DATA_PASSWORD,
        List.of("requirepass " + SENTINEL_PASSWORD,
            "user peer on >peer-secret &__sentinel__:hello +ping +publish +client|setname"
                + " +sentinel|is-master-down-by-addr",
            "sentinel sentinel-user peer",
            "sentinel sentinel-pass peer-secret",
            "sentinel auth-user " + Fleet.MASTER + " watcher",
            "sentinel auth-pass " + Fleet.MASTER + " watch-secret"),
        SENTINEL_PASSWORD);

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Fleet.Kind.class,
        names = {"CINNABAR", "CINNABAR_SERVERS_REDIS_SENTINELS", "REDIS_SERVERS_CINNABAR_SENTINELS"})
    void theTutorialFailoverWithEveryPasswordSet(final Fleet.Kind kind) throws Exception {
        try (Fleet fleet = new Fleet(kind, DOWN_AFTER_MS, 10_000, SECRETS);
             JedisSentinelPool pool = fleet.jedisPool();
             PoolWriter writer = new PoolWriter(pool)) {
            final NodeProcess oldMaster = fleet.data.get(0);
            Await.until("writes through the pool", () -> writer.written() > 50, AGREE);

            Fleet.signal(oldMaster, "STOP");
            Await.until("the three sentinels to agree on a new master", () -> {
                final int m = fleet.agreedMaster(0, 1, 2);
                return m > 0 && m != oldMaster.port();
            }, AGREE);
            final NodeProcess newMaster = fleet.dataNode(fleet.agreedMaster(0, 1, 2));
            Fleet.signal(oldMaster, "CONT");
            try (RespClient c = fleet.client(newMaster)) {
                assertThat(c.text("SET", "after", "failover")).isEqualTo("+OK\r\n");
            }
            for (final NodeProcess replica : fleet.data) {
                if (replica != newMaster) {
                    final String who = (replica == oldMaster ? "the old master " : "the replica ") + replica.port();
                    Await.until(who + " to replicate the new master",
                        () -> fleet.replicates(replica, newMaster.port()), AGREE);
                    Await.until(who + " to hold the write made on the new master", () -> {
                        try (RespClient c = fleet.client(replica)) {
                            return c.text("GET", "after").equals("$8\r\nfailover\r\n");
                        }
                    }, AGREE);
                }
            }
            try (RespClient c = fleet.client(newMaster)) {
                final String clients = c.text("CLIENT", "LIST");
                assertThat(replicaUsers(clients)).as("users of the replicas' links: %s", clients)
                    .containsExactly("replicator", "replicator");
                assertThat(clients).contains("user=watcher");
            }

            Await.until("the Jedis pool to follow the new master",
                () -> pool.getCurrentHostMaster().getPort() == newMaster.port(), AGREE);
            final int before = writer.written();
            Await.until("the pool to write on the new master", () -> writer.written() > before + 50, AGREE);
            writer.close();
            final int last = writer.lastWritten();
            try (RespClient c = fleet.client(newMaster)) {
                assertThat(c.text("GET", "j:" + last)).isEqualTo("$" + Integer.toString(last).length() + "\r\n"
                    + last + "\r\n");
            }

            for (final NodeProcess n : fleet.data) {
                try (RespClient anonymous = n.client()) {
                    assertThat(anonymous.text("SET", "k", "v")).as(n.name()).isEqualTo(NOAUTH);
                }
            }
            for (final NodeProcess s : fleet.sentinels) {
                try (RespClient anonymous = s.client()) {
                    assertThat(anonymous.text("SENTINEL", "GET-MASTER-ADDR-BY-NAME", Fleet.MASTER)).as(s.name())
                        .isEqualTo(NOAUTH);
                }
            }
            for (final NodeProcess s : fleet.sentinels) {
                try (RespClient c = fleet.client(s)) {
                    assertThat(c.text("CLIENT", "LIST")).as("the other sentinels' links to " + s.name())
                        .contains("user=peer");
                }
            }
            for (final NodeProcess n : concat(fleet.data, fleet.sentinels)) {
                try (RespClient c = fleet.client(n)) {
                    assertThat(c.text("ACL", "LOG")).as("ACL denials on " + n.name()).isEqualTo("*0\r\n");
                }
            }
            // the sentinel user's +config|set (beside Redis's documented rule) gave every Cinnabar
            // data node under Cinnabar sentinels its start fence
            for (final NodeProcess n : fleet.data) {
                if (kind == Fleet.Kind.CINNABAR) {
                    Await.until(n.name() + " to get its start fence from the sentinels", () -> {
                        try (RespClient c = fleet.client(n)) {
                            return !c.text("CONFIG", "GET", "cinnabar-start-fenced-ms").endsWith("\r\n$1\r\n0\r\n");
                        }
                    }, AGREE);
                } else if (kind == Fleet.Kind.CINNABAR_SERVERS_REDIS_SENTINELS) {
                    try (RespClient c = fleet.client(n)) {
                        assertThat(c.text("CONFIG", "GET", "cinnabar-start-fenced-ms")).as(n.name())
                            .endsWith("\r\n$1\r\n0\r\n");
                    }
                }
            }
        }
    }

    /** The user= of every client flagged S (a replica's link) in a CLIENT LIST reply. */
    private static List<String> replicaUsers(final String clientList) {
        final List<String> users = new ArrayList<>();
        for (final String line : clientList.split("\n")) {
            if (line.contains(" flags=S ")) {
                final int at = line.indexOf(" user=") + 6;
                users.add(line.substring(at, line.indexOf(' ', at)));
            }
        }
        return users;
    }

    private static List<NodeProcess> concat(final List<NodeProcess> a, final List<NodeProcess> b) {
        final List<NodeProcess> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
