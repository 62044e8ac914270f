package dev.cinnabar.server.info;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ProcFilesTest {
    private static long field(final String text, final int from, final int n) {
        return ProcFiles.field(text.getBytes(StandardCharsets.US_ASCII), from, n);
    }

    @Test
    void fieldsAreCountedFromTheGivenOffset() {
        final String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 9 0 0 0 731 52 0 0 20 0 30 0";
        final int afterComm = stat.lastIndexOf(')') + 1;
        assertThat(field(stat, afterComm, 11)).isEqualTo(731);
        assertThat(field(stat, afterComm, 12)).isEqualTo(52);
        assertThat(field("1234 567 89 0 0 0 0\n", 0, 0)).isEqualTo(1234);
        assertThat(field("1234 567 89 0 0 0 0\n", 0, 1)).isEqualTo(567);
        assertThat(field("1 2", 0, 5)).isEqualTo(-1);
        assertThat(field("x -1 3", 0, 1)).isEqualTo(-1);
    }

    @Test
    void userPartFollowsTheTicksAndFallsBackToAllUser() {
        assertThat(ProcFiles.userPart(1_000, new long[] {3, 1})).isEqualTo(750);
        assertThat(ProcFiles.userPart(1_000, new long[] {0, 0})).isEqualTo(1_000);
        assertThat(ProcFiles.userPart(1_000, null)).isEqualTo(1_000);
    }

    @Test
    void thisProcessHasTicksAndResidentPagesOnLinux() {
        if (!System.getProperty("os.name").startsWith("Linux")) {
            return;
        }
        assertThat(ProcFiles.processTicks()).hasSize(2);
        assertThat(ProcFiles.threadTicks()).hasSize(2);
        assertThat(ProcFiles.residentPages()).isPositive();
    }
}
