package dev.cinnabar.server.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class SavePointsTest {
    private static final List<long[]> DEFAULT = List.of(new long[] {3600, 1}, new long[] {300, 100},
        new long[] {60, 10000});

    @Test
    void shouldPickTheFirstPointWithEnoughChangesAndTime() {
        assertThat(SavePoints.due(DEFAULT, 1, 10_000 + 3601, 10_000, 0, true)).containsExactly(3600, 1);
        assertThat(SavePoints.due(DEFAULT, 100, 10_000 + 301, 10_000, 0, true)).containsExactly(300, 100);
        assertThat(SavePoints.due(DEFAULT, 10_000, 10_000 + 61, 10_000, 0, true)).containsExactly(60, 10000);
    }

    @Test
    void shouldWaitStrictlyMoreThanTheSeconds() {
        assertThat(SavePoints.due(DEFAULT, 10_000, 10_000 + 60, 10_000, 0, true)).isNull();
        assertThat(SavePoints.due(DEFAULT, 99, 10_000 + 301, 10_000, 0, true)).isNull();
        assertThat(SavePoints.due(DEFAULT, 0, 10_000 + 99_999, 10_000, 0, true)).isNull();
    }

    @Test
    void shouldNotSaveWhenSavePointsAreOff() {
        assertThat(SavePoints.due(List.of(), 1_000_000, 1_000_000, 0, 0, true)).isNull();
    }

    @Test
    void shouldRetryAFailedSaveOnlyAfterTheRetryDelay() {
        assertThat(SavePoints.due(DEFAULT, 1, 10_000, 0, 10_000 - 5, false)).isNull();
        assertThat(SavePoints.due(DEFAULT, 1, 10_000, 0, 10_000 - 6, false)).containsExactly(3600, 1);
        assertThat(SavePoints.scheduledMayStart(100, 95, false)).isFalse();
        assertThat(SavePoints.scheduledMayStart(100, 94, false)).isTrue();
        assertThat(SavePoints.scheduledMayStart(100, 100, true)).isTrue();
    }
}
