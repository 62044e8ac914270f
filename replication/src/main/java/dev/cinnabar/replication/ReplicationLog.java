package dev.cinnabar.replication;

/** Where replication writes its log lines, with Redis's levels; the server routes them to its log. */
public interface ReplicationLog {
    void verbose(String message);

    void notice(String message);

    void warning(String message);

    /** Drops every line: for tests that do not look at the log. */
    ReplicationLog NONE = new ReplicationLog() {
        @Override
        public void verbose(final String message) {
        }

        @Override
        public void notice(final String message) {
        }

        @Override
        public void warning(final String message) {
        }
    };
}
