package dev.cinnabar.it.replication;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.cinnabar.it.support.Exec;
import dev.cinnabar.it.support.NodeProcess;
import dev.cinnabar.it.support.RealRedis;
import dev.cinnabar.it.support.ServerProcess;

/**
 * The processes one replication test started, all stopped by PID at its end (resumed first, in
 * case the test left one stopped with SIGSTOP).
 */
final class Nodes implements AutoCloseable {
    private final List<NodeProcess> started = new ArrayList<>();

    NodeProcess cinnabar(final String... args) {
        return track(ServerProcess.start(args));
    }

    /** A Cinnabar node on {@code port}: one restarted where its replicas look for it. */
    NodeProcess cinnabarOn(final int port, final String... args) {
        return track(ServerProcess.start(port, args));
    }

    NodeProcess redis(final String... args) {
        return track(RealRedis.start(args));
    }

    /** A Cinnabar replica of {@code master}, with {@code extra} arguments. */
    NodeProcess replicaOf(final NodeProcess master, final String... extra) {
        final List<String> args = new ArrayList<>(List.of("--replicaof", "127.0.0.1", Integer.toString(master.port())));
        args.addAll(List.of(extra));
        return cinnabar(args.toArray(new String[0]));
    }

    private NodeProcess track(final NodeProcess n) {
        started.add(n);
        return n;
    }

    /** SIGSTOP / SIGCONT. */
    static void signal(final NodeProcess n, final String signal) {
        Exec.run(Duration.ofSeconds(5), "kill", "-" + signal, Long.toString(n.pid()));
    }

    @Override
    public void close() {
        for (final NodeProcess n : started) {
            if (n.alive()) {
                signal(n, "CONT");
            }
            n.close();
        }
    }
}
