package dev.cinnabar.server;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Redis's log line format ("pid:role dd Mon yyyy HH:mm:ss.SSS level message", level one of
 * . - * #), so operators' greps and our tests read our logs as they read Redis's.
 */
public final class ServerLog {
    public enum Level { DEBUG('.'), VERBOSE('-'), NOTICE('*'), WARNING('#');
        final char mark;

        Level(final char mark) {
            this.mark = mark;
        }
    }

    private static final DateTimeFormatter FMT = DateTimeFormatter.ofPattern("dd MMM yyyy HH:mm:ss.SSS", Locale.ENGLISH);
    private static volatile PrintStream out = System.out;
    private static volatile Level min = Level.NOTICE;
    private static volatile char role = 'M';
    private static final long PID = ProcessHandle.current().pid();

    private ServerLog() {
    }

    public static void configure(final String logfile, final String level) {
        level(level);
        if (logfile != null && !logfile.isEmpty()) {
            try {
                out = new PrintStream(new FileOutputStream(logfile, true), true, StandardCharsets.UTF_8);
            } catch (IOException e) {
                System.err.println("Can't open the log file: " + e.getMessage());
                System.exit(1);
            }
        }
    }

    /** Changes the minimum level (CONFIG SET loglevel). */
    public static void level(final String level) {
        min = switch (level) {
            case "debug" -> Level.DEBUG;
            case "verbose" -> Level.VERBOSE;
            case "warning" -> Level.WARNING;
            default -> Level.NOTICE;
        };
    }

    /** 'M' master, 'S' replica, 'X' sentinel, 'C' child (unused: we never fork). */
    public static void role(final char r) {
        role = r;
    }

    public static void log(final Level level, final String msg) {
        if (level.ordinal() < min.ordinal()) {
            return;
        }
        out.println(PID + ":" + role + " " + FMT.format(ZonedDateTime.now()) + " " + level.mark + " " + msg);
    }

    public static void notice(final String msg) {
        log(Level.NOTICE, msg);
    }

    public static void warning(final String msg) {
        log(Level.WARNING, msg);
    }

    public static void verbose(final String msg) {
        log(Level.VERBOSE, msg);
    }
}
