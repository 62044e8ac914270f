package dev.cinnabar.it.failover;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.cinnabar.it.support.NodeProcess;
import dev.cinnabar.it.support.RespClient;

/**
 * What every sentinel of a fleet publishes, as it happens: one {@code PSUBSCRIBE *} connection per
 * sentinel (a sentinel publishes each event on the channel named after it: {@code +odown},
 * {@code +switch-master}, ...), each message stamped with {@link System#nanoTime()} when it arrives.
 * Subscribed before the constructor returns, so nothing published afterwards is missed.
 */
final class SentinelEvents implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(100);

    /** One event as received: when, from which sentinel, its channel (the event type) and message. */
    record Event(long nanos, String sentinel, String type, String message) {
    }

    private final List<Event> events = new ArrayList<>();
    private final List<RespClient> connections = new ArrayList<>();
    private final List<Thread> readers = new ArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();

    SentinelEvents(final List<NodeProcess> sentinels) {
        try {
            for (final NodeProcess s : sentinels) {
                final RespClient c = s.client();
                connections.add(c);
                final String ack = Fleet.text(c.call("PSUBSCRIBE", "*"));
                if (!ack.contains("psubscribe")) {
                    throw new IllegalStateException(s.name() + " refused PSUBSCRIBE *: " + ack);
                }
                final Thread t = new Thread(() -> read(s.name(), c), "sentinel-events-" + s.name());
                t.setDaemon(true);
                readers.add(t);
                t.start();
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void read(final String sentinel, final RespClient c) {
        while (!stop.get()) {
            final byte[] reply;
            try {
                reply = c.pollReply(POLL);
            } catch (RuntimeException e) {
                return; // closed (by close(), or the sentinel went away)
            }
            if (reply == null) {
                continue;
            }
            final long now = System.nanoTime();
            final List<String> parts = bulkStrings(Fleet.text(reply));
            if (parts.size() == 4 && parts.get(0).equals("pmessage")) {
                synchronized (events) {
                    events.add(new Event(now, sentinel, parts.get(2), parts.get(3)));
                }
            }
        }
    }

    /** The bulk strings of a flat RESP array, in order (enough for pub/sub messages). */
    private static List<String> bulkStrings(final String reply) {
        final List<String> out = new ArrayList<>();
        int pos = reply.indexOf("\r\n") + 2;
        while (pos < reply.length() && reply.charAt(pos) == '$') {
            final int eol = reply.indexOf("\r\n", pos);
            final int len = Integer.parseInt(reply.substring(pos + 1, eol));
            out.add(reply.substring(eol + 2, eol + 2 + len));
            pos = eol + 2 + len + 2;
        }
        return out;
    }

    /** The first {@code type} event any sentinel published at or after {@code sinceNanos}, or null. */
    Event first(final String type, final long sinceNanos) {
        synchronized (events) {
            for (final Event e : events) {
                if (e.type().equals(type) && e.nanos() - sinceNanos >= 0) {
                    return e;
                }
            }
        }
        return null;
    }

    /** Every event type published at or after {@code sinceNanos}, with the arrival of its first instance. */
    Map<String, Long> firstOfEach(final long sinceNanos) {
        final Map<String, Long> first = new LinkedHashMap<>();
        synchronized (events) {
            for (final Event e : events) {
                if (e.nanos() - sinceNanos >= 0) {
                    first.putIfAbsent(e.type(), e.nanos());
                }
            }
        }
        return first;
    }

    @Override
    public void close() {
        stop.set(true);
        connections.forEach(RespClient::close);
        for (final Thread t : readers) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
