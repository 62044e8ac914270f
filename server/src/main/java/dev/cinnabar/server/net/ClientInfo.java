package dev.cinnabar.server.net;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

import dev.cinnabar.server.Server;
import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollSocketChannel;

/**
 * One client described as CLIENT LIST / CLIENT INFO print it, with Redis 7.0's fields in Redis's
 * order (networking.c catClientInfoString). Only built on request, never on the command path.
 */
public final class ClientInfo {
    private ClientInfo() {
    }

    /** "ip:port" as Redis prints peer and local addresses (IPv6 without brackets). */
    public static String address(final SocketAddress a) {
        if (a instanceof InetSocketAddress inet) {
            final String host = inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
            final int pct = host.indexOf('%');
            return (pct >= 0 ? host.substring(0, pct) : host) + ":" + inet.getPort();
        }
        return a == null ? "" : a.toString();
    }

    static int fd(final Channel ch) {
        return ch instanceof EpollSocketChannel e ? e.fd().intValue() : -1;
    }

    /**
     * Redis's client type for CLIENT LIST TYPE / CLIENT KILL TYPE (getClientType): the master's
     * client on a replica is "master", a replica's link "replica", before "pubsub"; monitors are
     * normal clients.
     */
    public static String type(final ClientSession c) {
        if (c.master()) {
            return "master";
        }
        if (c.replica() && !c.monitor()) {
            return "replica";
        }
        return c.pubsubChannels() + c.pubsubPatterns() + c.pubsubShardChannels() > 0 ? "pubsub" : "normal";
    }

    public static String flags(final ClientSession c) {
        final StringBuilder f = new StringBuilder();
        if (c.monitor()) {
            f.append('O');
        } else if (c.replica()) {
            f.append('S');
        }
        if (c.master()) {
            f.append('M');
        }
        if (c.pubsubChannels() + c.pubsubPatterns() + c.pubsubShardChannels() > 0) {
            f.append('P');
        }
        if (c.multiQueued() >= 0) {
            f.append('x');
        }
        if (c.postponed() || c.blocked()) {
            f.append('b');
        }
        if (c.tracking().enabled()) {
            f.append('t');
        }
        if (c.tracking().brokenRedirect()) {
            f.append('R');
        }
        if (c.tracking().bcast()) {
            f.append('B');
        }
        if (c.closing()) {
            f.append('c');
        }
        if (c.noEvict()) {
            f.append('e');
        }
        return f.length() == 0 ? "N" : f.toString();
    }

    public static String line(final Server server, final ClientSession c) {
        final long now = server.clock();
        final int qbuf = c.decoder().pending();
        final int obl = c.pendingOutput();
        final int rbs = Math.max(c.outCapacity(), 1024);
        int argvMem = 0;
        if (c.currentArgs() != null) {
            for (int i = 0; i < c.currentArgs().count(); i++) {
                argvMem += c.currentArgs().length(i);
            }
        }
        final long totMem = (long) c.decoder().capacity() + rbs + argvMem;
        return "id=" + c.id()
            + " addr=" + c.addr()
            + " laddr=" + c.laddr()
            + " fd=" + c.fd()
            + " name=" + c.name()
            + " age=" + (now - c.createdMs()) / 1000
            + " idle=" + (now - c.lastInteractionMs()) / 1000
            + " flags=" + flags(c)
            + " db=" + c.dbIndex()
            + " sub=" + c.pubsubChannels()
            + " psub=" + c.pubsubPatterns()
            + " ssub=" + c.pubsubShardChannels()
            + " multi=" + c.multiQueued()
            + " qbuf=" + qbuf
            + " qbuf-free=" + (c.decoder().capacity() - qbuf)
            + " argv-mem=" + argvMem
            + " multi-mem=0"
            + " rbs=" + rbs
            + " rbp=" + rbs
            + " obl=" + obl
            + " oll=0"
            + " omem=0"
            + " tot-mem=" + totMem
            + " events=" + (obl > 0 ? "rw" : "r")
            + " cmd=" + c.lastCommand()
            + " user=" + (c.user() == null ? "(superuser)" : c.user().name())
            + " redir=-1"
            + " resp=" + c.protocol();
    }
}
