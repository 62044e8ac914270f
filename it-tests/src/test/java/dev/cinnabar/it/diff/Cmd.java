package dev.cinnabar.it.diff;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.cinnabar.it.support.RespClient;

/**
 * One generated request and how its two replies are compared.
 *
 * @param orderKey for UNORDERED / UNORDERED_PAIRS: the argv index of the key whose encoding decides
 *                 whether order matters (a listpack or intset has one order, so the reply must then
 *                 be exact); -1 when order never matters
 * @param then     a request sent right after this one (e.g. DEL after a random SPOP), or null
 */
public record Cmd(List<byte[]> argv, Match match, int orderKey, Cmd then) {
    /**
     * EXACT: byte for byte. TIME: an integer that depends on the clock (TTL, EXPIRETIME...), within
     * a tolerance. UNORDERED: the same elements in any order. UNORDERED_PAIRS: the same pairs
     * (field/value, member/score) in any order. SHAPE: random elements, same types and sizes.
     * SCAN: a whole SCAN-family iteration from cursor 0, compared as the set of elements returned.
     * LEX: exact, but sent only when the sorted set at {@code orderKey} (if any) has a single score:
     * with mixed scores the result of a lex range is unspecified and differs between two Redis.
     */
    public enum Match { EXACT, TIME, UNORDERED, UNORDERED_PAIRS, SHAPE, SCAN, LEX }

    public Cmd(final List<byte[]> argv, final Match match) {
        this(argv, match, -1, null);
    }

    public Cmd ordered(final int keyIndex) {
        return new Cmd(argv, match, keyIndex, then);
    }

    public Cmd then(final Cmd next) {
        return new Cmd(argv, match, orderKey, next);
    }

    public Cmd as(final Match m) {
        return new Cmd(argv, m, orderKey, then);
    }

    public String name() {
        return new String(argv.get(0), StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        return RespClient.printable(argv) + (match == Match.EXACT ? "" : " [" + match + "]");
    }
}
