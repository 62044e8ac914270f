package dev.cinnabar.server.tracking;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.protocol.resp.RespWriter;
import dev.cinnabar.protocol.util.Bytes;
import dev.cinnabar.server.Server;
import dev.cinnabar.server.net.ClientSession;
import dev.cinnabar.server.pubsub.ByteKey;

/**
 * Server-assisted client-side caching (Redis's tracking.c).
 *
 * <p>Default mode remembers, per key, the ids of the clients that read it; the first change of the
 * key sends each of them one invalidation and forgets the key (a client must read again to be told
 * again). BCAST mode remembers nothing per key: each prefix collects the keys changed under it and
 * its clients get them in one message per prefix once the loop turn's commands are done.
 *
 * <p>Why ids and not sessions in the key table: a closed client costs nothing until one of its keys
 * changes, exactly as in Redis, and a reused session object can never be invalidated by mistake.
 * A client's own change reaches it after the command's reply (Redis's pending-keys rule), unless
 * NOLOOP asked not to be told at all.
 */
public final class Tracking {
    private static final byte[] INVALIDATE = Bytes.ascii("invalidate");
    private static final byte[] REDIR_BROKEN = Bytes.ascii("tracking-redir-broken");
    private static final byte[] MESSAGE = Bytes.ascii("message");
    /** The channel RESP2 clients subscribe to when they are the target of a redirection. */
    public static final byte[] INVALIDATE_CHANNEL = Bytes.ascii("__redis__:invalidate");

    /** A BCAST prefix: its clients, and the keys changed under it (with who changed them) since the last flush. */
    private static final class Prefix {
        final Set<ClientSession> clients = new LinkedHashSet<>();
        final Map<ByteKey, ClientSession> pending = new LinkedHashMap<>();
    }

    private final Server server;
    private final Map<ByteKey, Set<Long>> keys = new HashMap<>();
    /** Sorted, as Redis walks its prefix radix tree. */
    private final Map<ByteKey, Prefix> prefixes = new java.util.TreeMap<>();
    private final List<byte[]> selfPending = new ArrayList<>();
    private ClientSession selfPendingFor;
    private int trackingClients;
    private long totalItems;
    private boolean broadcastScheduled;

    public Tracking(final Server server) {
        this.server = server;
    }

    public int clients() {
        return trackingClients;
    }

    public int totalKeys() {
        return keys.size();
    }

    public long totalItems() {
        return totalItems;
    }

    public int totalPrefixes() {
        return prefixes.size();
    }

    // ---- CLIENT TRACKING ---------------------------------------------------------------------

    /** Redis's enableTracking: the checks are done; turns tracking on with the given options. */
    public void enable(final ClientSession c, final long redirect, final boolean bcast, final boolean optin,
                       final boolean optout, final boolean noloop, final List<ByteKey> newPrefixes) {
        final TrackingState t = c.tracking();
        if (!t.enabled) {
            t.enabled = true;
            trackingClients++;
        }
        t.brokenRedirect = false;
        t.redirect = redirect;
        t.bcast = bcast;
        t.optin = optin;
        t.optout = optout;
        t.noloop = noloop;
        t.caching = false;
        if (bcast) {
            final List<ByteKey> add = newPrefixes.isEmpty() ? List.of(new ByteKey(new byte[0])) : newPrefixes;
            for (final ByteKey p : add) {
                if (t.prefixes.add(p)) {
                    prefixes.computeIfAbsent(p, k -> new Prefix()).clients.add(c);
                }
            }
        }
    }

    /** Redis's disableTracking (CLIENT TRACKING OFF, RESET, disconnect). */
    public void disable(final ClientSession c) {
        final TrackingState t = c.tracking();
        if (!t.enabled) {
            return;
        }
        for (final ByteKey p : t.prefixes) {
            final Prefix bp = prefixes.get(p);
            if (bp != null) {
                bp.clients.remove(c);
                if (bp.clients.isEmpty()) {
                    prefixes.remove(p);
                }
            }
        }
        t.prefixes.clear();
        t.enabled = false;
        t.bcast = t.optin = t.optout = t.noloop = t.caching = t.brokenRedirect = false;
        t.redirect = 0;
        trackingClients--;
    }

    /** The error for prefixes overlapping the client's or each other, or null (checkPrefixCollisionsOrReply). */
    public static String prefixCollision(final TrackingState t, final List<ByteKey> given) {
        for (int i = 0; i < given.size(); i++) {
            final byte[] p = given.get(i).bytes();
            for (final ByteKey existing : t.prefixes) {
                if (overlap(p, existing.bytes())) {
                    return "ERR Prefix '" + given.get(i) + "' overlaps with an existing prefix '" + existing
                        + "'. Prefixes for a single client must not overlap.";
                }
            }
            for (int j = i + 1; j < given.size(); j++) {
                if (overlap(p, given.get(j).bytes())) {
                    return "ERR Prefix '" + given.get(i) + "' overlaps with another provided prefix '" + given.get(j)
                        + "'. Prefixes for a single client must not overlap.";
                }
            }
        }
        return null;
    }

    private static boolean overlap(final byte[] a, final byte[] b) {
        final int n = Math.min(a.length, b.length);
        return java.util.Arrays.equals(a, 0, n, b, 0, n);
    }

    // ---- remembering reads ---------------------------------------------------------------------

    /** After a read-only command: remember its keys for a default-mode tracking client (trackingRememberKeys). */
    public void rememberKeys(final ClientSession c, final int[] positions, final int n, final Args args) {
        final TrackingState t = c.tracking();
        if ((t.optin && !t.caching) || (t.optout && t.caching)) {
            return;
        }
        for (int i = 0; i < n; i++) {
            final int p = positions[i];
            final byte[] key = java.util.Arrays.copyOfRange(args.array(), args.offset(p), args.offset(p) + args.length(p));
            if (keys.computeIfAbsent(new ByteKey(key), k -> new LinkedHashSet<>()).add(c.id())) {
                totalItems++;
            }
        }
    }

    // ---- invalidation ----------------------------------------------------------------------------

    /** A key changed (signalModifiedKey): tell its readers and queue it for matching BCAST prefixes. */
    public void keyModified(final byte[] key, final ClientSession by) {
        if (trackingClients == 0) {
            return;
        }
        if (!prefixes.isEmpty()) {
            for (final Map.Entry<ByteKey, Prefix> e : prefixes.entrySet()) {
                final byte[] p = e.getKey().bytes();
                if (key.length >= p.length && java.util.Arrays.equals(key, 0, p.length, p, 0, p.length)) {
                    e.getValue().pending.put(new ByteKey(key), by);
                    scheduleBroadcast();
                }
            }
        }
        final Set<Long> readers = keys.remove(new ByteKey(key));
        if (readers == null) {
            return;
        }
        totalItems -= readers.size();
        for (final long id : readers) {
            final ClientSession target = server.clientById(id);
            if (target == null || !target.tracking().enabled || target.tracking().bcast) {
                continue;
            }
            if (target == by) {
                if (!target.tracking().noloop) {
                    selfPending.add(key);
                    selfPendingFor = by;
                }
                continue;
            }
            send(target, List.of(key));
        }
    }

    /** After a command: the caller's own invalidations, which Redis sends after its reply. */
    public void afterCommand(final ClientSession c) {
        if (selfPending.isEmpty()) {
            return;
        }
        if (selfPendingFor == c) {
            for (final byte[] key : selfPending) {
                send(c, List.of(key));
            }
        }
        selfPending.clear();
        selfPendingFor = null;
    }

    /** FLUSHDB / FLUSHALL: every tracking client is told to drop everything (a null invalidation). */
    public void flushed() {
        if (trackingClients == 0) {
            return;
        }
        for (final ClientSession c : server.clients().toArray(new ClientSession[0])) {
            if (c.tracking().enabled) {
                send(c, null);
            }
        }
        totalItems = 0;
        keys.clear();
    }

    private void scheduleBroadcast() {
        if (!broadcastScheduled) {
            broadcastScheduled = true;
            server.runAfterBatch(this::broadcast);
        }
    }

    /** Redis's trackingBroadcastInvalidationMessages: one message per prefix and client. */
    private void broadcast() {
        broadcastScheduled = false;
        for (final Prefix p : prefixes.values()) {
            if (p.pending.isEmpty()) {
                continue;
            }
            for (final ClientSession c : p.clients) {
                final List<byte[]> out = new ArrayList<>(p.pending.size());
                for (final Map.Entry<ByteKey, ClientSession> e : p.pending.entrySet()) {
                    if (!(c.tracking().noloop && e.getValue() == c)) {
                        out.add(e.getKey().bytes());
                    }
                }
                if (!out.isEmpty()) {
                    send(c, out);
                }
            }
            p.pending.clear();
        }
    }

    /**
     * Redis's sendTrackingMessage: to the client or its redirection target; RESP3 gets a push,
     * a RESP2 redirection target subscribed to {@code __redis__:invalidate} a message, others nothing.
     * {@code keys} null means "everything" (a flush).
     */
    private void send(final ClientSession c, final List<byte[]> keys) {
        final TrackingState t = c.tracking();
        ClientSession target = c;
        if (t.redirect != 0) {
            target = server.clientById(t.redirect);
            if (target == null) {
                if (!t.brokenRedirect) {
                    t.brokenRedirect = true;
                    if (c.protocol() == 3) {
                        final RespWriter w = c.messageWriter();
                        if (w != null) {
                            w.push(2).bulk(REDIR_BROKEN).integer(t.redirect);
                            c.deliver();
                        }
                    }
                }
                return;
            }
        }
        final RespWriter w;
        if (target.protocol() == 3) {
            w = target.messageWriter();
            if (w == null) {
                return;
            }
            w.push(2).bulk(INVALIDATE);
        } else if (t.redirect != 0 && target.subscriptions().active()) {
            w = target.messageWriter();
            if (w == null) {
                return;
            }
            w.array(3).bulk(MESSAGE).bulk(INVALIDATE_CHANNEL);
        } else {
            return;
        }
        if (keys == null) {
            w.nullBulk();
        } else {
            w.array(keys.size());
            for (final byte[] k : keys) {
                w.bulk(k);
            }
        }
        target.deliver();
    }
}
