package dev.cinnabar.server.net;

import java.util.ArrayList;
import java.util.List;

import dev.cinnabar.protocol.command.CommandFlag;
import dev.cinnabar.protocol.command.CommandSpec;

/**
 * CLIENT PAUSE state, Redis's pauseClients/unpauseClients: a mode (WRITE or ALL) and an end
 * time. A paused command is not refused: its client stops reading and the command runs when the
 * pause ends (timeout or CLIENT UNPAUSE), in the order the clients were held.
 *
 * <ol>
 * <li>A new pause never weakens the current one: the stronger mode and the later end win.</li>
 * <li>WRITE pauses the commands that may change data or replicate (write, may_replicate).</li>
 * <li>FAILOVER's write pause (Redis's PAUSE_DURING_FAILOVER) is kept apart: it has no end time, and
 *     neither CLIENT UNPAUSE nor the end of a CLIENT PAUSE lifts it. A held client that resumes
 *     while some pause still covers its command is simply held again.</li>
 * </ol>
 */
public final class ClientPause {
    public enum Mode { OFF, WRITE, ALL }

    private Mode mode = Mode.OFF;
    private long endMs;
    private boolean failoverWrites;
    private final List<ClientSession> held = new ArrayList<>();

    public void pause(final Mode m, final long untilMs) {
        if (m.ordinal() > mode.ordinal()) {
            mode = m;
        }
        if (untilMs > endMs) {
            endMs = untilMs;
        }
    }

    public Mode mode() {
        return mode;
    }

    public long endMs() {
        return endMs;
    }

    /** FAILOVER pauses writes until it ends or is aborted; {@link #resumeHeld()} then lets them run. */
    public void failoverPause(final boolean on) {
        failoverWrites = on;
    }

    /** Whether {@code spec} must wait now. */
    public boolean blocks(final CommandSpec spec, final long nowMs) {
        if (mode == Mode.OFF && !failoverWrites) {
            return false;
        }
        final boolean write = spec.has(CommandFlag.WRITE) || spec.has(CommandFlag.MAY_REPLICATE);
        if (failoverWrites && write) {
            return true;
        }
        if (mode == Mode.OFF || nowMs >= endMs) {
            return false;
        }
        return mode == Mode.ALL || write;
    }

    /** Ends the pause when its time has come; returns true if it ended. */
    public boolean expire(final long nowMs) {
        if (mode != Mode.OFF && nowMs >= endMs) {
            unpause();
            return true;
        }
        return false;
    }

    /** Ends the CLIENT PAUSE and resumes every held client. */
    public void unpause() {
        mode = Mode.OFF;
        endMs = 0;
        resumeHeld();
    }

    /** Resumes every held client, in the order they were held. */
    public void resumeHeld() {
        final List<ClientSession> resume = new ArrayList<>(held);
        held.clear();
        for (final ClientSession c : resume) {
            c.resume();
        }
    }

    void hold(final ClientSession c) {
        held.add(c);
    }

    void forget(final ClientSession c) {
        held.remove(c);
    }

    public int heldCount() {
        return held.size();
    }
}
