package dev.cinnabar.replication.master;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinnabar.replication.ReplicationIds;
import dev.cinnabar.replication.backlog.ReplicationBacklog;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class PsyncDecisionTest {
    private static final String A = "a".repeat(40);
    private static final String B = "b".repeat(40);
    private static final String C = "c".repeat(40);

    /** A master whose history is A up to offset 100 (backlog 61..100), then B up to 150. */
    private final ReplicationIds ids = new ReplicationIds(B, A, 101);
    private final ReplicationBacklog backlog = backlog();

    private static ReplicationBacklog backlog() {
        final ReplicationBacklog b = new ReplicationBacklog(90, 61);
        b.append(Unpooled.wrappedBuffer(new byte[90]));
        return b;
    }

    private PsyncDecision decide(final String replid, final long offset) {
        return PsyncDecision.decide(ids, backlog, 150, replid, offset, "127.0.0.1:6380");
    }

    @Test
    void shouldContinueOnTheCurrentIdWithinTheBacklog() {
        assertThat(decide(B, 61)).isEqualTo(new PsyncDecision.Continue(61));
        assertThat(decide(B, 151)).isEqualTo(new PsyncDecision.Continue(151));
        assertThat(decide(B.toUpperCase(), 120)).isEqualTo(new PsyncDecision.Continue(120));
    }

    @Test
    void shouldContinueOnTheSecondIdUpToItsEnd() {
        assertThat(decide(A, 101)).isEqualTo(new PsyncDecision.Continue(101));
        assertThat(decide(A, 80)).isEqualTo(new PsyncDecision.Continue(80));
    }

    @Test
    void shouldRefuseTheSecondIdPastWhereItsHistoryEnded() {
        final PsyncDecision d = decide(A, 102);
        assertThat(d).isInstanceOf(PsyncDecision.FullResync.class);
        final PsyncDecision.FullResync f = (PsyncDecision.FullResync) d;
        assertThat(f.partialError()).isTrue();
        assertThat(f.log()).isEqualTo("Partial resynchronization not accepted: Requested offset for second ID was "
            + "102, but I can reply up to 101");
    }

    @Test
    void shouldRefuseAnUnknownId() {
        final PsyncDecision.FullResync f = (PsyncDecision.FullResync) decide(C, 120);
        assertThat(f.partialError()).isTrue();
        assertThat(f.log()).isEqualTo("Partial resynchronization not accepted: Replication ID mismatch (Replica "
            + "asked for '" + C + "', my replication IDs are '" + B + "' and '" + A + "')");
    }

    @Test
    void shouldNotCountAForcedFullSyncAsAnError() {
        final PsyncDecision.FullResync f = (PsyncDecision.FullResync) decide("?", -1);
        assertThat(f.partialError()).isFalse();
        assertThat(f.log()).isEqualTo("Full resync requested by replica 127.0.0.1:6380");
    }

    @Test
    void shouldRefuseOffsetsBeforeOrBeyondTheBacklog() {
        final PsyncDecision.FullResync before = (PsyncDecision.FullResync) decide(B, 60);
        assertThat(before.log()).isEqualTo("Unable to partial resync with replica 127.0.0.1:6380 for lack of "
            + "backlog (Replica request was: 60).");
        assertThat(before.warning()).isNull();
        final PsyncDecision.FullResync beyond = (PsyncDecision.FullResync) decide(B, 152);
        assertThat(beyond.warning()).contains("tried to PSYNC with an offset that is greater than the master "
            + "replication offset");
    }

    @Test
    void shouldNeedAFullSyncWithoutABacklog() {
        final PsyncDecision d = PsyncDecision.decide(ids, null, 150, B, 151, "r");
        assertThat(d).isInstanceOf(PsyncDecision.FullResync.class);
    }
}
