package dev.cinnabar.it.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.cinnabar.it.support.Exec;
import dev.cinnabar.it.support.FreePort;
import dev.cinnabar.it.support.NodeProcess;
import dev.cinnabar.it.support.RealRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * bin/cinnabar-cluster end to end, non-interactively: up, the failover demo, status, down. The
 * master must change, the old master must end as a replica, and no node process may be left.
 * {@code -Dcluster.impl=} chooses the nodes: "cinnabar" (all Cinnabar, the default), "sentinels"
 * (Cinnabar sentinels over real redis-servers) or "redis" (all real Redis).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ClusterDemoIT {
    private static final Path ROOT = Path.of(System.getProperty("cinnabar.root", "..")).toAbsolutePath().normalize();

    private static Exec.Result cluster(final Path dir, final int port, final int sport, final String verb) {
        return Exec.run(Duration.ofSeconds(150), "env",
            "CINNABAR_CLUSTER_DIR=" + dir, "CINNABAR_CLUSTER_PORT=" + port, "CINNABAR_CLUSTER_SENTINEL_PORT=" + sport,
            "CINNABAR_CLUSTER_IMPL=" + System.getProperty("cluster.impl", "cinnabar"),
            // the tutorial's 30 s: a first failover attempt that aborts (no replica with fresh INFO on a
            // starved machine) is retried after 2 × failover-timeout (20 s) while the master still sleeps
            "CINNABAR_CLUSTER_SLEEP=30", ROOT.resolve("bin/cinnabar-cluster").toString(), verb);
    }

    @Test
    void upFailoverStatusDown() throws Exception {
        RealRedis.assumeInstalled();
        final Path dir = NodeProcess.newDirectory("cluster-demo").resolve("state");
        final int port = FreePort.next();
        final int sport = FreePort.next();
        final List<Long> pids = new ArrayList<>();
        try {
            final Exec.Result up = cluster(dir, port, sport, "up");
            assertThat(up.exitCode()).as(up.toString()).isZero();
            assertThat(up.stdout()).contains("slaves=2,sentinels=3");
            try (var files = Files.list(dir)) {
                for (final Path p : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                    pids.add(Long.parseLong(Files.readString(p).trim()));
                }
            }
            assertThat(pids).hasSize(6);

            final Exec.Result demo = cluster(dir, port, sport, "failover-demo");
            assertThat(demo.exitCode()).as(demo.toString()).isZero();
            assertThat(demo.stdout()).contains("+switch-master", "new master:", "is now a replica of");

            final Exec.Result status = cluster(dir, port, sport, "status");
            assertThat(status.exitCode()).as(status.toString()).isZero();
            final String oldMaster = demo.stdout().replaceAll("(?s).*the sentinels say the master is (\\S+).*", "$1");
            assertThat(status.stdout()).containsPattern(java.util.regex.Pattern.quote(oldMaster) + "\\s+role=slave");
            assertThat(status.stdout()).contains("role=master");
        } finally {
            // keep the nodes' logs beside the test's other output: down removes the state directory
            final Path logs = dir.resolve("logs");
            if (Files.isDirectory(logs)) {
                try (var files = Files.list(logs)) {
                    for (final Path f : files.toList()) {
                        Files.copy(f, dir.getParent().resolve(f.getFileName()));
                    }
                }
            }
            final Exec.Result down = cluster(dir, port, sport, "down");
            assertThat(down.exitCode()).as(down.toString()).isZero();
        }
        for (final long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid " + pid + " stopped")
                .isFalse();
        }
        assertThat(Files.exists(dir)).isFalse();
    }
}
