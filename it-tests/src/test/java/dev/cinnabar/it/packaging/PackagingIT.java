package dev.cinnabar.it.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.cinnabar.it.support.Exec;
import dev.cinnabar.it.support.FreePort;
import dev.cinnabar.it.support.NodeLogOnFailure;
import dev.cinnabar.it.support.NodeProcess;
import dev.cinnabar.it.support.RealRedis;
import dev.cinnabar.it.support.RespClient;
import dev.cinnabar.it.support.TlsPki;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The container packaging without a Docker engine: the entrypoint's bitnami environment → config
 * translation (dry run and for real on loopback), and the compose file validated by docker-compose.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(NodeLogOnFailure.class)
class PackagingIT {
    private static final Duration T = Duration.ofSeconds(30);
    private static final Path ROOT = Path.of(System.getProperty("cinnabar.root", "..")).toAbsolutePath().normalize();
    private static final String ENTRYPOINT = ROOT.resolve("docker/entrypoint.sh").toString();

    private static Exec.Result entrypoint(final String... envAndArgs) {
        final List<String> cmd = new ArrayList<>(List.of("env", "-i", "PATH=" + System.getenv("PATH"),
            "CINNABAR_DRY_RUN=1"));
        cmd.addAll(List.of(envAndArgs));
        return Exec.run(T, cmd.toArray(new String[0]));
    }

    @Test
    void masterAndReplicaConfigFromBitnamiVariables() {
        final Exec.Result master = entrypoint("REDIS_REPLICATION_MODE=master", "REDIS_PASSWORD=s3cr\"t", ENTRYPOINT);
        assertThat(master.exitCode()).as(master.toString()).isZero();
        assertThat(master.stdout()).contains("port 6379\n", "requirepass \"s3cr\\\"t\"\n", "masterauth \"s3cr\\\"t\"\n")
            .doesNotContain("replicaof");
        final Exec.Result replica = entrypoint("REDIS_REPLICATION_MODE=slave", "REDIS_MASTER_HOST=redis",
            "REDIS_MASTER_PORT_NUMBER=6380", "REDIS_MASTER_PASSWORD=pw", "ALLOW_EMPTY_PASSWORD=yes",
            "REDIS_REPLICA_IP=10.0.0.9", "REDIS_DISABLE_COMMANDS=FLUSHALL, FLUSHDB", ENTRYPOINT);
        assertThat(replica.exitCode()).as(replica.toString()).isZero();
        assertThat(replica.stdout()).contains("replicaof redis 6380\n", "masterauth \"pw\"\n",
            "replica-announce-ip 10.0.0.9\n", "rename-command FLUSHALL \"\"\n", "rename-command FLUSHDB \"\"\n");
    }

    @Test
    void sentinelConfigFromBitnamiVariables() {
        final Exec.Result s = entrypoint("REDIS_MASTER_HOST=redis", "REDIS_MASTER_SET=cache", "REDIS_SENTINEL_QUORUM=3",
            "REDIS_SENTINEL_DOWN_AFTER_MILLISECONDS=5000", "REDIS_MASTER_PASSWORD=pw", "REDIS_SENTINEL_ANNOUNCE_IP=1.2.3.4",
            "REDIS_SENTINEL_ANNOUNCE_PORT=26000", ENTRYPOINT, "sentinel");
        assertThat(s.exitCode()).as(s.toString()).isZero();
        assertThat(s.stdout()).contains("port 26379\n", "sentinel monitor cache redis 6379 3\n",
            "sentinel down-after-milliseconds cache 5000\n", "sentinel failover-timeout cache 180000\n",
            "sentinel auth-pass cache \"pw\"\n", "sentinel announce-ip 1.2.3.4\n", "sentinel announce-port 26000\n",
            "sentinel resolve-hostnames yes\n");
    }

    @Test
    void refusesAnEmptyPasswordUnlessAllowedAsBitnamiDoes() {
        final Exec.Result r = entrypoint(ENTRYPOINT);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("The REDIS_PASSWORD environment variable is empty or not set. Set the "
            + "environment variable ALLOW_EMPTY_PASSWORD=yes");
        final Exec.Result bad = entrypoint("ALLOW_EMPTY_PASSWORD=yes", "REDIS_REPLICATION_MODE=boss", ENTRYPOINT);
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.stderr()).contains("REDIS_REPLICATION_MODE must be master, slave or replica");
    }

    @Test
    void theEntrypointStartsAServerOnTheGeneratedConfig() throws Exception {
        final Path dir = Files.createTempDirectory("cinnabar-entrypoint");
        final Path secret = dir.resolve("password");
        Files.writeString(secret, "from-file");
        final int port = FreePort.next();
        try (NodeProcess node = NodeProcess.launch("entrypoint", port, List.of("env",
            "REDIS_PORT_NUMBER=" + port, "REDIS_BIND_ADDRESS=127.0.0.1", "REDIS_PASSWORD_FILE=" + secret,
            "CINNABAR_CONF_DIR=" + dir.resolve("conf"), "REDIS_DATA_DIR=" + dir.resolve("data"), ENTRYPOINT));
             RespClient c = RespClient.connect(port)) {
            assertThat(new String(c.call("GET", "k"), StandardCharsets.US_ASCII)).startsWith("-NOAUTH");
            assertThat(new String(c.call("AUTH", "from-file"), StandardCharsets.US_ASCII)).isEqualTo("+OK\r\n");
            assertThat(new String(c.call("CONFIG", "GET", "dir"), StandardCharsets.US_ASCII))
                .contains(dir.resolve("data").toString());
            assertThat(Files.readString(dir.resolve("conf/redis.conf"))).contains("requirepass \"from-file\"");
        }
    }

    @Test
    void tlsFromBitnamiVariables() {
        final String[] files = {"REDIS_TLS_CERT_FILE=/tls/r.crt", "REDIS_TLS_KEY_FILE=/tls/r.key",
            "REDIS_TLS_CA_FILE=/tls/ca.crt"};
        final Exec.Result only = entrypoint(concat(concat(new String[] {"ALLOW_EMPTY_PASSWORD=yes",
            "REDIS_TLS_ENABLED=yes", "REDIS_TLS_DH_PARAMS_FILE=/tls/dh.pem", "REDIS_TLS_AUTH_CLIENTS=optional"},
            files), ENTRYPOINT));
        assertThat(only.exitCode()).as(only.toString()).isZero();
        // both ports left at 6379: TLS only, the later "port 0" wins
        assertThat(only.stdout()).contains("port 0\ntls-port 6379\n", "tls-cert-file \"/tls/r.crt\"\n",
            "tls-key-file \"/tls/r.key\"\n", "tls-ca-cert-file \"/tls/ca.crt\"\n", "tls-dh-params-file \"/tls/dh.pem\"\n",
            "tls-auth-clients optional\n", "tls-replication yes\n");
        final Exec.Result both = entrypoint(concat(concat(new String[] {"ALLOW_EMPTY_PASSWORD=yes",
            "REDIS_TLS_ENABLED=yes", "REDIS_PORT_NUMBER=6380", "REDIS_TLS_PORT_NUMBER=6390"}, files), ENTRYPOINT));
        assertThat(both.stdout()).contains("port 6380\n", "tls-port 6390\n", "tls-auth-clients yes\n")
            .doesNotContain("port 0\n");
        final Exec.Result clash = entrypoint(concat(concat(new String[] {"ALLOW_EMPTY_PASSWORD=yes",
            "REDIS_TLS_ENABLED=yes", "REDIS_PORT_NUMBER=6380", "REDIS_TLS_PORT_NUMBER=6380"}, files), ENTRYPOINT));
        assertThat(clash.exitCode()).isEqualTo(1);
        assertThat(clash.stderr()).contains("point to the same port number (6380)");
        final Exec.Result noKey = entrypoint("ALLOW_EMPTY_PASSWORD=yes", "REDIS_TLS_ENABLED=yes",
            "REDIS_TLS_CERT_FILE=/tls/r.crt", ENTRYPOINT);
        assertThat(noKey.exitCode()).isEqualTo(1);
        assertThat(noKey.stderr()).contains("You must provide a private key in order to use TLS");
        final Exec.Result sentinel = entrypoint("REDIS_SENTINEL_TLS_ENABLED=yes",
            "REDIS_SENTINEL_TLS_CERT_FILE=/tls/s.crt", "REDIS_SENTINEL_TLS_KEY_FILE=/tls/s.key",
            "REDIS_SENTINEL_TLS_CA_FILE=/tls/ca.crt", "REDIS_SENTINEL_TLS_AUTH_CLIENTS=no", ENTRYPOINT, "sentinel");
        assertThat(sentinel.exitCode()).as(sentinel.toString()).isZero();
        assertThat(sentinel.stdout()).contains("port 0\ntls-port 26379\n", "tls-cert-file \"/tls/s.crt\"\n",
            "tls-auth-clients no\n", "tls-replication yes\n");
    }

    @Test
    void theEntrypointStartsATlsOnlyServer() throws Exception {
        final TlsPki pki = TlsPki.create();
        final Path dir = Files.createTempDirectory("cinnabar-entrypoint-tls");
        final int port = FreePort.next();
        try (NodeProcess node = NodeProcess.launchTls("entrypoint-tls", port, List.of("env",
            "ALLOW_EMPTY_PASSWORD=yes", "REDIS_PORT_NUMBER=0", "REDIS_TLS_PORT_NUMBER=" + port,
            "REDIS_TLS_ENABLED=yes", "REDIS_TLS_CERT_FILE=" + pki.file("server.crt"),
            "REDIS_TLS_KEY_FILE=" + pki.file("server.key"), "REDIS_TLS_CA_FILE=" + pki.file("ca.crt"),
            "REDIS_BIND_ADDRESS=127.0.0.1", "CINNABAR_CONF_DIR=" + dir.resolve("conf"),
            "REDIS_DATA_DIR=" + dir.resolve("data"), ENTRYPOINT))) {
            final List<String> cli = new ArrayList<>(List.of(RealRedis.tool("redis-cli"), "-p",
                Integer.toString(port)));
            cli.addAll(pki.cliArgs("client"));
            cli.add("ping");
            final Exec.Result r = Exec.run(T, cli.toArray(new String[0]));
            assertThat(r.stdout()).as(r.toString()).isEqualTo("PONG\n");
            assertThat(node.log()).contains("Running mode=standalone, port=" + port + ".");
        }
    }

    private static String[] concat(final String[] a, final String... b) {
        final String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void composeFileIsValid() {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/docker-compose")),
            "docker-compose not installed: apt-get install docker-compose");
        final Exec.Result r = Exec.run(T, "docker-compose", "-f", ROOT.resolve("docker-compose.yml").toString(),
            "config");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("redis-sentinel:", "REDIS_SENTINEL_QUORUM: '2'", "redis-slave-2:");
    }
}
