package dev.cinnabar.server.acl;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * ACL LOG: the latest denials, newest first, bounded by acllog-max-len. A denial like one of the
 * ten newest entries (same reason, context, object and user, within a minute of it) bumps that
 * entry's count and makes it the newest instead of adding one, as Redis's addACLLogEntry does.
 */
public final class AclLog {
    /** Redis's ACL_LOG_GROUPING_MAX_TIME_DELTA. */
    private static final long GROUPING_MS = 60_000;
    /** Redis scans this many of the newest entries for a duplicate. */
    private static final int GROUPING_SCAN = 10;

    /** One entry; mutable count, time and client line for grouping. */
    public static final class Entry {
        final String reason;
        final String context;
        final String object;
        final String username;
        long count = 1;
        long createdMs;
        String clientInfo;

        Entry(final String reason, final String context, final String object, final String username,
              final long createdMs, final String clientInfo) {
            this.reason = reason;
            this.context = context;
            this.object = object;
            this.username = username;
            this.createdMs = createdMs;
            this.clientInfo = clientInfo;
        }
    }

    private final Deque<Entry> entries = new ArrayDeque<>();

    void add(final String reason, final String context, final String object, final String username,
             final long nowMs, final String clientInfo, final long maxLen) {
        int scanned = 0;
        for (final Iterator<Entry> it = entries.iterator(); it.hasNext() && scanned < GROUPING_SCAN; scanned++) {
            final Entry e = it.next();
            if (e.reason.equals(reason) && e.context.equals(context) && e.object.equals(object)
                && e.username.equals(username) && nowMs - e.createdMs <= GROUPING_MS) {
                e.count++;
                e.createdMs = nowMs;
                e.clientInfo = clientInfo;
                it.remove();
                entries.addFirst(e);
                return;
            }
        }
        entries.addFirst(new Entry(reason, context, object, username, nowMs, clientInfo));
        while (entries.size() > maxLen) {
            entries.removeLast();
        }
    }

    void reset() {
        entries.clear();
    }

    Iterable<Entry> newestFirst() {
        return entries;
    }

    int size() {
        return entries.size();
    }
}
