package dev.cinnabar.sentinel;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pure rules of the failover leader election. Redis: sentinel.c sentinelVoteLeader(), sentinelGetLeader().
 *
 * <p>Why epochs: each sentinel votes at most once per epoch (first come, first served), and a candidate needs an
 * absolute majority of the sentinels it knows and at least {@code quorum} votes, so two sentinels can never both
 * win the same epoch; a failed election simply moves to a later epoch.
 *
 * <ol>
 * <li>A request with a newer epoch advances our current epoch first.</li>
 * <li>We vote only if our last vote for this master is older than the requested epoch, and the requested epoch is
 *     not behind our current epoch; the vote is recorded with our (now equal) current epoch.</li>
 * <li>Votes count only when cast in our current epoch.</li>
 * </ol>
 */
final class LeaderElection {
    private LeaderElection() {
    }

    /** The outcome of a vote request: the new current epoch and this sentinel's vote for the master. */
    record Vote(long currentEpoch, String leader, long leaderEpoch, boolean epochAdvanced, boolean voted) {
    }

    static Vote vote(final long currentEpoch, final String masterLeader, final long masterLeaderEpoch,
                     final long reqEpoch, final String reqRunid) {
        long current = currentEpoch;
        boolean advanced = false;
        if (reqEpoch > current) {
            current = reqEpoch;
            advanced = true;
        }
        if (masterLeaderEpoch < reqEpoch && current <= reqEpoch) {
            return new Vote(current, reqRunid, current, advanced, true);
        }
        return new Vote(current, masterLeader, masterLeaderEpoch, advanced, false);
    }

    /** Votes of the other sentinels cast in {@code currentEpoch}, per candidate, in first-seen order. */
    static Map<String, Integer> count(final Iterable<SentinelInstance> sentinels, final long currentEpoch) {
        final Map<String, Integer> counts = new LinkedHashMap<>();
        for (final SentinelInstance ri : sentinels) {
            if (ri.leader != null && ri.leaderEpoch == currentEpoch) {
                counts.merge(ri.leader, 1, Integer::sum);
            }
        }
        return counts;
    }

    /** The candidate with the most votes (the first one seen on a tie), or null. */
    static String mostVoted(final Map<String, Integer> counts) {
        String winner = null;
        int max = 0;
        for (final Map.Entry<String, Integer> e : counts.entrySet()) {
            if (e.getValue() > max) {
                max = e.getValue();
                winner = e.getKey();
            }
        }
        return winner;
    }

    /** A candidate wins with an absolute majority of {@code voters} and at least {@code quorum} votes. */
    static boolean wins(final int votes, final int voters, final int quorum) {
        return votes >= voters / 2 + 1 && votes >= quorum;
    }
}
