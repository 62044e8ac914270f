package dev.cinnabar.storage.type.zset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tree against a sorted model: small pages make trees five and more levels deep, so splits,
 * merges and redistributions happen at every level; every invariant is checked after each step.
 */
class RankedTreeTest {
    private record E(double score, byte[] member) implements Comparable<E> {
        @Override
        public int compareTo(final E o) {
            return RankedTree.compare(score, member, o.score, o.member);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 6, 16, 64})
    void shouldMatchASortedModelThroughGrowthAndShrinkage(final int capacity) {
        final SplittableRandom rnd = new SplittableRandom(capacity * 7919L);
        final RankedTree tree = new RankedTree(capacity);
        final TreeSet<E> model = new TreeSet<>();
        final Map<String, E> byMember = new HashMap<>();
        final int steps = 6000;
        for (int step = 0; step < steps; step++) {
            // grow for the first half, then shrink to empty: deletes outnumber inserts late on
            final boolean growing = step < steps / 2;
            final String name = "m" + rnd.nextInt(800);
            final byte[] m = name.getBytes(StandardCharsets.US_ASCII);
            final double s = rnd.nextInt(60) / 2.0 - 10;
            final E old = byMember.get(name);
            final int op = rnd.nextInt(10);
            if (old == null && (growing ? op < 8 : op < 2)) {
                tree.insert(s, m);
                add(model, byMember, name, new E(s, m));
            } else if (old != null && op < 4) {
                tree.updateScore(tree.find(m, 0, m.length), s);
                model.remove(old);
                add(model, byMember, name, new E(s, old.member));
            } else if (old != null) {
                tree.delete(tree.find(m, 0, m.length));
                model.remove(old);
                byMember.remove(name);
            }
            assertEquals(model.size(), tree.checkInvariants());
            if (step % 17 == 0) {
                checkQueries(tree, model, rnd);
            }
        }
        while (!model.isEmpty()) {
            final E e = model.pollFirst();
            tree.delete(tree.find(e.member, 0, e.member.length));
            assertEquals(model.size(), tree.checkInvariants());
        }
        assertNull(tree.find(new byte[] {'m', '1'}, 0, 2));
    }

    private static void add(final TreeSet<E> model, final Map<String, E> byMember, final String name, final E e) {
        model.add(e);
        byMember.put(name, e);
    }

    private static void checkQueries(final RankedTree tree, final TreeSet<E> model, final SplittableRandom rnd) {
        final List<E> all = new ArrayList<>(model);
        for (int r = 0; r < all.size(); r++) {
            final E e = all.get(r);
            assertEquals(r, tree.rankOf(tree.find(e.member, 0, e.member.length)));
            assertArrayEquals(e.member, tree.memberAt(r));
            assertEquals(e.score, tree.scoreAt(r));
        }
        if (all.isEmpty()) {
            return;
        }
        final int from = rnd.nextInt(all.size());
        final boolean rev = rnd.nextBoolean();
        final int count = 1 + rnd.nextInt(3 * all.size());
        final List<E> seen = new ArrayList<>();
        tree.visit(from, count, rev, (m, s) -> seen.add(new E(s, m)));
        final List<E> expected = new ArrayList<>();
        for (int r = from; r >= 0 && r < all.size() && expected.size() < count; r += rev ? -1 : 1) {
            expected.add(all.get(r));
        }
        assertEquals(expected.size(), seen.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(0, expected.get(i).compareTo(seen.get(i)));
        }
        final double bound = rnd.nextInt(64) / 2.0 - 11;
        assertEquals(all.stream().filter(e -> e.score < bound).count(), tree.countBefore((s, m) -> s < bound));
        final E pivot = all.get(rnd.nextInt(all.size()));
        assertEquals(all.indexOf(pivot), tree.countBefore((s, m) -> RankedTree.compare(s, m, pivot.score, pivot.member) < 0));
    }
}
