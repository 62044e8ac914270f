package dev.cinnabar.server.pubsub;

import java.nio.charset.StandardCharsets;

import dev.cinnabar.protocol.util.Bytes;
import dev.cinnabar.server.config.ServerConfig;
import dev.cinnabar.storage.keyspace.Notify;

/**
 * Keyspace notifications (Redis's notify.c): events published on {@code __keyspace@<db>__:<key>}
 * (message: the event name) and {@code __keyevent@<db>__:<event>} (message: the key), filtered by
 * the classes enabled in {@code notify-keyspace-events}.
 */
public final class KeyspaceNotifier {
    private final PubSub pubsub;
    private final ServerConfig config;

    public KeyspaceNotifier(final PubSub pubsub, final ServerConfig config) {
        this.pubsub = pubsub;
        this.config = config;
    }

    public void notify(final int type, final String event, final byte[] key, final int dbId) {
        final int flags = config.notifyFlags;
        if ((flags & type) == 0) {
            return;
        }
        final byte[] eventBytes = event.getBytes(StandardCharsets.US_ASCII);
        if ((flags & Notify.KEYSPACE) != 0) {
            pubsub.publish(concat("__keyspace@" + dbId + "__:", key), eventBytes);
        }
        if ((flags & Notify.KEYEVENT) != 0) {
            pubsub.publish(Bytes.ascii("__keyevent@" + dbId + "__:" + event), key);
        }
    }

    private static byte[] concat(final String prefix, final byte[] key) {
        final byte[] p = Bytes.ascii(prefix);
        final byte[] out = new byte[p.length + key.length];
        System.arraycopy(p, 0, out, 0, p.length);
        System.arraycopy(key, 0, out, p.length, key.length);
        return out;
    }

    /** Redis's keyspaceEventsStringToFlags; -1 for an unknown class character. */
    public static int parse(final String classes) {
        int f = 0;
        for (final char ch : classes.toCharArray()) {
            switch (ch) {
                case 'A': f |= Notify.ALL; break;
                case 'g': f |= Notify.GENERIC; break;
                case '$': f |= Notify.STRING; break;
                case 'l': f |= Notify.LIST; break;
                case 's': f |= Notify.SET; break;
                case 'h': f |= Notify.HASH; break;
                case 'z': f |= Notify.ZSET; break;
                case 'x': f |= Notify.EXPIRED; break;
                case 'e': f |= Notify.EVICTED; break;
                case 'K': f |= Notify.KEYSPACE; break;
                case 'E': f |= Notify.KEYEVENT; break;
                case 't': f |= Notify.STREAM; break;
                case 'm': f |= Notify.KEY_MISS; break;
                case 'd': f |= Notify.MODULE; break;
                case 'n': f |= Notify.NEW; break;
                default: return -1;
            }
        }
        return f;
    }

    /** Redis's keyspaceEventsFlagsToString: the canonical text CONFIG GET shows. */
    public static String format(final int f) {
        final StringBuilder sb = new StringBuilder();
        if ((f & Notify.ALL) == Notify.ALL) {
            sb.append('A');
        } else {
            if ((f & Notify.GENERIC) != 0) {
                sb.append('g');
            }
            if ((f & Notify.STRING) != 0) {
                sb.append('$');
            }
            if ((f & Notify.LIST) != 0) {
                sb.append('l');
            }
            if ((f & Notify.SET) != 0) {
                sb.append('s');
            }
            if ((f & Notify.HASH) != 0) {
                sb.append('h');
            }
            if ((f & Notify.ZSET) != 0) {
                sb.append('z');
            }
            if ((f & Notify.EXPIRED) != 0) {
                sb.append('x');
            }
            if ((f & Notify.EVICTED) != 0) {
                sb.append('e');
            }
            if ((f & Notify.STREAM) != 0) {
                sb.append('t');
            }
            if ((f & Notify.MODULE) != 0) {
                sb.append('d');
            }
            // Redis 7.0 prints 'n' here, so "A" hides it (a quirk CONFIG GET users see)
            if ((f & Notify.NEW) != 0) {
                sb.append('n');
            }
        }
        if ((f & Notify.KEYSPACE) != 0) {
            sb.append('K');
        }
        if ((f & Notify.KEYEVENT) != 0) {
            sb.append('E');
        }
        if ((f & Notify.KEY_MISS) != 0) {
            sb.append('m');
        }
        return sb.toString();
    }
}
