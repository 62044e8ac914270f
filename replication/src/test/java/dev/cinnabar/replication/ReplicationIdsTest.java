package dev.cinnabar.replication;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplicationIdsTest {
    @Test
    void shouldStartWithARandomIdAndNoSecondOne() {
        final ReplicationIds ids = new ReplicationIds();
        assertThat(ids.replid()).matches("[0-9a-f]{40}");
        assertThat(ids.replid2()).isEqualTo(ReplicationIds.NONE);
        assertThat(ids.secondReplOffset()).isEqualTo(-1);
        assertThat(new ReplicationIds().replid()).isNotEqualTo(ids.replid());
    }

    @Test
    void shouldKeepTheOldIdValidUpToTheNextByteWhenShifted() {
        final ReplicationIds ids = new ReplicationIds();
        final String old = ids.replid();
        ids.shift(1000);
        assertThat(ids.replid2()).isEqualTo(old);
        assertThat(ids.secondReplOffset()).isEqualTo(1001);
        assertThat(ids.replid()).isNotEqualTo(old).matches("[0-9a-f]{40}");
        ids.clearSecond();
        assertThat(ids.replid2()).isEqualTo(ReplicationIds.NONE);
        assertThat(ids.secondReplOffset()).isEqualTo(-1);
    }

    @Test
    void shouldAdoptTheGivenIdWhenShiftedToIt() {
        final ReplicationIds ids = new ReplicationIds("a".repeat(40), ReplicationIds.NONE, -1);
        ids.shiftTo("b".repeat(40), 7);
        assertThat(ids.replid()).isEqualTo("b".repeat(40));
        assertThat(ids.replid2()).isEqualTo("a".repeat(40));
        assertThat(ids.secondReplOffset()).isEqualTo(8);
    }

    @Test
    void shouldValidateIds() {
        assertThat(ReplicationIds.isValid("a".repeat(40))).isTrue();
        assertThat(ReplicationIds.isValid("a".repeat(39))).isFalse();
        assertThat(ReplicationIds.isValid("a".repeat(39) + " ")).isFalse();
        assertThat(ReplicationIds.isValid(null)).isFalse();
    }
}
