package dev.cinnabar.storage.keyspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The dict: incremental rehash and the SCAN guarantee across resizes. */
class DictTest {
    private static byte[] key(final int i) {
        return ("k" + i).getBytes(StandardCharsets.UTF_8);
    }

    private static Dict<Entry> filled(final int n) {
        final Dict<Entry> d = new Dict<>(42);
        for (int i = 0; i < n; i++) {
            d.add(new Entry(key(i), i));
        }
        return d;
    }

    /** addIfAbsent: the key in either table (mid-rehash) is found, not added twice; a new key goes in. */
    /** 65 keys, k0..k64: adding past the load factor starts a rehash that each operation advances by one bucket. */
    private static Dict<Entry> rehashing() {
        final Dict<Entry> d = filled(64);
        d.add(new Entry(key(64), 64));
        assertTrue(d.isRehashing());
        return d;
    }

    @Test
    void addIfAbsentFindsTheKeyInEitherTableWhileRehashing() {
        final Dict<Entry> d = rehashing();
        for (int i = 0; i <= 64; i++) {
            final Entry existing = d.find(key(i));
            assertEquals(existing, d.addIfAbsent(new Entry(key(i), -1)), "k" + i);
        }
        assertEquals(65, d.size());
        for (int i = 65; i < 300; i++) {
            assertNull(d.addIfAbsent(new Entry(key(i), i)));
        }
        assertEquals(300, d.size());
        for (int i = 0; i < 300; i++) {
            assertNotNull(d.find(key(i)), "k" + i);
            assertNotNull(d.addIfAbsent(new Entry(key(i), -1)));
        }
        assertEquals(300, d.size());
    }

    @Test
    void findAddRemoveWhileRehashing() {
        final Dict<Entry> d = rehashing();
        for (int i = 0; i <= 64; i++) {
            assertNotNull(d.find(key(i)), "k" + i);
        }
        assertNotNull(d.remove(key(3)));
        assertNull(d.find(key(3)));
        assertEquals(64, d.size());
        for (int i = 0; i < 1000 && d.isRehashing(); i++) {
            d.rehash(1);
        }
        assertFalse(d.isRehashing());
        for (int i = 0; i <= 64; i++) {
            assertEquals(i != 3, d.find(key(i)) != null, "k" + i);
        }
    }

    @Test
    void shrinkAfterMassDelete() {
        final Dict<Entry> d = filled(1000);
        for (int i = 0; i < 990; i++) {
            d.remove(key(i));
        }
        assertTrue(d.shrinkIfNeeded());
        while (d.rehash(100)) {
            assertTrue(d.size() == 10);
        }
        assertTrue(d.buckets() <= 16, "buckets " + d.buckets());
        for (int i = 990; i < 1000; i++) {
            assertNotNull(d.find(key(i)));
        }
    }

    @Test
    void scanReturnsEveryStableKeyWhileTheDictGrowsAndShrinks() {
        final SplittableRandom rnd = new SplittableRandom(7);
        for (int trial = 0; trial < 20; trial++) {
            final Dict<Entry> d = filled(300);
            // keys 0..99 stay for the whole scan; the rest come and go
            final Set<String> seen = new HashSet<>();
            final java.util.ArrayDeque<Integer> transientKeys = new java.util.ArrayDeque<>();
            for (int i = 100; i < 300; i++) {
                transientKeys.add(i);
            }
            long cursor = 0;
            int next = 300;
            int steps = 0;
            do {
                cursor = d.scan(cursor, e -> seen.add(new String(e.key, StandardCharsets.UTF_8)));
                // grow to about 2000 keys, then shrink back to the 100 stable ones, and again
                final boolean growing = (steps++ / 20) % 2 == 0;
                for (int i = 0; i < 50; i++) {
                    if (growing) {
                        d.add(new Entry(key(next), 0));
                        transientKeys.add(next++);
                    } else if (!transientKeys.isEmpty()) {
                        d.remove(key(rnd.nextBoolean() ? transientKeys.pollFirst() : transientKeys.pollLast()));
                    }
                }
                if (!growing) {
                    d.shrinkIfNeeded();
                }
                d.rehash(rnd.nextInt(4));
            } while (cursor != 0 && steps < 100_000);
            assertEquals(0, cursor, "scan finished");
            for (int i = 0; i < 100; i++) {
                assertTrue(seen.contains("k" + i), "trial " + trial + " missed k" + i);
            }
        }
    }

    @Test
    void scanOfStableDictVisitsEachKeyOnce() {
        final Dict<Entry> d = filled(1000);
        final int[] visits = new int[1000];
        long cursor = 0;
        do {
            cursor = d.scan(cursor, e -> visits[Integer.parseInt(new String(e.key, 1, e.key.length - 1,
                StandardCharsets.UTF_8))]++);
        } while (cursor != 0);
        for (int i = 0; i < 1000; i++) {
            assertEquals(1, visits[i], "k" + i);
        }
    }

    @Test
    void randomReturnsMembers() {
        final Dict<Entry> d = filled(50);
        final SplittableRandom rnd = new SplittableRandom(1);
        final Set<Object> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            seen.add(d.random(rnd).value);
        }
        assertEquals(50, seen.size());
        assertNull(new Dict<Entry>(1).random(rnd));
    }
}
