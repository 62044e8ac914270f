package dev.cinnabar.storage.type.zset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/** Both encodings of {@link ZSet} against a plain sorted model, and the conversion thresholds. */
class ZSetTest {
    private record E(double score, byte[] member) implements Comparable<E> {
        @Override
        public int compareTo(final E o) {
            return RankedTree.compare(score, member, o.score, o.member);
        }
    }

    private static byte[] b(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldMatchSortedModelUnderRandomOperationsInBothEncodings() {
        for (final int maxEntries : new int[] {128, 0}) {
            final SplittableRandom rnd = new SplittableRandom(42 + maxEntries);
            final ZSet zs = ZSet.create(1, maxEntries, 64);
            final TreeSet<E> model = new TreeSet<>();
            for (int step = 0; step < 3000; step++) {
                final byte[] m = b("m" + rnd.nextInt(150));
                final double s = rnd.nextInt(40) / 4.0;
                final int op = rnd.nextInt(10);
                final E old = find(model, m);
                if (op < 6) {
                    zs.add(s, m, 0, null, 1000, 64);
                    if (old != null) {
                        model.remove(old);
                    }
                    model.add(new E(s, m));
                } else if (op < 8) {
                    assertEquals(old != null, zs.remove(m, 0, m.length));
                    if (old != null) {
                        model.remove(old);
                    }
                } else if (!model.isEmpty()) {
                    final long from = rnd.nextInt(model.size());
                    final long count = Math.min(rnd.nextInt(4), model.size() - from);
                    final List<E> all = new ArrayList<>(model);
                    zs.removeRange(from, count);
                    for (long k = 0; k < count; k++) {
                        model.remove(all.get((int) (from + k)));
                    }
                }
                check(zs, model);
            }
            assertEquals(maxEntries == 0 ? "skiplist" : "listpack", zs.encoding());
        }
    }

    private static E find(final TreeSet<E> model, final byte[] m) {
        for (final E e : model) {
            if (Arrays.equals(e.member, m)) {
                return e;
            }
        }
        return null;
    }

    private static void check(final ZSet zs, final TreeSet<E> model) {
        assertEquals(model.size(), zs.size());
        int r = 0;
        for (final E e : model) {
            assertEquals(r, zs.rank(e.member, 0, e.member.length));
            assertEquals(e.score, zs.scoreAt(r));
            assertTrue(Arrays.equals(e.member, zs.memberAt(r)));
            r++;
        }
        final ScoreRange range = new ScoreRange(2.5, 6, true, false);
        final long below = model.stream().filter(e -> !range.aboveMin(e.score)).count();
        final long upTo = model.stream().filter(e -> range.belowMax(e.score)).count();
        assertEquals(below, zs.rankFrom(range));
        assertEquals(upTo, zs.rankTo(range));
        final List<E> all = new ArrayList<>(model);
        if (all.isEmpty()) {
            return;
        }
        final int from = all.size() / 3;
        final int count = all.size() - from;
        final List<E> seen = new ArrayList<>();
        zs.range(from, count, false, (m, sc) -> seen.add(new E(sc, m)));
        assertSameElements(all.subList(from, all.size()), seen);
        seen.clear();
        zs.rangeInPlace(all.size() - 1, count, true,
            (bytes, off, len, sc) -> seen.add(new E(sc, Arrays.copyOfRange(bytes, off, off + len))));
        final List<E> backwards = new ArrayList<>(all.subList(all.size() - count, all.size()));
        java.util.Collections.reverse(backwards);
        assertSameElements(backwards, seen);
    }

    private static void assertSameElements(final List<E> expected, final List<E> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(0, expected.get(i).compareTo(actual.get(i)), "element " + i);
        }
    }

    /** Lexicographic ranges, meaningful when every score is equal, as in Redis. */
    @Test
    void shouldCountLexRangesInBothEncodings() {
        for (final int maxEntries : new int[] {128, 0}) {
            final ZSet zs = ZSet.create(2, maxEntries, 64);
            for (int i = 0; i < 20; i++) {
                zs.add(0, b("m" + (char) ('a' + i)), 0, null, maxEntries, 64);
            }
            final LexRange lex = LexRange.parse(b("(mc [mh"), 0, 3, 4, 3);
            assertEquals(3, zs.rankFrom(lex));
            assertEquals(8, zs.rankTo(lex));
            final LexRange all = LexRange.parse(b("- +"), 0, 1, 2, 1);
            assertEquals(0, zs.rankFrom(all));
            assertEquals(20, zs.rankTo(all));
        }
    }

    @Test
    void shouldLoadWhatAddBuildsInOrderOrNot() {
        final SplittableRandom rnd = new SplittableRandom(7);
        for (final int maxEntries : new int[] {128, 20, 0}) {
            for (final boolean sorted : new boolean[] {true, false}) {
                final TreeSet<E> model = new TreeSet<>();
                for (int i = 0; i < 40; i++) {
                    model.add(new E(rnd.nextInt(10) - 5, b("m" + i)));
                }
                final List<E> input = new ArrayList<>(model);
                if (!sorted) {
                    java.util.Collections.shuffle(input, new java.util.Random(maxEntries));
                }
                final ZSet.Loader loader = new ZSet.Loader(maxEntries, 64);
                final ZSet added = ZSet.create(2, maxEntries, 64);
                for (final E e : input) {
                    assertTrue(loader.add(e.score, e.member));
                    added.add(e.score, e.member, 0, null, maxEntries, 64);
                }
                final ZSet loaded = loader.finish();
                assertEquals(added.encoding(), loaded.encoding());
                check(loaded, model);
                for (int r = 0; r < model.size(); r++) {
                    assertEquals(Double.doubleToRawLongBits(added.scoreAt(r)), Double.doubleToRawLongBits(loaded.scoreAt(r)));
                }
            }
        }
    }

    @Test
    void shouldRefuseADuplicateMemberWhileLoading() {
        final ZSet.Loader inOrder = new ZSet.Loader(128, 64);
        assertTrue(inOrder.add(1, b("a")));
        assertTrue(inOrder.add(2, b("b")));
        assertEquals(false, inOrder.add(3, b("a")));
        final ZSet.Loader outOfOrder = new ZSet.Loader(128, 64);
        assertTrue(outOfOrder.add(2, b("b")));
        assertTrue(outOfOrder.add(1, b("a")));
        assertEquals(false, outOfOrder.add(3, b("b")));
        assertEquals(null, new ZSet.Loader(128, 64).finish());
    }

    @Test
    void shouldLeaveACopyUnchangedByLaterWrites() {
        for (final int maxEntries : new int[] {128, 0}) {
            final ZSet zs = ZSet.create(2, maxEntries, 64);
            for (int i = 0; i < 10; i++) {
                zs.add(i, b("m" + i), 0, null, maxEntries, 64);
            }
            final ZSet copy = zs.copy();
            zs.add(0.5, b("m9"), 0, null, maxEntries, 64);
            zs.remove(b("m3"), 0, 2);
            zs.removeRange(0, 2);
            zs.add(3, b("new"), 0, null, maxEntries, 64);
            assertEquals(10, copy.size());
            for (int i = 0; i < 10; i++) {
                assertEquals(i, copy.scoreAt(i));
                assertTrue(Arrays.equals(b("m" + i), copy.memberAt(i)));
            }
            assertEquals(8, zs.size());
        }
    }

    @Test
    void shouldStoreNegativeZeroAsZeroInTheListpackOnly() {
        final ZSet packed = ZSet.create(1, 128, 64);
        packed.add(-0.0, b("a"), 0, null, 128, 64);
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(packed.score(b("a"))));
        packed.add(-1, b("b"), 0, null, 128, 64);
        packed.add(1, b("c"), 0, null, 128, 64);
        assertEquals(1, packed.rank(b("a"), 0, 1));
    }

    @Test
    void shouldConvertToSkiplistPastMaxEntries() {
        final ZSet zs = ZSet.create(3, 128, 64);
        for (int i = 0; i < 128; i++) {
            zs.add(i, b("m" + i), 0, null, 128, 64);
        }
        assertEquals("listpack", zs.encoding());
        zs.add(200, b("m200"), 0, null, 128, 64);
        assertEquals("skiplist", zs.encoding());
        zs.remove(b("m200"), 0, 4);
        assertEquals("skiplist", zs.encoding());
        zs.shrinkIfFits(128, 64);
        assertEquals("listpack", zs.encoding());
        assertEquals(127, zs.rank(b("m127"), 0, 4));
    }

    @Test
    void shouldConvertToSkiplistPastMaxValue() {
        final ZSet zs = ZSet.create(64, 128, 64);
        zs.add(1, new byte[64], 0, null, 128, 64);
        assertEquals("listpack", zs.encoding());
        zs.add(1, new byte[65], 0, null, 128, 64);
        assertEquals("skiplist", zs.encoding());
        assertEquals("skiplist", ZSet.create(65, 128, 64).encoding());
        assertEquals("skiplist", ZSet.create(1, 0, 64).encoding());
    }

    @Test
    void shouldParseRangesLikeRedis() {
        final byte[] b = b("(1.5 3 ( x");
        assertEquals(new ScoreRange(1.5, 3, true, false), ScoreRange.parse(b, 0, 4, 5, 1));
        assertEquals(new ScoreRange(0, 3, true, false), ScoreRange.parse(b, 7, 1, 5, 1));
        assertEquals(null, ScoreRange.parse(b, 9, 1, 5, 1));
        assertTrue(Double.isNaN(ScoreRange.parseScore(b("1e400"), 0, 5)));
        assertTrue(Double.isNaN(ScoreRange.parseScore(b("1e-400"), 0, 6)));
        assertEquals(0.0, ScoreRange.parseScore(b("0e-400"), 0, 6));
        assertEquals(Double.POSITIVE_INFINITY, ScoreRange.parseScore(b("+inf"), 0, 4));
    }
}
