package dev.cinnabar.server.acl;

/** A rule Redis refuses, with Redis's reason text (ACLSetUserStringError) as the message. */
public final class AclException extends Exception {
    private static final long serialVersionUID = 1L;

    static final String SYNTAX = "Syntax error";
    static final String UNKNOWN = "Unknown command or category name in ACL";
    static final String NO_SUCH_PASSWORD = "The password you are trying to remove from the user does not exist";
    static final String BAD_HASH = "The password hash must be exactly 64 characters and contain only lowercase "
        + "hexadecimal characters";
    static final String FIRSTARG_OF_SUB = "Allowing first-arg of a subcommand is not supported";
    static final String KEY_AFTER_ALL = "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid "
        + "and does not have any effect. Try 'resetkeys' to start with an empty list of patterns";
    static final String CHANNEL_AFTER_ALL = "Adding a pattern after the * pattern (or the 'allchannels' flag) is not "
        + "valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels";
    static final String DUPLICATE = "Duplicate user found. A user can only be defined once in config files";

    /** True for Redis's ENOENT (an unknown command or category), which ACL LOAD reports in full. */
    private final boolean unknownName;

    AclException(final String reason) {
        super(reason, null, false, false);
        this.unknownName = reason.equals(UNKNOWN);
    }

    boolean unknownName() {
        return unknownName;
    }
}
