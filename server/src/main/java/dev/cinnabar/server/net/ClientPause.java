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
 * </ol>
 */
public final class ClientPause {
    public enum Mode { OFF, WRITE, ALL }

    private Mode mode = Mode.OFF;
    private long endMs;
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

    /** Whether {@code spec} must wait now; ends an expired pause first. */
    public boolean blocks(final CommandSpec spec, final long nowMs) {
        if (mode == Mode.OFF) {
            return false;
        }
        if (nowMs >= endMs) {
            return false;
        }
        return mode == Mode.ALL || spec.has(CommandFlag.WRITE) || spec.has(CommandFlag.MAY_REPLICATE);
    }

    /** Ends the pause when its time has come; returns true if it ended. */
    public boolean expire(final long nowMs) {
        if (mode != Mode.OFF && nowMs >= endMs) {
            unpause();
            return true;
        }
        return false;
    }

    /** Ends the pause and resumes every held client. */
    public void unpause() {
        mode = Mode.OFF;
        endMs = 0;
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
