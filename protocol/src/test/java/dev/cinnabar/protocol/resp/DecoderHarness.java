package dev.cinnabar.protocol.resp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.Random;

/**
 * Feeds bytes to a {@link RespCommandDecoder} in given pieces and records what came out: every
 * command (copied, since Args are slices valid only until the next append) and the protocol error
 * that ended the stream, if any. Two feeds of the same bytes must give equal outcomes.
 */
final class DecoderHarness {
    /** The commands decoded, and the error text that stopped decoding (null when none). */
    record Outcome(List<List<String>> commands, String error, int pending) {
    }

    private DecoderHarness() {
    }

    static RespCommandDecoder decoder(final boolean authRequired) {
        final RespCommandDecoder d = new RespCommandDecoder();
        d.authRequired(authRequired);
        return d;
    }

    /** The Args a decoder fills: one per decoder, as in a client session, since a half-read command lives in it. */
    private static final Map<RespCommandDecoder, Args> ARGS = new WeakHashMap<>();

    /** Feeds {@code input} cut at the given ascending offsets. */
    static Outcome feed(final RespCommandDecoder d, final byte[] input, final int... cuts) {
        final Args args = ARGS.computeIfAbsent(d, k -> new Args());
        final List<List<String>> out = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            final int to = i < cuts.length ? cuts[i] : input.length;
            d.append(input, from, to - from, args);
            from = to;
            final String error = drain(d, args, out);
            if (error != null) {
                return new Outcome(out, error, d.pending());
            }
        }
        return new Outcome(out, null, d.pending());
    }

    static Outcome feed(final byte[] input, final int... cuts) {
        return feed(decoder(false), input, cuts);
    }

    static Outcome whole(final String input) {
        return feed(bytes(input));
    }

    static Outcome byteByByte(final byte[] input) {
        final int[] cuts = new int[Math.max(0, input.length - 1)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i + 1;
        }
        return feed(input, cuts);
    }

    static Outcome randomChunks(final byte[] input, final Random rnd, final int maxChunk) {
        final List<Integer> cuts = new ArrayList<>();
        int pos = 0;
        while (true) {
            pos += 1 + rnd.nextInt(maxChunk);
            if (pos >= input.length) {
                break;
            }
            cuts.add(pos);
        }
        return feed(input, cuts.stream().mapToInt(Integer::intValue).toArray());
    }

    private static String drain(final RespCommandDecoder d, final Args args, final List<List<String>> out) {
        try {
            // each next() consumes at least one byte or returns false, so input size bounds the loop
            while (d.next(args)) {
                final List<String> cmd = new ArrayList<>(args.count());
                for (int i = 0; i < args.count(); i++) {
                    cmd.add(new String(args.array(), args.offset(i), args.length(i), StandardCharsets.ISO_8859_1));
                }
                out.add(cmd);
            }
            return null;
        } catch (ProtocolException e) {
            return e.getMessage();
        }
    }

    /** ISO-8859-1 so that every byte round-trips through a String. */
    static byte[] bytes(final String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String multibulk(final String... argv) {
        final StringBuilder sb = new StringBuilder().append('*').append(argv.length).append("\r\n");
        for (final String a : argv) {
            sb.append('$').append(a.getBytes(StandardCharsets.ISO_8859_1).length).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString();
    }
}
