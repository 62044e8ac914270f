package dev.cinnabar.it.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.cinnabar.it.support.Await;
import dev.cinnabar.it.support.Exec;
import dev.cinnabar.it.support.FreePort;
import dev.cinnabar.it.support.NodeLogOnFailure;
import dev.cinnabar.it.support.NodeProcess;
import dev.cinnabar.it.support.RealRedis;
import dev.cinnabar.it.support.ServerProcess;
import dev.cinnabar.it.support.TlsPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A fleet that speaks nothing but TLS (port 0 everywhere, client certificates required): a
 * Cinnabar master and replica with tls-replication, three Cinnabar sentinels whose links to the
 * data nodes and to each other are TLS too. SENTINEL FAILOVER promotes the replica, turns the old
 * master into its replica, and every sentinel reports the new address. Driven with redis-cli --tls.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
@ExtendWith(NodeLogOnFailure.class)
class TlsFleetIT {
    private static final String MASTER = "mymaster";
    private static final Duration STEP = Duration.ofSeconds(40);

    @Test
    void sentinelFailoverOverTlsOnly() throws Exception {
        RealRedis.assumeInstalled();
        final TlsPki pki = TlsPki.create();
        final List<NodeProcess> all = new ArrayList<>();
        try {
            final List<String> dataArgs = new ArrayList<>(List.of("--tls-replication", "yes",
                "--repl-diskless-sync-delay", "0"));
            dataArgs.addAll(pki.serverArgs("server"));
            final NodeProcess master = ServerProcess.startTlsOnly(dataArgs.toArray(new String[0]));
            all.add(master);
            final List<String> replicaArgs = new ArrayList<>(dataArgs);
            replicaArgs.addAll(List.of("--replicaof", "127.0.0.1", Integer.toString(master.port())));
            final NodeProcess replica = ServerProcess.startTlsOnly(replicaArgs.toArray(new String[0]));
            all.add(replica);
            Await.until("the replica's TLS link is up", () -> cli(pki, replica, "INFO", "replication")
                .contains("master_link_status:up"), STEP);
            assertThat(cli(pki, master, "INFO", "replication"))
                .contains("slave0:ip=127.0.0.1,port=" + replica.port() + ",state=online");
            assertThat(cli(pki, master, "INFO", "server")).contains("tcp_port:" + master.port());

            final List<NodeProcess> sentinels = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                final int port = FreePort.next();
                final Path conf = NodeProcess.newDirectory("tls-sentinel").resolve("sentinel.conf");
                Files.writeString(conf, String.join("\n", "port 0", "tls-port " + port, "bind 127.0.0.1",
                    "tls-replication yes", "tls-cert-file " + pki.file("server.crt"),
                    "tls-key-file " + pki.file("server.key"), "tls-ca-cert-file " + pki.file("ca.crt"),
                    "sentinel monitor " + MASTER + " 127.0.0.1 " + master.port() + " 2",
                    "sentinel down-after-milliseconds " + MASTER + " 3000",
                    "sentinel failover-timeout " + MASTER + " 20000", ""));
                final NodeProcess s = NodeProcess.launchTls("tls-sentinel", port, List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xss512k",
                    "-XX:+UseSerialGC", "-jar", ServerProcess.jar().toString(), conf.toString(), "--sentinel"));
                all.add(s);
                sentinels.add(s);
            }
            for (final NodeProcess s : sentinels) {
                Await.until(s + " to see the replica and the other sentinels", () -> cli(pki, s, "INFO", "sentinel")
                    .contains("status=ok,address=127.0.0.1:" + master.port() + ",slaves=1,sentinels=3"), STEP);
            }

            // the sentinels' own links (to each other and to the replica) are up, hence TLS as well
            for (final NodeProcess s : sentinels) {
                Await.until(s + " linked to the other sentinels and the replica", () -> {
                    final String others = cli(pki, s, "SENTINEL", "SENTINELS", MASTER);
                    final String replicas = cli(pki, s, "SENTINEL", "REPLICAS", MASTER);
                    return others.split("\nflags\nsentinel\n", -1).length == 3 && !others.contains("disconnected")
                        && replicas.contains("\nflags\nslave\n") && !replicas.contains("disconnected");
                }, STEP);
            }
            assertOk(TlsIT.cli(pki, master.port(), "client", "SET", "before", "failover"));
            assertOk(TlsIT.cli(pki, sentinels.get(0).port(), "client", "SENTINEL", "FAILOVER", MASTER));
            for (final NodeProcess s : sentinels) {
                Await.until(s + " to name the promoted replica", () -> cli(pki, s, "SENTINEL",
                    "GET-MASTER-ADDR-BY-NAME", MASTER).equals("127.0.0.1\n" + replica.port() + "\n"), STEP);
            }
            assertThat(cli(pki, replica, "ROLE")).startsWith("master\n");
            Await.until("the old master replicates from the new one over TLS", () -> {
                final String info = cli(pki, master, "INFO", "replication");
                return info.contains("role:slave") && info.contains("master_port:" + replica.port())
                    && info.contains("master_link_status:up");
            }, STEP);
            assertOk(TlsIT.cli(pki, replica.port(), "client", "SET", "after", "failover"));
            Await.until("the write reaches the old master", () -> cli(pki, master, "GET", "after")
                .equals("failover\n"), STEP);
            assertThat(cli(pki, master, "GET", "before")).isEqualTo("failover\n");
        } finally {
            all.forEach(NodeProcess::close);
        }
    }

    /** The whole run (exit code, stderr) in the failure: an empty stdout alone does not say why. */
    private static void assertOk(final Exec.Result r) {
        assertThat(r.stdout()).as(r::toString).isEqualTo("OK\n");
    }

    /** redis-cli --tls with the client certificate; its standard output. */
    private static String cli(final TlsPki pki, final NodeProcess n, final String... args) {
        final Exec.Result r = TlsIT.cli(pki, n.port(), "client", args);
        return r.stdout();
    }
}
