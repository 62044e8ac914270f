package dev.cinnabar.protocol;

/**
 * Error replies with Redis 7.0's exact text, built once. Handlers reply with these constants (or
 * the formatting helpers below) and never spell an error inline, so texts cannot drift.
 */
public final class Errors {
    public static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
    public static final String NOT_INTEGER = "ERR value is not an integer or out of range";
    public static final String NOT_FLOAT = "ERR value is not a valid float";
    public static final String SYNTAX = "ERR syntax error";
    public static final String NO_SUCH_KEY = "ERR no such key";
    public static final String OVERFLOW = "ERR increment or decrement would overflow";
    public static final String NOAUTH = "NOAUTH Authentication required.";
    public static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";
    public static final String DB_INDEX = "ERR DB index is out of range";
    public static final String INDEX_OUT_OF_RANGE = "ERR index out of range";
    public static final String READONLY = "READONLY You can't write against a read only replica.";
    public static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";
    public static final String NOREPLICAS = "NOREPLICAS Not enough good replicas to write.";
    public static final String TIMEOUT_NEGATIVE = "ERR timeout is negative";
    public static final String NAN_OR_INF = "ERR increment would produce NaN or Infinity";
    public static final String STRING_TOO_LONG = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
    public static final String BIT_OFFSET = "ERR bit offset is not an integer or out of range";
    public static final String SAME_OBJECT = "ERR source and destination objects are the same";
    public static final String LOADING = "LOADING Redis is loading the dataset in memory";
    public static final String MASTERDOWN =
        "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.";

    private Errors() {
    }

    public static String wrongArity(final String fullName) {
        return "ERR wrong number of arguments for '" + fullName + "' command";
    }

    public static String invalidExpire(final String command) {
        return "ERR invalid expire time in '" + command + "' command";
    }

    public static String unknownSubcommand(final String sub, final String parentUpper) {
        return "ERR unknown subcommand '" + truncate(sub, 128) + "'. Try " + parentUpper + " HELP.";
    }

    /** Redis's unknown-command text: the name and up to 128 characters of quoted arguments. */
    public static String unknownCommand(final String name, final String[] args) {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < args.length && sb.length() < 128; i++) {
            sb.append('\'').append(truncate(args[i], 128 - sb.length())).append("' ");
        }
        return "ERR unknown command '" + truncate(name, 128) + "', with args beginning with: " + sb;
    }

    private static String truncate(final String s, final int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
