package dev.cinnabar.protocol.util;

/**
 * Redis's glob matcher (util.c stringmatchlen): '*', '?', '[abc]', '[^a-z]', '\' escapes, and an
 * optional case-insensitive mode. Used by KEYS, SCAN MATCH, CONFIG GET, PSUBSCRIBE and ACL.
 */
public final class Glob {
    private Glob() {
    }

    public static boolean match(final byte[] pattern, final byte[] s, final boolean nocase) {
        return match(pattern, 0, pattern.length, s, 0, s.length, nocase);
    }

    public static boolean match(final String pattern, final String s) {
        return match(Bytes.utf8(pattern), Bytes.utf8(s), false);
    }

    public static boolean match(final byte[] p, final int pOff, final int pLen, final byte[] s, final int sOff,
                                final int sLen, final boolean nocase) {
        final boolean[] skipLongerMatches = {false};
        return match(p, pOff, pOff + pLen, s, sOff, sOff + sLen, nocase, skipLongerMatches, 0);
    }

    private static boolean match(final byte[] p, int pi, final int pe, final byte[] s, int si, final int se,
                                 final boolean nocase, final boolean[] skipLongerMatches, final int nesting) {
        // Redis caps recursion so "a*a*a*...*b" cannot blow the stack
        if (nesting > 1000) {
            return false;
        }
        while (pi < pe && si < se) {
            switch (p[pi]) {
                case '*':
                    while (pi + 1 < pe && p[pi + 1] == '*') {
                        pi++;
                    }
                    if (pi + 1 == pe) {
                        return true;
                    }
                    while (si < se) {
                        if (match(p, pi + 1, pe, s, si, se, nocase, skipLongerMatches, nesting + 1)) {
                            return true;
                        }
                        if (skipLongerMatches[0]) {
                            return false;
                        }
                        si++;
                    }
                    // no match for the rest of the pattern: a longer '*' cannot help either
                    skipLongerMatches[0] = true;
                    return false;
                case '?':
                    si++;
                    break;
                case '[': {
                    pi++;
                    final boolean not = pi < pe && p[pi] == '^';
                    if (not) {
                        pi++;
                    }
                    boolean matched = false;
                    while (true) {
                        if (pi < pe && p[pi] == '\\' && pi + 1 < pe) {
                            pi++;
                            if (p[pi] == s[si]) {
                                matched = true;
                            }
                        } else if (pi >= pe || p[pi] == ']') {
                            break;
                        } else if (pi + 2 < pe && p[pi + 1] == '-') {
                            // C's char is signed: bytes >= 0x80 sort below ASCII in a range, as in Redis
                            int start = p[pi];
                            int end = p[pi + 2];
                            int c = s[si];
                            if (start > end) {
                                final int t = start;
                                start = end;
                                end = t;
                            }
                            if (nocase) {
                                start = Bytes.lower((byte) start);
                                end = Bytes.lower((byte) end);
                                c = Bytes.lower((byte) c);
                            }
                            pi += 2;
                            if (c >= start && c <= end) {
                                matched = true;
                            }
                        } else {
                            if (nocase ? lower(p[pi]) == lower(s[si]) : p[pi] == s[si]) {
                                matched = true;
                            }
                        }
                        pi++;
                    }
                    if (pi >= pe) {
                        // unterminated class: Redis treats the pattern end as the closing bracket
                        pi = pe - 1;
                    }
                    if (not) {
                        matched = !matched;
                    }
                    if (!matched) {
                        return false;
                    }
                    si++;
                    break;
                }
                case '\\':
                    if (pi + 1 < pe) {
                        pi++;
                    }
                    // fall through: literal
                default:
                    if (nocase ? lower(p[pi]) != lower(s[si]) : p[pi] != s[si]) {
                        return false;
                    }
                    si++;
                    break;
            }
            pi++;
            if (si == se) {
                while (pi < pe && p[pi] == '*') {
                    pi++;
                }
                break;
            }
        }
        return pi == pe && si == se;
    }

    /** tolower() in the C locale Redis runs under: ASCII letters only. */
    private static int lower(final byte b) {
        return Bytes.lower(b);
    }
}
