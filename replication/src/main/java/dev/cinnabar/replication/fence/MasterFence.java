package dev.cinnabar.replication.fence;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * A master's lease on its own mastership, kept from its sentinels' traffic (issue 11).
 *
 * <p>Why: sentinels promote a replica once they got no valid reply from the master for
 * down-after-milliseconds. A master that is still running behind a partition, or that was frozen
 * (SIGSTOP, DEBUG SLEEP) and wakes up, would go on acknowledging writes the promoted replica never
 * gets. So a master takes writes only while a majority of the sentinels it knows name it as master
 * in their hellos and have sent it a command within {@code cinnabar-master-lease-ms}, which must be
 * shorter than down-after-milliseconds minus the sentinels' 1 s ping period: every command counted
 * was answered at once, so no such sentinel can see the master down before the lease ends.
 *
 * <p>The rules answer three traps:
 * <ul>
 * <li>Input queued while the process was stopped is processed right after it wakes, sentinel
 *     pings included. Every call reads the monotonic clock; a gap in the loop's liveness longer than
 *     half the lease voids every confirmation, and hellos processed within the following half lease
 *     (the queued input) confirm nothing.</li>
 * <li>A sentinel that failed this master over keeps pinging it (as a replica). Only a hello that
 *     names this node confirms a sentinel; other commands only extend a confirmation.</li>
 * <li>Hellos from before a failover. A hello carries its sentinel's master config epoch: one naming
 *     another master with a newer epoch than any that named us deposes us; one naming us with an
 *     older epoch than that is ignored. One naming the master we replaced, under an older epoch
 *     than ours, comes from a sentinel that has not heard of our promotion yet: it does not count
 *     for one lease after the promotion ({@link #needed}).</li>
 * </ul>
 * Once lapsed, the fence lifts when a majority confirm again, on a role change (REPLICAOF), or when
 * the parameter is set again (CONFIG SET re-arms it, forgetting every sentinel).
 *
 * <p>The start fence ({@code cinnabar-start-fenced-ms}) is for a master that restarts with its old
 * config: it may have lost data its replicas hold, or have been failed over meanwhile. Hellos do
 * not lift it (a sentinel naming us has not checked our replicas); REPLICAOF does, either way: a
 * Cinnabar sentinel sends REPLICAOF NO ONE once it saw no replica ahead of us, and converts or fails
 * us over otherwise. With no hello at all within the bound, nobody watches us: the fence lifts.
 * All on the loop thread.
 */
public final class MasterFence {
    /** The error a fenced master answers writes with; READONLY makes sentinel-aware clients look the master up again. */
    public static final String LAPSED_REFUSAL = "READONLY You can't write against a fenced master: a majority of "
        + "its sentinels did not confirm it within cinnabar-master-lease-ms (a failover may be under way)";
    public static final String STARTING_REFUSAL = "READONLY You can't write against a master fenced at start-up: "
        + "waiting for its sentinels to confirm it (cinnabar-start-fenced-ms)";
    public static final String DIVERGED_REFUSAL = "READONLY You can't write against a master whose replicas hold "
        + "writes it lacks (restarted with less data): waiting for a failover or REPLICAOF";
    private static final long MIN_STALL_MS = 50;

    /** One sentinel, known by the first 8 characters of its run id (its connection name carries no more). */
    private static final class Peer {
        boolean namesMe;
        long lastContactMs;
        /** The epoch of the last hello taken from it, -1 before any (an older view than any of ours). */
        long epoch = -1;
    }

    private final LongSupplier clockMs;
    private final Map<String, Peer> peers = new HashMap<>();
    private long leaseMs;
    private long startFenceMs;
    private FenceState state = FenceState.OFF;
    private long myEpoch = -1;
    private long otherEpoch = -1;
    private long voidUntilMs = Long.MIN_VALUE;
    private long lastAliveMs = Long.MIN_VALUE;
    private long startedAtMs;
    /** Until when sentinels still naming the master we replaced do not count (one lease after a promotion). */
    private long catchUpUntilMs = Long.MIN_VALUE;
    private long lapses;
    private BiConsumer<FenceState, FenceState> onTransition = (from, to) -> { };

    /** {@code clockMs}: a monotonic millisecond clock (System.nanoTime based in the server, fake in tests). */
    public MasterFence(final LongSupplier clockMs, final long leaseMs, final long startFenceMs) {
        this.clockMs = clockMs;
        this.leaseMs = leaseMs;
        this.startFenceMs = startFenceMs;
        rearm();
    }

    /** Told every change of state (the server logs them): from, to. */
    public void onTransition(final BiConsumer<FenceState, FenceState> listener) {
        this.onTransition = listener;
    }

    // ---- the one place states change ----------------------------------------------------------

    private void to(final FenceState next) {
        if (next == state) {
            return;
        }
        if (next == FenceState.LAPSED) {
            lapses++;
        }
        final FenceState from = state;
        state = next;
        onTransition.accept(from, next);
    }

    /** Forget every sentinel and start over: OPEN, or OFF without a lease. */
    private void rearm() {
        peers.clear();
        myEpoch = -1;
        otherEpoch = -1;
        voidUntilMs = Long.MIN_VALUE;
        to(leaseMs > 0 ? FenceState.OPEN : FenceState.OFF);
    }

    private void lapse(final long voidUntil) {
        for (final Peer p : peers.values()) {
            p.namesMe = false;
        }
        voidUntilMs = voidUntil;
        to(FenceState.LAPSED);
    }

    // ---- inputs ----------------------------------------------------------------------------------

    /** New parameter values (CONFIG SET): a changed lease re-arms the fence. */
    public void configure(final long newLeaseMs, final long newStartFenceMs) {
        this.startFenceMs = newStartFenceMs;
        if (newLeaseMs != leaseMs) {
            leaseMs = newLeaseMs;
            if (state != FenceState.STARTING) {
                rearm();
            }
        }
    }

    /** The server starts; {@code asMaster} when it has no replicaof. */
    public void started(final boolean asMaster) {
        final long now = clockMs.getAsLong();
        startedAtMs = now;
        lastAliveMs = now;
        rearm();
        if (asMaster && startFenceMs > 0) {
            to(FenceState.STARTING);
        }
    }

    /** REPLICAOF (either way): a sentinel or an operator told this node its role. */
    public void roleChanged() {
        final long now = clockMs.getAsLong();
        lastAliveMs = now;
        catchUpUntilMs = now + leaseMs;
        rearm();
    }

    /** A command from sentinel {@code id8}'s command connection. */
    public void contact(final String id8) {
        final long now = clockMs.getAsLong();
        alive(now);
        final Peer p = peers.get(id8);
        if (p != null && p.namesMe) {
            p.lastContactMs = now;
        }
    }

    /** A hello of sentinel {@code runid} naming this node ({@code namesMe}) or another as master, under {@code epoch}. */
    public void hello(final String runid, final boolean namesMe, final long epoch) {
        final long now = clockMs.getAsLong();
        alive(now);
        if (state == FenceState.OFF || state == FenceState.DIVERGED) {
            return;
        }
        final Peer p = peers.computeIfAbsent(runid.length() > 8 ? runid.substring(0, 8) : runid, k -> new Peer());
        if (namesMe) {
            if (epoch < otherEpoch || (state == FenceState.LAPSED && now < voidUntilMs)) {
                return; // a view older than one we saw, or input queued while we were stopped
            }
            p.namesMe = true;
            p.lastContactMs = now;
            p.epoch = epoch;
            myEpoch = Math.max(myEpoch, epoch);
            if (state == FenceState.OPEN || (state == FenceState.LAPSED && confirmed(now) >= needed(now))) {
                to(FenceState.HELD);
            }
        } else if (epoch > myEpoch) {
            otherEpoch = Math.max(otherEpoch, epoch);
            p.namesMe = false;
            p.epoch = epoch;
            if (state == FenceState.HELD) {
                lapse(now); // deposed: a newer configuration names another master
            }
        } else if (epoch == myEpoch) {
            p.namesMe = false; // same configuration, another address: this sentinel counts against us
            p.epoch = epoch;
        }
        // else an older configuration naming another master: a sentinel that has not heard of our
        // promotion yet (lagging(), below)
    }

    /**
     * While fenced at start-up, a replica asked for a partial resync this node cannot serve: the
     * replica holds a history (writes) this node lost, so serving it a full sync would wipe them.
     */
    public void replicaDiverged() {
        if (state == FenceState.STARTING) {
            to(FenceState.DIVERGED);
        }
    }

    /** The 100 ms cron: liveness, and the start fence's bound. */
    public void tick() {
        final long now = clockMs.getAsLong();
        alive(now);
        evaluate(now);
    }

    // ---- decisions ---------------------------------------------------------------------------------

    /** Whether a write may run now: call once per write, with nothing cached. */
    public boolean allowsWrites() {
        final long now = clockMs.getAsLong();
        alive(now);
        evaluate(now);
        return state.writable();
    }

    /** A start-fenced master serves no replica: an emptied restart must not wipe replicas that know better. */
    public boolean allowsSync() {
        evaluate(clockMs.getAsLong());
        return state != FenceState.STARTING && state != FenceState.DIVERGED;
    }

    /** The error for a refused write. */
    public String refusal() {
        return switch (state) {
            case STARTING -> STARTING_REFUSAL;
            case DIVERGED -> DIVERGED_REFUSAL;
            default -> LAPSED_REFUSAL;
        };
    }

    public FenceState state() {
        return state;
    }

    /** How many times the lease lapsed since start (INFO cinnabar_fence_lapses). */
    public long lapses() {
        return lapses;
    }

    /** Sentinels that named this master in the last hello we took from them (INFO). */
    public int confirmedSentinels() {
        return confirmed(clockMs.getAsLong());
    }

    public int knownSentinels() {
        return peers.size();
    }

    private long stallMs() {
        return Math.max(MIN_STALL_MS, leaseMs / 2);
    }

    /** A gap since the last call longer than half the lease means the process did not run: void everything. */
    private void alive(final long now) {
        if (lastAliveMs != Long.MIN_VALUE && now - lastAliveMs > stallMs()
            && (state == FenceState.HELD || state == FenceState.LAPSED)) {
            lapse(now + stallMs());
        }
        lastAliveMs = Math.max(lastAliveMs, now);
    }

    private void evaluate(final long now) {
        if (state == FenceState.STARTING && peers.isEmpty() && now - startedAtMs >= startFenceMs) {
            rearm(); // nobody watches this node: it is a master on its own
        } else if (state == FenceState.HELD && confirmed(now) < needed(now)) {
            lapse(now);
        }
    }

    private int confirmed(final long now) {
        int n = 0;
        for (final Peer p : peers.values()) {
            if (p.namesMe && now - p.lastContactMs <= leaseMs) {
                n++;
            }
        }
        return n;
    }

    /**
     * A majority of the sentinels we know, leaving out for one lease after a promotion those whose
     * last hello still named the master we replaced under an older epoch: they have not heard of the
     * failover yet, and until they do they watch the old master, not us (once they do, they name us).
     * They count again after that lease, so sentinels that never confirm us (cut off from us) lapse
     * the lease before they could see us down for down-after-milliseconds and fail us over: the
     * lease + 1 s <= down-after rule, counted from the promotion, which precedes their switch.
     */
    private int needed(final long now) {
        int voters = 0;
        for (final Peer p : peers.values()) {
            if (!(now < catchUpUntilMs && lagging(p))) {
                voters++;
            }
        }
        return voters / 2 + 1;
    }

    /** Its last hello named another master under an older epoch than the newest that named us. */
    private boolean lagging(final Peer p) {
        return !p.namesMe && p.epoch < myEpoch;
    }
}
