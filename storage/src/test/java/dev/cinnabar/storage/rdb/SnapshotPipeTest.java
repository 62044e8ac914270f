package dev.cinnabar.storage.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SnapshotPipeTest {
    @Test
    void writtenChunksAreFilledAgainAndKeepTheirBytes() throws Exception {
        final SnapshotPipe pipe = new SnapshotPipe(1 << 20);
        final Map<byte[], Boolean> arrays = new IdentityHashMap<>();
        for (int round = 0; round < 3; round++) {
            final List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                final byte[] b = new byte[RdbOutput.CHUNK - i];
                Arrays.fill(b, (byte) (round * 4 + i));
                sent.add(b);
                pipe.write(b, 0, b.length);
            }
            for (final byte[] expected : sent) {
                final SnapshotPipe.Chunk c = pipe.poll(1000);
                assertThat(Arrays.copyOf(c.data(), c.length())).isEqualTo(expected);
                arrays.put(c.data(), true);
                pipe.recycle(c);
            }
            assertThat(pipe.queuedBytes()).isZero();
        }
        // the first round's four arrays carried all twelve chunks
        assertThat(arrays).hasSize(4);
    }

    @Test
    void aWriteLargerThanAChunkGoesWholeAndIsNotKept() throws Exception {
        final SnapshotPipe pipe = new SnapshotPipe(1 << 20);
        final byte[] big = new byte[RdbOutput.CHUNK * 2 + 5];
        big[big.length - 1] = 7;
        pipe.write(big, 0, big.length);
        final SnapshotPipe.Chunk c = pipe.poll(1000);
        assertThat(c.length()).isEqualTo(big.length);
        assertThat(c.data()[big.length - 1]).isEqualTo((byte) 7);
        pipe.recycle(c);
        pipe.write(new byte[10], 0, 10);
        assertThat(pipe.poll(1000).data()).isNotSameAs(c.data()).hasSize(RdbOutput.CHUNK);
        pipe.close();
        assertThat(pipe.poll(1000).isEnd()).isTrue();
    }
}
