package dev.cinnabar.replication.master;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.cinnabar.replication.ReplicationLog;
import dev.cinnabar.replication.ReplicationSettings;
import io.netty.buffer.ByteBuf;

/**
 * The replicas attached to this server (Redis's server.slaves) and the fan-out of the stream to
 * them.
 *
 * <ol>
 *   <li>A replica receives every byte fed after the offset it synchronized at, in order: straight to
 *       its socket when streaming, held back otherwise (see {@link ReplicaSession}).</li>
 *   <li>One encoded buffer per fed chunk is shared by all replicas (retained duplicates): no copy
 *       per replica.</li>
 *   <li>A replica whose output exceeds the replica class of client-output-buffer-limit is
 *       disconnected, never waited for.</li>
 * </ol>
 *
 * <p>Redis: replication.c replicationFeedSlaves() fan-out part, refreshGoodSlavesCount(),
 * replicationCountAcksByOffset(), and the replica checks of replicationCron().
 */
public final class Replicas {
    private final ReplicationSettings settings;
    private final ReplicationLog log;
    private final List<ReplicaSession> sessions = new ArrayList<>();
    private long lastEmptyMs;

    public Replicas(final ReplicationSettings settings, final ReplicationLog log, final long nowMs) {
        this.settings = settings;
        this.log = log;
        this.lastEmptyMs = nowMs;
    }

    public List<ReplicaSession> all() {
        return Collections.unmodifiableList(sessions);
    }

    public int count() {
        return sessions.size();
    }

    public boolean isEmpty() {
        return sessions.isEmpty();
    }

    /** Since when no replica has been attached (the backlog's time to live runs from it). */
    public long noReplicasSinceMs() {
        return lastEmptyMs;
    }

    public void noReplicasSince(final long nowMs) {
        lastEmptyMs = nowMs;
    }

    public ReplicaSession byClientId(final long clientId) {
        for (final ReplicaSession s : sessions) {
            if (s.clientId() == clientId) {
                return s;
            }
        }
        return null;
    }

    public void add(final ReplicaSession s) {
        sessions.add(s);
    }

    /** Forgets a replica whose connection closed; releases what was held for it. */
    public boolean remove(final ReplicaSession s, final long nowMs) {
        if (!sessions.remove(s)) {
            return false;
        }
        s.discard();
        if (sessions.isEmpty()) {
            lastEmptyMs = nowMs;
        }
        return true;
    }

    /** Closes every replica connection (they will reconnect and PSYNC); Redis's disconnectSlaves. */
    public void disconnectAll(final long nowMs) {
        for (final ReplicaSession s : new ArrayList<>(sessions)) {
            remove(s, nowMs);
            s.channel().close();
        }
    }

    /** Sends (or holds back) {@code chunk} to every replica; the caller keeps its own reference. */
    public void feed(final ByteBuf chunk, final long nowMs) {
        for (int i = 0; i < sessions.size(); i++) {
            final ReplicaSession s = sessions.get(i);
            if (s.state() == ReplicaSessionState.WAIT_BGSAVE_START) {
                // it will get a snapshot taken later, which already contains this
                continue;
            }
            if (s.streaming()) {
                s.channel().write(chunk.retainedDuplicate());
            } else {
                s.hold(chunk.retainedDuplicate());
            }
        }
        enforceOutputLimits(nowMs);
    }

    /**
     * Redis's checkClientOutputBufferLimits for the replica class: hard limit at once, soft limit
     * after it held for its seconds.
     */
    public void enforceOutputLimits(final long nowMs) {
        final long hard = settings.outputHardLimitBytes;
        final long soft = settings.outputSoftLimitBytes;
        if (hard == 0 && soft == 0) {
            return;
        }
        for (int i = sessions.size() - 1; i >= 0; i--) {
            final ReplicaSession s = sessions.get(i);
            final long used = s.outputBytes();
            boolean over = hard > 0 && used >= hard;
            if (soft > 0 && used >= soft) {
                if (s.softLimitSinceMs() == 0) {
                    s.softLimitSinceMs(nowMs);
                } else if (nowMs - s.softLimitSinceMs() >= settings.outputSoftLimitSeconds * 1000) {
                    over = true;
                }
            } else {
                s.softLimitSinceMs(0);
            }
            if (over) {
                log.warning("Client id=" + s.clientId() + " addr=" + s.ip() + " (replica " + s.name()
                    + ") scheduled to be closed ASAP for overcoming of output buffer limits.");
                remove(s, nowMs);
                s.channel().close();
            }
        }
    }

    /** REPLCONF ACK from a replica. Returns true when it put a streamed-RDB replica online for good. */
    public boolean ack(final ReplicaSession s, final long offset, final long nowMs) {
        s.ack(offset, nowMs);
        if (s.startStreamOnAck() && s.state() == ReplicaSessionState.ONLINE) {
            s.startStreamOnAck(false);
            s.release();
            return true;
        }
        return false;
    }

    /** WAIT: replicas whose acknowledged offset reached {@code offset} (replicationCountAcksByOffset). */
    public int countAcks(final long offset) {
        int n = 0;
        for (final ReplicaSession s : sessions) {
            if (s.state() == ReplicaSessionState.ONLINE && s.ackOffset() >= offset) {
                n++;
            }
        }
        return n;
    }

    /** Online replicas that acknowledged within the last {@code windowMs}. */
    public int responsive(final long nowMs, final long windowMs) {
        int n = 0;
        for (final ReplicaSession s : sessions) {
            if (s.state() == ReplicaSessionState.ONLINE && nowMs - s.ackTimeMs() <= windowMs) {
                n++;
            }
        }
        return n;
    }

    /** Online replicas that acknowledged within min-replicas-max-lag seconds (repl_good_slaves_count). */
    public int goodReplicas(final long nowMs) {
        int n = 0;
        for (final ReplicaSession s : sessions) {
            if (s.state() == ReplicaSessionState.ONLINE && s.lagSeconds(nowMs) <= settings.minReplicasMaxLagSeconds) {
                n++;
            }
        }
        return n;
    }

    /**
     * The replica duties of replicationCron: a newline to replicas waiting for a snapshot so they do
     * not time out, and the disconnection of online replicas silent for longer than repl-timeout.
     *
     * @param diskTransferRunning whether a disk-based snapshot is being produced (its waiting
     *                            replicas get newlines too; a streamed one is already sending data)
     */
    public void cron(final long nowMs, final boolean diskTransferRunning, final ByteBuf newline) {
        for (int i = sessions.size() - 1; i >= 0; i--) {
            final ReplicaSession s = sessions.get(i);
            if (s.state() == ReplicaSessionState.WAIT_BGSAVE_START
                || (s.state() == ReplicaSessionState.WAIT_BGSAVE_END && diskTransferRunning)) {
                s.channel().write(newline.retainedDuplicate());
            }
            if (s.state() == ReplicaSessionState.ONLINE && !s.prePsync()
                && nowMs - s.ackTimeMs() > settings.timeoutSeconds * 1000) {
                log.warning("Disconnecting timedout replica (streaming sync): " + s.name());
                remove(s, nowMs);
                s.channel().close();
            }
        }
    }
}
