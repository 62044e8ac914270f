package dev.cinnabar.storage.type.list;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import dev.cinnabar.protocol.util.Bytes;

/** The ring buffer against a reference deque under random operations. */
class QuickListTest {
    @Test
    void matchesReferenceUnderRandomOperations() {
        final QuickList q = new QuickList();
        final List<String> ref = new ArrayList<>();
        final SplittableRandom rnd = new SplittableRandom(42);
        for (int step = 0; step < 5000; step++) {
            final int op = rnd.nextInt(6);
            final String v = Integer.toString(rnd.nextInt(50));
            if (op == 0) {
                q.pushHead(Bytes.ascii(v));
                ref.add(0, v);
            } else if (op == 1) {
                q.pushTail(Bytes.ascii(v));
                ref.add(v);
            } else if (op == 2 && !ref.isEmpty()) {
                assertThat(Bytes.string(q.popHead())).isEqualTo(ref.remove(0));
            } else if (op == 3 && !ref.isEmpty()) {
                assertThat(Bytes.string(q.popTail())).isEqualTo(ref.remove(ref.size() - 1));
            } else if (op == 4) {
                final int at = rnd.nextInt(ref.size() + 1);
                q.insert(at, Bytes.ascii(v));
                ref.add(at, v);
            } else if (op == 5 && ref.size() > 2) {
                q.trim(1, ref.size() - 2);
                ref.remove(ref.size() - 1);
                ref.remove(0);
            }
            assertThat(q.size()).isEqualTo(ref.size());
        }
        for (int i = 0; i < ref.size(); i++) {
            assertThat(Bytes.string(q.get(i))).isEqualTo(ref.get(i));
        }
        assertThat(q.encoding()).isEqualTo("quicklist");
        assertThat(new ArrayDeque<>(ref)).hasSize(q.size());
    }
}
