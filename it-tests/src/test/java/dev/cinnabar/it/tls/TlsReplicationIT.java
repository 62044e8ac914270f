package dev.cinnabar.it.tls;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.cinnabar.it.support.ServerProcess;
import dev.cinnabar.it.support.TlsPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Replication over TLS (tls-replication yes) between Cinnabar and the real redis-server, both
 * ways: the replica connects to its master's tls-port with its certificate, announces its own
 * tls-port, and a master certificate the replica does not trust stops the link with a clear log.
 * Every node keeps a plain port only for the harness and the checks.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(NodeLogOnFailure.class)
class TlsReplicationIT {
    private static final Duration SYNC = Duration.ofSeconds(30);
    private static TlsPki pki;
    private final List<NodeProcess> nodes = new ArrayList<>();

    @BeforeAll
    static void certificates() {
        RealRedis.assumeInstalled();
        pki = TlsPki.create();
    }

    @AfterEach
    void stop() {
        nodes.forEach(NodeProcess::close);
    }

    /** Arguments of a TLS node on {@code tlsPort}, with tls-replication, trusting {@code ca}. */
    private static String[] tlsArgs(final int tlsPort, final String ca, final String... more) {
        final List<String> a = new ArrayList<>(List.of("--tls-port", Integer.toString(tlsPort), "--tls-replication",
            "yes", "--repl-diskless-sync-delay", "0"));
        a.addAll(pki.serverArgs("server"));
        a.set(a.indexOf("--tls-ca-cert-file") + 1, pki.file(ca + ".crt"));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    private NodeProcess track(final NodeProcess n) {
        nodes.add(n);
        return n;
    }

    private static String info(final NodeProcess n, final String section) {
        try (RespClient c = n.client()) {
            return c.text("INFO", section);
        }
    }

    private static void awaitLinkUp(final NodeProcess replica) {
        Await.until(replica.name() + " replicating", () -> info(replica, "replication")
            .contains("master_link_status:up"), SYNC);
    }

    private static void fill(final NodeProcess master) {
        try (RespClient c = master.client()) {
            for (int i = 0; i < 200; i++) {
                assertThat(c.text("SET", "tls:" + i, "value-" + i)).isEqualTo("+OK\r\n");
            }
        }
    }

    private static void awaitCopied(final NodeProcess replica) {
        Await.until("the replica has every key", () -> {
            try (RespClient c = replica.client()) {
                return c.text("DBSIZE").equals(":200\r\n") && c.text("GET", "tls:199").equals("$9\r\nvalue-199\r\n");
            }
        }, SYNC);
    }

    /** With netty-tcnative's BoringSSL, the default on Linux x86-64. */
    @Test
    void realRedisReplicatesFromCinnabarOverTls() {
        final int masterTls = FreePort.next();
        final NodeProcess master = track(ServerProcess.start(tlsArgs(masterTls, "ca")));
        assertThat(master.log()).contains("TLS provider: OPENSSL");
        fill(master);
        final int replicaTls = FreePort.next();
        final NodeProcess replica = track(RealRedis.start(tlsArgs(replicaTls, "ca", "--replicaof", "127.0.0.1",
            Integer.toString(masterTls))));
        awaitLinkUp(replica);
        awaitCopied(replica);
        try (RespClient c = master.client()) {
            assertThat(c.text("SET", "tls:after", "streamed")).isEqualTo("+OK\r\n");
        }
        Await.until("the stream reaches the replica", () -> {
            try (RespClient c = replica.client()) {
                return c.text("GET", "tls:after").equals("$8\r\nstreamed\r\n");
            }
        }, SYNC);
        assertThat(info(master, "replication")).contains("slave0:ip=127.0.0.1,port=" + replicaTls + ",state=online");
    }

    /** With the JDK's TLS provider, the fallback when netty-tcnative does not load. */
    @Test
    void cinnabarReplicatesFromRealRedisOverTls() {
        final int masterTls = FreePort.next();
        final NodeProcess master = track(RealRedis.start(tlsArgs(masterTls, "ca")));
        fill(master);
        final int replicaTls = FreePort.next();
        final NodeProcess replica = track(ServerProcess.startWithJvmOptions(FreePort.next(),
            List.of("-Dcinnabar.tls.provider=jdk"), tlsArgs(replicaTls, "ca", "--replicaof", "127.0.0.1",
                Integer.toString(masterTls))));
        assertThat(replica.log()).contains("TLS provider: JDK");
        awaitLinkUp(replica);
        awaitCopied(replica);
        try (RespClient c = master.client()) {
            assertThat(c.text("INCR", "tls:counter")).isEqualTo(":1\r\n");
        }
        Await.until("the stream reaches the replica", () -> {
            try (RespClient c = replica.client()) {
                return c.text("GET", "tls:counter").equals("$1\r\n1\r\n");
            }
        }, SYNC);
        Await.until("the real master lists the replica by its TLS port", () -> info(master, "replication")
            .contains("slave0:ip=127.0.0.1,port=" + replicaTls + ",state=online"), SYNC);
    }

    @Test
    void aReplicaThatDoesNotTrustItsMasterSaysWhy() {
        final int masterTls = FreePort.next();
        final NodeProcess master = track(ServerProcess.start(tlsArgs(masterTls, "ca")));
        // the replica trusts only the other CA: the master's certificate fails verification
        final NodeProcess replica = track(ServerProcess.start(tlsArgs(FreePort.next(), "otherca", "--replicaof",
            "127.0.0.1", Integer.toString(masterTls))));
        Await.until("the failed handshake is logged", () -> replica.log().contains(
            "Error condition on socket for SYNC: TLS handshake failed: certificate verify failed"), SYNC);
        assertThat(info(replica, "replication")).contains("master_link_status:down");
        assertThat(info(master, "replication")).contains("connected_slaves:0");
    }
}
