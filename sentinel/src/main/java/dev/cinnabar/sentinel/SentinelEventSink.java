package dev.cinnabar.sentinel;

/**
 * Where the sentinel's events and log lines go; the host implements it. Redis: sentinel.c sentinelEvent().
 *
 * <p>For an event the host logs "{@code type message}" at {@code level} (if its verbosity allows) and, unless the
 * level is {@link Level#DEBUG}, publishes {@code message} on the pub/sub channel named {@code type} (for example
 * channel "+switch-master", message "mymaster 127.0.0.1 6379 127.0.0.2 6379"). Notification scripts are run by the
 * sentinel itself.
 */
public interface SentinelEventSink {
    /** Redis's log levels; an event is published unless DEBUG, and runs the notification script when WARNING. */
    enum Level {
        DEBUG('.'), VERBOSE('-'), NOTICE('*'), WARNING('#');

        private final char mark;

        Level(final char mark) {
            this.mark = mark;
        }

        /** The character Redis prints in a log line for this level. */
        public char mark() {
            return mark;
        }
    }

    void event(Level level, String type, String message);

    /** A plain log line that is not an event ("Sentinel ID is ...", "... voted for ..."). */
    void log(Level level, String message);
}
