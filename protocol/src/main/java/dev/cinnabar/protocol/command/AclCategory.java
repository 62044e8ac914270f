package dev.cinnabar.protocol.command;

import java.util.Locale;

/** Redis 7.0's ACL categories, in the order ACL CAT and COMMAND INFO list them. */
public enum AclCategory {
    KEYSPACE, READ, WRITE, SET, SORTEDSET, LIST, HASH, STRING, BITMAP, HYPERLOGLOG, GEO, STREAM,
    PUBSUB, ADMIN, FAST, SLOW, BLOCKING, DANGEROUS, CONNECTION, TRANSACTION, SCRIPTING;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    public String wireName() {
        return wireName;
    }

    public long bit() {
        return 1L << ordinal();
    }

    public boolean in(final long mask) {
        return (mask & bit()) != 0;
    }

    public static AclCategory byName(final String name) {
        for (final AclCategory c : values()) {
            if (c.wireName.equalsIgnoreCase(name)) {
                return c;
            }
        }
        return null;
    }

    /**
     * The categories implied by the flags, as Redis's setImplicitACLCategories adds them:
     * write→@write, readonly→@read (unless @scripting), admin→@admin+@dangerous, pubsub→@pubsub,
     * fast→@fast, blocking→@blocking, and @slow for every command that is not fast.
     */
    public static long implied(final long flags, final long explicit) {
        long m = explicit;
        if (CommandFlag.WRITE.in(flags)) {
            m |= WRITE.bit();
        }
        if (CommandFlag.READONLY.in(flags) && !SCRIPTING.in(explicit)) {
            m |= READ.bit();
        }
        if (CommandFlag.ADMIN.in(flags)) {
            m |= ADMIN.bit() | DANGEROUS.bit();
        }
        if (CommandFlag.PUBSUB.in(flags)) {
            m |= PUBSUB.bit();
        }
        if (CommandFlag.FAST.in(flags)) {
            m |= FAST.bit();
        }
        if (CommandFlag.BLOCKING.in(flags)) {
            m |= BLOCKING.bit();
        }
        if (!FAST.in(m)) {
            m |= SLOW.bit();
        }
        return m;
    }
}
