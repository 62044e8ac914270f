package dev.cinnabar.replication;

import java.util.ArrayList;
import java.util.List;

/** A log that keeps the notice and warning lines, for tests that check what Redis would have logged. */
public final class RecordingLog implements ReplicationLog {
    public final List<String> lines = new ArrayList<>();

    @Override
    public void verbose(final String message) {
    }

    @Override
    public void notice(final String message) {
        lines.add(message);
    }

    @Override
    public void warning(final String message) {
        lines.add(message);
    }
}
