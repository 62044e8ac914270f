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
    public static final String INVALID_CURSOR = "ERR invalid cursor";
    // sorted sets, bitmaps, HyperLogLog, geo
    public static final String ZADD_XX_NX = "ERR XX and NX options at the same time are not compatible";
    public static final String ZADD_GT_LT_NX = "ERR GT, LT, and/or NX options at the same time are not compatible";
    public static final String ZADD_INCR_PAIR = "ERR INCR option supports a single increment-element pair";
    public static final String ZSCORE_NAN = "ERR resulting score is not a number (NaN)";
    public static final String MINMAX_NOT_FLOAT = "ERR min or max is not a float";
    public static final String MINMAX_NOT_LEX = "ERR min or max not valid string range item";
    public static final String LIMIT_NEEDS_BY =
        "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX";
    public static final String WITHSCORES_BYLEX =
        "ERR syntax error, WITHSCORES not supported in combination with BYLEX";
    public static final String WEIGHT_NOT_FLOAT = "ERR weight value is not a float";
    public static final String LIMIT_NEGATIVE = "ERR LIMIT can't be negative";
    public static final String MUST_BE_POSITIVE = "ERR value is out of range, must be positive";
    public static final String COUNT_GT_ZERO = "ERR count should be greater than 0";
    public static final String NUMKEYS_GT_ZERO = "ERR numkeys should be greater than 0";
    public static final String OUT_OF_RANGE = "ERR value is out of range";
    /** Redis's getIntFromObjectOrReply without a custom message: an integer outside C int's range. */
    public static final String INT_RANGE = "ERR value is out of range, value must between -2147483648 and 2147483647";
    public static final String RANDMEMBER_RANGE =
        "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807";
    public static final String BIT_VALUE = "ERR bit is not an integer or out of range";
    public static final String BIT_ARG = "ERR The bit argument must be 1 or 0.";
    public static final String BITOP_NOT = "ERR BITOP NOT must be called with a single source key.";
    public static final String BITFIELD_TYPE =
        "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";
    public static final String BITFIELD_OVERFLOW = "ERR Invalid OVERFLOW type specified";
    public static final String BITFIELD_RO = "ERR BITFIELD_RO only supports the GET subcommand";
    public static final String HLL_WRONGTYPE = "WRONGTYPE Key is not a valid HyperLogLog string value.";
    public static final String HLL_CORRUPTED = "INVALIDOBJ Corrupted HLL object detected";
    public static final String GEO_UNIT = "ERR unsupported unit provided. please use M, KM, FT, MI";
    public static final String GEO_MEMBER = "ERR could not decode requested zset member";
    public static final String GEO_RADIUS_NEGATIVE = "ERR radius cannot be negative";
    public static final String GEO_BOX_NEGATIVE = "ERR height or width cannot be negative";
    public static final String GEO_COUNT = "ERR COUNT must be > 0";
    public static final String GEO_ANY = "ERR the ANY argument requires COUNT argument";
    public static final String GEO_STORE_OPTS =
        "ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options";
    public static final String MASTERDOWN =
        "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.";
    // persistence
    public static final String MISCONF = "MISCONF Redis is configured to save RDB snapshots, but it's currently "
        + "unable to persist to disk. Commands that may modify the data set are disabled, because this instance is "
        + "configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). "
        + "Please check the Redis logs for details about the RDB error.";
    public static final String BGSAVE_IN_PROGRESS = "ERR Background save already in progress";
    // connection and server commands
    public static final String MAX_CLIENTS = "ERR max number of clients reached";
    public static final String PROTECTED_MODE = "DENIED Redis is running in protected mode because protected mode is "
        + "enabled and no password is set for the default user. In this mode connections are only accepted from the "
        + "loopback interface. If you want to connect from external computers to Redis you may adopt one of the "
        + "following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' "
        + "from the loopback interface by connecting to Redis from the same host the server is running, however MAKE "
        + "SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change "
        + "permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration "
        + "file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started "
        + "the server manually just for testing, restart it with the '--protected-mode no' option. 4) Set up an "
        + "authentication password for the default user. NOTE: You only need to do one of the above things in order "
        + "for the server to start accepting connections from the outside.";
    public static final String NOPROTO = "NOPROTO unsupported protocol version";
    public static final String PROTOVER_NOT_INT = "ERR Protocol version is not an integer or out of range";
    public static final String AUTH_WITHOUT_PASSWORD = "ERR AUTH <password> called without any password configured "
        + "for the default user. Are you sure your configuration is correct?";
    public static final String CLIENT_NAME_CHARS =
        "ERR Client names cannot contain spaces, newlines or special characters.";
    public static final String NO_SUCH_CLIENT = "ERR No such client";
    public static final String CLIENT_ID_POSITIVE = "ERR client-id should be greater than 0";
    public static final String INVALID_CLIENT_ID = "ERR Invalid client ID";
    public static final String PAUSE_TIMEOUT_NOT_INT = "ERR timeout is not an integer or out of range";
    public static final String PAUSE_MODE = "ERR CLIENT PAUSE mode must be WRITE or ALL";
    public static final String NO_CONFIG_FILE = "ERR The server is running without a config file";
    public static final String INVALID_COMMAND = "ERR Invalid command specified";
    public static final String NO_KEY_ARGUMENTS = "ERR The command has no key arguments";
    public static final String INVALID_ARGUMENT_COUNT = "ERR Invalid number of arguments specified for command";
    public static final String INVALID_ARGUMENTS = "ERR Invalid arguments specified for command";
    public static final String NO_SHUTDOWN_IN_PROGRESS = "ERR No shutdown in progress.";

    public static String unknownClientType(final String type) {
        return "ERR Unknown client type '" + type + "'";
    }

    public static String helloOption(final String option) {
        return "ERR Syntax error in HELLO option '" + option + "'";
    }

    /** A protected command (DEBUG, MODULE) refused by its enable-*-command option. */
    public static String commandNotAllowed(final String commandUpper, final String option) {
        return "ERR " + commandUpper + " command not allowed. If the " + option + " option is set to \"local\", you "
            + "can run it from a local connection, otherwise you need to set this option in the configuration file, "
            + "and then restart the server.";
    }

    // lists, hashes, sets
    public static final String HASH_NOT_INTEGER = "ERR hash value is not an integer";
    public static final String HASH_NOT_FLOAT = "ERR hash value is not a float";
    public static final String NAN_OR_INFINITY = "ERR value is NaN or Infinity";
    public static final String LPOS_RANK_ZERO = "ERR RANK can't be zero: use 1 to start from the first match, 2 from "
        + "the second ... or use negative to start from the end of the list";
    public static final String LPOS_COUNT_NEGATIVE = "ERR COUNT can't be negative";
    public static final String LPOS_MAXLEN_NEGATIVE = "ERR MAXLEN can't be negative";
    public static final String NUMKEYS_GT_ARGS = "ERR Number of keys can't be greater than number of args";

    private Errors() {
    }

    public static String wrongArity(final String fullName) {
        return "ERR wrong number of arguments for '" + fullName + "' command";
    }

    /** ZUNION/ZINTER/ZDIFF/ZINTERCARD (and their STORE forms) with numkeys below 1. */
    public static String atLeastOneKey(final String command) {
        return "ERR at least 1 input key is needed for '" + command + "' command";
    }

    public static String invalidExpire(final String command) {
        return "ERR invalid expire time in '" + command + "' command";
    }

    public static String unknownSubcommand(final String sub, final String parentUpper) {
        return "ERR unknown subcommand '" + truncate(sub, 128) + "'. Try " + parentUpper + " HELP.";
    }

    /** Redis's addReplySubcommandSyntaxError text. */
    public static String subcommandSyntax(final String sub, final String parentUpper) {
        return "ERR unknown subcommand or wrong number of arguments for '" + truncate(sub, 128) + "'. Try "
            + parentUpper + " HELP.";
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
