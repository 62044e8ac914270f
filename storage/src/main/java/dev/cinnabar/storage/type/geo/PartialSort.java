package dev.cinnabar.storage.type.geo;

import java.util.Comparator;
import java.util.List;

/**
 * The partial quicksort GEOSEARCH / GEORADIUS use when COUNT keeps fewer results than were found:
 * a Bentley-McIlroy three-way quicksort (median of three, ninther above 40 elements, insertion
 * sort below 7 or when a partition pass swapped nothing) that skips every partition lying wholly
 * outside the wanted index range.
 *
 * <p>Why emulate it instead of sorting fully: the algorithm is not stable, so members at the same
 * distance come out in an order only this exact sequence of comparisons and swaps reproduces, and
 * that order decides which of them COUNT keeps. Redis: pqsort.c (from NetBSD's qsort), used by
 * geo.c georadiusGeneric().
 */
public final class PartialSort {
    private static final int INSERTION_BELOW = 7;
    private static final int NINTHER_ABOVE = 40;

    private PartialSort() {
    }

    /** Sorts {@code a} enough that positions {@code [lo, hi]} hold what a full sort would put there. */
    public static <T> void sort(final List<T> a, final Comparator<? super T> cmp, final int lo, final int hi) {
        new Run<>(a, cmp, lo, hi).sort(0, a.size());
    }

    private record Run<T>(List<T> a, Comparator<? super T> cmp, int lo, int hi) {
        private int compare(final int i, final int j) {
            return cmp.compare(a.get(i), a.get(j));
        }

        private void swap(final int i, final int j) {
            final T t = a.get(i);
            a.set(i, a.get(j));
            a.set(j, t);
        }

        private void swapRuns(final int i, final int j, final int n) {
            for (int k = 0; k < n; k++) {
                swap(i + k, j + k);
            }
        }

        private int med3(final int x, final int y, final int z) {
            if (compare(x, y) < 0) {
                return compare(y, z) < 0 ? y : compare(x, z) < 0 ? z : x;
            }
            return compare(y, z) > 0 ? y : compare(x, z) < 0 ? x : z;
        }

        private void insertion(final int base, final int n) {
            for (int m = base + 1; m < base + n; m++) {
                for (int l = m; l > base && compare(l - 1, l) > 0; l--) {
                    swap(l, l - 1);
                }
            }
        }

        /** Whether [from, from + n) overlaps the wanted range. */
        private boolean wanted(final int from, final int n) {
            return !(hi < from || lo > from + n - 1);
        }

        void sort(final int start, final int count) {
            int base = start;
            int n = count;
            while (true) {
                if (n < INSERTION_BELOW) {
                    insertion(base, n);
                    return;
                }
                int pm = base + n / 2;
                if (n > INSERTION_BELOW) {
                    int pl = base;
                    int pn = base + n - 1;
                    if (n > NINTHER_ABOVE) {
                        final int d = n / 8;
                        pl = med3(pl, pl + d, pl + 2 * d);
                        pm = med3(pm - d, pm, pm + d);
                        pn = med3(pn - 2 * d, pn - d, pn);
                    }
                    pm = med3(pl, pm, pn);
                }
                swap(base, pm);
                // [base+1, pa) and (pd, end) collect elements equal to the pivot at base
                int pa = base + 1;
                int pb = pa;
                int pc = base + n - 1;
                int pd = pc;
                boolean swapped = false;
                while (true) {
                    int r;
                    while (pb <= pc && (r = compare(pb, base)) <= 0) {
                        if (r == 0) {
                            swapped = true;
                            swap(pa++, pb);
                        }
                        pb++;
                    }
                    while (pb <= pc && (r = compare(pc, base)) >= 0) {
                        if (r == 0) {
                            swapped = true;
                            swap(pc, pd--);
                        }
                        pc--;
                    }
                    if (pb > pc) {
                        break;
                    }
                    swap(pb++, pc--);
                    swapped = true;
                }
                if (!swapped) {
                    insertion(base, n);
                    return;
                }
                final int end = base + n;
                int r = Math.min(pa - base, pb - pa);
                swapRuns(base, pb - r, r);
                r = Math.min(pd - pc, end - pd - 1);
                swapRuns(pb, end - r, r);
                final int left = pb - pa;
                if (left > 1 && wanted(base, left)) {
                    sort(base, left);
                }
                final int right = pd - pc;
                if (right <= 1 || !wanted(end - right, right)) {
                    return;
                }
                base = end - right;
                n = right;
            }
        }
    }
}
