package dev.cinnabar.replication;

import java.security.SecureRandom;

/**
 * The two replication ids of PSYNC2, Redis's server.replid / replid2 / second_replid_offset.
 *
 * <p>Why two: when a replica is promoted it starts a new history (a new replid) but remembers the
 * old one as replid2, valid up to the offset where the histories part. Replicas of the old master
 * still ask for the old id and can continue partially, as long as they ask for no byte past that
 * offset.
 *
 * <ol>
 *   <li>{@code replid2} is {@link #NONE} exactly when {@code secondReplOffset} is -1.</li>
 *   <li>{@code secondReplOffset} is the first offset the old history does not cover (the "+1" of
 *       shiftReplicationId: the old master's stream ended at masterReplOffset inclusive).</li>
 * </ol>
 *
 * <p>Redis: replication.c changeReplicationId(), clearReplicationId2(), shiftReplicationId().
 */
public final class ReplicationIds {
    /** The id shown for "no second id": forty zeros. */
    public static final String NONE = "0000000000000000000000000000000000000000";
    public static final int ID_LENGTH = 40;
    private static final SecureRandom RANDOM = new SecureRandom();

    private String replid;
    private String replid2 = NONE;
    private long secondReplOffset = -1;

    public ReplicationIds() {
        this.replid = randomId();
    }

    public ReplicationIds(final String replid, final String replid2, final long secondReplOffset) {
        this.replid = replid;
        this.replid2 = replid2;
        this.secondReplOffset = secondReplOffset;
    }

    /** Forty random hex characters, as Redis's getRandomHexChars produces. */
    public static String randomId() {
        final byte[] b = new byte[ID_LENGTH / 2];
        RANDOM.nextBytes(b);
        final StringBuilder sb = new StringBuilder(ID_LENGTH);
        for (final byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        return sb.toString();
    }

    /** A syntactically valid id: forty characters, none of them blank (PSYNC replies are parsed with it). */
    public static boolean isValid(final String id) {
        if (id == null || id.length() != ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < ID_LENGTH; i++) {
            if (id.charAt(i) <= ' ') {
                return false;
            }
        }
        return true;
    }

    public String replid() {
        return replid;
    }

    public String replid2() {
        return replid2;
    }

    public long secondReplOffset() {
        return secondReplOffset;
    }

    /** A new history from now on (Redis's changeReplicationId). */
    public void change() {
        replid = randomId();
    }

    /** Adopts the master's id: after a full sync, or a +CONTINUE naming a new id. */
    public void replid(final String id) {
        replid = id;
    }

    public void clearSecond() {
        replid2 = NONE;
        secondReplOffset = -1;
    }

    /**
     * The current history becomes the second one, valid for PSYNC requests up to and including
     * {@code masterReplOffset + 1} (a replica that has everything asks for the next byte), and a
     * new id starts.
     */
    public void shift(final long masterReplOffset) {
        replid2 = replid;
        secondReplOffset = masterReplOffset + 1;
        change();
    }

    /** As {@link #shift} but the new id is given: a +CONTINUE from a master whose id changed. */
    public void shiftTo(final String newReplid, final long masterReplOffset) {
        replid2 = replid;
        secondReplOffset = masterReplOffset + 1;
        replid = newReplid;
    }
}
