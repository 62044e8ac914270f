package dev.cinnabar.protocol.command;

import java.util.Locale;

import dev.cinnabar.protocol.resp.Args;

/**
 * Where a command's keys are, in Redis 7's key-spec form: a begin-search step (an argument index,
 * or a keyword searched from an index) and a find-keys step (a range, or a key count argument).
 * The legacy first/last/step triple of COMMAND INFO is derived from these, never declared.
 */
public record KeySpec(
        int flags,
        int beginIndex,
        String beginKeyword,
        int keywordStartFrom,
        boolean keyNum,
        int lastKey,
        int keyStep,
        int limit,
        int keyNumIdx,
        int firstKey,
        String notes) {

    // Redis's key-spec flags (CMD_KEY_*), in the order COMMAND INFO prints them.
    public static final int RO = 1;
    public static final int RW = 1 << 1;
    public static final int OW = 1 << 2;
    public static final int RM = 1 << 3;
    public static final int ACCESS = 1 << 4;
    public static final int UPDATE = 1 << 5;
    public static final int INSERT = 1 << 6;
    public static final int DELETE = 1 << 7;
    public static final int NOT_KEY = 1 << 8;
    public static final int INCOMPLETE = 1 << 9;
    public static final int VARIABLE_FLAGS = 1 << 10;
    static final String[] FLAG_NAMES = {"RO", "RW", "OW", "RM", "access", "update", "insert", "delete",
        "not_key", "incomplete", "variable_flags"};

    /** One key at argument index {@code index}. */
    public static KeySpec index(final int index, final int flags) {
        return new KeySpec(flags, index, null, 0, false, 0, 1, 0, 0, 0, null);
    }

    /** Keys from {@code index}; lastKey relative to it (-1 = to the end), every {@code step}. */
    public static KeySpec range(final int index, final int lastKey, final int step, final int flags) {
        return new KeySpec(flags, index, null, 0, false, lastKey, step, 0, 0, 0, null);
    }

    /** Keys to the end, every step, stopping {@code limit}-th of the rest (Redis's "limit"). */
    public static KeySpec rangeLimit(final int index, final int step, final int limit, final int flags) {
        return new KeySpec(flags, index, null, 0, false, -1, step, limit, 0, 0, null);
    }

    /** A key count at {@code index + keyNumIdx}, then the keys from {@code index + firstKey}. */
    public static KeySpec keyNum(final int index, final int keyNumIdx, final int firstKey, final int step,
                                 final int flags) {
        return new KeySpec(flags, index, null, 0, true, 0, step, 0, keyNumIdx, firstKey, null);
    }

    /** Keys after a keyword (searched from {@code startFrom}, negative from the end). */
    public static KeySpec keyword(final String keyword, final int startFrom, final int lastKey, final int step,
                                  final int flags) {
        return new KeySpec(flags, 0, keyword, startFrom, false, lastKey, step, 0, 0, 0, null);
    }

    /**
     * Keys whose positions no spec can describe (Redis's "unknown" begin_search and find_keys, as
     * SORT declares for its BY/GET patterns and its STORE key). It finds no keys; COMMAND INFO
     * prints it as type "unknown". Encoded as a negative begin index, which no other spec has.
     */
    public static KeySpec unknown(final int flags) {
        return new KeySpec(flags, -1, null, 0, false, 0, 0, 0, 0, 0, null);
    }

    /** The same spec with Redis's explanatory note (COMMAND INFO prints it first). */
    public KeySpec withNotes(final String text) {
        return new KeySpec(flags, beginIndex, beginKeyword, keywordStartFrom, keyNum, lastKey, keyStep, limit,
            keyNumIdx, firstKey, text);
    }

    public boolean isKeyword() {
        return beginKeyword != null;
    }

    public boolean isUnknown() {
        return beginKeyword == null && beginIndex < 0;
    }

    /** Movable when the key positions depend on the arguments (keyword, key count, or unknown). */
    public boolean movable() {
        return isKeyword() || keyNum || isUnknown();
    }

    public String[] flagNames() {
        int n = 0;
        for (int i = 0; i < FLAG_NAMES.length; i++) {
            if ((flags & (1 << i)) != 0) {
                n++;
            }
        }
        final String[] out = new String[n];
        int k = 0;
        for (int i = 0; i < FLAG_NAMES.length; i++) {
            if ((flags & (1 << i)) != 0) {
                out[k++] = FLAG_NAMES[i];
            }
        }
        return out;
    }

    /**
     * Appends to {@code out} the argument indexes of this spec's keys in {@code args}; returns how
     * many were added, or -1 when the arguments cannot hold the keys the spec says.
     */
    public int keys(final Args args, final int[] out, final int outFrom) {
        if (isUnknown()) {
            return 0;
        }
        final int argc = args.count();
        int begin;
        if (isKeyword()) {
            begin = -1;
            final String kw = beginKeyword.toUpperCase(Locale.ROOT);
            if (keywordStartFrom >= 0) {
                for (int i = keywordStartFrom; i < argc; i++) {
                    if (args.is(i, kw)) {
                        begin = i + 1;
                        break;
                    }
                }
            } else {
                for (int i = argc + keywordStartFrom; i > 0; i--) {
                    if (args.is(i, kw)) {
                        begin = i + 1;
                        break;
                    }
                }
            }
            if (begin < 0) {
                return 0;
            }
        } else {
            begin = beginIndex;
        }
        if (begin >= argc) {
            return 0;
        }
        int first = begin;
        int last;
        final int step = keyStep;
        if (keyNum) {
            final int numIdx = begin + keyNumIdx;
            if (numIdx >= argc || !args.isLong(numIdx)) {
                return -1;
            }
            final long n = args.longValue(numIdx);
            if (n < 0) {
                return -1;
            }
            first = begin + firstKey;
            last = (int) Math.min(Integer.MAX_VALUE, first + (n - 1) * step);
            if (n == 0) {
                return 0;
            }
        } else if (lastKey >= 0) {
            last = begin + lastKey;
        } else if (limit > 0) {
            last = argc - 1;
            final int count = (last - first) / step + 1;
            last = first + (count / limit - 1) * step;
        } else {
            last = argc + lastKey;
        }
        if (last >= argc) {
            return -1;
        }
        int added = 0;
        for (int i = first; i <= last; i += step) {
            out[outFrom + added++] = i;
        }
        return added;
    }
}
