package dev.cinnabar.replication.master;

import dev.cinnabar.replication.ReplicationIds;
import dev.cinnabar.replication.backlog.ReplicationBacklog;

/**
 * Whether a PSYNC can continue from the backlog or needs a full resynchronization: a pure rule
 * over the master's ids, its backlog and the replica's request.
 *
 * <p>Why ids and offsets both matter: the replica's offset only means something in the history the
 * replid names. The current id is valid at any offset the backlog holds; the second id (PSYNC2, a
 * promoted replica) only up to the offset where its history ended.
 *
 * <p>Redis: replication.c masterTryPartialResynchronization().
 */
public sealed interface PsyncDecision {
    /** +CONTINUE: send the backlog from {@code psyncOffset} on. */
    record Continue(long psyncOffset) implements PsyncDecision {
    }

    /**
     * Full resynchronization. {@code partialError} says whether INFO's sync_partial_err counts it
     * (a replica asking for "?" wanted a full sync on purpose); {@code log} is Redis's log line, or
     * null for none, and {@code warning} an extra warning line or null.
     */
    record FullResync(boolean partialError, String log, String warning) implements PsyncDecision {
    }

    /**
     * @param ids              the master's replication ids
     * @param backlog          its backlog, or null when it has none
     * @param masterReplOffset the offset of the last byte of its stream
     * @param replid           the id the replica asked for ("?" for a forced full sync)
     * @param psyncOffset      the first byte the replica lacks (its offset + 1)
     * @param replicaName      how the log names the replica ("ip:port")
     */
    static PsyncDecision decide(final ReplicationIds ids, final ReplicationBacklog backlog,
                                final long masterReplOffset, final String replid, final long psyncOffset,
                                final String replicaName) {
        final boolean current = replid.equalsIgnoreCase(ids.replid());
        final boolean second = replid.equalsIgnoreCase(ids.replid2());
        if (!current && (!second || psyncOffset > ids.secondReplOffset())) {
            if (replid.startsWith("?")) {
                return new FullResync(false, "Full resync requested by replica " + replicaName, null);
            }
            if (!second) {
                return new FullResync(true, "Partial resynchronization not accepted: Replication ID mismatch "
                    + "(Replica asked for '" + replid + "', my replication IDs are '" + ids.replid() + "' and '"
                    + ids.replid2() + "')", null);
            }
            return new FullResync(true, "Partial resynchronization not accepted: Requested offset for second ID "
                + "was " + psyncOffset + ", but I can reply up to " + ids.secondReplOffset(), null);
        }
        if (backlog == null || !backlog.canServe(psyncOffset)) {
            final String warning = psyncOffset > masterReplOffset
                ? "Warning: replica " + replicaName + " tried to PSYNC with an offset that is greater than the "
                    + "master replication offset." : null;
            return new FullResync(true, "Unable to partial resync with replica " + replicaName
                + " for lack of backlog (Replica request was: " + psyncOffset + ").", warning);
        }
        return new Continue(psyncOffset);
    }
}
