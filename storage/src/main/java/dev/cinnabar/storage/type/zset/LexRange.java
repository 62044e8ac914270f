package dev.cinnabar.storage.type.zset;

import java.util.Arrays;

/**
 * A member interval of ZRANGEBYLEX / ZLEXCOUNT / ZREMRANGEBYLEX: "[x" inclusive, "(x" exclusive,
 * "-" below everything, "+" above everything. A null bound array stands for "-" (min) or "+" (max)
 * through the {@code minInf}/{@code maxInf} flags: +1 is "+", -1 is "-".
 */
public record LexRange(byte[] min, boolean minex, int minInf, byte[] max, boolean maxex, int maxInf) {
    public boolean aboveMin(final byte[] m) {
        return aboveMin(m, 0, m.length);
    }

    /** Whether the member in {@code len} bytes of {@code b} from {@code off} is at or past the minimum. */
    public boolean aboveMin(final byte[] b, final int off, final int len) {
        if (minInf != 0) {
            return minInf < 0;
        }
        final int c = Arrays.compareUnsigned(b, off, off + len, min, 0, min.length);
        return minex ? c > 0 : c >= 0;
    }

    public boolean belowMax(final byte[] m) {
        return belowMax(m, 0, m.length);
    }

    public boolean belowMax(final byte[] b, final int off, final int len) {
        if (maxInf != 0) {
            return maxInf > 0;
        }
        final int c = Arrays.compareUnsigned(b, off, off + len, max, 0, max.length);
        return maxex ? c < 0 : c <= 0;
    }

    /** Parses both bounds (Redis's zslParseLexRange); null when either is invalid. */
    public static LexRange parse(final byte[] b, final int minOff, final int minLen,
                                 final int maxOff, final int maxLen) {
        final int minInf = inf(b, minOff, minLen);
        final int maxInf = inf(b, maxOff, maxLen);
        if ((minInf == 0 && !bracketed(b, minOff, minLen)) || (maxInf == 0 && !bracketed(b, maxOff, maxLen))) {
            return null;
        }
        return new LexRange(minInf != 0 ? null : Arrays.copyOfRange(b, minOff + 1, minOff + minLen),
            minInf == 0 && b[minOff] == '(', minInf,
            maxInf != 0 ? null : Arrays.copyOfRange(b, maxOff + 1, maxOff + maxLen),
            maxInf == 0 && b[maxOff] == '(', maxInf);
    }

    private static int inf(final byte[] b, final int off, final int len) {
        if (len == 1 && b[off] == '+') {
            return 1;
        }
        return len == 1 && b[off] == '-' ? -1 : 0;
    }

    private static boolean bracketed(final byte[] b, final int off, final int len) {
        return len > 0 && (b[off] == '(' || b[off] == '[');
    }
}
