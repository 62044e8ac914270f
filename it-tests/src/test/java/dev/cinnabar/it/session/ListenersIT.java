package dev.cinnabar.it.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.cinnabar.it.support.FreePort;
import dev.cinnabar.it.support.NodeLogOnFailure;
import dev.cinnabar.it.support.NodeProcess;
import dev.cinnabar.it.support.RealRedis;
import dev.cinnabar.it.support.RespClient;
import dev.cinnabar.it.support.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CONFIG SET bind and port while running, side by side with a real redis-server: the same replies and the same
 * addresses answering after each step, including a change to an address set that overlaps the old one on the same
 * port (the old listener must go first) and changes that fail and must leave the old listeners in place.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(NodeLogOnFailure.class)
class ListenersIT {
    private static final List<String> HOSTS = List.of("127.0.0.1", "127.0.0.2", "127.0.0.3");

    @Test
    void bindAndPortChangeAtRunTimeAsInRedis() throws IOException {
        RealRedis.assumeInstalled();
        final List<String> theirs;
        final List<String> ours;
        try (RealRedis redis = RealRedis.start()) {
            theirs = script(redis);
        }
        try (ServerProcess cinnabar = ServerProcess.start()) {
            ours = script(cinnabar);
        }
        assertThat(ours).isEqualTo(theirs).contains("127.0.0.2:+PONG", "127.0.0.3:refused");
    }

    /** The steps, on a node started with bind 127.0.0.1; each reply or reachability check as one line. */
    private static List<String> script(final NodeProcess node) throws IOException {
        final List<String> out = new ArrayList<>();
        int port = node.port();
        final int busy;
        try (RespClient c = node.client()) {
            out.add(c.text("CONFIG", "SET", "bind", "127.0.0.1 127.0.0.2"));
        }
        reach(out, port);
        try (RespClient c = connect("127.0.0.2", port)) {
            out.add(c.text("CONFIG", "SET", "bind", "127.0.0.2 127.0.0.3"));
        }
        reach(out, port);
        try (RespClient c = connect("127.0.0.2", port)) {
            out.add(c.text("CONFIG", "SET", "bind", "127.0.0.2 127.0.0.99 127.0.0.3 192.0.2.1"));
            out.add(c.text("CONFIG", "GET", "bind"));
        }
        reach(out, port);
        try (RespClient c = connect("127.0.0.2", port);
             java.net.ServerSocket taken = new java.net.ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.2", 0));
            busy = taken.getLocalPort();
            out.add(c.text("CONFIG", "SET", "port", Integer.toString(busy)).replace(Integer.toString(busy), "BUSY"));
            final int next = FreePort.next();
            out.add(c.text("CONFIG", "SET", "port", Integer.toString(next)));
            port = next;
        }
        reach(out, port);
        try (RespClient c = connect("127.0.0.3", port)) {
            out.add(c.text("CONFIG", "SET", "bind", "127.0.0.1"));
            out.add(c.text("CONFIG", "GET", "port").replace(Integer.toString(port), "PORT"));
        }
        reach(out, port);
        return out;
    }

    private static void reach(final List<String> out, final int port) {
        for (final String host : HOSTS) {
            try (RespClient c = connect(host, port)) {
                out.add(host + ":" + c.text("PING").trim());
            } catch (RuntimeException e) {
                out.add(host + ":refused");
            }
        }
    }

    /** A RESP connection to {@code host}, or an unchecked exception when nothing listens there. */
    private static RespClient connect(final String host, final int port) {
        return RespClient.connect(host, port);
    }
}
