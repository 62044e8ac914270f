package dev.cinnabar.replication.master;

import java.util.ArrayDeque;

import io.netty.buffer.ByteBuf;

/**
 * The master's record of one attached replica (Redis's client fields slave_*, repl_*): where it
 * listens, what it can do, what it acknowledged, and the stream held back for it while it is not
 * ready to receive it.
 *
 * <p>Why a held-back queue: between +FULLRESYNC and the moment the replica has loaded the RDB, the
 * commands written meanwhile must reach it after the RDB, in order. They are kept as shared,
 * reference-counted slices of the encoded stream and count against the replica's output limit.
 */
public final class ReplicaSession {
    private final long clientId;
    private final ReplicaChannel channel;
    private final String peerIp;
    private final String announcedIp;
    private final int listeningPort;
    private final boolean capaEof;
    private final boolean capaPsync2;
    /** SYNC instead of PSYNC: an old replica (or redis-cli --replica) that never sends ACKs. */
    private final boolean prePsync;
    /** REPLCONF rdb-only 1: wants the RDB and no stream (redis-cli --rdb); closed after the transfer. */
    private final boolean rdbOnly;
    private ReplicaSessionState state;
    private long ackOffset;
    private long ackTimeMs;
    private long psyncInitialOffset = -1;
    /** Streamed RDB: the command stream starts at the replica's first ACK (repl_start_cmd_stream_on_ack). */
    private boolean startStreamOnAck;
    private final ArrayDeque<ByteBuf> held = new ArrayDeque<>();
    private long heldBytes;
    /** When the output first exceeded the soft limit, or 0. */
    private long softLimitSinceMs;
    private long waitStartMs;

    public ReplicaSession(final long clientId, final ReplicaChannel channel, final String peerIp,
                          final String announcedIp, final int listeningPort, final boolean capaEof,
                          final boolean capaPsync2, final boolean prePsync, final boolean rdbOnly) {
        this.clientId = clientId;
        this.channel = channel;
        this.peerIp = peerIp;
        this.announcedIp = announcedIp;
        this.listeningPort = listeningPort;
        this.capaEof = capaEof;
        this.capaPsync2 = capaPsync2;
        this.prePsync = prePsync;
        this.rdbOnly = rdbOnly;
    }

    public boolean rdbOnly() {
        return rdbOnly;
    }

    public long clientId() {
        return clientId;
    }

    public ReplicaChannel channel() {
        return channel;
    }

    /** The address INFO and ROLE show: REPLCONF ip-address if given, else the peer's. */
    public String ip() {
        return announcedIp != null && !announcedIp.isEmpty() ? announcedIp : peerIp;
    }

    public int listeningPort() {
        return listeningPort;
    }

    /** How Redis's logs name a replica (replicationGetSlaveName): ip:listening-port, if it told its port. */
    public String name() {
        return ip() + ":" + (listeningPort != 0 ? Integer.toString(listeningPort) : "<unknown-replica-port>");
    }

    public boolean capaEof() {
        return capaEof;
    }

    public boolean capaPsync2() {
        return capaPsync2;
    }

    public boolean prePsync() {
        return prePsync;
    }

    public ReplicaSessionState state() {
        return state;
    }

    public void state(final ReplicaSessionState s, final long nowMs) {
        if (s == ReplicaSessionState.WAIT_BGSAVE_START) {
            waitStartMs = nowMs;
        }
        this.state = s;
    }

    /** When the replica started waiting for a snapshot (the diskless delay is measured from it). */
    public long waitStartMs() {
        return waitStartMs;
    }

    public long ackOffset() {
        return ackOffset;
    }

    public long ackTimeMs() {
        return ackTimeMs;
    }

    /** REPLCONF ACK: offsets only move forward. */
    public void ack(final long offset, final long nowMs) {
        if (offset > ackOffset) {
            ackOffset = offset;
        }
        ackTimeMs = nowMs;
    }

    public void ackTime(final long nowMs) {
        ackTimeMs = nowMs;
    }

    public long psyncInitialOffset() {
        return psyncInitialOffset;
    }

    public void psyncInitialOffset(final long offset) {
        this.psyncInitialOffset = offset;
    }

    public boolean startStreamOnAck() {
        return startStreamOnAck;
    }

    public void startStreamOnAck(final boolean b) {
        this.startStreamOnAck = b;
    }

    /** Whether the stream goes straight to the socket (else it is held back). */
    public boolean streaming() {
        return state == ReplicaSessionState.ONLINE && !startStreamOnAck;
    }

    public void hold(final ByteBuf slice) {
        held.addLast(slice);
        heldBytes += slice.readableBytes();
    }

    /** Sends what was held back, in order. */
    public void release() {
        ByteBuf b;
        while ((b = held.pollFirst()) != null) {
            channel.write(b);
        }
        heldBytes = 0;
    }

    /** Drops what was held back (the replica is gone). */
    public void discard() {
        ByteBuf b;
        while ((b = held.pollFirst()) != null) {
            b.release();
        }
        heldBytes = 0;
    }

    /** Output this replica holds on the master: the held-back stream plus the socket's queue. */
    public long outputBytes() {
        return heldBytes + channel.pendingBytes();
    }

    long softLimitSinceMs() {
        return softLimitSinceMs;
    }

    void softLimitSinceMs(final long ms) {
        this.softLimitSinceMs = ms;
    }

    /** INFO's lag: whole seconds since the last ACK, as Redis's time(NULL) - repl_ack_time. */
    public long lagSeconds(final long nowMs) {
        return state == ReplicaSessionState.ONLINE ? nowMs / 1000 - ackTimeMs / 1000 : 0;
    }
}
